/**
 * The risk ruleset compiler: what grading needs of a ruleset, prepared once per ruleset —
 * question positions and checks, each rule's condition (the language of `risk-rules.ts`)
 * compiled into a closure over answer positions. Pure.
 */
import { escapePointerToken } from './reference-validation.ts';
import {
  isCatchAll,
  type RiskAnswerValue,
  type RiskAssessment,
  type RiskCondition,
  type RiskQuestion,
  type RiskReason,
  type RiskRule,
  type Ruleset,
} from './risk-rules.ts';

function isStringList(value: RiskAnswerValue | undefined): value is readonly string[] {
  return typeof value === 'object';
}

/** The answers in questionnaire order: conditions read them by position, not by key. */
export type AnswerValues = readonly RiskAnswerValue[];
type Predicate = (values: AnswerValues) => boolean;

/**
 * What grading needs of a ruleset, prepared once per ruleset (the self-check is a hot path
 * of an anonymous endpoint): each question key's position, each question's pointer and
 * option values, each rule's condition compiled into a closure over answer positions and its
 * reason as a shared frozen object.
 */
export interface CompiledRuleset {
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

export interface CompiledRule {
  rule: RiskRule;
  predicate: Predicate;
  reason: RiskReason;
  catchAll: boolean;
}

const compiledRulesets = new WeakMap<Ruleset, CompiledRuleset>();

export function compiled(ruleset: Ruleset): CompiledRuleset {
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
