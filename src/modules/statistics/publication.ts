/**
 * Publication of a period (API-CONTRACT-2 §5): aggregate the returns into the ai-revenue
 * table (districts × level-2 codes, with totals), protect it (primary rules, secondary
 * suppression, the exact LP audit: src/lib/disclosure-control.ts, docs/disclosure-control.md),
 * and store the published tables with the period closed and its returns frozen — all in one
 * transaction holding the period's row, so it is all or nothing.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AMOUNT_UNIT, DISTRICT_CODES } from '../../domain/statistics.ts';
import { toCsvLine } from '../../lib/csv.ts';
import {
  aggregateContributions,
  DisclosureAuditError,
  loadLpSolver,
  primaryRule,
  protectTable,
  TOTAL,
  type AggregatedTable,
  type Contribution,
  type ProtectionResult,
} from '../../lib/disclosure-control.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, found, notFound } from '../../platform/errors.ts';
import { runIdempotent, type StoredResponse } from '../../platform/idempotency.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { auditContext, type RequestContext, type WritePreconditions } from '../../platform/request-context.ts';
import { StatisticsPeriodPublished } from './events.ts';
import { findPeriodRow, lockPeriodRow, toPeriod, type Executor } from './repo.ts';
import { levelTwoCodes, todayOf } from './service.ts';
import type { AiRevenueTable, EnterprisesTable, PublicationMethod, StatisticsPeriod, StoredAudit } from './types.ts';

registerProblemTitles({
  period_already_published: { zh: '统计报告期已发布', en: 'The reporting period is published already' },
  disclosure_audit_failed: {
    zh: '统计表未通过保密审核，未予发布',
    en: 'The table failed its disclosure audit and was not published',
  },
  period_not_published: { zh: '统计报告期尚未发布', en: 'The reporting period is not published' },
});

/** What the secondary suppression minimises (the library's default), said in words. */
const METHOD = {
  secondary:
    'one primary position at a time, largest first: complement LP with dynamic slope scaling, pruned by the exact attacker LP; final exact LP audit',
  cost: 'Σ value^0.5 over the suppressed positions (tau-ARGUS cost with λ = 0.5)',
} as const;

export interface ProtectedPeriod {
  table: AggregatedTable;
  protection: ProtectionResult;
  returns: number;
  method: PublicationMethod;
}

/** Reads the period's returns and protects its ai-revenue table; throws DisclosureAuditError if no pattern passes. */
export async function protectPeriod(db: Executor, period: { code: string; catalogue_version: string }) {
  const columns = await levelTwoCodes(db, period.catalogue_version);
  const rows = await db
    .selectFrom('statistics_returns')
    .select(['organization_id', 'district', 'by_category'])
    .where('period_code', '=', period.code)
    .execute();
  const contributions: Contribution[] = [];
  for (const row of rows) {
    for (const entry of row.by_category) {
      if (entry.aiRevenue > 0) {
        contributions.push({
          contributor: row.organization_id,
          row: row.district,
          column: entry.catalogueCode,
          amount: entry.aiRevenue,
        });
      }
    }
  }
  const table = aggregateContributions({ rows: DISTRICT_CODES, columns, contributions });
  const lp = await loadLpSolver();
  const protection = protectTable(lp, table);
  const method: PublicationMethod = {
    ...METHOD,
    solver: `HiGHS ${lp.version} (highs-js, WebAssembly)`,
    primaryCount: protection.primaryCount,
    secondaryCount: protection.secondaryCount,
    secondaryValue: protection.secondaryValue,
  };
  return { table, protection, returns: rows.length, method } satisfies ProtectedPeriod;
}

function auditFailed(error: DisclosureAuditError) {
  return conflict('disclosure_audit_failed', {
    detail: {
      zh: `统计表有 ${error.audit.failures.length} 个保密单元格未能得到充分保护，未予发布`,
      en: `${error.audit.failures.length} confidential value(s) could not be protected; nothing was published`,
    },
    cause: error,
  });
}

function enterprisesTable(table: AggregatedTable): Omit<EnterprisesTable, 'period'> {
  // Organisations with a non-zero amount: exactly the contributors the primary rules count.
  const byKey = new Map(table.positions.map((p, index) => [`${p.row}|${p.column}`, table.contributors[index]!]));
  const at = (row: string, column: string) => byKey.get(`${row}|${column}`)!;
  return {
    rows: [...table.rows],
    columns: [...table.columns],
    cells: table.rows.flatMap((row) => table.columns.map((column) => ({ row, column, count: at(row, column) }))),
    rowTotals: table.rows.map((row) => ({ row, count: at(row, TOTAL) })),
    columnTotals: table.columns.map((column) => ({ column, count: at(TOTAL, column) })),
    grandTotal: { count: at(TOTAL, TOTAL) },
  };
}

function storedAudit(protection: ProtectionResult): StoredAudit {
  return {
    passes: protection.audit.passes,
    intervals: protection.audit.intervals.map((interval) => ({
      row: interval.row,
      column: interval.column,
      status: interval.status,
      lower: interval.lower,
      upper: Number.isFinite(interval.upper) ? interval.upper : null,
      isProtected: interval.isProtected,
    })),
  };
}

/** The statistician's preview: true values, statuses and why each suppressed position is suppressed. Nothing is stored. */
export async function previewPublication(deps: AppDeps, context: RequestContext, input: { code: string }) {
  assertCan(context.principal, 'statistics.publish', systemResource('statistics_period'));
  const period = found(await findPeriodRow(deps.db, input.code));
  let result: ProtectedPeriod;
  try {
    result = await protectPeriod(deps.db, period);
  } catch (error) {
    if (error instanceof DisclosureAuditError) throw auditFailed(error);
    throw error;
  }
  const { table, protection } = result;
  const intervals = new Map(protection.audit.intervals.map((interval) => [interval.position, interval]));
  const entry = (position: number) => {
    const status = protection.statuses[position]!;
    const interval = intervals.get(position);
    return {
      value: table.values[position]!,
      status,
      reason:
        status === 'D'
          ? ('secondary' as const)
          : status === 'C'
            ? (primaryRule({
                total: table.values[position]!,
                contributors: table.contributors[position]!,
                largest: table.largest[position]!,
                secondLargest: table.secondLargest[position]!,
              }) ?? null)
            : null,
      contributors: table.contributors[position]!,
      lower: interval?.lower ?? null,
      upper: interval === undefined || !Number.isFinite(interval.upper) ? null : interval.upper,
    };
  };
  const indexOf = new Map(table.positions.map((p, index) => [`${p.row}|${p.column}`, index]));
  const at = (row: string, column: string) => entry(indexOf.get(`${row}|${column}`)!);
  return {
    period: period.code,
    unit: AMOUNT_UNIT,
    returns: result.returns,
    rows: [...table.rows],
    columns: [...table.columns],
    cells: table.rows.flatMap((row) => table.columns.map((column) => ({ row, column, ...at(row, column) }))),
    rowTotals: table.rows.map((row) => ({ row, ...at(row, TOTAL) })),
    columnTotals: table.columns.map((column) => ({ column, ...at(TOTAL, column) })),
    grandTotal: at(TOTAL, TOTAL),
    method: result.method,
    auditPasses: protection.audit.passes,
  };
}

export interface PublicationSummary {
  period: StatisticsPeriod;
  returns: number;
  primaryCount: number;
  secondaryCount: number;
  auditPasses: boolean;
  tables: { aiRevenue: string; enterprises: string };
}

async function publishInTransaction(
  deps: AppDeps,
  context: RequestContext,
  trx: Transaction<Database>,
  code: string,
): Promise<PublicationSummary> {
  const period = found(await lockPeriodRow(trx, code));
  if (period.published_at !== null) {
    throw conflict('period_already_published', {
      detail: {
        zh: `统计报告期 ${code} 已于 ${new Date(period.published_at).toISOString()} 发布`,
        en: `Reporting period ${code} was published at ${new Date(period.published_at).toISOString()}`,
      },
    });
  }
  let result: ProtectedPeriod;
  try {
    result = await protectPeriod(trx, period);
  } catch (error) {
    if (error instanceof DisclosureAuditError) throw auditFailed(error);
    throw error;
  }
  const now = deps.clock.now();
  const { published, statuses } = result.protection;
  await trx
    .insertInto('statistics_publications')
    .values({
      period_code: code,
      published_at: now,
      returns: result.returns,
      ai_revenue_table: JSON.stringify(published),
      enterprises_table: JSON.stringify(enterprisesTable(result.table)),
      audit: JSON.stringify(storedAudit(result.protection)),
      method: JSON.stringify(result.method),
    })
    .execute();
  const userId = context.principal.kind === 'user' ? context.principal.userId : null;
  const updated = await trx
    .updateTable('statistics_periods')
    .set({ published_at: now, published_by: userId, version: period.version + 1 })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirstOrThrow();
  const summary = {
    returns: result.returns,
    primaryCount: result.protection.primaryCount,
    secondaryCount: result.protection.secondaryCount,
  };
  await recordAudit(trx, auditContext(context, deps.clock), {
    action: 'statistics.period_published',
    resourceType: 'statistics_period',
    resourceId: code,
    organizationId: null,
    summary: {
      ...summary,
      suppressed: statuses.flatMap((status, position) =>
        status === 'F'
          ? []
          : [`${result.table.positions[position]!.row}/${result.table.positions[position]!.column}:${status}`],
      ),
      solver: result.method.solver,
    },
  });
  await enqueueEvent(trx, deps.clock, StatisticsPeriodPublished, code, {
    code,
    publishedAt: now.toISOString(),
    ...summary,
  });
  return {
    period: toPeriod(updated, todayOf(deps)),
    ...summary,
    auditPasses: true,
    tables: {
      aiRevenue: `/api/v1/public/statistics/periods/${code}/tables/ai-revenue`,
      enterprises: `/api/v1/public/statistics/periods/${code}/tables/enterprises`,
    },
  };
}

/**
 * Publishes a period (statistician, any time): protect, audit, store, close — one transaction.
 * A second publication → 409 `period_already_published`; a table that fails its own audit →
 * 409 `disclosure_audit_failed` and nothing changes. With an Idempotency-Key a retry replays.
 */
export async function publishPeriod(
  deps: AppDeps,
  context: RequestContext,
  input: { code: string; preconditions: WritePreconditions },
): Promise<StoredResponse<PublicationSummary>> {
  assertCan(context.principal, 'statistics.publish', systemResource('statistics_period'));
  const actor = context.principal.kind === 'user' ? context.principal.userId : 'anonymous';
  return runIdempotent(
    deps.db,
    deps.clock,
    {
      key: input.preconditions.idempotencyKey,
      scope: `statistics.publish:${actor}`,
      fingerprint: { code: input.code },
    },
    async (trx) => ({ status: 200, body: await publishInTransaction(deps, context, trx, input.code) }),
  );
}

async function publicationRow(deps: AppDeps, code: string) {
  const row = await deps.db
    .selectFrom('statistics_publications')
    .select(['period_code', 'ai_revenue_table', 'enterprises_table'])
    .where('period_code', '=', code)
    .executeTakeFirst();
  if (row === undefined) {
    throw notFound({
      detail: { zh: `统计报告期 ${code} 不存在或尚未发布`, en: `Period ${code} does not exist or is not published` },
    });
  }
  return row;
}

export async function readAiRevenueTable(
  deps: AppDeps,
  context: RequestContext,
  input: { code: string },
): Promise<AiRevenueTable> {
  assertCan(context.principal, 'statistics.tables.read', systemResource('statistics_table'));
  const row = await publicationRow(deps, input.code);
  return { period: row.period_code, unit: AMOUNT_UNIT, ...row.ai_revenue_table };
}

export async function readEnterprisesTable(
  deps: AppDeps,
  context: RequestContext,
  input: { code: string },
): Promise<EnterprisesTable> {
  assertCan(context.principal, 'statistics.tables.read', systemResource('statistics_table'));
  const row = await publicationRow(deps, input.code);
  return { period: row.period_code, ...row.enterprises_table };
}

export const SDMX_STRUCTURE_ID = 'AIGOV:AI_REVENUE(1.0)';

/**
 * The ai-revenue table as SDMX-CSV 2.0 (`sdmx: true`: STRUCTURE, STRUCTURE_ID, ACTION, then
 * the dimensions) or as plain CSV (the same without the first three): cells, district totals
 * (AI_CATEGORY `_T`), category totals (DISTRICT `_T`), the grand total; a suppressed value empty.
 */
export function aiRevenueCsv(table: AiRevenueTable, sdmx: boolean): string {
  const prefix = sdmx ? ['dataflow', SDMX_STRUCTURE_ID, 'I'] : [];
  const lines = [
    toCsvLine([
      ...(sdmx ? ['STRUCTURE', 'STRUCTURE_ID', 'ACTION'] : []),
      'DISTRICT',
      'AI_CATEGORY',
      'TIME_PERIOD',
      'OBS_VALUE',
      'CONF_STATUS',
    ]),
  ];
  const add = (row: string, column: string, value: number | null, status: string) =>
    lines.push(toCsvLine([...prefix, row, column, table.period, value, status]));
  for (const cell of table.cells) add(cell.row, cell.column, cell.value, cell.status);
  for (const total of table.rowTotals) add(total.row, TOTAL, total.value, total.status);
  for (const total of table.columnTotals) add(TOTAL, total.column, total.value, total.status);
  add(TOTAL, TOTAL, table.grandTotal.value, table.grandTotal.status);
  return lines.join('');
}

/**
 * For the procurement module (API-CONTRACT-2 §6): the organisation's return in the most
 * recent published period — the published period with the latest `closesOn` (then the latest
 * publication) — or `undefined` when that period has no return of the organisation, or
 * nothing is published. `publishedBy` (optional): only publications at or before that instant.
 */
export async function latestStatisticsReturn(
  db: Executor,
  organizationId: string,
  options: { publishedBy?: Date } = {},
): Promise<
  | {
      period: string;
      publishedAt: string;
      employees: number;
      revenue: number;
      rdExpenditure: number;
    }
  | undefined
> {
  let query = db
    .selectFrom('statistics_periods')
    .select(['code', 'published_at'])
    .where('published_at', 'is not', null);
  if (options.publishedBy !== undefined) query = query.where('published_at', '<=', options.publishedBy);
  const latest = await query.orderBy('closes_on', 'desc').orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  if (latest === undefined || latest.published_at === null) return undefined;
  const row = await db
    .selectFrom('statistics_returns')
    .select(['employees', 'revenue', 'rd_expenditure'])
    .where('period_code', '=', latest.code)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    period: latest.code,
    publishedAt: new Date(latest.published_at).toISOString(),
    employees: row.employees,
    revenue: Number(row.revenue),
    rdExpenditure: Number(row.rd_expenditure),
  };
}
