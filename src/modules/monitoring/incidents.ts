/**
 * Incidents (API-CONTRACT-2 §1): the statutory report deadline from `awareAt` (EU AI Act
 * Art. 73 periods, `lib/incident-deadlines.ts`), follow-up updates, closure by a reviewer,
 * and the warning rules W1–W4, fired in the reporting transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { WarningLevel } from '../../domain/warnings.ts';
import {
  incidentReportDeadline,
  incidentTimeProblems,
  isReportedLate,
  type IncidentHarm,
} from '../../lib/incident-deadlines.ts';
import { evaluateWarnings } from '../../lib/warning-rules.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { conflict, found, unprocessable } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { newId } from '../../platform/ids.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { notify } from '../notifications/index.ts';
import type { CreateIncidentBody, IncidentT } from './schemas.ts';
import {
  actorOf,
  auditOf,
  iso,
  isoOrNull,
  issueContextOf,
  productOr404,
  productResource,
  type MonitoringDeps,
} from './shared.ts';
import { currentWarningRuleset, issueWarnings, warningFromFiring } from './warnings.ts';

type Executor = Kysely<Database> | Transaction<Database>;

interface IncidentRow {
  id: string;
  product_id: string;
  organization_id: string;
  occurred_at: Date | string;
  aware_at: Date | string;
  serious: boolean;
  harms: string[];
  widespread: boolean;
  description: string;
  immediate_measures: string;
  report_deadline: Date | string | null;
  reported_late: boolean;
  status: string;
  conclusion: string | null;
  closed_at: Date | string | null;
  created_at: Date | string;
}

async function incidentView(db: Executor, row: IncidentRow): Promise<IncidentT> {
  const [updates, warnings] = await Promise.all([
    db
      .selectFrom('incident_updates')
      .select(['id', 'message', 'final', 'created_at'])
      .where('incident_id', '=', row.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('warnings')
      .select(['id', 'rule_id', 'level'])
      .where('incident_id', '=', row.id)
      .orderBy('rule_id')
      .execute(),
  ]);
  return {
    id: row.id,
    productId: row.product_id,
    organizationId: row.organization_id,
    occurredAt: iso(row.occurred_at),
    awareAt: iso(row.aware_at),
    reportedAt: iso(row.created_at),
    serious: row.serious,
    harms: row.harms as IncidentHarm[],
    widespread: row.widespread,
    description: row.description,
    immediateMeasures: row.immediate_measures,
    reportDeadline: isoOrNull(row.report_deadline),
    reportedLate: row.reported_late,
    status: row.status as 'open' | 'closed',
    conclusion: row.conclusion,
    closedAt: isoOrNull(row.closed_at),
    updates: updates.map((u) => ({ id: u.id, message: u.message, final: u.final, createdAt: iso(u.created_at) })),
    warnings: warnings.map((w) => ({ id: w.id, ruleId: w.rule_id, level: w.level as WarningLevel })),
  };
}

/** `POST /products/{id}/incidents`: stored with its deadline; W1–W4 fire in the same transaction. */
export async function reportIncident(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { productId: string; body: CreateIncidentBody },
): Promise<IncidentT> {
  const { body } = input;
  const head = await productOr404(deps.db, input.productId);
  assertCan(ctx.principal, 'incidents.create', productResource(head));
  const occurredAt = new Date(body.occurredAt);
  const awareAt = new Date(body.awareAt);
  const now = deps.clock.now();
  const problems = incidentTimeProblems({ occurredAt, awareAt }, now);
  if (problems.length > 0) {
    throw unprocessable('invalid_incident_times', {
      detail: { zh: '事件时间不合理', en: 'The incident times are not possible' },
      errors: problems.map((p) => ({ pointer: p.pointer, message: { zh: p.messageZh, en: p.message } })),
    });
  }
  const harms = [...body.harms] as IncidentHarm[];
  const severity = { serious: body.serious, harms, widespread: body.widespread };
  const deadline = incidentReportDeadline(severity, awareAt);
  const ruleset = await currentWarningRuleset();
  return deps.db.transaction().execute(async (trx) => {
    // The product row lock orders concurrent incidents of one product (W4 sees the other).
    const product = await productOr404(trx, head.id, true);
    const id = newId();
    const row = (await trx
      .insertInto('incidents')
      .values({
        id,
        product_id: product.id,
        organization_id: product.organizationId,
        occurred_at: occurredAt,
        aware_at: awareAt,
        serious: body.serious,
        harms: JSON.stringify(harms),
        widespread: body.widespread,
        description: body.description,
        immediate_measures: body.immediateMeasures,
        report_deadline: deadline,
        reported_late: isReportedLate(deadline, now),
        status: 'open',
        conclusion: null,
        closed_at: null,
        closed_by: null,
        created_by: actorOf(ctx),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as unknown as IncidentRow;
    await recordAudit(trx, auditOf(deps, ctx), {
      action: 'incident.reported',
      resourceType: 'incident',
      resourceId: id,
      organizationId: product.organizationId,
      summary: {
        productId: product.id,
        serious: body.serious,
        harms,
        widespread: body.widespread,
        reportDeadline: deadline?.toISOString() ?? null,
        reportedLate: row.reported_late,
      },
    });
    const others = body.serious
      ? await trx
          .selectFrom('incidents')
          .select('occurred_at')
          .where('product_id', '=', product.id)
          .where('serious', '=', true)
          .where('id', '!=', id)
          .where('occurred_at', '>=', new Date(occurredAt.getTime() - 92 * 86_400_000))
          .where('occurred_at', '<=', new Date(occurredAt.getTime() + 92 * 86_400_000))
          .execute()
      : [];
    const firings = evaluateWarnings(ruleset, {
      type: 'incident_reported',
      tier: product.tier,
      incident: { serious: body.serious, harms, widespread: body.widespread, occurredAt },
      otherSeriousIncidents: others.map((o) => ({ occurredAt: new Date(o.occurred_at) })),
    });
    await issueWarnings(
      trx,
      issueContextOf(deps, ctx),
      product,
      firings.map((firing) => warningFromFiring(firing, { incidentId: id })),
    );
    if (body.serious) {
      await notify(trx, deps.clock, [
        {
          target: { role: 'reviewer' },
          kind: 'incident.reported',
          titleZh: `严重事件报告：${product.name}`,
          titleEn: `Serious incident reported: ${product.nameEn ?? product.name}`,
          link: `/monitoring/incidents/${id}`,
        },
      ]);
    }
    return incidentView(trx, row);
  });
}

async function incidentOr404(db: Executor, id: string, lock = false): Promise<IncidentRow> {
  let query = db.selectFrom('incidents').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return found((await query.executeTakeFirst()) as IncidentRow | undefined);
}

export async function readIncident(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { id: string },
): Promise<IncidentT> {
  const row = await incidentOr404(deps.db, input.id);
  assertCan(ctx.principal, 'monitoring.read', { type: 'incident', id: row.id, organizationId: row.organization_id });
  return incidentView(deps.db, row);
}

/** `POST /incidents/{id}/updates`: a follow-up by the owning organisation; a closed incident → 409. */
export async function addIncidentUpdate(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { id: string; body: { message: string; final: boolean } },
): Promise<IncidentT> {
  const head = await incidentOr404(deps.db, input.id);
  assertCan(ctx.principal, 'incidents.update', { type: 'incident', id: head.id, organizationId: head.organization_id });
  return deps.db.transaction().execute(async (trx) => {
    const row = await incidentOr404(trx, input.id, true);
    if (row.status === 'closed') {
      throw conflict('incident_closed', { detail: { zh: '事件已结案', en: 'The incident is closed' } });
    }
    const now = deps.clock.now();
    const updateId = newId();
    await trx
      .insertInto('incident_updates')
      .values({
        id: updateId,
        incident_id: row.id,
        message: input.body.message,
        final: input.body.final,
        created_by: actorOf(ctx),
        created_at: now,
      })
      .execute();
    await trx
      .updateTable('incidents')
      .set({ updated_at: now, version: sql`version + 1` })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, auditOf(deps, ctx), {
      action: 'incident.updated',
      resourceType: 'incident',
      resourceId: row.id,
      organizationId: row.organization_id,
      summary: { updateId, final: input.body.final },
    });
    if (input.body.final) {
      await notify(trx, deps.clock, [
        {
          target: { role: 'reviewer' },
          kind: 'incident.final_update',
          titleZh: '事件已提交最终报告，待结案',
          titleEn: 'An incident has its final report and awaits closure',
          link: `/monitoring/incidents/${row.id}`,
        },
      ]);
    }
    return incidentView(trx, row);
  });
}

/** `POST /incidents/{id}/closure` (reviewer): closed once; a second closure → 409. */
export async function closeIncident(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { id: string; body: { conclusion: string } },
): Promise<IncidentT> {
  const head = await incidentOr404(deps.db, input.id);
  assertCan(ctx.principal, 'incidents.close', { type: 'incident', id: head.id, organizationId: head.organization_id });
  return deps.db.transaction().execute(async (trx) => {
    const row = await incidentOr404(trx, input.id, true);
    if (row.status === 'closed') {
      throw conflict('incident_closed', { detail: { zh: '事件已结案', en: 'The incident is closed' } });
    }
    const now = deps.clock.now();
    const closed = (await trx
      .updateTable('incidents')
      .set({
        status: 'closed',
        conclusion: input.body.conclusion,
        closed_at: now,
        closed_by: actorOf(ctx),
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()) as unknown as IncidentRow;
    await recordAudit(trx, auditOf(deps, ctx), {
      action: 'incident.closed',
      resourceType: 'incident',
      resourceId: row.id,
      organizationId: row.organization_id,
      summary: { productId: row.product_id },
    });
    await notify(trx, deps.clock, [
      {
        target: { organizationId: row.organization_id },
        kind: 'incident.closed',
        titleZh: '事件已由监管部门结案',
        titleEn: 'The incident has been closed by the regulator',
        link: `/products/${row.product_id}`,
      },
    ]);
    return incidentView(trx, closed);
  });
}

/** `GET /monitoring/incidents` (reviewer): newest first, `?status=open|closed`. */
export async function listIncidents(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { status?: 'open' | 'closed'; limit: number; cursor?: string },
): Promise<{ items: IncidentT[]; nextCursor: string | null }> {
  assertCan(ctx.principal, 'monitoring.queue', systemResource('incident'));
  const after = decodeCursor(input.cursor, 2, ([at, id]) => typeof at === 'string' && typeof id === 'string');
  let query = deps.db.selectFrom('incidents').selectAll();
  if (input.status !== undefined) query = query.where('status', '=', input.status);
  if (after !== undefined) {
    const [at, id] = after as [string, string];
    const atDate = new Date(at);
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', atDate), eb.and([eb('created_at', '=', atDate), eb('id', '<', id)])]),
    );
  }
  const rows = (await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1)
    .execute()) as unknown as IncidentRow[];
  const page = rows.slice(0, input.limit);
  const items = [];
  for (const row of page) items.push(await incidentView(deps.db, row));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor([iso(last.created_at), last.id]) : null,
  };
}
