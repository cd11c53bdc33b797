/**
 * The risk self-check: a ruleset held as reviewed data (`data/reference/risk/ruleset-*.json`,
 * loaded by `risk-ruleset-files.ts`) and a small evaluator. Pure: no I/O and no `eval` —
 * conditions are a closed JSON condition language, checked against the questionnaire when
 * the ruleset is loaded.
 *
 * Condition language (each node is an object with exactly one operator):
 * - `{"always": true}` — matches every answer set (the catch-all of the lowest tier);
 * - `{"all": [c, …]}`, `{"any": [c, …]}` (non-empty lists), `{"not": c}`;
 * - `{"eq": {"key": k, "value": v}}` — a boolean or single-choice answer equals `v`;
 * - `{"in": {"key": k, "values": [v, …]}}` — a single-choice answer is one of the values;
 * - `{"includes": {"key": k, "values": [v, …]}}` — a multi-choice answer contains at least
 *   one of the values;
 * - `{"nonEmpty": k}` — a multi-choice answer has at least one item.
 *
 * Evaluation (API contract, "Ruleset v1"): the first tier in `tierOrder` with a matching rule
 * wins; every matching rule is a reason, ordered by tier and then by rule order — except a
 * catch-all rule, which is a reason only when its own tier wins (a high-risk product is not
 * also told "nothing else applies").
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

function isCatchAll(condition: unknown): boolean {
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

// ---------------------------------------------------------------------------------------
// Answers

function answerError(pointer: string, code: RiskAnswerErrorCode, message: string, messageZh: string): RiskAnswerError {
  return Object.freeze({ pointer, code, message, messageZh });
}

function optionList(question: RiskQuestion): string {
  return (question.options ?? []).map((option) => option.value).join(', ');
}

/**
 * Checks answers against the ruleset's questionnaire: every question answered, no unknown
 * key, booleans for boolean questions, listed option values, no repeated items. On success
 * returns a frozen copy holding exactly the questionnaire's keys, in its order; otherwise
 * every error, each with a pointer relative to the answers object (`/domain`) so callers can
 * prefix it (`/answers/domain`, `/riskAnswers/domain`).
 */
export function validateAnswers(ruleset: Ruleset, answers: unknown): RiskAnswersValidation {
  if (!isRecord(answers)) {
    return {
      ok: false,
      errors: [answerError('', 'not_an_object', 'answers must be an object', '答案必须是一个对象')],
    };
  }
  const errors: RiskAnswerError[] = [];
  const { questionPositions, questionChecks } = compiled(ruleset);
  for (const key of Object.keys(answers)) {
    if (!questionPositions.has(key)) {
      errors.push(
        answerError(
          `/${escapePointerToken(key)}`,
          'unknown_key',
          `unknown answer key "${key}"`,
          `未知的答案项"${key}"`,
        ),
      );
    }
  }

  const checked: Record<string, RiskAnswerValue> = {};
  for (const { question, pointer, options } of questionChecks) {
    const { key, labelEn, labelZh } = question;
    if (!Object.hasOwn(answers, key)) {
      errors.push(
        answerError(pointer, 'missing_key', `"${key}" (${labelEn}) is required`, `缺少必答项"${labelZh}"（${key}）`),
      );
      continue;
    }
    const value = answers[key];
    switch (question.type) {
      case 'boolean':
        if (typeof value === 'boolean') checked[key] = value;
        else
          errors.push(
            answerError(pointer, 'wrong_type', `${labelEn}: must be true or false`, `${labelZh}：必须为 true 或 false`),
          );
        break;
      case 'single_choice':
        if (typeof value !== 'string') {
          errors.push(
            answerError(
              pointer,
              'wrong_type',
              `${labelEn}: must be one option value (a string)`,
              `${labelZh}：必须是一个选项值（字符串）`,
            ),
          );
        } else if (!options.has(value)) {
          errors.push(
            answerError(
              pointer,
              'unknown_option',
              `${labelEn}: "${value}" is not an option (expected one of ${optionList(question)})`,
              `${labelZh}："${value}"不是可选项（可选：${optionList(question)}）`,
            ),
          );
        } else {
          checked[key] = value;
        }
        break;
      case 'multi_choice': {
        if (!Array.isArray(value)) {
          errors.push(
            answerError(
              pointer,
              'wrong_type',
              `${labelEn}: must be an array of option values (may be empty)`,
              `${labelZh}：必须是选项值数组（可以为空）`,
            ),
          );
          break;
        }
        const items: string[] = [];
        let isValid = true;
        value.forEach((item: unknown, index) => {
          const itemPointer = `${pointer}/${index}`;
          if (typeof item !== 'string') {
            errors.push(
              answerError(
                itemPointer,
                'wrong_type',
                `${labelEn}: each item must be an option value (a string)`,
                `${labelZh}：每一项都必须是选项值（字符串）`,
              ),
            );
            isValid = false;
          } else if (!options.has(item)) {
            errors.push(
              answerError(
                itemPointer,
                'unknown_option',
                `${labelEn}: "${item}" is not an option (expected some of ${optionList(question)})`,
                `${labelZh}："${item}"不是可选项`,
              ),
            );
            isValid = false;
          } else if (items.includes(item)) {
            errors.push(
              answerError(
                itemPointer,
                'duplicate_item',
                `${labelEn}: "${item}" is listed more than once`,
                `${labelZh}："${item}"重复出现`,
              ),
            );
            isValid = false;
          } else {
            items.push(item);
          }
        });
        if (isValid) checked[key] = Object.freeze(items);
        break;
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, answers: Object.freeze(checked) };
}

// ---------------------------------------------------------------------------------------
// Evaluation

function isStringList(value: RiskAnswerValue | undefined): value is readonly string[] {
  return typeof value === 'object';
}

/** The answers in questionnaire order: conditions read them by position, not by key. */
type AnswerValues = readonly RiskAnswerValue[];
type Predicate = (values: AnswerValues) => boolean;

/**
 * What grading needs of a ruleset, prepared once per ruleset (the self-check is a hot path
 * of an anonymous endpoint): each question key's position, each question's pointer and
 * option values, each rule's condition compiled into a closure over answer positions and its
 * reason as a shared frozen object.
 */
interface CompiledRuleset {
  questionPositions: ReadonlyMap<string, number>;
  questionChecks: ReadonlyArray<{ question: RiskQuestion; pointer: string; options: ReadonlySet<string> }>;
  rules: ReadonlyArray<CompiledRule>;
  /**
   * An assessment depends only on which rules matched, so each combination met is graded once
   * and the frozen result shared (callers may also cache its serialised form by identity).
   * Keyed by the matched rules' indices; bounded, as answers could in theory make many.
   */
  assessments: Map<string, RiskAssessment>;
}

interface CompiledRule {
  rule: RiskRule;
  predicate: Predicate;
  reason: RiskReason;
  catchAll: boolean;
}

const MAX_REMEMBERED_ASSESSMENTS = 1024;

const compiledRulesets = new WeakMap<Ruleset, CompiledRuleset>();

function compiled(ruleset: Ruleset): CompiledRuleset {
  let found = compiledRulesets.get(ruleset);
  if (found === undefined) {
    const questionPositions = new Map(ruleset.questions.map((question, index) => [question.key, index]));
    // validateRuleset checked that every condition names a question of the ruleset.
    const positionOf = (key: string) => questionPositions.get(key)!;
    found = {
      questionPositions,
      questionChecks: ruleset.questions.map((question) => ({
        question,
        pointer: `/${escapePointerToken(question.key)}`,
        options: new Set((question.options ?? []).map((option) => option.value)),
      })),
      rules: ruleset.rules.map((rule) => ({
        rule,
        predicate: compileCondition(rule.condition, positionOf),
        reason: Object.freeze({ ruleId: rule.id, basis: rule.basis, textZh: rule.textZh, textEn: rule.textEn }),
        catchAll: isCatchAll(rule.condition),
      })),
      assessments: new Map(),
    };
    compiledRulesets.set(ruleset, found);
  }
  return found;
}

function compileCondition(condition: RiskCondition, positionOf: (key: string) => number): Predicate {
  const compile = (inner: RiskCondition) => compileCondition(inner, positionOf);
  if ('always' in condition) return () => true;
  if ('all' in condition) {
    const parts = condition.all.map(compile);
    return (values) => {
      for (const part of parts) if (!part(values)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map(compile);
    return (values) => {
      for (const part of parts) if (part(values)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const inner = compile(condition.not);
    return (values) => !inner(values);
  }
  if ('eq' in condition) {
    const { value } = condition.eq;
    const at = positionOf(condition.eq.key);
    return (values) => values[at] === value;
  }
  if ('in' in condition) {
    const at = positionOf(condition.in.key);
    const options = new Set<unknown>(condition.in.values);
    return (values) => typeof values[at] === 'string' && options.has(values[at]);
  }
  if ('includes' in condition) {
    const at = positionOf(condition.includes.key);
    const options = new Set<unknown>(condition.includes.values);
    return (values) => {
      const value = values[at];
      if (!isStringList(value)) return false;
      for (const item of value) if (options.has(item)) return true;
      return false;
    };
  }
  const at = positionOf(condition.nonEmpty);
  return (values) => {
    const value = values[at];
    return isStringList(value) && value.length > 0;
  };
}

/**
 * `validateAnswers` without its copy and messages, for the hot path: the answers in
 * questionnaire order when they fit it exactly (every key known and answered once, right
 * types, listed options, no repeats), else undefined — and `validateAnswers` says why.
 */
function answersInOrder(
  { questionPositions, questionChecks }: CompiledRuleset,
  answers: unknown,
): AnswerValues | undefined {
  if (!isRecord(answers)) return undefined;
  const keys = Object.keys(answers);
  // With no unknown key and as many keys as questions, every question is answered.
  if (keys.length !== questionChecks.length) return undefined;
  for (const key of keys) if (!questionPositions.has(key)) return undefined;
  const values: RiskAnswerValue[] = [];
  for (const { question, options } of questionChecks) {
    const value = answers[question.key];
    switch (question.type) {
      case 'boolean':
        if (typeof value !== 'boolean') return undefined;
        break;
      case 'single_choice':
        if (typeof value !== 'string' || !options.has(value)) return undefined;
        break;
      case 'multi_choice':
        if (!Array.isArray(value)) return undefined;
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (typeof item !== 'string' || !options.has(item) || value.indexOf(item) !== index) return undefined;
        }
        break;
    }
    values.push(value as RiskAnswerValue);
  }
  return values;
}

/**
 * Grades a product. The answers are validated first (a missing answer must never read as
 * "no", which would under-grade), throwing `RiskAnswersInvalidError` when they do not fit.
 * The first tier of `tierOrder` with a matching rule wins; the reasons are every matching
 * rule in tier order, then rule order — a catch-all rule only when its own tier wins.
 */
export function evaluateRisk(ruleset: Ruleset, answers: RiskAnswers): RiskAssessment {
  const prepared = compiled(ruleset);
  const values = answersInOrder(prepared, answers);
  if (values === undefined) {
    const checked = validateAnswers(ruleset, answers);
    // The two checks must agree; a disagreement is a bug here, never a pass.
    throw checked.ok
      ? new Error('answersInOrder and validateAnswers disagree')
      : new RiskAnswersInvalidError(checked.errors);
  }

  const { rules, assessments } = prepared;
  const matched: CompiledRule[] = [];
  let key = '';
  rules.forEach((compiledRule, index) => {
    if (!compiledRule.predicate(values)) return;
    matched.push(compiledRule);
    key += `${index},`;
  });
  let assessment = assessments.get(key);
  if (assessment === undefined) {
    assessment = grade(ruleset, matched);
    if (assessments.size < MAX_REMEMBERED_ASSESSMENTS) assessments.set(key, assessment);
  }
  return assessment;
}

function grade(ruleset: Ruleset, matched: readonly CompiledRule[]): RiskAssessment {
  const tier = ruleset.tierOrder.find((candidate) => matched.some(({ rule }) => rule.tier === candidate));
  // validateRuleset demands a catch-all rule, so a validated ruleset always yields a tier.
  if (tier === undefined) throw new Error(`Risk ruleset ${ruleset.version} matched no rule`);

  const reasons: RiskReason[] = [];
  for (const candidate of ruleset.tierOrder) {
    for (const { rule, reason, catchAll } of matched) {
      if (rule.tier !== candidate) continue;
      if (candidate !== tier && catchAll) continue;
      reasons.push(reason);
    }
  }
  return Object.freeze({
    tier,
    reasons: Object.freeze(reasons),
    obligations: ruleset.obligations[tier],
    rulesetVersion: ruleset.version,
  });
}

/** The public questionnaire (`GET /api/v1/risk/questionnaire`) of a ruleset. */
export function toQuestionnaire(ruleset: Ruleset): {
  readonly rulesetVersion: string;
  readonly questions: readonly RiskQuestion[];
} {
  return Object.freeze({ rulesetVersion: ruleset.version, questions: ruleset.questions });
}
