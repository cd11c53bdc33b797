import { FILING_STATUSES } from './filings.ts';

/**
 * What the audit trail records, shared by the server and the web app: every action code a
 * module writes with `recordAudit`, and the kinds of resource it concerns. The web app labels
 * each in both languages (a test checks that none is missing); a module that records a new
 * action adds it here.
 */
export const AUDIT_ACTIONS = [
  'api_token.created',
  'api_token.revoked',
  'calendar.year_loaded',
  'catalogue.published',
  ...FILING_STATUSES.map((status) => `filing.${status}` as const),
  'filing.assigned',
  'filing.updated',
  'filing.document_attached',
  'filing.document_removed',
  'filing.information_responded',
  'filing.due_date_recomputed',
  'organization.registered',
  'organization.verified',
  'organization.rejected',
  'product.registered',
  'product.updated',
  'product.status_changed',
  'product.reassessment_required',
  'register.decision_published',
  'session.created',
  'statistics.period_created',
  'statistics.return_filed',
  'statistics.return_corrected',
  'statistics.period_published',
  'ethics.case_referred',
  'ethics.case_due_date_recomputed',
  'ethics.declaration_made',
  'ethics.membership_changed',
  'ethics.opinion_published',
  'ethics.vote_cast',
  'data_access_grant.downloaded',
  'data_access_request.submitted',
  'data_access_request.granted',
  'data_access_request.refused',
  'dataset.created',
  'dataset.data_uploaded',
  'trial.created',
  'trial.site_reviewed',
  'trial.ethics_opinion_recorded',
  'trial.enrolled',
  'trial.adverse_event_reported',
  'trial.edit',
  'trial.submit',
  'trial.record_site_review',
  'trial.approve',
  'trial.reject',
  'trial.enrol',
  'trial.report_adverse_event',
  'trial.report_serious_adverse_event',
  'trial.resume',
  'trial.suspend_for_warning',
  'trial.extend',
  'trial.submit_interim_report',
  'trial.submit_final_report',
  'user.bootstrapped',
  'user.created',
  'user.password_changed',
  'user.password_reset',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_RESOURCE_TYPES = [
  'api_token',
  'calendar_year',
  'catalogue_version',
  'filing',
  'organization',
  'product',
  'statistics_period',
  'statistics_return',
  'ethics_case',
  'data_access_grant',
  'data_access_request',
  'dataset',
  'trial',
  'user',
] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

export function isAuditAction(code: string): code is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(code);
}
