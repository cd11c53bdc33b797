/**
 * The regulator's transitions of a filing: claiming and assigning, information requests,
 * decisions.
 */
import { DECISION_EVENTS } from '../../domain/filings.ts';
import { shanghaiDate } from '../../lib/calendar.ts';
import { AppError, unprocessable } from '../../platform/errors.ts';
import { assertVersionMatches } from '../../platform/http.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { requireUser } from '../../platform/principal.ts';
import type { RequestContext, WritePreconditions } from '../../platform/request-context.ts';
import { assertEthicsAllowsApproval } from '../ethics/index.ts';
import { dueDateText } from './deadlines.ts';
import { concludeTransition, filingLink } from './effects.ts';
import {
  findActiveReviewer,
  insertDecision,
  insertInformationRequest,
  updateFiling,
  type FilingRecord,
} from './repo.ts';
import type { AssignmentBody, DecisionBody, MessageBody } from './schemas.ts';
import { filingWrite, lockFilingFor, lockProductOf, ok, transition, type WriteScope } from './shared.ts';
import type { FilingDetailViewT } from './views.ts';

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
  ctx: RequestContext,
  input: { id: string; body: AssignmentBody } & WritePreconditions,
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id, body } = input;
  const byAdministrator = body.reviewerId !== undefined;
  const action = byAdministrator ? 'filings.assign' : 'filings.claim';
  return filingWrite(deps, ctx, action, { key: input.idempotencyKey, fingerprint: { id, body } }, async (scope) => {
    const filing = await lockFilingFor(scope, id, action);
    assertVersionMatches(input.ifMatch, filing.version);
    const reviewerId = body.reviewerId ?? requireUser(scope.ctx.principal).userId;
    const event = byAdministrator && filing.status === 'under_review' ? 'reassign' : 'claim';
    const next = transition(filing, event);
    if (byAdministrator && (await findActiveReviewer(scope.trx, reviewerId)) === undefined) {
      throw unprocessable('not_a_reviewer', {
        detail: { zh: '指定的用户不是在职的审查人员', en: 'The user named is not an active reviewer' },
        errors: [
          {
            pointer: '/reviewerId',
            message: { zh: '须为在职的审查人员', en: 'must be an active user with the reviewer role' },
          },
        ],
      });
    }
    const product = await lockProductOf(scope, filing);
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
  ctx: RequestContext,
  input: { id: string; body: MessageBody } & WritePreconditions,
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id, body } = input;
  const idempotency = { key: input.idempotencyKey, fingerprint: { id, body } };
  return filingWrite(deps, ctx, 'filings.requestInformation', idempotency, async (scope) => {
    const filing = await lockFilingFor(scope, id, 'filings.requestInformation');
    assertVersionMatches(input.ifMatch, filing.version);
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
    const product = await lockProductOf(scope, filing);
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
  ctx: RequestContext,
  input: { id: string; body: DecisionBody } & WritePreconditions,
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id, body } = input;
  const conditions = body.conditions ?? [];
  if (body.outcome === 'approved_with_conditions' && conditions.length === 0) {
    throw unprocessable('conditions_required', {
      detail: { zh: '附条件批准须列明条件', en: 'An approval with conditions must list the conditions' },
      errors: [
        { pointer: '/conditions', message: { zh: '请至少列明一项条件', en: 'must list at least one condition' } },
      ],
    });
  }
  if (body.outcome !== 'approved_with_conditions' && conditions.length > 0) {
    throw unprocessable('conditions_not_allowed', {
      detail: { zh: '只有附条件批准可以列明条件', en: 'Only an approval with conditions has conditions' },
      errors: [
        {
          pointer: '/conditions',
          message: { zh: '只有附条件批准可以列明条件', en: `not allowed for ${body.outcome}` },
        },
      ],
    });
  }
  return filingWrite(
    deps,
    ctx,
    'filings.decide',
    { key: input.idempotencyKey, fingerprint: { id, body } },
    async (scope) => {
      const filing = await lockFilingFor(scope, id, 'filings.decide');
      assertVersionMatches(input.ifMatch, filing.version);
      const next = transition(filing, DECISION_EVENTS[body.outcome]);
      assertAssignee(scope, filing);
      // An open ethics case holds an approval; an unfavourable opinion bars it (rejecting is always possible).
      if (body.outcome !== 'rejected') await assertEthicsAllowsApproval(scope.trx, 'filing', filing.id);
      const product = await lockProductOf(scope, filing);
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
    },
  );
}
