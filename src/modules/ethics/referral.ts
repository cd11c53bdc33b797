/**
 * Opening a case (automatic referral at submission, or a reviewer's), the 15-working-day
 * deadline, and what the committee's cases block. Other modules call these inside their own
 * transaction: the filing's submission opens its case or neither happens.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  ETHICS_APPROVAL_BLOCK_TEXTS,
  ETHICS_REVIEW_WORKING_DAYS,
  approvalBlockedBy,
  referralReasonText,
  referralReasons,
  type EthicsApprovalBlock,
  type EthicsSubjectType,
  type ReferralAnswers,
  type ReferralTrigger,
} from '../../domain/ethics.ts';
import type { FilingKind } from '../../domain/filings.ts';
import type { RiskTier } from '../../domain/risk.ts';
import type { TrialKind } from '../../domain/trial-kinds.ts';
import { shanghaiDate, type WorkingDayCalendar } from '../../lib/calendar.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { confirmProvisional, type ProvisionalDeadlineOwner } from '../calendar/index.ts';
import { notify } from '../notifications/index.ts';
import { EthicsCaseDueDateRecomputed, EthicsCaseReferred } from './events.ts';
import {
  casesOfSubject,
  countOpenProvisionalCases,
  insertCase,
  lockOpenProvisionalCases,
  updateCase,
  type CaseRecord,
  type Executor,
} from './repo.ts';

/** What a write inside another module's transaction brings (the filings' WriteScope fits). */
export interface ReferralScope {
  trx: Transaction<Database>;
  calendar: WorkingDayCalendar;
  audit: AuditContext;
  clock: Clock;
}

export interface ReferralInput {
  subjectType: EthicsSubjectType;
  subjectId: string;
  organizationId: string;
  subjectName: string;
  subjectNameEn: string | null;
  reason: string;
  triggers: readonly ReferralTrigger[];
  /** The referring reviewer; null for an automatic referral. */
  referredBy: string | null;
}

export function caseLink(caseId: string): string {
  return `/ethics/cases/${caseId}`;
}

/**
 * Opens a case: dueDate = the 15th working day after the Asia/Shanghai referral date
 * (provisional when it reaches a year without an official calendar, API-CONTRACT-2 §0).
 * The committee (members and secretary) is notified; audited; `ethics.case_referred`.
 */
export async function openCase(scope: ReferralScope, input: ReferralInput): Promise<CaseRecord> {
  const now = scope.clock.now();
  const referralDate = shanghaiDate(now);
  const due = scope.calendar.addWorkingDaysProvisional(referralDate, ETHICS_REVIEW_WORKING_DAYS);
  if (due.provisional) await confirmProvisional(scope.trx, scope.calendar, referralDate, due.date);
  const opened = await insertCase(scope.trx, {
    id: newId(),
    ...input,
    referredAt: now,
    referralDate,
    dueDate: due.date,
    dueDateProvisional: due.provisional,
  });
  const facts = {
    caseId: opened.id,
    subjectType: opened.subjectType,
    subjectId: opened.subjectId,
    organizationId: opened.organizationId,
    triggers: [...opened.triggers],
    automatic: input.referredBy === null,
    dueDate: opened.dueDate,
    dueDateProvisional: opened.dueDateProvisional,
  };
  await recordAudit(scope.trx, scope.audit, {
    action: 'ethics.case_referred',
    resourceType: 'ethics_case',
    resourceId: opened.id,
    organizationId: opened.organizationId,
    summary: facts,
  });
  await enqueueEvent(scope.trx, scope.clock, EthicsCaseReferred, opened.id, facts);
  const due_ = opened.dueDateProvisional ? `${opened.dueDate}（暂定）` : opened.dueDate;
  const dueEn = opened.dueDateProvisional ? `${opened.dueDate} (provisional)` : opened.dueDate;
  const title = {
    titleZh: `新的伦理审查案件：${opened.subjectName}（${due_} 前出具意见）`,
    titleEn: `New ethics case: ${opened.subjectNameEn ?? opened.subjectName} (opinion due ${dueEn})`,
  };
  await notify(scope.trx, scope.clock, [
    { target: { role: 'ethics_member' }, kind: 'ethics.case_referred', ...title, link: caseLink(opened.id) },
    { target: { role: 'ethics_secretary' }, kind: 'ethics.case_referred', ...title, link: caseLink(opened.id) },
  ]);
  return opened;
}

/** The open case on a subject, if any. */
export async function openCaseOf(
  db: Executor,
  subjectType: EthicsSubjectType,
  subjectId: string,
): Promise<CaseRecord | undefined> {
  return (await casesOfSubject(db, subjectType, subjectId)).find((c) => c.status === 'open');
}

/**
 * The automatic referral of a filing at submission (API-CONTRACT-2 §3): a high-risk
 * assessment of a product that processes sensitive personal information, profiles natural
 * persons, or has a biometric or law-enforcement Annex III use. Returns the case opened,
 * or undefined (no trigger, or a case already open on the filing).
 */
export async function referFilingIfTriggered(
  scope: ReferralScope,
  filing: { id: string; organizationId: string; kind: FilingKind },
  product: { tier: RiskTier; riskAnswers: unknown; name: string; nameEn: string | null },
): Promise<CaseRecord | undefined> {
  const reasons = referralReasons({
    subjectType: 'filing',
    filingKind: filing.kind,
    tier: product.tier,
    answers: (product.riskAnswers ?? {}) as ReferralAnswers,
  });
  if (reasons.length === 0) return undefined;
  if ((await openCaseOf(scope.trx, 'filing', filing.id)) !== undefined) return undefined;
  const text = referralReasonText(reasons);
  return openCase(scope, {
    subjectType: 'filing',
    subjectId: filing.id,
    organizationId: filing.organizationId,
    subjectName: product.name,
    subjectNameEn: product.nameEn,
    reason: `${text.zh} / ${text.en}`,
    triggers: reasons.map((r) => r.trigger),
    referredBy: null,
  });
}

/**
 * The automatic referral of a trial at submission: every `healthcare` trial (the trials
 * module calls this in its submit transaction). Returns the case, or undefined for a pilot.
 */
export async function referTrialIfTriggered(
  scope: ReferralScope,
  trial: { id: string; organizationId: string; kind: TrialKind; title: string; titleEn: string | null },
): Promise<CaseRecord | undefined> {
  const reasons = referralReasons({ subjectType: 'trial', trialKind: trial.kind });
  if (reasons.length === 0) return undefined;
  if ((await openCaseOf(scope.trx, 'trial', trial.id)) !== undefined) return undefined;
  const text = referralReasonText(reasons);
  return openCase(scope, {
    subjectType: 'trial',
    subjectId: trial.id,
    organizationId: trial.organizationId,
    subjectName: trial.title,
    subjectNameEn: trial.titleEn,
    reason: `${text.zh} / ${text.en}`,
    triggers: reasons.map((r) => r.trigger),
    referredBy: null,
  });
}

/** What the committee's cases on a subject block (`approvalBlockedBy` over every case). */
export async function ethicsApprovalBlock(
  db: Executor,
  subjectType: EthicsSubjectType,
  subjectId: string,
): Promise<EthicsApprovalBlock | undefined> {
  return approvalBlockedBy(await casesOfSubject(db, subjectType, subjectId));
}

/**
 * 422 `ethics_opinion_pending` / `ethics_opinion_unfavourable` when an approval of the
 * subject must wait or cannot be given (rejecting is never blocked: callers check approvals only).
 */
export async function assertEthicsAllowsApproval(
  db: Executor,
  subjectType: EthicsSubjectType,
  subjectId: string,
): Promise<void> {
  const cases = await casesOfSubject(db, subjectType, subjectId);
  const block = approvalBlockedBy(cases);
  if (block === undefined) return;
  const blocking =
    block === 'ethics_opinion_pending'
      ? cases.find((c) => c.status === 'open')
      : cases.find((c) => c.status === 'decided' && c.outcome === 'unfavourable');
  throw unprocessable(block, {
    detail: ETHICS_APPROVAL_BLOCK_TEXTS[block],
    extensions: { ethicsCaseId: blocking?.id ?? null, ethicsCaseDueDate: blocking?.dueDate ?? null },
  });
}

/**
 * Whether a trial has the favourable opinion a healthcare trial needs: `favourable` when the
 * latest decided case is favourable(-with-conditions) and none is open; else `pending`
 * (open case, or none yet) or `unfavourable`.
 */
export async function trialEthicsStanding(
  db: Executor,
  trialId: string,
): Promise<'favourable' | 'pending' | 'unfavourable'> {
  const cases = await casesOfSubject(db, 'trial', trialId);
  const block = approvalBlockedBy(cases);
  if (block === 'ethics_opinion_unfavourable') return 'unfavourable';
  if (block === 'ethics_opinion_pending' || !cases.some((c) => c.status === 'decided')) return 'pending';
  return 'favourable';
}

/** The committee's provisional deadlines: open cases whose due date counted a missing year. */
export const ethicsDeadlines: ProvisionalDeadlineOwner = {
  name: 'ethics',
  async recompute(trx, calendar, context) {
    const changes = [];
    for (const open of await lockOpenProvisionalCases(trx)) {
      const due = calendar.addWorkingDaysProvisional(open.referralDate, ETHICS_REVIEW_WORKING_DAYS);
      if (due.date === open.dueDate && due.provisional === open.dueDateProvisional) continue;
      await updateCase(trx, open.id, {
        due_date: due.date,
        due_date_provisional: due.provisional,
        updated_at: context.clock.now(),
      });
      const facts = {
        caseId: open.id,
        year: context.year,
        dueDateBefore: open.dueDate,
        dueDate: due.date,
        dueDateProvisional: due.provisional,
      };
      await recordAudit(trx, context.audit, {
        action: 'ethics.case_due_date_recomputed',
        resourceType: 'ethics_case',
        resourceId: open.id,
        organizationId: open.organizationId,
        summary: facts,
      });
      await enqueueEvent(trx, context.clock, EthicsCaseDueDateRecomputed, open.id, facts);
      const title = {
        titleZh: `伦理审查期限已按 ${context.year} 年工作日历重新计算：${open.subjectName}（${open.dueDate} → ${due.date}）`,
        titleEn: `Ethics case due date recomputed on the ${context.year} calendar: ${open.subjectNameEn ?? open.subjectName} (${open.dueDate} → ${due.date})`,
      };
      await notify(trx, context.clock, [
        {
          target: { role: 'ethics_member' },
          kind: 'ethics.case_due_date_recomputed',
          ...title,
          link: caseLink(open.id),
        },
        {
          target: { role: 'ethics_secretary' },
          kind: 'ethics.case_due_date_recomputed',
          ...title,
          link: caseLink(open.id),
        },
      ]);
      changes.push({
        resourceType: 'ethics_case',
        resourceId: open.id,
        subject: open.subjectName,
        dueDateBefore: open.dueDate,
        dueDate: due.date,
        dueDateProvisional: due.provisional,
      });
    }
    return changes;
  },
  countOpen: countOpenProvisionalCases,
};
