/**
 * Grading with a risk ruleset (API contract, "Ruleset v1"): the first tier in `tierOrder`
 * with a matching rule wins; every matching rule is a reason, ordered by tier and then by
 * rule order — a catch-all rule only when its own tier wins. Conditions are compiled once per
 * ruleset by `risk-compiler.ts`. Pure.
 */
import { isRecord } from './reference-validation.ts';
import { validateAnswers } from './risk-answers.ts';
import { compiled, type AnswerValues, type CompiledRule, type CompiledRuleset } from './risk-compiler.ts';

/** How many distinct assessments one compiled ruleset remembers (see CompiledRuleset.assessments). */
const MAX_REMEMBERED_ASSESSMENTS = 1024;
import {
  RiskAnswersInvalidError,
  type RiskAnswers,
  type RiskAnswerValue,
  type RiskAssessment,
  type RiskQuestion,
  type RiskReason,
  type Ruleset,
} from './risk-rules.ts';

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
