import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { periodStatusAt } from '../../domain/statistics.ts';
import type { StatisticsPeriodsTable, StatisticsReturnsTable } from './tables.ts';
import type { StatisticsPeriod, StatisticsReturn } from './types.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

const iso = (value: Date | string) => new Date(value).toISOString();

export function toPeriod(row: Selectable<StatisticsPeriodsTable>, today: string): StatisticsPeriod {
  const publishedAt = row.published_at === null ? null : iso(row.published_at);
  return {
    code: row.code,
    title: row.title,
    titleEn: row.title_en,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    dueDate: row.due_date,
    dueDateProvisional: false,
    catalogueVersion: row.catalogue_version,
    status: periodStatusAt({ opensOn: row.opens_on, closesOn: row.closes_on, publishedAt }, today),
    publishedAt,
    createdAt: iso(row.created_at),
    version: row.version,
  };
}

export function toReturn(row: Selectable<StatisticsReturnsTable>): StatisticsReturn {
  return {
    period: row.period_code,
    organizationId: row.organization_id,
    district: row.district,
    employees: row.employees,
    aiEmployees: row.ai_employees,
    revenue: Number(row.revenue),
    aiRevenue: Number(row.ai_revenue),
    rdExpenditure: Number(row.rd_expenditure),
    byCategory: row.by_category,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function findPeriodRow(db: Executor, code: string) {
  return db.selectFrom('statistics_periods').selectAll().where('code', '=', code).executeTakeFirst();
}

/** SELECT … FOR UPDATE: returns and the publication of one period are serialised on its row. */
export async function lockPeriodRow(trx: Transaction<Database>, code: string) {
  return trx.selectFrom('statistics_periods').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

/** Newest first (by opening day, then code), `limit` rows after the cursor position. */
export async function listPeriodRows(
  db: Executor,
  options: { after?: { opensOn: string; code: string }; limit: number },
) {
  let query = db.selectFrom('statistics_periods').selectAll();
  const { after } = options;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('opens_on', '<', after.opensOn),
        eb.and([eb('opens_on', '=', after.opensOn), eb('code', '>', after.code)]),
      ]),
    );
  }
  return query.orderBy('opens_on', 'desc').orderBy('code', 'asc').limit(options.limit).execute();
}

export async function findReturnRow(db: Executor, periodCode: string, organizationId: string) {
  return db
    .selectFrom('statistics_returns')
    .selectAll()
    .where('period_code', '=', periodCode)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}
