/**
 * The regulator's side: claiming and assigning, information requests, decisions, the
 * review queue and its statistics.
 */
import type { FastifyRequest } from 'fastify';
import { CalendarYearMissingError, shanghaiDate, type WorkingDayCalendar } from '../../lib/calendar.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, badRequest, unprocessable } from '../../platform/errors.ts';
import { assertIfMatch, decodeCursor, encodeCursor } from '../../platform/http.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { requireUser, type Principal } from '../../platform/principal.ts';
import { workingDayCalendar } from '../calendar/index.ts';
import { getOrganizationSummary } from '../identity/index.ts';
import { getProduct, lockProduct, type ProductRecord } from '../products/index.ts';
import { dueDateText } from './deadlines.ts';
import { concludeTransition, filingLink } from './effects.ts';
import {
  countFilingsBy,
  findActiveReviewer,
  insertDecision,
  insertInformationRequest,
  listDecidedAssessments,
  listQueue,
  lockFilingById,
  updateFiling,
  type FilingRecord,
} from './repo.ts';
import type { AssignmentBody, DecisionBody, MessageBody, QueueQuery } from './schemas.ts';
import {
  filingMissing,
  filingResource,
  filingWrite,
  ok,
  productMissing,
  transition,
  type WriteScope,
} from './shared.ts';
import {
  DECISION_EVENTS,
  FILING_STATUSES,
  QUEUE_STATUSES,
  isClockRunning,
  type FilingStatus,
} from './state-machine.ts';
import { lastWeeks, isoWeek, median } from './stats-math.ts';
import { productSummary, toFilingView, type FilingDetailViewT, type FilingViewT } from './views.ts';

async function lockForReview(scope: WriteScope, id: string, action: string): Promise<FilingRecord> {
  const filing = await lockFilingById(scope.trx, id);
  if (filing === undefined) throw filingMissing();
  assertCan(scope.request.principal, action, filingResource(filing));
  return filing;
}

async function productOf(scope: WriteScope, filing: FilingRecord): Promise<ProductRecord> {
  const product = await lockProduct(scope.trx, filing.productId);
  if (product === undefined) throw productMissing();
  return product;
}

/** Only the reviewer the filing is assigned to may request information or decide. */
function assertAssignee(scope: WriteScope, filing: FilingRecord): void {
  if (filing.assigneeId !== scope.actorId) {
    throw new AppError(403, 'not_assignee', {
      detail: {
        zh: '只有负责该备案的审查人员可以执行此操作，请先认领',
        en: 'Only the reviewer assigned to this filing may do this; claim it first',
      },
      extensions: { assigneeId: filing.assigneeId },
    });
  }
}

/**
 * `POST /filings/{id}/assignment`: a reviewer claims a submitted filing (`{}`); a
 * regulator administrator assigns it, or hands one under review to another reviewer
 * (`{reviewerId}`).
 */
export async function assignFiling(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
  body: AssignmentBody,
): Promise<StoredResponse<FilingDetailViewT>> {
  const byAdministrator = body.reviewerId !== undefined;
  const action = byAdministrator ? 'filings.assign' : 'filings.claim';
  return filingWrite(deps, request, action, async (scope) => {
    const filing = await lockForReview(scope, id, action);
    assertIfMatch(request, filing.version);
    const reviewerId = body.reviewerId ?? requireUser(scope.request.principal).userId;
    const event = byAdministrator && filing.status === 'under_review' ? 'reassign' : 'claim';
    const next = transition(filing, event);
    if (byAdministrator && (await findActiveReviewer(scope.trx, reviewerId)) === undefined) {
      throw unprocessable('not_a_reviewer', {
        detail: { zh: '指定的用户不是在职的审查人员', en: 'The user named is not an active reviewer' },
        errors: [{ pointer: '/reviewerId', message: 'must be an active user with the reviewer role' }],
      });
    }
    const product = await productOf(scope, filing);
    const now = scope.clock.now();
    const assigned = await updateFiling(scope.trx, filing.id, {
      status: next,
      assignee_id: reviewerId,
      assigned_at: now,
      updated_at: now,
    });
    const view = await concludeTransition(scope.trx, scope, {
      filing: assigned,
      from: filing.status,
      product,
      facts: { event, assigneeId: reviewerId, previousAssigneeId: filing.assigneeId },
      notifications:
        reviewerId === scope.actorId
          ? []
          : [
              {
                target: { userId: reviewerId },
                kind: 'filing.assigned',
                titleZh: `分配给您审查：${product.name}（${dueDateText(assigned.dueDate, assigned.dueDateProvisional).zh} 前决定）`,
                titleEn: `Assigned to you for review: ${product.nameEn ?? product.name} (due ${dueDateText(assigned.dueDate, assigned.dueDateProvisional).en})`,
                link: filingLink(assigned.id),
              },
            ],
    });
    return ok(view);
  });
}

/** `POST /filings/{id}/information-requests`: the clock stops from the day after the request. */
export async function requestInformation(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
  body: MessageBody,
): Promise<StoredResponse<FilingDetailViewT>> {
  return filingWrite(deps, request, 'filings.requestInformation', async (scope) => {
    const filing = await lockForReview(scope, id, 'filings.requestInformation');
    assertIfMatch(request, filing.version);
    const next = transition(filing, 'request_information');
    assertAssignee(scope, filing);
    const now = scope.clock.now();
    const requestedDate = shanghaiDate(now);
    const requestId = newId();
    await insertInformationRequest(scope.trx, {
      id: requestId,
      filingId: filing.id,
      message: body.message,
      requestedAt: now,
      requestedBy: scope.actorId,
      requestedDate,
    });
    const stopped = await updateFiling(scope.trx, filing.id, {
      status: next,
      clock_stopped_on: requestedDate,
      updated_at: now,
    });
    const product = await productOf(scope, filing);
    const view = await concludeTransition(scope.trx, scope, {
      filing: stopped,
      from: filing.status,
      product,
      facts: { informationRequestId: requestId, requestedDate },
      notifications: [
        {
          target: { organizationId: stopped.organizationId },
          kind: 'filing.information_requested',
          titleZh: `监管部门要求补充材料：${product.name}`,
          titleEn: `The regulator requests information: ${product.nameEn ?? product.name}`,
          link: filingLink(stopped.id),
        },
      ],
    });
    return ok(view);
  });
}

const OUTCOME_TITLES = {
  approved: { zh: '评估申请已批准', en: 'Assessment approved' },
  approved_with_conditions: { zh: '评估申请已附条件批准', en: 'Assessment approved with conditions' },
  rejected: { zh: '评估申请未获批准', en: 'Assessment rejected' },
} as const;

/**
 * `POST /filings/{id}/decision`. The filing row is locked and its status re-checked inside
 * the transaction (and `If-Match` against its version), so of concurrent decisions exactly
 * one commits; the others get 409 `illegal_transition` or 412. Approvals are published to
 * the register; rejections are not (commercial confidentiality, see effects.ts).
 */
export async function decideFiling(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
  body: DecisionBody,
): Promise<StoredResponse<FilingDetailViewT>> {
  const conditions = body.conditions ?? [];
  if (body.outcome === 'approved_with_conditions' && conditions.length === 0) {
    throw unprocessable('conditions_required', {
      detail: { zh: '附条件批准须列明条件', en: 'An approval with conditions must list the conditions' },
      errors: [{ pointer: '/conditions', message: 'must list at least one condition' }],
    });
  }
  if (body.outcome !== 'approved_with_conditions' && conditions.length > 0) {
    throw unprocessable('conditions_not_allowed', {
      detail: { zh: '只有附条件批准可以列明条件', en: 'Only an approval with conditions has conditions' },
      errors: [{ pointer: '/conditions', message: `not allowed for ${body.outcome}` }],
    });
  }
  return filingWrite(deps, request, 'filings.decide', async (scope) => {
    const filing = await lockForReview(scope, id, 'filings.decide');
    assertIfMatch(request, filing.version);
    const next = transition(filing, DECISION_EVENTS[body.outcome]);
    assertAssignee(scope, filing);
    const product = await productOf(scope, filing);
    const now = scope.clock.now();
    const legalBasis = body.legalBasis ?? null;
    await insertDecision(scope.trx, {
      id: newId(),
      filingId: filing.id,
      outcome: body.outcome,
      reasons: body.reasons,
      legalBasis,
      conditions: body.outcome === 'approved_with_conditions' ? conditions : null,
      decidedAt: now,
      decidedBy: scope.actorId,
    });
    const decided = await updateFiling(scope.trx, filing.id, { status: next, decided_at: now, updated_at: now });
    const title = OUTCOME_TITLES[body.outcome];
    const view = await concludeTransition(scope.trx, scope, {
      filing: decided,
      from: filing.status,
      product,
      facts: {
        outcome: body.outcome,
        decidedDate: shanghaiDate(now),
        onTime: filing.dueDate === null ? null : shanghaiDate(now) <= filing.dueDate,
      },
      // Rejections stay confidential (see concludeTransition → register).
      publish:
        body.outcome === 'rejected'
          ? undefined
          : {
              outcome: body.outcome,
              decidedAt: now,
              reasons: body.reasons,
              legalBasis,
              conditions: body.outcome === 'approved_with_conditions' ? conditions : [],
            },
      notifications: [
        {
          target: { organizationId: decided.organizationId },
          kind: `filing.${body.outcome}`,
          titleZh: `${title.zh}：${product.name}`,
          titleEn: `${title.en}: ${product.nameEn ?? product.name}`,
          link: filingLink(decided.id),
        },
      ],
    });
    return ok(view);
  });
}

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
  principal: Principal,
  query: QueueQuery,
): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
  assertCan(principal, 'review.queue', systemResource('review'));
  const user = requireUser(principal);
  const today = shanghaiDate(deps.clock.now());
  const cursor = decodeCursor(query.cursor, 3);
  let after: { bucket: number; dueDate: string; id: string } | undefined;
  if (cursor !== undefined) {
    const [bucket, dueDate, id] = cursor;
    if (
      (bucket !== 0 && bucket !== 1) ||
      typeof dueDate !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(dueDate) ||
      typeof id !== 'string' ||
      !/^[0-9a-f-]{36}$/i.test(id)
    ) {
      throw badRequest('invalid_cursor', { errors: [{ pointer: '/cursor', message: 'invalid cursor' }] });
    }
    after = { bucket, dueDate, id };
  }
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
export async function reviewStats(deps: AppDeps, principal: Principal): Promise<ReviewStats> {
  assertCan(principal, 'review.stats', systemResource('review'));
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
