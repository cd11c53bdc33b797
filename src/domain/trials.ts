/**
 * Trials (API-CONTRACT-2 §2): pilots of low-risk products that meet advanced international
 * standards where no national or local standard exists, and small-scale trials of low-risk
 * healthcare AI hosted by medical institutions — the rules written once, imported by the
 * server and the web app: kinds, the life cycle in one pure table (with the statuses the clock
 * computes), eligibility as data with its legal basis, deadlines, enrolment and extension.
 *
 * Law: Shenzhen AI Regulations (深圳经济特区人工智能产业促进条例, 2022) — low-risk AI products and
 * services for which no national or local standard exists but which meet advanced international
 * product standards or norms may be tested, trialled and piloted (先行先试); medical institutions
 * may run streamlined reviews and small-scale trials of low-risk healthcare AI. The caps
 * (183 days, renewable once; 500 participants; 1–5 hosts) and deadlines are the platform's,
 * fixed by the contract.
 *
 * Dates are civil `YYYY-MM-DD` on the Asia/Shanghai calendar; `today` is the Shanghai date of
 * the server clock, worked out by the caller.
 */
import { calendarDaysBetween } from './civil-date.ts';
import { approvalBlockedBy, type EthicsCaseState } from './ethics.ts';
import type { OrganizationStatus, OrganizationType } from './identity.ts';
import type { RiskTier } from './risk.ts';

export { TRIAL_KINDS, type TrialKind } from './trial-kinds.ts';
import type { TrialKind } from './trial-kinds.ts';

/**
 * Every status a trial shows. `approved`, `active` and `ended` are one stored status
 * (`approved`) read through the clock: `approved` before `startDate`, `active` from it through
 * `endDate`, `ended` from the day after `endDate` until the final report.
 */
export const TRIAL_STATUSES = [
  'draft',
  'under_review',
  'approved',
  'active',
  'ended',
  'suspended',
  'rejected',
  'completed',
] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** The statuses written to the database; `active` and `ended` are never stored. */
export const STORED_TRIAL_STATUSES = [
  'draft',
  'under_review',
  'approved',
  'suspended',
  'rejected',
  'completed',
] as const satisfies readonly TrialStatus[];
export type StoredTrialStatus = (typeof STORED_TRIAL_STATUSES)[number];

/** The statuses the clock derives from a stored `approved`. */
export const CLOCK_TRIAL_STATUSES = ['approved', 'active', 'ended'] as const satisfies readonly TrialStatus[];
export type ClockTrialStatus = (typeof CLOCK_TRIAL_STATUSES)[number];

/** `GET /api/v1/public/trials` shows these; never drafts, trials under review or rejected ones. */
export const PUBLIC_TRIAL_STATUSES = [
  'approved',
  'active',
  'ended',
  'suspended',
  'completed',
] as const satisfies readonly TrialStatus[];

export function isPublicTrialStatus(status: TrialStatus): boolean {
  return (PUBLIC_TRIAL_STATUSES as readonly TrialStatus[]).includes(status);
}

export interface TrialSchedule {
  readonly status: StoredTrialStatus;
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * The status shown on `today` (a Shanghai date): a stored `approved` is `approved` while
 * `today < startDate`, `active` while `startDate ≤ today ≤ endDate` (both days included),
 * `ended` from the day after `endDate`; every other stored status shows as it is.
 */
export function trialStatusAt(trial: TrialSchedule, today: string): TrialStatus {
  if (trial.status !== 'approved') return trial.status;
  // Validates the three dates (YYYY-MM-DD compares in date order once valid).
  if (calendarDaysBetween(trial.startDate, today) < 0) return 'approved';
  if (calendarDaysBetween(trial.endDate, today) <= 0) return 'active';
  return 'ended';
}

/**
 * A query for trials showing `status` on `today`, as conditions on the stored columns (for a
 * repository's WHERE): the stored status, plus date bounds for the clock statuses. Inclusive
 * bounds are `…OnOrBefore` / `…OnOrAfter`; exclusive ones `…Before` / `…After`.
 */
export interface TrialStatusFilter {
  readonly storedStatus: StoredTrialStatus;
  readonly startDateAfter?: string;
  readonly startDateOnOrBefore?: string;
  readonly endDateOnOrAfter?: string;
  readonly endDateBefore?: string;
}

export function trialStatusFilter(status: TrialStatus, today: string): TrialStatusFilter {
  switch (status) {
    case 'approved':
      return { storedStatus: 'approved', startDateAfter: today };
    case 'active':
      return { storedStatus: 'approved', startDateOnOrBefore: today, endDateOnOrAfter: today };
    case 'ended':
      return { storedStatus: 'approved', endDateBefore: today };
    case 'draft':
    case 'under_review':
    case 'suspended':
    case 'rejected':
    case 'completed':
      return { storedStatus: status };
  }
}

// ---------------------------------------------------------------------------------------
// Life cycle

export const TRIAL_EVENTS = [
  /** Change the draft. */
  'edit',
  /** `POST /trials/{id}/submit`: site reviews (and, for healthcare, an ethics referral) open. */
  'submit',
  /** A host approved, but the review is not complete yet (see `reviewConclusion`). */
  'record_site_review',
  /** Every host approved (and, for healthcare, the ethics opinion is favourable). */
  'approve',
  /** A host rejected (or, for healthcare, the ethics opinion is unfavourable). */
  'reject',
  'enrol',
  /** A non-serious adverse event: recorded, nothing changes. */
  'report_adverse_event',
  /** A serious adverse event suspends the trial at once. */
  'report_serious_adverse_event',
  /** A reviewer lifts the suspension; the clock decides between active and ended. */
  'resume',
  /**
   * An active red early warning on the trial's product (API-CONTRACT-2 §1: a red warning
   * suspends the product) suspends every approved trial of it, started or not.
   */
  'suspend_for_warning',
  /** A new `endDate`, once (see `checkExtension`). */
  'extend',
  'submit_interim_report',
  /** Completes the trial; before `endDate` it ends the trial early. */
  'submit_final_report',
] as const;
export type TrialEvent = (typeof TRIAL_EVENTS)[number];

/**
 * status shown (`trialStatusAt`) → event → status stored. Missing: refused. Boundary choices:
 * - adverse events are reported while `active`, `ended` (follow-up after the last day) or
 *   `suspended`; before `startDate` nobody is enrolled, so there is nothing to report. A
 *   serious one suspends an `ended` trial too: "suspends the trial at once" — no final report
 *   slips through while reviewers look at it (it is still allowed from `suspended`).
 * - an extension is asked before the trial ends (`approved`, `active`) or while `suspended`
 *   (the suspension ate time); an `ended` trial is not revived.
 * - a final report closes any approved trial: before `startDate` (abandoned, 0 participants),
 *   while `active` (ends it early), `ended` (the normal case) or `suspended`.
 * - interim reports come while the trial runs or is suspended; once ended, the next is final.
 * Terminal statuses accept nothing. There is no withdrawal: the contract has none.
 */
export const TRIAL_TRANSITIONS: Readonly<
  Record<TrialStatus, Readonly<Partial<Record<TrialEvent, StoredTrialStatus>>>>
> = {
  draft: { edit: 'draft', submit: 'under_review' },
  under_review: { record_site_review: 'under_review', approve: 'approved', reject: 'rejected' },
  approved: { extend: 'approved', suspend_for_warning: 'suspended', submit_final_report: 'completed' },
  active: {
    enrol: 'approved',
    report_adverse_event: 'approved',
    report_serious_adverse_event: 'suspended',
    suspend_for_warning: 'suspended',
    extend: 'approved',
    submit_interim_report: 'approved',
    submit_final_report: 'completed',
  },
  ended: {
    report_adverse_event: 'approved',
    report_serious_adverse_event: 'suspended',
    suspend_for_warning: 'suspended',
    submit_final_report: 'completed',
  },
  suspended: {
    report_adverse_event: 'suspended',
    report_serious_adverse_event: 'suspended',
    suspend_for_warning: 'suspended',
    resume: 'approved',
    extend: 'suspended',
    submit_interim_report: 'suspended',
    submit_final_report: 'completed',
  },
  rejected: {},
  completed: {},
};

export class IllegalTrialTransitionError extends Error {
  constructor(
    readonly currentStatus: TrialStatus,
    readonly event: TrialEvent,
    /** The problem `code` of the 409: `trial_not_active` for enrolment, else `illegal_transition`. */
    readonly code: 'trial_not_active' | 'illegal_transition',
  ) {
    super(`A trial in status ${currentStatus} does not allow ${event}`);
    this.name = 'IllegalTrialTransitionError';
  }
}

/** The stored status after `event` on a trial showing `current`, or `IllegalTrialTransitionError`. */
export function nextTrialStatus(current: TrialStatus, event: TrialEvent): StoredTrialStatus {
  const next = TRIAL_TRANSITIONS[current][event];
  if (next === undefined) {
    throw new IllegalTrialTransitionError(
      current,
      event,
      event === 'enrol' ? 'trial_not_active' : 'illegal_transition',
    );
  }
  return next;
}

export function canTrial(current: TrialStatus, event: TrialEvent): boolean {
  return TRIAL_TRANSITIONS[current][event] !== undefined;
}

// ---------------------------------------------------------------------------------------
// Review

export const SITE_REVIEW_DECISIONS = ['approved', 'rejected'] as const;
export type SiteReviewDecision = (typeof SITE_REVIEW_DECISIONS)[number];

export interface TrialReviewState {
  readonly kind: TrialKind;
  readonly hostOrganizationIds: readonly string[];
  readonly siteReviews: readonly { readonly hostOrganizationId: string; readonly decision: SiteReviewDecision }[];
  /** The trial's ethics cases (healthcare); ignored for pilots. */
  readonly ethicsCases: readonly EthicsCaseState[];
}

/**
 * Where a trial under review stands (API-CONTRACT-2 §2), to call after each site review and
 * after an ethics opinion on the trial:
 * - `rejected` when any host rejected, or a healthcare trial received an unfavourable opinion
 *   (it needs a favourable one and can never get it now: it is refused rather than left open);
 * - `approved` when every host approved and, for healthcare, there is an ethics case, none is
 *   open and none is unfavourable;
 * - `pending` otherwise. Reviews by organisations that are not hosts are ignored.
 */
export function reviewConclusion(state: TrialReviewState): 'approved' | 'rejected' | 'pending' {
  const hosts = new Set(state.hostOrganizationIds);
  const reviews = state.siteReviews.filter((review) => hosts.has(review.hostOrganizationId));
  if (reviews.some((review) => review.decision === 'rejected')) return 'rejected';
  const ethics = state.kind === 'healthcare' ? approvalBlockedBy(state.ethicsCases) : undefined;
  if (ethics === 'ethics_opinion_unfavourable') return 'rejected';
  const approvedHosts = new Set(reviews.map((review) => review.hostOrganizationId));
  if (approvedHosts.size < hosts.size) return 'pending';
  if (state.kind === 'healthcare' && (ethics !== undefined || state.ethicsCases.length === 0)) return 'pending';
  return 'approved';
}

/** The event `reviewConclusion` calls for. */
export function reviewEvent(conclusion: 'approved' | 'rejected' | 'pending'): TrialEvent {
  switch (conclusion) {
    case 'approved':
      return 'approve';
    case 'rejected':
      return 'reject';
    case 'pending':
      return 'record_site_review';
  }
}

// ---------------------------------------------------------------------------------------
// Limits and deadlines

/** `endDate − startDate` (calendar days) is at most this: a trial spans at most 184 days, both ends included. */
export const MAX_TRIAL_DURATION_DAYS = 183;
/** An extension moves `endDate` by at most this many calendar days, once. */
export const MAX_TRIAL_EXTENSION_DAYS = 183;
export const MAX_HEALTHCARE_PARTICIPANTS = 500;
export const MIN_TRIAL_HOSTS = 1;
export const MAX_TRIAL_HOSTS = 5;
/** Each host's site review is due this many working days after submission (day 0 = the submission date). */
export const TRIAL_SITE_REVIEW_WORKING_DAYS = 10;
/** The final report is due this many working days after `endDate` (day 0 = `endDate`). */
export const TRIAL_FINAL_REPORT_WORKING_DAYS = 20;
/** A serious adverse event is reported within this many hours of `awareAt`. */
export const SERIOUS_ADVERSE_EVENT_REPORT_HOURS = 24;

/** A working-day deadline for the module's calendar: `addWorkingDaysProvisional(from, workingDays)`. */
export interface WorkingDayDeadline {
  readonly from: string;
  readonly workingDays: number;
}

/** Each host's site review: 10 working days from the Shanghai date of submission. */
export function siteReviewDeadline(submittedOn: string): WorkingDayDeadline {
  return { from: submittedOn, workingDays: TRIAL_SITE_REVIEW_WORKING_DAYS };
}

/** The final report: 20 working days after the (possibly extended) `endDate`. */
export function finalReportDeadline(trial: { readonly endDate: string }): WorkingDayDeadline {
  return { from: trial.endDate, workingDays: TRIAL_FINAL_REPORT_WORKING_DAYS };
}

const HOUR_MS = 3_600_000;

/** `reportDeadline` of an adverse event: `awareAt` + 24 h when serious; `null` otherwise. */
export function adverseEventReportDeadline(event: { readonly serious: boolean }, awareAt: Date): Date | null {
  if (!event.serious) return null;
  if (Number.isNaN(awareAt.getTime())) throw new RangeError('awareAt must be a valid Date');
  return new Date(awareAt.getTime() + SERIOUS_ADVERSE_EVENT_REPORT_HOURS * HOUR_MS);
}

/** `reportedLate`: strictly after the deadline (at its exact instant is on time); never without one. */
export function isAdverseEventReportedLate(reportDeadline: Date | null, reportedAt: Date): boolean {
  if (reportDeadline === null) return false;
  if (Number.isNaN(reportedAt.getTime())) throw new RangeError('reportedAt must be a valid Date');
  return reportedAt.getTime() > reportDeadline.getTime();
}

/** A refusal the module turns into problem+json. */
export interface TrialRefusal {
  readonly status: 409 | 422;
  readonly code: string;
  /** RFC 6901 pointer into the request body, when one field is at fault. */
  readonly pointer?: string;
  readonly message: string;
  readonly messageZh: string;
}

/**
 * An enrolment of `count` people (API-CONTRACT-2 §2): only while `active` (409
 * `trial_not_active` — a suspended trial enrols nobody); a running total above
 * `maxParticipants` → 409 `participant_cap_reached` (reaching it exactly is fine).
 * `undefined`: accepted.
 */
export function checkEnrolment(
  trial: { readonly status: TrialStatus; readonly enrolled: number; readonly maxParticipants: number },
  count: number,
): TrialRefusal | undefined {
  assertCount(count, 'count');
  assertCount(trial.enrolled, 'enrolled');
  if (!canTrial(trial.status, 'enrol')) {
    return {
      status: 409,
      code: 'trial_not_active',
      message: `The trial is ${trial.status}: enrolment is possible only while it is active`,
      messageZh: '试验当前不在进行中，不能入组',
    };
  }
  if (trial.enrolled + count > trial.maxParticipants) {
    return {
      status: 409,
      code: 'participant_cap_reached',
      pointer: '/count',
      message: `${trial.enrolled} enrolled so far: ${count} more would exceed the cap of ${trial.maxParticipants}`,
      messageZh: `已入组 ${trial.enrolled} 人，再入组 ${count} 人将超过上限 ${trial.maxParticipants} 人`,
    };
  }
  return undefined;
}

/**
 * An extension to `newEndDate` (API-CONTRACT-2 §2), once, by at most 183 calendar days:
 * - already extended → 409 `extension_used` (checked first: no second extension of any length);
 * - `newEndDate` not after the current `endDate` → 422 `extension_not_later` (the module's own
 *   code; the contract names none for it);
 * - `newEndDate − endDate` > 183 days → 422 `extension_too_long` (exactly 183 is fine).
 * Whether the trial's status allows an extension is the table's business (`extend`).
 */
export function checkExtension(
  trial: { readonly endDate: string; readonly extended: boolean },
  newEndDate: string,
): TrialRefusal | undefined {
  if (trial.extended) {
    return {
      status: 409,
      code: 'extension_used',
      message: 'The trial has already been extended once',
      messageZh: '试验已延期过一次，不能再次延期',
    };
  }
  const days = calendarDaysBetween(trial.endDate, newEndDate);
  if (days <= 0) {
    return {
      status: 422,
      code: 'extension_not_later',
      pointer: '/endDate',
      message: `The new end date must be after the current one (${trial.endDate})`,
      messageZh: `新的结束日期须晚于当前结束日期（${trial.endDate}）`,
    };
  }
  if (days > MAX_TRIAL_EXTENSION_DAYS) {
    return {
      status: 422,
      code: 'extension_too_long',
      pointer: '/endDate',
      message: `An extension adds at most ${MAX_TRIAL_EXTENSION_DAYS} days; this one adds ${days}`,
      messageZh: `延期最多 ${MAX_TRIAL_EXTENSION_DAYS} 天，本次延期 ${days} 天`,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Eligibility

export const TRIAL_ELIGIBILITY_CODES = [
  'tier_not_eligible',
  'start_in_past',
  'end_before_start',
  'duration_too_long',
  'international_standard_required',
  'host_not_medical_institution',
  'participant_cap_too_high',
] as const;
export type TrialEligibilityCode = (typeof TRIAL_ELIGIBILITY_CODES)[number];

/** One eligibility rule, as data: what it checks, where the failure points, and why. */
export interface TrialEligibilityRule {
  readonly id: string;
  readonly code: TrialEligibilityCode;
  /** RFC 6901 pointer into the request body; `{i}` stands for the failing host's index. */
  readonly pointer: string;
  readonly appliesTo: readonly TrialKind[];
  readonly message: string;
  readonly messageZh: string;
  readonly legalBasisZh: string;
  readonly legalBasisEn: string;
}

const BOTH: readonly TrialKind[] = ['healthcare', 'pilot'];
const REGULATIONS_ZH = '深圳经济特区人工智能产业促进条例';
const REGULATIONS_EN = 'Shenzhen AI Regulations';

/** In request-body order; every rule that fails is reported (one 422, `trial_not_eligible`). */
export const TRIAL_ELIGIBILITY_RULES: readonly TrialEligibilityRule[] = [
  {
    id: 'T1',
    code: 'tier_not_eligible',
    pointer: '/productId',
    appliesTo: BOTH,
    message: 'Only a low-risk product may be trialled',
    messageZh: '仅低风险产品可以开展试验',
    legalBasisZh: `${REGULATIONS_ZH}：低风险人工智能产品和服务可先行先试；医疗机构可小范围试用低风险医疗人工智能`,
    legalBasisEn: `${REGULATIONS_EN}: low-risk AI products and services may be trialled first; medical institutions may trial low-risk healthcare AI on a small scale`,
  },
  {
    id: 'T2',
    code: 'start_in_past',
    pointer: '/startDate',
    appliesTo: BOTH,
    message: 'The start date must be today or later',
    messageZh: '开始日期不能早于今天',
    legalBasisZh: '平台规则（API-CONTRACT-2 §2）：试验须在开始前获批',
    legalBasisEn: 'Platform rule (API-CONTRACT-2 §2): a trial is approved before it starts',
  },
  {
    id: 'T3',
    code: 'end_before_start',
    pointer: '/endDate',
    appliesTo: BOTH,
    message: 'The end date must not be before the start date',
    messageZh: '结束日期不能早于开始日期',
    legalBasisZh: '平台规则：期间不能在开始之前结束',
    legalBasisEn: 'Platform rule: a period cannot end before it starts',
  },
  {
    id: 'T4',
    code: 'duration_too_long',
    pointer: '/endDate',
    appliesTo: BOTH,
    message: `The end date may be at most ${MAX_TRIAL_DURATION_DAYS} days after the start date`,
    messageZh: `结束日期最晚为开始日期后第 ${MAX_TRIAL_DURATION_DAYS} 天`,
    legalBasisZh: `${REGULATIONS_ZH}：试验应有期限（小范围、限时）；期限上限为平台规则（约六个月，可延期一次）`,
    legalBasisEn: `${REGULATIONS_EN}: trials are bounded (small-scale, time-limited); the cap is the platform's (about six months, renewable once)`,
  },
  {
    id: 'T5',
    code: 'international_standard_required',
    pointer: '/internationalStandards',
    appliesTo: ['pilot'],
    message: 'A pilot names at least one advanced international standard the product meets',
    messageZh: '试点须至少列出产品符合的一项国际先进标准',
    legalBasisZh: `${REGULATIONS_ZH}：国家、地方尚未制定标准但符合国际先进产品标准或者规范的低风险产品可先行先试`,
    legalBasisEn: `${REGULATIONS_EN}: low-risk products with no national or local standard that meet advanced international product standards or norms may be trialled first`,
  },
  {
    id: 'T6',
    code: 'international_standard_required',
    pointer: '/noApplicableNationalStandard',
    appliesTo: ['pilot'],
    message: 'A pilot is open only to a product for which no national or local standard exists',
    messageZh: '试点仅适用于国家、地方尚未制定标准的产品',
    legalBasisZh: `${REGULATIONS_ZH}：国家、地方尚未制定标准但符合国际先进产品标准或者规范的低风险产品可先行先试`,
    legalBasisEn: `${REGULATIONS_EN}: low-risk products with no national or local standard that meet advanced international product standards or norms may be trialled first`,
  },
  {
    id: 'T7',
    code: 'host_not_medical_institution',
    pointer: '/hostOrganizationIds/{i}',
    appliesTo: ['healthcare'],
    message: 'Every host of a healthcare trial must be a verified medical institution',
    messageZh: '医疗试用的每个承担单位都须为已核验的医疗机构',
    legalBasisZh: `${REGULATIONS_ZH}：医疗机构可以建立简易审查制度，小范围试用低风险医疗人工智能`,
    legalBasisEn: `${REGULATIONS_EN}: medical institutions may run streamlined reviews and small-scale trials of low-risk healthcare AI`,
  },
  {
    id: 'T8',
    code: 'participant_cap_too_high',
    pointer: '/maxParticipants',
    appliesTo: ['healthcare'],
    message: `A healthcare trial enrols at most ${MAX_HEALTHCARE_PARTICIPANTS} participants`,
    messageZh: `医疗试用最多入组 ${MAX_HEALTHCARE_PARTICIPANTS} 人`,
    legalBasisZh: `${REGULATIONS_ZH}：小范围试用；人数上限为平台规则`,
    legalBasisEn: `${REGULATIONS_EN}: small-scale trials; the cap is the platform's`,
  },
];

/** The request fields eligibility reads (`POST /api/v1/trials`). */
export interface TrialApplication {
  readonly kind: TrialKind;
  readonly hostOrganizationIds: readonly string[];
  readonly maxParticipants: number;
  readonly startDate: string;
  readonly endDate: string;
  readonly internationalStandards: readonly { readonly code: string; readonly title: string }[];
  readonly noApplicableNationalStandard: boolean;
}

export interface TrialHostFacts {
  readonly type: OrganizationType;
  readonly status: OrganizationStatus;
}

/** What the platform knows, read by the module. */
export interface TrialEligibilityFacts {
  /** The Shanghai date of the server clock. */
  readonly today: string;
  /** The product's current tier; `null` when it has none yet (no self-check). */
  readonly productTier: RiskTier | null;
  /** One per `hostOrganizationIds` entry, same order; `undefined` for an unknown organisation. */
  readonly hosts: readonly (TrialHostFacts | undefined)[];
}

/** One `errors[]` item of the 422 `trial_not_eligible`. */
export interface TrialEligibilityFailure {
  readonly ruleId: string;
  readonly pointer: string;
  readonly code: TrialEligibilityCode;
  readonly message: string;
  readonly messageZh: string;
}

const RULE_CHECKS: Readonly<
  Record<string, (application: TrialApplication, facts: TrialEligibilityFacts) => readonly number[] | boolean>
> = {
  T1: (_, facts) => facts.productTier === 'low',
  T2: (application, facts) => calendarDaysBetween(facts.today, application.startDate) >= 0,
  T3: (application) => calendarDaysBetween(application.startDate, application.endDate) >= 0,
  T4: (application) => calendarDaysBetween(application.startDate, application.endDate) <= MAX_TRIAL_DURATION_DAYS,
  T5: (application) => application.internationalStandards.length > 0,
  T6: (application) => application.noApplicableNationalStandard,
  // The failing hosts' indexes (empty: every host passes).
  T7: (application, facts) =>
    application.hostOrganizationIds.flatMap((_, i) => {
      const host = facts.hosts[i];
      return host?.type === 'medical_institution' && host.status === 'verified' ? [] : [i];
    }),
  T8: (application) => application.maxParticipants <= MAX_HEALTHCARE_PARTICIPANTS,
};

/**
 * Every eligibility failure at once (API-CONTRACT-2 §2), in `TRIAL_ELIGIBILITY_RULES` order
 * (one item per failing host for T7); empty: eligible. Dates must be valid `YYYY-MM-DD`
 * (the request schema's `format: date`), else `RangeError`. `endDate` may equal `startDate`
 * (a one-day trial); `endDate − startDate` = 183 is allowed, 184 is not. A trial needs no
 * earlier filing of the product.
 */
export function checkEligibility(
  application: TrialApplication,
  facts: TrialEligibilityFacts,
): TrialEligibilityFailure[] {
  const failures: TrialEligibilityFailure[] = [];
  for (const rule of TRIAL_ELIGIBILITY_RULES) {
    if (!rule.appliesTo.includes(application.kind)) continue;
    const check = RULE_CHECKS[rule.id];
    if (check === undefined) throw new Error(`No check for trial eligibility rule ${rule.id}`);
    const result = check(application, facts);
    const failing = typeof result === 'boolean' ? (result ? [] : [undefined]) : result;
    for (const index of failing) {
      failures.push({
        ruleId: rule.id,
        pointer: index === undefined ? rule.pointer : rule.pointer.replace('{i}', String(index)),
        code: rule.code,
        message: rule.message,
        messageZh: rule.messageZh,
      });
    }
  }
  return failures;
}

function assertCount(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer (got ${value})`);
  }
}
