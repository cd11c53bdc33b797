/**
 * Submission (with the completeness check), answers to information requests, withdrawal:
 * the provider's transitions of a filing on the statutory clock.
 */
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { ASSESSMENT_REQUIRED_DOCUMENT, needsTransparencyMeasures } from '../../domain/filings.ts';
import { shanghaiDate } from '../../lib/calendar.ts';
import { unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { assertVersionMatches } from '../../platform/http.ts';
import { localize } from '../../platform/i18n.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import type { WritePreconditions } from '../../platform/request-context.ts';
import { confirmProvisional } from '../calendar/index.ts';
import { referFilingIfTriggered } from '../ethics/index.ts';
import type { ProductRecord } from '../products/index.ts';
import { assessmentDueDate, dueDateAfterStop, dueDateText } from './deadlines.ts';
import { concludeTransition, filingLink } from './effects.ts';
import {
  answerInformationRequest,
  countDocumentsOfType,
  findOpenInformationRequest,
  insertDecision,
  updateFiling,
  type DecisionRecord,
  type FilingRecord,
} from './repo.ts';
import type { MessageBody } from './schemas.ts';
import {
  assertKindFitsTier,
  filingWrite,
  lockFilingFor,
  lockProductOf,
  ok,
  transition,
  type WriteScope,
} from './shared.ts';
import { productSummary, type FilingDetailViewT } from './views.ts';

/** What the completeness check finds missing, each as a pointer into the filing. */
async function missingItems(scope: WriteScope, filing: FilingRecord, product: ProductRecord): Promise<FieldProblem[]> {
  const language = scope.ctx.language;
  const missing: FieldProblem[] = [];
  if (filing.summary.trim() === '') {
    missing.push({
      pointer: '/summary',
      message: localize({ zh: '需要填写摘要', en: 'a summary is required' }, language),
    });
  }
  if (needsTransparencyMeasures(filing.kind, product.tier) && (filing.transparencyMeasures ?? '').trim() === '') {
    missing.push({
      pointer: '/transparencyMeasures',
      message: localize(
        {
          zh: '中风险产品需说明透明度措施：如何告知用户正在与人工智能交互、如何标识生成内容',
          en: 'a medium-risk product must state its transparency measures: how people learn they face an AI system and how generated content is labelled',
        },
        language,
      ),
    });
  }
  if (
    filing.kind === 'assessment' &&
    (await countDocumentsOfType(scope.trx, filing.id, ASSESSMENT_REQUIRED_DOCUMENT)) === 0
  ) {
    missing.push({
      pointer: '/documents',
      message: localize(
        {
          zh: '需要上传一份风险评估报告（risk_assessment_report）',
          en: 'a risk_assessment_report document is required',
        },
        language,
      ),
    });
  }
  return missing;
}

/**
 * Working days the reviewer has: the product's ruleset obligation (20 under ruleset v1, whose
 * validation requires the high tier to name it), the one place the number is written.
 */
function reviewWorkingDaysOf(product: ProductRecord): number {
  const days = product.obligations.find((item) => item.code === 'ex_ante_assessment')?.reviewWorkingDays;
  if (days === undefined) throw new Error(`ruleset ${product.rulesetVersion} names no review period for ${product.id}`);
  return days;
}

/**
 * `POST /filings/{id}/submit`. A complete disclosure is accepted and public at once; a
 * complete assessment starts the statutory clock: dueDate = the N-th working day after the
 * Asia/Shanghai submission date (N = 20 under ruleset v1). If that date falls in a year
 * whose official calendar is not loaded, that year counts weekends only and the due date is
 * marked provisional until the year is loaded (API-CONTRACT-2 §0).
 */
export async function submitFiling(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; idempotencyKey?: string },
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id } = input;
  return filingWrite(deps, ctx, 'filings.submit', { key: input.idempotencyKey, fingerprint: { id } }, async (scope) => {
    const filing = await lockFilingFor(scope, id, 'filings.submit');
    const event = filing.kind === 'disclosure' ? 'submit_disclosure' : 'submit_assessment';
    const next = transition(filing, event);
    const product = await lockProductOf(scope, filing);
    assertKindFitsTier(product, filing.kind);
    const missing = await missingItems(scope, filing, product);
    if (missing.length > 0) {
      throw unprocessable('filing_incomplete', {
        detail: { zh: '备案材料不完整', en: 'The filing is incomplete' },
        errors: missing,
      });
    }
    const now = scope.clock.now();
    const submissionDate = shanghaiDate(now);
    if (next === 'accepted') {
      const accepted = await updateFiling(scope.trx, filing.id, {
        status: next,
        tier: product.tier,
        submitted_at: now,
        submitted_by: scope.actorId,
        decided_at: now,
        updated_at: now,
      });
      const decision: DecisionRecord = {
        id: newId(),
        filingId: filing.id,
        outcome: 'accepted',
        reasons:
          '信息披露通过自动完整性检查，即时公开。 / The disclosure passed the automatic completeness check and is public at once.',
        legalBasis:
          '深圳经济特区人工智能产业促进条例 第六章：中低风险人工智能应用采用事前披露和事后跟踪的治理模式 / Shenzhen AI Regulations, ch. 6: medium- and low-risk applications — ex-ante disclosure, ex-post tracking',
        conditions: null,
        decidedAt: now,
        decidedBy: null,
      };
      await insertDecision(scope.trx, decision);
      const view = await concludeTransition(scope.trx, scope, {
        filing: accepted,
        from: filing.status,
        product,
        decision,
        facts: { tier: product.tier },
        publish: {
          outcome: 'accepted',
          decidedAt: now,
          reasons: decision.reasons,
          legalBasis: decision.legalBasis,
          conditions: [],
        },
        notifications: [
          {
            target: { organizationId: accepted.organizationId },
            kind: 'filing.accepted',
            titleZh: `信息披露已公开：${product.name}`,
            titleEn: `Disclosure accepted and public: ${product.nameEn ?? product.name}`,
            link: filingLink(accepted.id),
          },
        ],
      });
      return ok(view);
    }
    const reviewWorkingDays = reviewWorkingDaysOf(product);
    // A year without an official calendar counts weekends only: the due date is provisional
    // until the year is loaded (API-CONTRACT-2 §0), never a refusal.
    const due = assessmentDueDate(scope.calendar, submissionDate, reviewWorkingDays);
    if (due.provisional) await confirmProvisional(scope.trx, scope.calendar, submissionDate, due.date);
    const dueDate = due.date;
    const submitted = await updateFiling(scope.trx, filing.id, {
      status: next,
      tier: product.tier,
      submitted_at: now,
      submitted_by: scope.actorId,
      due_date: dueDate,
      due_date_provisional: due.provisional,
      review_working_days: reviewWorkingDays,
      updated_at: now,
    });
    // API-CONTRACT-2 §3: some high-risk assessments go to the ethics committee at once.
    await referFilingIfTriggered(scope, submitted, product);
    const dueText = dueDateText(dueDate, due.provisional);
    const view = await concludeTransition(scope.trx, scope, {
      filing: submitted,
      from: filing.status,
      product,
      facts: { submissionDate, reviewWorkingDays },
      notifications: [
        {
          target: { role: 'reviewer' },
          kind: 'filing.submitted',
          titleZh: `新的评估申请待审查：${product.name}（${dueText.zh} 前决定）`,
          titleEn: `New assessment to review: ${product.nameEn ?? product.name} (decide by ${dueText.en})`,
          link: filingLink(submitted.id),
        },
      ],
    });
    return ok(view);
  });
}

/**
 * `POST /filings/{id}/information-responses`: the provider answers the open request and
 * the clock runs again. Clock rule: stopped = workingDaysBetween(requestDate, responseDate)
 * — the working days d with requestDate < d ≤ responseDate (Asia/Shanghai dates); the
 * request day itself counts as a review day, the answer day is given back. dueDate moves
 * forward by that many working days.
 */
export async function respondToInformationRequest(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: MessageBody; idempotencyKey?: string },
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id, body } = input;
  return filingWrite(
    deps,
    ctx,
    'filings.respond',
    { key: input.idempotencyKey, fingerprint: { id, body } },
    async (scope) => {
      const filing = await lockFilingFor(scope, id, 'filings.respond');
      const next = transition(filing, 'respond');
      const open = await findOpenInformationRequest(scope.trx, filing.id);
      if (open === undefined || filing.dueDate === null) {
        throw new Error(`Filing ${filing.id} is information_requested without an open request or due date`);
      }
      const now = scope.clock.now();
      const responseDate = shanghaiDate(now);
      const after = dueDateAfterStop(
        scope.calendar,
        { date: filing.dueDate, provisional: filing.dueDateProvisional },
        open.requestedDate,
        responseDate,
      );
      const stopped = after.stoppedWorkingDays;
      const dueDate = after.dueDate.date;
      if (after.dueDate.provisional) await confirmProvisional(scope.trx, scope.calendar, open.requestedDate, dueDate);
      await answerInformationRequest(scope.trx, open.id, {
        response: body.message,
        respondedAt: now,
        respondedBy: scope.actorId,
        responseDate,
        stoppedWorkingDays: stopped,
      });
      const resumed = await updateFiling(scope.trx, filing.id, {
        status: next,
        due_date: dueDate,
        due_date_provisional: after.dueDate.provisional,
        stopped_working_days: filing.stoppedWorkingDays + stopped,
        clock_stopped_on: null,
        updated_at: now,
      });
      const dueText = dueDateText(dueDate, after.dueDate.provisional);
      const product = await lockProductOf(scope, filing);
      const view = await concludeTransition(scope.trx, scope, {
        filing: resumed,
        from: filing.status,
        product,
        facts: { informationRequestId: open.id, stoppedWorkingDays: stopped, dueDateBefore: filing.dueDate },
        notifications: [
          {
            target: resumed.assigneeId === null ? { role: 'reviewer' } : { userId: resumed.assigneeId },
            kind: 'filing.information_responded',
            titleZh: `申请人已补充材料：${product.name}（新的决定期限 ${dueText.zh}）`,
            titleEn: `The provider answered: ${product.nameEn ?? product.name} (now due ${dueText.en})`,
            link: filingLink(resumed.id),
          },
        ],
      });
      return ok(view);
    },
  );
}

/** `POST /filings/{id}/withdraw`: the provider withdraws an open filing (kept, never deleted). */
export async function withdrawFiling(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string } & WritePreconditions,
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id } = input;
  return filingWrite(
    deps,
    ctx,
    'filings.withdraw',
    { key: input.idempotencyKey, fingerprint: { id } },
    async (scope) => {
      const filing = await lockFilingFor(scope, id, 'filings.withdraw');
      assertVersionMatches(input.ifMatch, filing.version);
      const next = transition(filing, 'withdraw');
      const product = await lockProductOf(scope, filing);
      const now = scope.clock.now();
      const withdrawn = await updateFiling(scope.trx, filing.id, {
        status: next,
        withdrawn_at: now,
        clock_stopped_on: null,
        updated_at: now,
      });
      const view = await concludeTransition(scope.trx, scope, {
        filing: withdrawn,
        from: filing.status,
        // A draft never changed its product's status, so its withdrawal does not either.
        product: filing.status === 'draft' ? undefined : product,
        notifications:
          withdrawn.assigneeId === null
            ? []
            : [
                {
                  target: { userId: withdrawn.assigneeId },
                  kind: 'filing.withdrawn',
                  titleZh: `申请人已撤回备案：${product.name}`,
                  titleEn: `Filing withdrawn by the provider: ${product.nameEn ?? product.name}`,
                  link: filingLink(withdrawn.id),
                },
              ],
      });
      return ok({ ...view, product: productSummary(product) });
    },
  );
}
