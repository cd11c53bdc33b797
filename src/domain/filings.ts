/**
 * Filings — the rules of the law about disclosures and assessments, written once and imported
 * by the server and the web app: the kinds, the life cycle in one pure table, which statuses
 * are open, on the clock or public, and what a complete filing needs.
 *
 * Shenzhen Regulations, governance chapter: medium- and low-risk applications → ex-ante
 * disclosure (public at once after the completeness check); high-risk → ex-ante assessment
 * decided by a reviewer on a working-day clock that stops while information is requested.
 */
import type { RiskTier } from './risk.ts';

export const FILING_KINDS = ['disclosure', 'assessment'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];

export const DOCUMENT_TYPES = ['risk_assessment_report', 'technical_documentation', 'test_report', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** API-CONTRACT.md: PDF, PNG, JPEG, DOCX, XLSX and plain text, content-sniffed; at most 20 MB each. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const DOCUMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt,application/pdf,image/png,image/jpeg,text/plain';

/** Shenzhen Regulations, governance chapter: high risk → ex-ante assessment; medium and low → ex-ante disclosure; prohibited → none. */
export function kindForTier(tier: RiskTier): FilingKind | undefined {
  switch (tier) {
    case 'high':
      return 'assessment';
    case 'medium':
    case 'low':
      return 'disclosure';
    case 'prohibited':
      return undefined;
  }
}

/**
 * A medium-risk disclosure states its transparency measures: how people learn they face an AI
 * system and how generated content is labelled (EU AI Act Art. 50; PRC deep-synthesis labelling).
 */
export function needsTransparencyMeasures(kind: FilingKind, tier: RiskTier): boolean {
  return kind === 'disclosure' && tier === 'medium';
}

/** An assessment needs a risk assessment report among its documents (API-CONTRACT.md). */
export const ASSESSMENT_REQUIRED_DOCUMENT: DocumentType = 'risk_assessment_report';

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
  /** Remove a document not yet submitted (from a draft, or added since the information request). */
  'remove_document',
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
      remove_document: 'draft',
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
    information_requested: {
      attach_document: 'information_requested',
      remove_document: 'information_requested',
      respond: 'under_review',
      withdraw: 'withdrawn',
    },
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
export type PublicOutcome = (typeof PUBLIC_OUTCOMES)[number];

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
