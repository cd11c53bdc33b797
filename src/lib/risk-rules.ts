/**
 * The risk self-check's ruleset schema: a ruleset held as reviewed data
 * (`data/reference/risk/ruleset-*.json`, loaded by `risk-ruleset-files.ts`), its types and
 * its validation. Answers are checked in `risk-answers.ts`; conditions are compiled and
 * answers graded in `risk-evaluation.ts`. Pure: no I/O and no `eval` — conditions are a
 * closed JSON condition language, checked against the questionnaire when the ruleset is loaded.
 *
 * Condition language (each node is an object with exactly one operator):
 * - `{"always": true}` — matches every answer set (the catch-all of the lowest tier);
 * - `{"all": [c, …]}`, `{"any": [c, …]}` (non-empty lists), `{"not": c}`;
 * - `{"eq": {"key": k, "value": v}}` — a boolean or single-choice answer equals `v`;
 * - `{"in": {"key": k, "values": [v, …]}}` — a single-choice answer is one of the values;
 * - `{"includes": {"key": k, "values": [v, …]}}` — a multi-choice answer contains at least
 *   one of the values;
 * - `{"nonEmpty": k}` — a multi-choice answer has at least one item.
 */

import { checkFields, checkSourceCitations, deepFreeze, escapePointerToken, isRecord } from './reference-validation.ts';

import { RISK_TIERS, type RiskTier } from '../domain/risk.ts';

export { RISK_TIERS, type RiskTier };

export const QUESTION_TYPES = ['boolean', 'single_choice', 'multi_choice'] as const;
/** `boolean` → true/false; `single_choice` → one option value; `multi_choice` → array of option values. */
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A published document the ruleset draws on. */
export interface SourceCitation {
  /** Stable id, referenced from notes and reviews, e.g. `eu-ai-act`. */
  readonly id: string;
  readonly title: string;
  readonly titleZh?: string;
  readonly titleEn?: string;
  readonly issuer: string;
  readonly year: number;
  /** Document number, e.g. 国家统计局令第33号. */
  readonly number?: string;
  readonly url?: string;
  readonly notes?: string;
}

export interface QuestionOption {
  readonly value: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly helpZh?: string;
  readonly helpEn?: string;
}

/** One question of the self-check; the shape `GET /api/v1/risk/questionnaire` returns. */
export interface RiskQuestion {
  /** The answer key, e.g. `annexIIIUses`. */
  readonly key: string;
  readonly type: QuestionType;
  /** Present exactly for `single_choice` and `multi_choice`. */
  readonly options?: readonly QuestionOption[];
  readonly labelZh: string;
  readonly labelEn: string;
  readonly helpZh: string;
  readonly helpEn: string;
}

export type RiskCondition =
  | { readonly always: true }
  | { readonly all: readonly RiskCondition[] }
  | { readonly any: readonly RiskCondition[] }
  | { readonly not: RiskCondition }
  | { readonly eq: { readonly key: string; readonly value: string | boolean } }
  | { readonly in: { readonly key: string; readonly values: readonly string[] } }
  | { readonly includes: { readonly key: string; readonly values: readonly string[] } }
  | { readonly nonEmpty: string };

export interface RiskRule {
  /** Stable id, e.g. `high.annex3.creditworthiness`; returned as `reasons[].ruleId`. */
  readonly id: string;
  readonly tier: RiskTier;
  readonly condition: RiskCondition;
  /** Legal basis, e.g. `EU AI Act Annex III point 5(b); Art. 6(2)–(3)`. */
  readonly basis: string;
  readonly textZh: string;
  readonly textEn: string;
}

/** What a tier obliges the provider to do, with a stable `code` other modules act on. */
export interface RiskObligation {
  /** e.g. `ex_ante_assessment`, `risk_monitoring`, `disclosure`, `tracking_report`, `cannot_be_filed`. */
  readonly code: string;
  readonly textZh: string;
  readonly textEn: string;
  readonly basis?: string;
  /** Working days a reviewer has to decide (`ex_ante_assessment`). */
  readonly reviewWorkingDays?: number;
  /** Months between reports (`tracking_report`). */
  readonly intervalMonths?: number;
}

export interface Ruleset {
  /** e.g. `v1`; stored with every assessment as `rulesetVersion`. */
  readonly version: string;
  readonly titleZh?: string;
  readonly titleEn?: string;
  readonly source: readonly SourceCitation[];
  /** All four tiers, most severe first. */
  readonly tierOrder: readonly RiskTier[];
  readonly questions: readonly RiskQuestion[];
  readonly rules: readonly RiskRule[];
  readonly obligations: Readonly<Record<RiskTier, readonly RiskObligation[]>>;
}

export type RiskAnswerValue = boolean | string | readonly string[];
/** Answers keyed by question key; validated ones hold every question's key and nothing else. */
export type RiskAnswers = Readonly<Record<string, RiskAnswerValue>>;

export const RISK_ANSWER_ERROR_CODES = [
  'not_an_object',
  'unknown_key',
  'missing_key',
  'wrong_type',
  'unknown_option',
  'duplicate_item',
] as const;
export type RiskAnswerErrorCode = (typeof RISK_ANSWER_ERROR_CODES)[number];

export interface RiskAnswerError {
  /** RFC 6901 pointer relative to the answers object (`/domain`, `/annexIIIUses/2`; `` for the object itself). */
  readonly pointer: string;
  readonly code: RiskAnswerErrorCode;
  /** English message. */
  readonly message: string;
  readonly messageZh: string;
}

export type RiskAnswersValidation =
  | { readonly ok: true; readonly answers: RiskAnswers }
  | { readonly ok: false; readonly errors: readonly RiskAnswerError[] };

export interface RiskReason {
  readonly ruleId: string;
  readonly basis: string;
  readonly textZh: string;
  readonly textEn: string;
}

/** The answer of `POST /api/v1/risk/assessments`. */
export interface RiskAssessment {
  readonly tier: RiskTier;
  readonly reasons: readonly RiskReason[];
  readonly obligations: readonly RiskObligation[];
  readonly rulesetVersion: string;
}

/** A ruleset failed validation; `problems` lists every one, each led by its JSON pointer. */
export class RulesetValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid risk ruleset: ${problems.join('; ')}`);
    this.name = 'RulesetValidationError';
  }
}

/** `evaluateRisk` was given answers that do not fit the ruleset's questionnaire. */
export class RiskAnswersInvalidError extends Error {
  constructor(readonly errors: readonly RiskAnswerError[]) {
    super(`Invalid risk answers: ${errors.map((error) => `${error.pointer || '/'} ${error.message}`).join('; ')}`);
    this.name = 'RiskAnswersInvalidError';
  }
}

// ---------------------------------------------------------------------------------------
// Ruleset validation

const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;
const KEY_PATTERN = /^[a-z][A-Za-z0-9]*$/;
const CODE_PATTERN = /^[a-z][a-z0-9_]*$/;
const OPTION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_]*$/;
const MAX_CONDITION_DEPTH = 16;

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function isRiskTier(value: unknown): value is RiskTier {
  return typeof value === 'string' && (RISK_TIERS as readonly string[]).includes(value);
}

function checkQuestions(value: unknown, problems: string[]): Map<string, RiskQuestion> {
  const byKey = new Map<string, RiskQuestion>();
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('/questions: must be a non-empty array');
    return byKey;
  }
  value.forEach((question: unknown, index) => {
    const at = `/questions/${index}`;
    if (!isRecord(question)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    checkFields(
      question,
      at,
      {
        required: ['key', 'type', 'labelZh', 'labelEn', 'helpZh', 'helpEn'],
        optional: ['options'],
        texts: ['labelZh', 'labelEn', 'helpZh', 'helpEn'],
      },
      problems,
    );
    const { key, type, options } = question;
    let isValid = true;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      problems.push(`${at}/key: must be a camelCase key (got ${JSON.stringify(key)})`);
      isValid = false;
    } else if (byKey.has(key)) {
      problems.push(`${at}/key: "${key}" is repeated`);
      isValid = false;
    }
    if (typeof type !== 'string' || !(QUESTION_TYPES as readonly string[]).includes(type)) {
      problems.push(`${at}/type: must be one of ${QUESTION_TYPES.join(', ')} (got ${JSON.stringify(type)})`);
      isValid = false;
    }
    if (type === 'boolean') {
      if (options !== undefined) problems.push(`${at}/options: a boolean question has no options`);
    } else if (!Array.isArray(options) || options.length === 0) {
      problems.push(`${at}/options: a choice question needs a non-empty array of options`);
      isValid = false;
    } else {
      const values = new Set<string>();
      options.forEach((option: unknown, optionIndex) => {
        const optionAt = `${at}/options/${optionIndex}`;
        if (!isRecord(option)) {
          problems.push(`${optionAt}: must be an object`);
          isValid = false;
          return;
        }
        checkFields(
          option,
          optionAt,
          {
            required: ['value', 'labelZh', 'labelEn'],
            optional: ['helpZh', 'helpEn'],
            texts: ['labelZh', 'labelEn', 'helpZh', 'helpEn'],
          },
          problems,
        );
        const optionValue = option['value'];
        if (typeof optionValue !== 'string' || !OPTION_PATTERN.test(optionValue)) {
          problems.push(`${optionAt}/value: must match ${OPTION_PATTERN} (got ${JSON.stringify(optionValue)})`);
          isValid = false;
        } else if (values.has(optionValue)) {
          problems.push(`${optionAt}/value: "${optionValue}" is repeated`);
          isValid = false;
        } else {
          values.add(optionValue);
        }
      });
    }
    // Only well-formed questions take part in condition checks, so one mistake is reported once.
    if (isValid && typeof key === 'string') byKey.set(key, question as unknown as RiskQuestion);
  });
  return byKey;
}

const CONDITION_OPERATORS = ['always', 'all', 'any', 'not', 'eq', 'in', 'includes', 'nonEmpty'] as const;

/** Checks one condition node and everything under it against the questionnaire. */
function checkCondition(
  node: unknown,
  pointer: string,
  questions: ReadonlyMap<string, RiskQuestion>,
  problems: string[],
  depth = 0,
): void {
  if (depth > MAX_CONDITION_DEPTH) {
    problems.push(`${pointer}: nested deeper than ${MAX_CONDITION_DEPTH} levels`);
    return;
  }
  if (!isRecord(node) || Object.keys(node).length !== 1) {
    problems.push(`${pointer}: a condition is an object with exactly one operator (${CONDITION_OPERATORS.join(', ')})`);
    return;
  }
  const [operator, operand] = Object.entries(node)[0] as [string, unknown];
  const at = `${pointer}/${escapePointerToken(operator)}`;

  const questionAt = (key: unknown, keyPointer: string, types: readonly QuestionType[]): RiskQuestion | undefined => {
    if (typeof key !== 'string') {
      problems.push(`${keyPointer}: must be a question key`);
      return undefined;
    }
    const question = questions.get(key);
    if (!question) {
      problems.push(`${keyPointer}: unknown question key "${key}"`);
      return undefined;
    }
    if (!types.includes(question.type)) {
      problems.push(`${keyPointer}: "${operator}" does not apply to ${question.type} question "${key}"`);
      return undefined;
    }
    return question;
  };

  const checkValues = (question: RiskQuestion, values: unknown, valuesPointer: string): void => {
    if (!Array.isArray(values) || values.length === 0) {
      problems.push(`${valuesPointer}: must be a non-empty array of option values`);
      return;
    }
    const seen = new Set<unknown>();
    values.forEach((value: unknown, index) => {
      if (typeof value !== 'string' || !question.options?.some((option) => option.value === value)) {
        problems.push(`${valuesPointer}/${index}: ${JSON.stringify(value)} is not an option of "${question.key}"`);
      }
      if (seen.has(value)) problems.push(`${valuesPointer}/${index}: ${JSON.stringify(value)} is repeated`);
      seen.add(value);
    });
  };

  switch (operator) {
    case 'always':
      if (operand !== true) problems.push(`${at}: must be true`);
      return;
    case 'all':
    case 'any':
      if (!Array.isArray(operand) || operand.length === 0) {
        problems.push(`${at}: must be a non-empty array of conditions`);
        return;
      }
      operand.forEach((child: unknown, index) =>
        checkCondition(child, `${at}/${index}`, questions, problems, depth + 1),
      );
      return;
    case 'not':
      checkCondition(operand, at, questions, problems, depth + 1);
      return;
    case 'eq': {
      if (!isRecord(operand)) {
        problems.push(`${at}: must be {"key", "value"}`);
        return;
      }
      checkFields(operand, at, { required: ['key', 'value'] }, problems);
      const question = questionAt(operand['key'], `${at}/key`, ['boolean', 'single_choice']);
      if (!question) return;
      const value = operand['value'];
      if (question.type === 'boolean' && typeof value !== 'boolean') {
        problems.push(`${at}/value: "${question.key}" is boolean (got ${JSON.stringify(value)})`);
      }
      if (question.type === 'single_choice' && !question.options?.some((option) => option.value === value)) {
        problems.push(`${at}/value: ${JSON.stringify(value)} is not an option of "${question.key}"`);
      }
      return;
    }
    case 'in':
    case 'includes': {
      if (!isRecord(operand)) {
        problems.push(`${at}: must be {"key", "values"}`);
        return;
      }
      checkFields(operand, at, { required: ['key', 'values'] }, problems);
      const question = questionAt(operand['key'], `${at}/key`, [operator === 'in' ? 'single_choice' : 'multi_choice']);
      if (question) checkValues(question, operand['values'], `${at}/values`);
      return;
    }
    case 'nonEmpty':
      questionAt(operand, at, ['multi_choice']);
      return;
    default:
      problems.push(`${at}: unknown operator (expected one of ${CONDITION_OPERATORS.join(', ')})`);
  }
}

/** A rule whose condition is `{"always": true}`: the lowest tier's catch-all. */
export function isCatchAll(condition: unknown): boolean {
  return isRecord(condition) && Object.keys(condition).length === 1 && condition['always'] === true;
}

function checkRules(value: unknown, questions: ReadonlyMap<string, RiskQuestion>, problems: string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('/rules: must be a non-empty array');
    return;
  }
  const ids = new Set<string>();
  const tiersWithRules = new Set<RiskTier>();
  value.forEach((rule: unknown, index) => {
    const at = `/rules/${index}`;
    if (!isRecord(rule)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    checkFields(
      rule,
      at,
      { required: ['id', 'tier', 'condition', 'basis', 'textZh', 'textEn'], texts: ['basis', 'textZh', 'textEn'] },
      problems,
    );
    const { id, tier } = rule;
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      problems.push(`${at}/id: must match ${ID_PATTERN} (got ${JSON.stringify(id)})`);
    } else if (ids.has(id)) {
      problems.push(`${at}/id: "${id}" is repeated`);
    } else {
      ids.add(id);
    }
    if (!isRiskTier(tier)) {
      problems.push(`${at}/tier: must be one of ${RISK_TIERS.join(', ')} (got ${JSON.stringify(tier)})`);
    } else {
      tiersWithRules.add(tier);
    }
    if (Object.hasOwn(rule, 'condition')) checkCondition(rule['condition'], `${at}/condition`, questions, problems);
  });
  for (const tier of RISK_TIERS) {
    if (!tiersWithRules.has(tier)) problems.push(`/rules: no rule has tier "${tier}"`);
  }
  if (!value.some((rule: unknown) => isRecord(rule) && isCatchAll(rule['condition']))) {
    problems.push('/rules: needs a catch-all rule ({"always": true}) so that every answer set gets a tier');
  }
}

function checkTierOrder(value: unknown, problems: string[]): void {
  if (!Array.isArray(value)) {
    problems.push('/tierOrder: must be an array of the four tiers');
    return;
  }
  const seen = new Set<unknown>();
  value.forEach((tier: unknown, index) => {
    if (!isRiskTier(tier)) problems.push(`/tierOrder/${index}: ${JSON.stringify(tier)} is not a tier`);
    else if (seen.has(tier)) problems.push(`/tierOrder/${index}: "${tier}" is repeated`);
    seen.add(tier);
  });
  for (const tier of RISK_TIERS) {
    if (!seen.has(tier)) problems.push(`/tierOrder: "${tier}" is missing`);
  }
}

function checkObligations(value: unknown, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push('/obligations: must be an object keyed by tier');
    return;
  }
  checkFields(value, '/obligations', { required: RISK_TIERS }, problems);
  for (const tier of RISK_TIERS) {
    const list = value[tier];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`/obligations/${tier}: must be a non-empty array`);
      continue;
    }
    const codes = new Set<unknown>();
    list.forEach((obligation: unknown, index) => {
      const at = `/obligations/${tier}/${index}`;
      if (!isRecord(obligation)) {
        problems.push(`${at}: must be an object`);
        return;
      }
      checkFields(
        obligation,
        at,
        {
          required: ['code', 'textZh', 'textEn'],
          optional: ['basis', 'reviewWorkingDays', 'intervalMonths'],
          texts: ['textZh', 'textEn', 'basis'],
        },
        problems,
      );
      const { code } = obligation;
      if (typeof code !== 'string' || !CODE_PATTERN.test(code)) {
        problems.push(`${at}/code: must be a snake_case code (got ${JSON.stringify(code)})`);
      } else if (codes.has(code)) {
        problems.push(`${at}/code: "${code}" is repeated`);
      }
      codes.add(code);
      for (const key of ['reviewWorkingDays', 'intervalMonths']) {
        if (Object.hasOwn(obligation, key) && !isPositiveInteger(obligation[key])) {
          problems.push(`${at}/${key}: must be a positive integer`);
        }
      }
    });
  }
}

/**
 * Checks a parsed ruleset file and returns it as a deeply frozen copy. Throws
 * `RulesetValidationError` listing every problem: structure and unknown fields, unique rule
 * ids, a complete `tierOrder`, obligations for every tier, a catch-all rule, and conditions
 * that name known questions with operators and option values that fit them.
 */
export function validateRuleset(json: unknown): Ruleset {
  const problems: string[] = [];
  if (!isRecord(json)) throw new RulesetValidationError([': a ruleset must be a JSON object']);
  checkFields(
    json,
    '',
    {
      required: ['version', 'source', 'tierOrder', 'questions', 'rules', 'obligations'],
      optional: ['titleZh', 'titleEn'],
      texts: ['titleZh', 'titleEn'],
    },
    problems,
  );
  const { version } = json;
  if (Object.hasOwn(json, 'version') && (typeof version !== 'string' || !/^\S+$/.test(version))) {
    problems.push(`/version: must be a non-empty string without spaces (got ${JSON.stringify(version)})`);
  }
  if (Object.hasOwn(json, 'source')) checkSourceCitations(json['source'], '/source', problems);
  if (Object.hasOwn(json, 'tierOrder')) checkTierOrder(json['tierOrder'], problems);
  const questions = Object.hasOwn(json, 'questions')
    ? checkQuestions(json['questions'], problems)
    : new Map<string, RiskQuestion>();
  if (Object.hasOwn(json, 'rules')) checkRules(json['rules'], questions, problems);
  if (Object.hasOwn(json, 'obligations')) checkObligations(json['obligations'], problems);
  if (problems.length > 0) throw new RulesetValidationError(problems);
  // Every field has been checked above and unknown fields rejected, so the copy has the type's shape.
  return deepFreeze(structuredClone(json)) as unknown as Ruleset;
}
