/** Answers and product bodies shared by the catalogue, risk and products tests. */

/** Answers under which nothing applies (a low-risk product). */
export const NOTHING_APPLIES = {
  domain: 'other',
  annexIIIUses: [],
  prohibitedPractices: [],
  safetyComponent: false,
  medicalDeviceClass: 'none',
  profilesNaturalPersons: false,
  narrowProceduralTask: false,
  interactsWithPeople: false,
  generatesSyntheticContent: false,
  publicOpinionAttributes: false,
  processesSensitivePersonalInfo: false,
  usersScale: 'lt1k',
} as const;

export type Answers = Record<string, unknown>;

export function answers(overrides: Answers = {}): Answers {
  return { ...NOTHING_APPLIES, ...overrides };
}

export function productBody(overrides: Record<string, unknown> = {}) {
  return {
    name: '智能客服助手',
    nameEn: 'Customer service assistant',
    description: '面向电商客户的在线问答机器人，回答订单和退换货问题。',
    catalogueCode: 'T0403',
    version: '2.1.0',
    intendedUse: '电商平台售前售后咨询，由人工客服兜底。',
    riskAnswers: answers({ domain: 'consumer', interactsWithPeople: true, generatesSyntheticContent: true }),
    ...overrides,
  };
}

/** The tables a rejected write must leave untouched. */
export const WRITE_TABLES = [
  'products',
  'audit_events',
  'outbox_events',
  'catalogue_versions',
  'catalogue_items',
] as const;

export interface FieldError {
  pointer: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

interface JsonResponse {
  json<T>(): T;
}

export function problemOf(response: JsonResponse): Problem {
  return response.json<Problem>();
}

/** The `errors[].pointer`s of a problem response, in order. */
export function pointersOf(response: JsonResponse): string[] {
  return (problemOf(response).errors ?? []).map((error) => error.pointer);
}

/** The message of the error at `pointer`. */
export function messageAt(response: JsonResponse, pointer: string): string {
  const error = (problemOf(response).errors ?? []).find((candidate) => candidate.pointer === pointer);
  if (error === undefined) throw new Error(`no error at ${pointer}`);
  return error.message;
}

export interface Reason {
  ruleId: string;
  basis: string;
  textZh: string;
  textEn: string;
}

export interface Obligation {
  code: string;
  textZh: string;
  textEn: string;
}

export interface Assessment {
  tier: string;
  reasons: Reason[];
  obligations: Obligation[];
  rulesetVersion: string;
}

export interface Question {
  key: string;
  type: string;
  options?: { value: string; labelZh: string; labelEn: string }[];
  labelZh: string;
  labelEn: string;
  helpZh: string;
  helpEn: string;
}

export interface ProductView {
  id: string;
  organizationId: string;
  name: string;
  nameEn: string | null;
  description: string;
  catalogueCode: string;
  catalogueVersion: string;
  productVersion: string;
  intendedUse: string;
  riskAnswers: Answers;
  tier: string;
  riskReasons: Reason[];
  obligations: Obligation[];
  rulesetVersion: string;
  status: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
