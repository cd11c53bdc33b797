/**
 * Reporting periods and returns (API-CONTRACT-2 §5): a statistician opens a period; a member
 * of a verified organisation files one return per period, editable while the period is open
 * and unpublished; the statistician follows who has returned and who is overdue.
 */
import { sql } from 'kysely';
import { periodDateProblems, returnProblems, type StatisticsReturnFigures } from '../../domain/statistics.ts';
import { DECIDED_STATUSES } from '../../domain/products.ts';
import { shanghaiDate } from '../../lib/calendar.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, found, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { currentCatalogueVersion } from '../catalogue/index.ts';
import { StatisticsPeriodCreated, StatisticsReturnFiled } from './events.ts';
import {
  findPeriodRow,
  findReturnRow,
  listPeriodRows,
  lockPeriodRow,
  toPeriod,
  toReturn,
  type Executor,
} from './repo.ts';
import type { StatisticsPeriod, StatisticsReturn } from './types.ts';

registerProblemTitles({
  invalid_statistics_period: { zh: '统计报告期无效', en: 'Invalid reporting period' },
  period_exists: { zh: '统计报告期代码已存在', en: 'A reporting period with this code exists' },
  invalid_statistics_return: { zh: '统计报表未通过校验', en: 'The statistics return does not validate' },
  period_not_open: { zh: '统计报告期尚未开始', en: 'The reporting period is not open yet' },
  period_closed: { zh: '统计报告期已截止或已发布', en: 'The reporting period is closed or published' },
});

export function todayOf(deps: Pick<AppDeps, 'clock'>): string {
  return shanghaiDate(deps.clock.now());
}

/** The level-2 codes of a catalogue version, in catalogue order: the columns of a period's tables. */
export async function levelTwoCodes(db: Executor, version: string): Promise<string[]> {
  const rows = await db
    .selectFrom('catalogue_items')
    .select('code')
    .where('version', '=', version)
    .where('level', '=', 2)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.code);
}

export async function findPeriod(deps: AppDeps, code: string): Promise<StatisticsPeriod> {
  return toPeriod(found(await findPeriodRow(deps.db, code)), todayOf(deps));
}

/** Field problems carry both languages; the problem writer picks the user's. */
function toFieldProblems(
  problems: readonly { pointer: string; message: { zh: string; en: string } }[],
): FieldProblem[] {
  return problems.map((problem) => ({ pointer: problem.pointer, message: problem.message }));
}

export interface CreatePeriodInput {
  code: string;
  title: string;
  titleEn: string;
  opensOn: string;
  closesOn: string;
  dueDate: string;
}

/** A statistician opens a reporting period; its columns are the current catalogue's level-2 codes. */
export async function createPeriod(
  deps: AppDeps,
  context: RequestContext,
  input: CreatePeriodInput,
): Promise<StatisticsPeriod> {
  assertCan(context.principal, 'statistics.periods.create', systemResource('statistics_period'));
  const problems = periodDateProblems(input);
  if (problems.length > 0) {
    throw unprocessable('invalid_statistics_period', {
      detail: { zh: '统计报告期的日期不一致', en: 'The dates of the reporting period do not agree' },
      errors: toFieldProblems(problems),
    });
  }
  const userId = context.principal.kind === 'user' ? context.principal.userId : null;
  return deps.db.transaction().execute(async (trx) => {
    const catalogueVersion = await currentCatalogueVersion(trx);
    const now = deps.clock.now();
    const inserted = await trx
      .insertInto('statistics_periods')
      .values({
        code: input.code,
        title: input.title,
        title_en: input.titleEn,
        opens_on: input.opensOn,
        closes_on: input.closesOn,
        due_date: input.dueDate,
        catalogue_version: catalogueVersion,
        created_at: now,
        created_by: userId,
        published_at: null,
        published_by: null,
        reminded_at: null,
        version: 1,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted === undefined) {
      throw conflict('period_exists', {
        detail: { zh: `统计报告期 ${input.code} 已存在`, en: `Reporting period ${input.code} exists already` },
      });
    }
    const period = toPeriod(inserted, shanghaiDate(now));
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: 'statistics.period_created',
      resourceType: 'statistics_period',
      resourceId: period.code,
      organizationId: null,
      summary: { ...input, catalogueVersion },
    });
    await enqueueEvent(trx, deps.clock, StatisticsPeriodCreated, period.code, {
      code: period.code,
      opensOn: period.opensOn,
      closesOn: period.closesOn,
      dueDate: period.dueDate,
    });
    return period;
  });
}

/** Every period, newest opening day first (public). */
export async function listPeriods(
  deps: AppDeps,
  context: RequestContext,
  query: { limit: number; cursor?: string },
): Promise<{ items: StatisticsPeriod[]; nextCursor: string | null }> {
  assertCan(context.principal, 'statistics.periods.list', systemResource('statistics_period'));
  const cursor = decodeCursor(query.cursor, 2, (values) => values.every((value) => typeof value === 'string'));
  const rows = await listPeriodRows(deps.db, {
    after: cursor === undefined ? undefined : { opensOn: String(cursor[0]), code: String(cursor[1]) },
    limit: query.limit + 1,
  });
  const today = todayOf(deps);
  const items = rows.slice(0, query.limit).map((row) => toPeriod(row, today));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.opensOn, last.code]) : null,
  };
}

function ownOrganization(context: RequestContext): string | null {
  return context.principal.kind === 'user' ? context.principal.organizationId : null;
}

/**
 * A member of a verified organisation files or corrects its return. 404 for an unknown
 * period; 409 `period_not_open` before `opensOn`, `period_closed` after `closesOn` or once
 * published; 422 `invalid_statistics_return` with a pointer per problem.
 */
export async function putMyReturn(
  deps: AppDeps,
  context: RequestContext,
  input: { code: string; figures: StatisticsReturnFigures },
): Promise<StatisticsReturn> {
  const organizationId = ownOrganization(context);
  assertCan(context.principal, 'statistics.returns.file', {
    type: 'organization',
    id: organizationId ?? 'none',
    organizationId,
  });
  if (organizationId === null) throw new Error('statistics.returns.file was allowed without an organisation');
  const { figures } = input;
  return deps.db.transaction().execute(async (trx) => {
    // The period's row is the lock publication takes too: a return is in the table or refused.
    const period = found(await lockPeriodRow(trx, input.code));
    const today = shanghaiDate(deps.clock.now());
    const status = toPeriod(period, today).status;
    if (status === 'scheduled') {
      throw conflict('period_not_open', {
        detail: {
          zh: `统计报告期 ${period.code} 自 ${period.opens_on} 起接受报送`,
          en: `Reporting period ${period.code} accepts returns from ${period.opens_on}`,
        },
      });
    }
    if (status !== 'open') {
      throw conflict('period_closed', {
        detail:
          status === 'published'
            ? {
                zh: `统计报告期 ${period.code} 已发布，报表已冻结`,
                en: `Period ${period.code} is published: returns are frozen`,
              }
            : {
                zh: `统计报告期 ${period.code} 已于 ${period.closes_on} 截止`,
                en: `Reporting period ${period.code} closed on ${period.closes_on}`,
              },
      });
    }
    const codes = new Set(await levelTwoCodes(trx, period.catalogue_version));
    const problems = returnProblems(figures, codes);
    if (problems.length > 0) {
      throw unprocessable('invalid_statistics_return', {
        detail: {
          zh: '统计报表未通过校验：请检查标出的字段',
          en: 'The return does not validate: check the fields listed',
        },
        errors: toFieldProblems(problems),
      });
    }
    const before = await findReturnRow(trx, period.code, organizationId);
    const now = deps.clock.now();
    const byCategory = figures.byCategory.map(({ catalogueCode, aiRevenue }) => ({ catalogueCode, aiRevenue }));
    const values = {
      district: figures.district,
      employees: figures.employees,
      ai_employees: figures.aiEmployees,
      revenue: figures.revenue,
      ai_revenue: figures.aiRevenue,
      rd_expenditure: figures.rdExpenditure,
      by_category: JSON.stringify(byCategory),
      updated_at: now,
      updated_by: context.principal.kind === 'user' ? context.principal.userId : null,
    };
    const row =
      before === undefined
        ? await trx
            .insertInto('statistics_returns')
            .values({
              period_code: period.code,
              organization_id: organizationId,
              ...values,
              version: 1,
              created_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .updateTable('statistics_returns')
            .set({ ...values, version: before.version + 1 })
            .where('period_code', '=', period.code)
            .where('organization_id', '=', organizationId)
            .returningAll()
            .executeTakeFirstOrThrow();
    const saved = toReturn(row);
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: before === undefined ? 'statistics.return_filed' : 'statistics.return_corrected',
      resourceType: 'statistics_return',
      resourceId: `${period.code}/${organizationId}`,
      organizationId,
      summary: {
        period: period.code,
        version: saved.version,
        ...(before === undefined ? {} : { before: toReturnFigures(toReturn(before)) }),
        after: toReturnFigures(saved),
      },
    });
    await enqueueEvent(trx, deps.clock, StatisticsReturnFiled, `${period.code}/${organizationId}`, {
      period: period.code,
      organizationId,
      version: saved.version,
    });
    return saved;
  });
}

function toReturnFigures(record: StatisticsReturn): StatisticsReturnFigures {
  const { district, employees, aiEmployees, revenue, aiRevenue, rdExpenditure, byCategory } = record;
  return { district, employees, aiEmployees, revenue, aiRevenue, rdExpenditure, byCategory };
}

/** The organisation's own return in a period; 404 when the period is unknown or nothing was filed. */
export async function readMyReturn(
  deps: AppDeps,
  context: RequestContext,
  input: { code: string },
): Promise<StatisticsReturn> {
  const organizationId = ownOrganization(context);
  assertCan(context.principal, 'statistics.returns.read', {
    type: 'organization',
    id: organizationId ?? 'none',
    organizationId,
  });
  if (organizationId === null) throw new Error('statistics.returns.read was allowed without an organisation');
  return toReturn(found(await findReturnRow(deps.db, input.code, organizationId)));
}

/** Every return of the organisation, newest period first (the form shows the previous period's figures). */
export async function listMyReturns(deps: AppDeps, context: RequestContext): Promise<{ items: StatisticsReturn[] }> {
  const organizationId = ownOrganization(context);
  assertCan(context.principal, 'statistics.returns.read', {
    type: 'organization',
    id: organizationId ?? 'none',
    organizationId,
  });
  if (organizationId === null) throw new Error('statistics.returns.read was allowed without an organisation');
  const rows = await deps.db
    .selectFrom('statistics_returns')
    .innerJoin('statistics_periods', 'statistics_periods.code', 'statistics_returns.period_code')
    .selectAll('statistics_returns')
    .where('statistics_returns.organization_id', '=', organizationId)
    .orderBy('statistics_periods.opens_on', 'desc')
    .orderBy('statistics_periods.code')
    .execute();
  return { items: rows.map(toReturn) };
}

/** The statistician's view of who has returned, by organisation name. */
export async function listPeriodReturns(
  deps: AppDeps,
  context: RequestContext,
  input: { code: string; limit: number; cursor?: string },
) {
  assertCan(context.principal, 'statistics.returns.list', systemResource('statistics_return'));
  const period = await findPeriod(deps, input.code);
  const cursor = decodeCursor(input.cursor, 1, (values) => typeof values[0] === 'string');
  let query = deps.db
    .selectFrom('statistics_returns')
    .innerJoin('organizations', 'organizations.id', 'statistics_returns.organization_id')
    .select([
      'organizations.id',
      'organizations.name',
      'organizations.uscc',
      'statistics_returns.district',
      'statistics_returns.ai_revenue',
      'statistics_returns.updated_at',
    ])
    .where('statistics_returns.period_code', '=', period.code);
  if (cursor !== undefined) query = query.where('organizations.uscc', '>', String(cursor[0]));
  const rows = await query
    .orderBy('organizations.uscc')
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((row) => ({
    organization: { id: row.id, name: row.name, uscc: row.uscc },
    district: row.district,
    aiRevenue: Number(row.ai_revenue),
    updatedAt: new Date(row.updated_at).toISOString(),
  }));
  const last = items.at(-1);
  return {
    period: period.code,
    items,
    nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor([last.organization.uscc]) : null,
  };
}

/**
 * Verified organisations with a product in the public register (a public decision) and no
 * return in the period, by USCC: who is expected and missing.
 */
export async function missingReturnOrganizations(db: Executor, periodCode: string) {
  return db
    .selectFrom('organizations')
    .select(['organizations.id', 'organizations.name', 'organizations.uscc'])
    .where('organizations.status', '=', 'verified')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('products')
          .select(sql`1`.as('one'))
          .whereRef('products.organization_id', '=', 'organizations.id')
          .where('products.status', 'in', [...DECIDED_STATUSES]),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('statistics_returns')
            .select(sql`1`.as('one'))
            .whereRef('statistics_returns.organization_id', '=', 'organizations.id')
            .where('statistics_returns.period_code', '=', periodCode),
        ),
      ),
    )
    .orderBy('organizations.uscc')
    .execute();
}

/** The overdue list: organisations with public products that have not returned (overdue once the due date passed). */
export async function listOverdue(deps: AppDeps, context: RequestContext, input: { code: string }) {
  assertCan(context.principal, 'statistics.returns.list', systemResource('statistics_return'));
  const period = await findPeriod(deps, input.code);
  const items = await missingReturnOrganizations(deps.db, period.code);
  return {
    period: period.code,
    dueDate: period.dueDate,
    dueDateProvisional: false,
    overdue: todayOf(deps) > period.dueDate,
    items,
  };
}
