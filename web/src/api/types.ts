/**
 * Shapes of the v1 API as the web app reads them (docs/../API-CONTRACT.md). Enumerations
 * are `as const` so pages can iterate them; the server's module schemas are the source of
 * truth, these mirror them until the web app imports them directly (STYLE rule 7).
 */

export const TIERS = ['prohibited', 'high', 'medium', 'low'] as const;
export type Tier = (typeof TIERS)[number];

export const ROLES = [
  'regulator_admin',
  'reviewer',
  'ethics_member',
  'ethics_secretary',
  'statistician',
  'data_steward',
  'procurement_officer',
  'org_admin',
  'org_member',
] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ROLES.filter((role) => role !== 'org_admin' && role !== 'org_member');
export const PROVIDER_ROLES: readonly Role[] = ['org_admin', 'org_member'];

export const ORGANIZATION_TYPES = ['enterprise', 'medical_institution', 'research_institution'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const FILING_KINDS = ['disclosure', 'assessment'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];

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

export const DOCUMENT_TYPES = ['risk_assessment_report', 'technical_documentation', 'test_report', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DECISION_OUTCOMES = ['approved', 'approved_with_conditions', 'rejected'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Upload limit of POST /filings/{id}/documents (API contract: ≤ 20 MB). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const DOCUMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt,application/pdf,image/png,image/jpeg,text/plain';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Not in the contract; shown when a server sends it. */
  total?: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: string[];
  organizationId: string | null;
  createdAt?: string;
  status?: string;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
}

export interface Organization {
  id: string;
  name: string;
  nameEn?: string | null;
  uscc: string;
  type: string;
  status: string;
  createdAt?: string;
}

export interface RiskReason {
  ruleId: string;
  basis: string;
  textZh: string;
  textEn: string;
}

export interface Obligation {
  code?: string;
  basis?: string;
  textZh?: string;
  textEn?: string;
  reviewWorkingDays?: number;
}

export interface RiskAssessment {
  tier: Tier;
  reasons: RiskReason[];
  /** The contract leaves the element shape open: objects with texts, or plain strings. */
  obligations: (Obligation | string)[];
  rulesetVersion: string;
}

export interface QuestionOptionObject {
  value: string;
  labelZh?: string;
  labelEn?: string;
  label?: string;
  helpZh?: string;
  helpEn?: string;
}

export interface Question {
  key: string;
  /** `enum`/`single_choice`, `multi`/`multi_choice`, `boolean` — normalised by the risk feature. */
  type: string;
  options?: (string | QuestionOptionObject)[];
  labelZh: string;
  labelEn: string;
  helpZh?: string;
  helpEn?: string;
}

export interface Questionnaire {
  rulesetVersion: string;
  questions: Question[];
}

export type RiskAnswers = Record<string, string | string[] | boolean>;

export interface CatalogueItem {
  code: string;
  parentCode: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
}

export interface Catalogue {
  version: string;
  items: CatalogueItem[];
}

export interface PublicProvider {
  name: string;
  nameEn?: string | null;
  uscc: string;
}

export interface PublicProduct {
  id: string;
  name: string;
  nameEn?: string | null;
  description: string;
  provider: PublicProvider;
  catalogueCode: string;
  tier: Tier;
  status: string;
  decidedAt: string | null;
  logIndex: number | null;
}

export interface PublicDecision {
  id?: string;
  filingId?: string;
  kind?: string;
  outcome?: string;
  status?: string;
  decidedAt?: string;
  reasons?: string;
  legalBasis?: string | null;
  conditions?: string[] | null;
  logIndex?: number | null;
  rulesetVersion?: string;
}

export interface PublicProductDetail extends PublicProduct {
  riskReasons?: RiskReason[];
  rulesetVersion?: string;
  version?: string;
  intendedUse?: string;
  decisions?: PublicDecision[];
}

export interface Product {
  id: string;
  organizationId: string;
  name: string;
  nameEn?: string | null;
  description: string;
  catalogueCode: string;
  version: string | number;
  productVersion?: string;
  intendedUse: string;
  riskAnswers?: RiskAnswers;
  tier: Tier;
  riskReasons?: RiskReason[];
  rulesetVersion?: string;
  status: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface FilingDocument {
  id: string;
  documentType: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt?: string;
}

export interface InformationRequest {
  id: string;
  message: string;
  requestedAt: string;
  response: string | null;
  respondedAt: string | null;
}

export interface Decision {
  /** `accepted` is the automatic completeness check's outcome for a disclosure. */
  outcome: DecisionOutcome | 'accepted';
  reasons: string;
  legalBasis?: string | null;
  conditions?: string[] | null;
  decidedAt?: string;
  decidedBy?: string;
  logIndex?: number | null;
}

export interface Filing {
  id: string;
  productId: string;
  kind: FilingKind;
  status: FilingStatus | string;
  version: number;
  summary?: string;
  transparencyMeasures?: string | null;
  createdAt?: string;
  submittedAt?: string | null;
  dueDate?: string | null;
  workingDaysLeft?: number | null;
  assigneeId?: string | null;
  documents?: FilingDocument[];
  informationRequests?: InformationRequest[];
  decision?: Decision | null;
  /** Risk tier of the product, on every filing. */
  tier?: Tier;
  /** Null when the product is not readable by the caller (or gone). */
  product?: ProductSummary | null;
}

export interface ProductSummary {
  id?: string;
  name: string;
  nameEn?: string | null;
  tier: Tier;
}

export interface QueueItem extends Filing {
  dueDate: string | null;
  workingDaysLeft: number | null;
  overdue: boolean;
  product: ProductSummary | null;
}

export interface ReviewStats {
  byStatus: Record<string, number>;
  byTier: Record<string, number>;
  onTimeRate: number | null;
  medianWorkingDaysToDecision: number | null;
  decisionsByWeek: { week: string; count: number }[];
}

export interface Notification {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  createdAt: string;
  readAt: string | null;
  link: string | null;
}

export interface PublicKey {
  keyName: string;
  publicKey: string;
  verifierKey: string;
}

/** A calendar day: a bare `YYYY-MM-DD`, or with the holiday's name (the reference files carry names). */
export type CalendarDay = string | { date: string; nameZh?: string; nameEn?: string };

export interface WorkingCalendar {
  year: number;
  offDays: CalendarDay[];
  workDays: CalendarDay[];
  source: unknown;
}

export interface AuditEvent {
  id: string;
  /** Position in the hash chain; null while the event is pending (not chained yet). */
  seq: string | null;
  chainStatus: 'chained' | 'pending';
  occurredAt: string;
  actorLabel: string;
  action: string;
  resourceType: string;
  resourceId: string;
  summary: string;
}
