import type { operations } from './openapi.d.ts';

/**
 * Shapes of the v1 API as the web app reads them. Request and response shapes are the types
 * openapi-typescript generates from /api/v1/openapi.json (./openapi.d.ts, `npm run
 * openapi:types`), named here for the features. Enumerations and rules of the law come from the
 * shared domain layer (src/domain, alias `@domain`), which the server imports too (STYLE rule 7).
 */

export { RISK_TIERS, type RiskTier } from '@domain/risk.ts';
export {
  ORGANIZATION_ROLES,
  ORGANIZATION_TYPES,
  REGULATOR_ROLES,
  ROLES,
  type OrganizationType,
  type Role,
} from '@domain/identity.ts';
export {
  DECISION_OUTCOMES,
  DOCUMENT_ACCEPT,
  DOCUMENT_TYPES,
  FILING_KINDS,
  FILING_STATUSES,
  MAX_DOCUMENT_BYTES,
  type DecisionOutcome,
  type DocumentType,
  type FilingKind,
  type FilingStatus,
} from '@domain/filings.ts';

/** The JSON body of an operation's answer (200 unless another status is named). */
export type ResponseOf<
  Operation extends keyof operations,
  Status extends keyof operations[Operation]['responses'] = 200 & keyof operations[Operation]['responses'],
> = operations[Operation]['responses'][Status] extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body an operation takes. */
export type RequestBodyOf<Operation extends keyof operations> = operations[Operation] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** A page of a list: `{items, nextCursor}`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Not in the contract; shown when a server sends it. */
  total?: number;
}

export type User = ResponseOf<'getAuthMe'>['user'];
export type LoginResult = ResponseOf<'postAuthLogin'>;
export type Organization = ResponseOf<'getOrganizationsById'>;

export type RiskAssessment = ResponseOf<'postRiskAssessments'>;
export type RiskReason = RiskAssessment['reasons'][number];
export type Obligation = RiskAssessment['obligations'][number];
export type Questionnaire = ResponseOf<'getRiskQuestionnaire'>;
export type Question = Questionnaire['questions'][number];
export type QuestionOptionObject = NonNullable<Question['options']>[number];
/** Answers by question key, as the forms hold them (the schema leaves the values open). */
export type RiskAnswers = Record<string, string | string[] | boolean>;

export type Catalogue = ResponseOf<'getCatalogue'>;
export type CatalogueItem = Catalogue['items'][number];

export type PublicProduct = ResponseOf<'getPublicProducts'>['items'][number];
export type PublicProvider = PublicProduct['provider'];
export type PublicProductDetail = ResponseOf<'getPublicProductsById'>;
export type PublicDecision = PublicProductDetail['decisions'][number];

export type Product = ResponseOf<'getProductsById'>;

export type Filing = ResponseOf<'getFilingsById'>;
export type FilingListItem = ResponseOf<'getProductsByIdFilings'>['items'][number];
export type FilingDocument = Filing['documents'][number];
export type InformationRequest = Filing['informationRequests'][number];
export type Decision = NonNullable<Filing['decision']>;
export type ProductSummary = NonNullable<Filing['product']>;
export type QueueItem = ResponseOf<'getReviewQueue'>['items'][number];
export type ReviewStats = ResponseOf<'getReviewStats'>;

export type Notification = ResponseOf<'getNotifications'>['items'][number];
export type PublicKey = ResponseOf<'getTransparencyPublicKey'>;
export type WorkingCalendar = ResponseOf<'getCalendarByYear'>;
/** A day of the calendar: a bare `YYYY-MM-DD`, or a holiday or adjusted working day with its name. */
export type CalendarDay = WorkingCalendar['offDays'][number] | WorkingCalendar['holidays'][number];
export type AuditEvent = ResponseOf<'getAudit'>['items'][number];
export type CalendarStatus = ResponseOf<'getCalendarStatus'>;
export type CalendarPreview = ResponseOf<'postCalendarByYearPreview'>;
export type CalendarLoadResult = ResponseOf<'putCalendarByYear'>;
export type RecomputedDeadline = CalendarPreview['recomputedDeadlines'][number];
/** The body of `PUT /calendar/{year}`: the shape of data/reference/calendar/cn-YYYY.json. */
export type CalendarYearInput = RequestBodyOf<'putCalendarByYear'>;

export type EthicsCase = ResponseOf<'getEthicsCasesById'>;
export type EthicsCaseSummary = ResponseOf<'getEthicsCases'>['items'][number];
export type PublicEthicsOpinion = ResponseOf<'getPublicEthicsOpinions'>['items'][number];
export { ETHICS_VOTES, type EthicsOutcome, type EthicsVote } from '@domain/ethics.ts';
