/**
 * The regulator's overview: the review queue on the statutory clock and the review statistics.
 */
import { FILING_STATUSES, QUEUE_STATUSES, isClockRunning, type FilingStatus } from '../../domain/filings.ts';
import { CalendarYearMissingError, shanghaiDate, type WorkingDayCalendar } from '../../lib/calendar.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { requireUser } from '../../platform/principal.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { workingDayCalendar } from '../calendar/index.ts';
import { getOrganizationSummary } from '../identity/index.ts';
import { getProduct, type ProductRecord } from '../products/index.ts';
import { countFilingsBy, listDecidedAssessments, listQueue, type FilingRecord } from './repo.ts';
import type { QueueQuery } from './schemas.ts';
import { lastWeeks, isoWeek, median } from './stats-math.ts';
import { productSummary, toFilingView, type FilingViewT } from './views.ts';

/** Working days from today to the due date, counted like the due date itself (weekends only in a year not loaded). */
function workingDaysLeft(calendar: WorkingDayCalendar, filing: FilingRecord, today: string): number | null {
  if (filing.dueDate === null) return null;
  // While information is requested the clock stands at the request date.
  const from = filing.status === 'information_requested' ? (filing.clockStoppedOn ?? today) : today;
  return calendar.workingDaysBetweenProvisional(from, filing.dueDate).days;
}

export type QueueItem = FilingViewT & {
  workingDaysLeft: number | null;
  overdue: boolean;
  product: ReturnType<typeof productSummary>;
  organization: { id: string; name: string; nameEn: string | null } | null;
};

/**
 * `GET /review/queue`: submitted, under review and information-requested assessments,
 * overdue first (clock running and the due date passed), then by due date.
 */
export async function reviewQueue(
  deps: AppDeps,
  ctx: RequestContext,
  query: QueueQuery,
): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
  assertCan(ctx.principal, 'review.queue', systemResource('review'));
  const user = requireUser(ctx.principal);
  const today = shanghaiDate(deps.clock.now());
  const cursor = decodeCursor(
    query.cursor,
    3,
    ([bucket, dueDate, id]) =>
      (bucket === 0 || bucket === 1) &&
      typeof dueDate === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(dueDate) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id),
  );
  const after =
    cursor === undefined ? undefined : { bucket: Number(cursor[0]), dueDate: String(cursor[1]), id: String(cursor[2]) };
  const rows = await listQueue(deps.db, {
    today,
    limit: query.limit + 1,
    after,
    statuses: query.status === undefined ? QUEUE_STATUSES : [query.status],
    assigneeId: query.assignee === 'me' ? user.userId : query.assignee === 'unassigned' ? null : undefined,
  });
  const page = rows.slice(0, query.limit);
  const calendar = await workingDayCalendar(deps);
  const products = new Map<string, ProductRecord | undefined>();
  const organizations = new Map<string, QueueItem['organization']>();
  for (const row of page) {
    if (!products.has(row.productId)) products.set(row.productId, await getProduct(deps.db, row.productId));
    if (!organizations.has(row.organizationId)) {
      const org = await getOrganizationSummary(deps.db, row.organizationId);
      organizations.set(
        row.organizationId,
        org === undefined ? null : { id: org.id, name: org.name, nameEn: org.nameEn },
      );
    }
  }
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      ...toFilingView(row),
      workingDaysLeft: workingDaysLeft(calendar, row, today),
      overdue: isClockRunning(row.status) && row.dueDate !== null && row.dueDate < today,
      product: productSummary(products.get(row.productId)),
      organization: organizations.get(row.organizationId) ?? null,
    })),
    nextCursor:
      rows.length > query.limit && last !== undefined && last.dueDate !== null
        ? encodeCursor([last.bucket, last.dueDate, last.id])
        : null,
  };
}

/** Weeks shown in `decisionsByWeek`. */
const STATS_WEEKS = 12;

export interface ReviewStats {
  byStatus: Record<string, number>;
  byTier: Record<string, number>;
  onTimeRate: number | null;
  medianWorkingDaysToDecision: number | null;
  decisionsByWeek: Array<{ week: string; count: number }>;
}

/**
 * `GET /review/stats`. onTimeRate: decided assessments decided on or before their (moved)
 * due date. medianWorkingDaysToDecision: working days from the submission date to the
 * decision date minus the days the clock stood still. decisionsByWeek: assessment decisions
 * per ISO week (Asia/Shanghai) over the last 12 weeks, oldest first.
 */
export async function reviewStats(deps: AppDeps, ctx: RequestContext): Promise<ReviewStats> {
  assertCan(ctx.principal, 'review.stats', systemResource('review'));
  const [byStatusRaw, byTierRaw, decided] = [
    await countFilingsBy(deps.db, 'status'),
    await countFilingsBy(deps.db, 'tier'),
    await listDecidedAssessments(deps.db),
  ];
  const byStatus = Object.fromEntries(
    FILING_STATUSES.map((status: FilingStatus) => [status, byStatusRaw[status] ?? 0]),
  );
  const byTier = Object.fromEntries(['high', 'medium', 'low'].map((tier) => [tier, byTierRaw[tier] ?? 0]));
  const calendar = await workingDayCalendar(deps);
  const durations: number[] = [];
  let onTime = 0;
  const today = shanghaiDate(deps.clock.now());
  const weeks = lastWeeks(today, STATS_WEEKS);
  const perWeek = new Map(weeks.map((week) => [week, 0]));
  for (const item of decided) {
    const decidedDate = shanghaiDate(item.decidedAt);
    if (decidedDate <= item.dueDate) onTime += 1;
    const week = isoWeek(decidedDate);
    if (perWeek.has(week)) perWeek.set(week, (perWeek.get(week) ?? 0) + 1);
    try {
      durations.push(
        calendar.workingDaysBetween(shanghaiDate(item.submittedAt), decidedDate) - item.stoppedWorkingDays,
      );
    } catch (error) {
      if (!(error instanceof CalendarYearMissingError)) throw error;
    }
  }
  return {
    byStatus,
    byTier,
    onTimeRate: decided.length === 0 ? null : onTime / decided.length,
    medianWorkingDaysToDecision: median(durations),
    decisionsByWeek: weeks.map((week) => ({ week, count: perWeek.get(week) ?? 0 })),
  };
}
