/**
 * Tracking reports (medium / low risk, after an accepted disclosure) and monitoring reports
 * (high risk, after an approved assessment): the periods of API-CONTRACT-2 §1, submission,
 * the reviewer's list, and the scheduler's sweep that fires reminders, W5 and W6.
 */
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { shanghaiDate, type WorkingDayCalendar } from '../../lib/calendar.ts';
import {
  decisionConditionProblems,
  metricThresholds,
  submittedMetricProblems,
  type DecisionCondition,
} from '../../lib/metric-thresholds.ts';
import type { RiskTier } from '../../lib/risk-rules.ts';
import {
  addCalendarDays,
  firstTrackingPeriod,
  isPeriodEnded,
  nextTrackingPeriod,
  overdueFacts,
  reportIntervalMonths,
  trackingReportMoments,
  trackingReportStatus,
  REPORT_DUE_WORKING_DAYS,
  type TrackingReportKind,
  type TrackingReportStatus,
} from '../../lib/tracking-schedule.ts';
import { evaluateWarnings } from '../../lib/warning-rules.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { conflict, found, unprocessable } from '../../platform/errors.ts';
import { consume } from '../../platform/events.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { runIdempotent, type StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { systemContext, type RequestContext, type WritePreconditions } from '../../platform/request-context.ts';
import {
  confirmProvisional,
  withWorkingDayCalendar,
  type ProvisionalDeadlineOwner,
  type RecomputedDeadline,
} from '../calendar/index.ts';
import { FilingTransitioned } from '../filings/index.ts';
import { notify } from '../notifications/index.ts';
import type { ReviewerTrackingReport, SubmissionBody, TrackingReportT } from './schemas.ts';
import {
  actorOf,
  auditOf,
  findMonitoredProduct,
  isoOrNull,
  issueContextOf,
  productOr404,
  productResource,
  type MonitoredProduct,
  type MonitoringDeps,
} from './shared.ts';
import {
  currentWarningRuleset,
  issueWarnings,
  liftWarnings,
  warningFromFiring,
  warningLevelsFor,
  type IssueContext,
} from './warnings.ts';
import type { Static } from '@fastify/type-provider-typebox';

type Executor = Kysely<Database> | Transaction<Database>;

interface ReportRow {
  id: string;
  product_id: string;
  organization_id: string;
  kind: string;
  period_start: string;
  period_end: string;
  due_date: string;
  due_date_provisional: boolean;
  submitted_at: Date | string | null;
  active_users: string | number | null;
  incident_count: string | number | null;
  complaints_received: string | number | null;
  material_changes: string | null;
  metrics: Array<{ key: string; value: number }> | null;
  reminder_sent: boolean;
  overdue_warned: boolean;
  escalated: boolean;
}

const numberOrNull = (value: string | number | null): number | null => (value === null ? null : Number(value));

export function toTrackingReport(row: ReportRow, now: Date): TrackingReportT {
  const submittedAt = row.submitted_at === null ? null : new Date(row.submitted_at);
  return {
    id: row.id,
    productId: row.product_id,
    kind: row.kind as TrackingReportKind,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    dueDate: row.due_date,
    dueDateProvisional: row.due_date_provisional,
    status: trackingReportStatus({ periodEnd: row.period_end, dueDate: row.due_date, submittedAt }, now),
    submittedAt: isoOrNull(submittedAt),
    activeUsers: numberOrNull(row.active_users),
    incidentCount: numberOrNull(row.incident_count),
    complaintsReceived: numberOrNull(row.complaints_received),
    materialChanges: row.material_changes,
    metrics: row.metrics ?? [],
  };
}

function monthsFor(kind: TrackingReportKind, tier: RiskTier): number | undefined {
  try {
    return reportIntervalMonths(kind, tier);
  } catch {
    return undefined;
  }
}

async function insertPeriod(
  trx: Transaction<Database>,
  calendar: WorkingDayCalendar,
  product: MonitoredProduct,
  kind: TrackingReportKind,
  period: { periodStart: string; periodEnd: string; dueDate: string; dueDateProvisional: boolean },
  filingId: string | null,
  now: Date,
): Promise<string | undefined> {
  if (period.dueDateProvisional) await confirmProvisional(trx, calendar, period.periodEnd, period.dueDate);
  const row = await trx
    .insertInto('tracking_reports')
    .values({
      id: newId(),
      product_id: product.id,
      organization_id: product.organizationId,
      kind,
      period_start: period.periodStart,
      period_end: period.periodEnd,
      due_date: period.dueDate,
      due_date_provisional: period.dueDateProvisional,
      submitted_at: null,
      submitted_by: null,
      active_users: null,
      incident_count: null,
      complaints_received: null,
      material_changes: null,
      metrics: null,
      source_filing_id: filingId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['product_id', 'kind', 'period_start']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Opens the product's first period of `kind` at `openedAt` (the decision instant), unless a
 * report of that kind is still open (a decision replacing an earlier one keeps the running
 * cycle). Runs in the outbox consumer's transaction: exactly once per decision.
 */
export async function openReportingCycle(
  trx: Transaction<Database>,
  deps: MonitoringDeps,
  input: { productId: string; kind: TrackingReportKind; openedAt: Date; filingId: string | null },
): Promise<string | undefined> {
  const product = await findMonitoredProduct(trx, input.productId, true);
  if (product === undefined) return undefined;
  const months = monthsFor(input.kind, product.tier);
  if (months === undefined) return undefined;
  const open = await trx
    .selectFrom('tracking_reports')
    .select('id')
    .where('product_id', '=', product.id)
    .where('kind', '=', input.kind)
    .where('submitted_at', 'is', null)
    .executeTakeFirst();
  if (open !== undefined) return undefined;
  const now = deps.clock.now();
  return withWorkingDayCalendar(deps, async (calendar) => {
    const period = firstTrackingPeriod(calendar, input.openedAt, months);
    const id = await insertPeriod(trx, calendar, product, input.kind, period, input.filingId, now);
    if (id !== undefined) {
      await recordAudit(
        trx,
        { principal: systemContext().principal, requestId: null, clock: deps.clock },
        {
          action: 'tracking_report.opened',
          resourceType: 'tracking_report',
          resourceId: id,
          organizationId: product.organizationId,
          summary: { productId: product.id, kind: input.kind, ...period, filingId: input.filingId },
        },
      );
    }
    return id;
  });
}

/**
 * Outbox consumers: an accepted disclosure opens the tracking cycle, an approved assessment
 * (either approval outcome) the monitoring cycle. The decision instant is the filing's
 * `decided_at`.
 */
export function decisionConsumers(deps: MonitoringDeps) {
  const handler =
    (kind: TrackingReportKind) =>
    async (
      trx: Transaction<Database>,
      payload: { filingId: string; productId: string },
      event: { createdAt: Date },
    ) => {
      const filing = await trx
        .selectFrom('filings')
        .select(['decided_at'])
        .where('id', '=', payload.filingId)
        .executeTakeFirst();
      const openedAt = filing?.decided_at == null ? event.createdAt : new Date(filing.decided_at);
      await openReportingCycle(trx, deps, { productId: payload.productId, kind, openedAt, filingId: payload.filingId });
    };
  return [
    consume(FilingTransitioned.accepted, handler('tracking')),
    consume(FilingTransitioned.approved, handler('monitoring')),
    consume(FilingTransitioned.approved_with_conditions, handler('monitoring')),
  ];
}

const REPORT_COLUMNS = [
  'id',
  'product_id',
  'organization_id',
  'kind',
  'period_start',
  'period_end',
  'due_date',
  'due_date_provisional',
  'submitted_at',
  'active_users',
  'incident_count',
  'complaints_received',
  'material_changes',
  'metrics',
  'reminder_sent',
  'overdue_warned',
  'escalated',
] as const;

/** `GET /products/{id}/tracking-reports`: every report of the product, oldest period first. */
export async function listProductReports(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { productId: string },
): Promise<{ items: TrackingReportT[] }> {
  const product = await productOr404(deps.db, input.productId);
  assertCan(ctx.principal, 'monitoring.read', productResource(product));
  const rows = await deps.db
    .selectFrom('tracking_reports')
    .select(REPORT_COLUMNS)
    .where('product_id', '=', product.id)
    .orderBy('period_start')
    .orderBy('kind')
    .execute();
  const now = deps.clock.now();
  return { items: rows.map((row) => toTrackingReport(row as ReportRow, now)) };
}

/** The metric thresholds of the product's latest decision with conditions. */
async function thresholdsOf(trx: Executor, productId: string) {
  const decision = await trx
    .selectFrom('filing_decisions')
    .innerJoin('filings', 'filings.id', 'filing_decisions.filing_id')
    .select(['filing_decisions.conditions'])
    .where('filings.product_id', '=', productId)
    .where('filing_decisions.outcome', '!=', 'rejected')
    .orderBy('filing_decisions.decided_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const conditions = (decision?.conditions ?? []) as unknown[];
  // Only conditions that are valid on their own count (strings carry no threshold).
  const valid = conditions.filter((condition) => decisionConditionProblems([condition]).length === 0);
  return metricThresholds(valid as DecisionCondition[]);
}

/**
 * `POST /tracking-reports/{id}/submission`: before the period ends → 422
 * `period_not_ended`; a second time → 409 `report_already_submitted`. Opens the next period,
 * lifts the report's W5/W6 warnings and checks the metrics against the decision's
 * thresholds (W7) — all in one transaction.
 */
export async function submitReport(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { id: string; body: SubmissionBody } & WritePreconditions,
): Promise<StoredResponse<TrackingReportT>> {
  const { id, body } = input;
  const head = found(
    await deps.db
      .selectFrom('tracking_reports')
      .select(['product_id', 'organization_id'])
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  assertCan(ctx.principal, 'trackingReports.submit', {
    type: 'product',
    id: head.product_id,
    organizationId: head.organization_id,
  });
  const metrics = body.metrics ?? [];
  const problems = submittedMetricProblems(metrics);
  if (problems.length > 0) {
    throw unprocessable('invalid_metrics', {
      detail: { zh: '指标填报有误', en: 'The metrics are not valid' },
      errors: problems.map((problem) => ({
        pointer: `/metrics${problem.pointer}`,
        message: { zh: problem.messageZh, en: problem.message },
      })),
    });
  }
  const actorId = actorOf(ctx);
  const scope = `trackingReports.submit:${actorId ?? 'anonymous'}`;
  return withWorkingDayCalendar(deps, (calendar) =>
    runIdempotent(deps.db, deps.clock, { key: input.idempotencyKey, scope, fingerprint: { id, body } }, async (trx) => {
      const product = await productOr404(trx, head.product_id, true);
      const row = found(
        (await trx
          .selectFrom('tracking_reports')
          .select(REPORT_COLUMNS)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()) as ReportRow | undefined,
      );
      const now = deps.clock.now();
      if (row.submitted_at !== null) {
        throw conflict('report_already_submitted', {
          detail: { zh: '该报告已提交，不能重复提交', en: 'This report has already been submitted' },
        });
      }
      if (!isPeriodEnded({ periodEnd: row.period_end }, now)) {
        throw unprocessable('period_not_ended', {
          detail: {
            zh: `报告期至 ${row.period_end} 结束，${addCalendarDays(row.period_end, 1)} 起方可提交`,
            en: `The period ends on ${row.period_end}; the report is accepted from ${addCalendarDays(row.period_end, 1)}`,
          },
        });
      }
      const updated = (await trx
        .updateTable('tracking_reports')
        .set({
          submitted_at: now,
          submitted_by: actorId,
          active_users: body.activeUsers,
          incident_count: body.incidentCount,
          complaints_received: body.complaintsReceived,
          material_changes: body.materialChanges,
          metrics: JSON.stringify(metrics),
          updated_at: now,
          version: sql`version + 1`,
        })
        .where('id', '=', id)
        .returning(REPORT_COLUMNS)
        .executeTakeFirstOrThrow()) as ReportRow;
      const kind = row.kind as TrackingReportKind;
      const months = monthsFor(kind, product.tier) ?? (kind === 'monitoring' ? 3 : 12);
      const next = nextTrackingPeriod(calendar, { periodEnd: row.period_end }, months);
      await insertPeriod(trx, calendar, product, kind, next, null, now);
      const audit = auditOf(deps, ctx);
      await recordAudit(trx, audit, {
        action: 'tracking_report.submitted',
        resourceType: 'tracking_report',
        resourceId: id,
        organizationId: product.organizationId,
        summary: {
          productId: product.id,
          kind,
          periodEnd: row.period_end,
          dueDate: row.due_date,
          late: shanghaiDate(now) > row.due_date,
          metrics: metrics.length,
          nextPeriod: next,
        },
      });
      const issue = issueContextOf(deps, ctx);
      // W5 / W6 lift themselves when the report is submitted.
      const selfLifting = await trx
        .selectFrom('warnings')
        .select('id')
        .where('tracking_report_id', '=', id)
        .where('lifted_by_rule', '=', 'report_submission')
        .where('lifted_at', 'is', null)
        .execute();
      await liftWarnings(
        trx,
        issue,
        product,
        selfLifting.map((w) => w.id),
        '报告已提交 / report submitted',
      );
      const ruleset = await currentWarningRuleset();
      const firings = evaluateWarnings(ruleset, {
        type: 'tracking_report_submitted',
        report: { kind, periodStart: row.period_start, periodEnd: row.period_end },
        metrics,
        thresholds: await thresholdsOf(trx, product.id),
      });
      await issueWarnings(
        trx,
        issue,
        product,
        firings.map((firing) => warningFromFiring(firing, { trackingReportId: id })),
      );
      return { status: 200, body: toTrackingReport(updated, now) };
    }),
  );
}

type ReviewerItem = Static<typeof ReviewerTrackingReport>;

/** `GET /monitoring/tracking-reports?status=`: every organisation's, by due date. */
export async function listReportsForReviewer(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { status?: TrackingReportStatus; limit: number; cursor?: string },
): Promise<{ items: ReviewerItem[]; nextCursor: string | null }> {
  assertCan(ctx.principal, 'monitoring.queue', systemResource('tracking_report'));
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const after = decodeCursor(input.cursor, 2, ([date, id]) => typeof date === 'string' && typeof id === 'string');
  let query = deps.db
    .selectFrom('tracking_reports')
    .innerJoin('products', 'products.id', 'tracking_reports.product_id')
    .select(REPORT_COLUMNS.map((column) => `tracking_reports.${column}` as const))
    .select(['products.name as product_name']);
  switch (input.status) {
    case 'submitted':
      query = query.where('tracking_reports.submitted_at', 'is not', null);
      break;
    case 'upcoming':
      query = query
        .where('tracking_reports.submitted_at', 'is', null)
        .where('tracking_reports.period_end', '>=', today);
      break;
    case 'due':
      query = query
        .where('tracking_reports.submitted_at', 'is', null)
        .where('tracking_reports.period_end', '<', today)
        .where('tracking_reports.due_date', '>=', today);
      break;
    case 'overdue':
      query = query.where('tracking_reports.submitted_at', 'is', null).where('tracking_reports.due_date', '<', today);
      break;
    case undefined:
      break;
  }
  if (after !== undefined) {
    const [date, id] = after as [string, string];
    query = query.where((eb) =>
      eb.or([
        eb('tracking_reports.due_date', '>', date),
        eb.and([eb('tracking_reports.due_date', '=', date), eb('tracking_reports.id', '>', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('tracking_reports.due_date')
    .orderBy('tracking_reports.id')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const levels = await warningLevelsFor(deps.db, [...new Set(page.map((row) => row.product_id))]);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      ...toTrackingReport(row as unknown as ReportRow, now),
      organizationId: row.organization_id,
      productName: row.product_name,
      warningLevel: levels.get(row.product_id) ?? null,
    })),
    nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor([last.due_date, last.id]) : null,
  };
}

// ---------------------------------------------------------------------------------------
// The scheduler's sweep

export interface SweepResult {
  reminders: number;
  warnings: number;
}

const SWEEP_BATCH = 500;

/**
 * Fires what time has made due: the reminder 10 working days before `dueDate`, W5 the day
 * after it, W6 past 20 working days. Each report is handled in its own transaction with the
 * product and report rows locked and its flag re-checked, and the (report, rule) unique
 * index backs it: with several instances sweeping at once every moment fires exactly once.
 * Moments passed while the server was down fire on the first sweep (run at start-up).
 */
export async function sweepTrackingReports(deps: MonitoringDeps, log?: FastifyBaseLogger): Promise<SweepResult> {
  const result: SweepResult = { reminders: 0, warnings: 0 };
  const today = shanghaiDate(deps.clock.now());
  const ruleset = await currentWarningRuleset();
  const overdueRules = ruleset.rules.filter((rule) => rule.on === 'tracking_report_overdue').map((rule) => rule.id);
  const context: IssueContext = {
    deps,
    audit: { principal: systemContext().principal, requestId: null, clock: deps.clock },
    actorId: null,
  };

  // Overdue (W5) and long overdue (W6; more than 20 working days is at least 21 calendar days).
  const overdue = await deps.db
    .selectFrom('tracking_reports')
    .select('id')
    .where('submitted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('overdue_warned', '=', false), eb('due_date', '<', today)]),
        eb.and([eb('escalated', '=', false), eb('due_date', '<', addCalendarDays(today, -20))]),
      ]),
    )
    .orderBy('due_date')
    .limit(SWEEP_BATCH)
    .execute();
  for (const { id } of overdue) {
    try {
      result.warnings += await withWorkingDayCalendar(deps, (calendar) =>
        deps.db.transaction().execute((trx) => fireOverdue(trx, context, calendar, id, overdueRules)),
      );
    } catch (error) {
      log?.error({ err: error, trackingReportId: id }, 'monitoring: overdue warning failed; retried on the next sweep');
    }
  }

  // Reminders: 10 working days before dueDate (at most 20 calendar days before it, plus holidays).
  const reminding = await deps.db
    .selectFrom('tracking_reports')
    .select('id')
    .where('submitted_at', 'is', null)
    .where('reminder_sent', '=', false)
    .where('due_date', '<=', addCalendarDays(today, 40))
    .orderBy('due_date')
    .limit(SWEEP_BATCH)
    .execute();
  for (const { id } of reminding) {
    try {
      result.reminders += await withWorkingDayCalendar(deps, (calendar) =>
        deps.db.transaction().execute((trx) => remind(trx, deps, calendar, id)),
      );
    } catch (error) {
      log?.error({ err: error, trackingReportId: id }, 'monitoring: reminder failed; retried on the next sweep');
    }
  }
  return result;
}

async function lockOpenReport(trx: Transaction<Database>, id: string) {
  const head = await trx.selectFrom('tracking_reports').select('product_id').where('id', '=', id).executeTakeFirst();
  if (head === undefined) return undefined;
  const product = await findMonitoredProduct(trx, head.product_id, true);
  const row = (await trx
    .selectFrom('tracking_reports')
    .select(REPORT_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()) as ReportRow | undefined;
  if (product === undefined || row === undefined || row.submitted_at !== null) return undefined;
  return { product, row };
}

async function fireOverdue(
  trx: Transaction<Database>,
  context: IssueContext,
  calendar: WorkingDayCalendar,
  id: string,
  overdueRules: readonly string[],
): Promise<number> {
  const locked = await lockOpenReport(trx, id);
  if (locked === undefined) return 0;
  const { product, row } = locked;
  const today = shanghaiDate(context.deps.clock.now());
  if (row.due_date >= today) return 0;
  const facts = overdueFacts(calendar, row.due_date, today);
  const ruleset = await currentWarningRuleset();
  const firings = evaluateWarnings(ruleset, {
    type: 'tracking_report_overdue',
    report: {
      kind: row.kind as TrackingReportKind,
      periodStart: row.period_start,
      periodEnd: row.period_end,
      dueDate: row.due_date,
    },
    overdue: { overdueDays: facts.overdueDays, overdueWorkingDays: facts.overdueWorkingDays },
  });
  const issued = await issueWarnings(
    trx,
    context,
    product,
    firings.map((firing) => warningFromFiring(firing, { trackingReportId: id })),
  );
  const fired = new Set(
    (await trx.selectFrom('warnings').select('rule_id').where('tracking_report_id', '=', id).execute()).map(
      (w) => w.rule_id,
    ),
  );
  await trx
    .updateTable('tracking_reports')
    .set({ overdue_warned: true, escalated: overdueRules.every((rule) => fired.has(rule)) })
    .where('id', '=', id)
    .execute();
  return issued.length;
}

async function remind(
  trx: Transaction<Database>,
  deps: MonitoringDeps,
  calendar: WorkingDayCalendar,
  id: string,
): Promise<number> {
  const locked = await lockOpenReport(trx, id);
  if (locked === undefined || locked.row.reminder_sent) return 0;
  const { product, row } = locked;
  const today = shanghaiDate(deps.clock.now());
  const moments = trackingReportMoments(calendar, {
    dueDate: row.due_date,
    dueDateProvisional: row.due_date_provisional,
  });
  if (moments.reminder.date > today) return 0;
  await trx.updateTable('tracking_reports').set({ reminder_sent: true }).where('id', '=', id).execute();
  if (today > row.due_date) return 0; // already overdue: W5 speaks instead
  const name =
    row.kind === 'monitoring' ? { zh: '监测报告', en: 'monitoring report' } : { zh: '跟踪报告', en: 'tracking report' };
  await notify(trx, deps.clock, [
    {
      target: { organizationId: product.organizationId },
      kind: 'tracking_report.reminder',
      titleZh: `${product.name} 的${name.zh}（${row.period_start} 至 ${row.period_end}）须于 ${row.due_date}${row.due_date_provisional ? '（暂定）' : ''} 前提交`,
      titleEn: `The ${name.en} of ${product.nameEn ?? product.name} (${row.period_start} – ${row.period_end}) is due ${row.due_date}${row.due_date_provisional ? ' (provisional)' : ''}`,
      link: `/products/${product.id}`,
    },
  ]);
  return 1;
}

// ---------------------------------------------------------------------------------------
// Provisional due dates (API-CONTRACT-2 §0)

/** Open reports and unanswered public reports whose due date counted a year without a calendar. */
export const monitoringDeadlines: ProvisionalDeadlineOwner = {
  name: 'monitoring',
  async recompute(trx, calendar, context) {
    const changes: RecomputedDeadline[] = [];
    const audit: AuditContext = context.audit;
    const reports = await trx
      .selectFrom('tracking_reports')
      .innerJoin('products', 'products.id', 'tracking_reports.product_id')
      .select([
        'tracking_reports.id',
        'tracking_reports.organization_id',
        'tracking_reports.period_end',
        'tracking_reports.due_date',
        'products.name',
      ])
      .where('tracking_reports.due_date_provisional', '=', true)
      .where('tracking_reports.submitted_at', 'is', null)
      .forUpdate()
      .execute();
    for (const report of reports) {
      const due = calendar.addWorkingDaysProvisional(report.period_end, REPORT_DUE_WORKING_DAYS);
      await trx
        .updateTable('tracking_reports')
        .set({ due_date: due.date, due_date_provisional: due.provisional, updated_at: context.clock.now() })
        .where('id', '=', report.id)
        .execute();
      await recordAudit(trx, audit, {
        action: 'tracking_report.due_date_recomputed',
        resourceType: 'tracking_report',
        resourceId: report.id,
        organizationId: report.organization_id,
        summary: {
          year: context.year,
          dueDateBefore: report.due_date,
          dueDate: due.date,
          dueDateProvisional: due.provisional,
        },
      });
      if (due.date !== report.due_date) {
        await notify(trx, context.clock, [
          {
            target: { organizationId: report.organization_id },
            kind: 'tracking_report.due_date_recomputed',
            titleZh: `${context.year} 年工作日历已发布，${report.name} 的报告截止日更新为 ${due.date}`,
            titleEn: `The ${context.year} calendar is published; the report of ${report.name} is now due ${due.date}`,
          },
        ]);
      }
      changes.push({
        resourceType: 'tracking_report',
        resourceId: report.id,
        subject: report.name,
        dueDateBefore: report.due_date,
        dueDate: due.date,
        dueDateProvisional: due.provisional,
      });
    }
    const publicReports = await trx
      .selectFrom('public_reports')
      .innerJoin('products', 'products.id', 'public_reports.product_id')
      .select([
        'public_reports.id',
        'public_reports.organization_id',
        'public_reports.submitted_date',
        'public_reports.due_date',
        'products.name',
      ])
      .where('public_reports.due_date_provisional', '=', true)
      .where('public_reports.responded_at', 'is', null)
      .forUpdate()
      .execute();
    for (const report of publicReports) {
      const due = calendar.addWorkingDaysProvisional(report.submitted_date, 10);
      await trx
        .updateTable('public_reports')
        .set({ due_date: due.date, due_date_provisional: due.provisional })
        .where('id', '=', report.id)
        .execute();
      await recordAudit(trx, audit, {
        action: 'public_report.due_date_recomputed',
        resourceType: 'public_report',
        resourceId: report.id,
        organizationId: report.organization_id,
        summary: {
          year: context.year,
          dueDateBefore: report.due_date,
          dueDate: due.date,
          dueDateProvisional: due.provisional,
        },
      });
      changes.push({
        resourceType: 'public_report',
        resourceId: report.id,
        subject: report.name,
        dueDateBefore: report.due_date,
        dueDate: due.date,
        dueDateProvisional: due.provisional,
      });
    }
    return changes;
  },
  async countOpen(db) {
    const [a, b] = await Promise.all([
      db
        .selectFrom('tracking_reports')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('due_date_provisional', '=', true)
        .where('submitted_at', 'is', null)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('public_reports')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('due_date_provisional', '=', true)
        .where('responded_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return Number(a.n) + Number(b.n);
  },
};
