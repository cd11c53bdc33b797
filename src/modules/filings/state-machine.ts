/**
 * The filing life cycle, in one table. Pure: no I/O. Every status change and every edit of
 * a filing asks `nextStatus` first; what the table does not list is an illegal transition.
 *
 * Shenzhen Regulations, governance chapter: medium- and low-risk applications → ex-ante
 * disclosure (public at once after the completeness check); high-risk → ex-ante assessment
 * decided by a reviewer on a working-day clock that stops while information is requested.
 */

export const FILING_STATUSES = [
  'draft',
  'submitted',
  'under_review',
  'information_requested',
  'accepted',
  'approved',
  'approved_with_conditions',
  'rejected',
  'withdrawn',
] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

export const FILING_EVENTS = [
  /** Change the draft's texts. */
  'edit',
  /** Add a document (a draft, or an answer to an information request). */
  'attach_document',
  /** Complete disclosure: public at once. */
  'submit_disclosure',
  /** Complete assessment: the review clock starts. */
  'submit_assessment',
  /** A reviewer claims it, or an administrator assigns it. */
  'claim',
  /** An administrator hands a filing under review to another reviewer. */
  'reassign',
  'request_information',
  'respond',
  'approve',
  'approve_with_conditions',
  'reject',
  /** The provider withdraws before any decision. */
  'withdraw',
] as const;
export type FilingEvent = (typeof FILING_EVENTS)[number];

/** status → event → next status. Terminal statuses accept nothing. */
export const FILING_TRANSITIONS: Readonly<Record<FilingStatus, Readonly<Partial<Record<FilingEvent, FilingStatus>>>>> =
  {
    draft: {
      edit: 'draft',
      attach_document: 'draft',
      submit_disclosure: 'accepted',
      submit_assessment: 'submitted',
      withdraw: 'withdrawn',
    },
    submitted: { claim: 'under_review', withdraw: 'withdrawn' },
    under_review: {
      reassign: 'under_review',
      request_information: 'information_requested',
      approve: 'approved',
      approve_with_conditions: 'approved_with_conditions',
      reject: 'rejected',
      withdraw: 'withdrawn',
    },
    information_requested: { attach_document: 'information_requested', respond: 'under_review', withdraw: 'withdrawn' },
    accepted: {},
    approved: {},
    approved_with_conditions: {},
    rejected: {},
    withdrawn: {},
  };

/** Statuses in which a filing is still open (at most one per product). */
export const OPEN_STATUSES = [
  'draft',
  'submitted',
  'under_review',
  'information_requested',
] as const satisfies readonly FilingStatus[];
/** Statuses of the reviewers' queue. */
export const QUEUE_STATUSES = [
  'submitted',
  'under_review',
  'information_requested',
] as const satisfies readonly FilingStatus[];
/** Statuses in which the statutory clock runs (it stops while information is requested). */
export const CLOCK_RUNNING_STATUSES = ['submitted', 'under_review'] as const satisfies readonly FilingStatus[];
/** Outcomes published to the public register and transparency log. Rejections stay confidential. */
export const PUBLIC_OUTCOMES = [
  'accepted',
  'approved',
  'approved_with_conditions',
] as const satisfies readonly FilingStatus[];

export class IllegalTransitionError extends Error {
  constructor(
    readonly currentStatus: FilingStatus,
    readonly event: FilingEvent,
  ) {
    super(`A filing in status ${currentStatus} does not allow ${event}`);
    this.name = 'IllegalTransitionError';
  }
}

/** The status after `event`, or `IllegalTransitionError`. */
export function nextStatus(current: FilingStatus, event: FilingEvent): FilingStatus {
  const next = FILING_TRANSITIONS[current][event];
  if (next === undefined) throw new IllegalTransitionError(current, event);
  return next;
}

export function allows(current: FilingStatus, event: FilingEvent): boolean {
  return FILING_TRANSITIONS[current][event] !== undefined;
}

export function isOpen(status: FilingStatus): boolean {
  return (OPEN_STATUSES as readonly FilingStatus[]).includes(status);
}

export function isClockRunning(status: FilingStatus): boolean {
  return (CLOCK_RUNNING_STATUSES as readonly FilingStatus[]).includes(status);
}

export const DECISION_OUTCOMES = ['approved', 'approved_with_conditions', 'rejected'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const DECISION_EVENTS: Readonly<Record<DecisionOutcome, FilingEvent>> = {
  approved: 'approve',
  approved_with_conditions: 'approve_with_conditions',
  rejected: 'reject',
};
