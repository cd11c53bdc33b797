import { validateAnswers } from '../../lib/risk-answers.ts';
import { evaluateRisk } from '../../lib/risk-evaluation.ts';
import {
  RiskAnswersInvalidError,
  type RiskAnswerError,
  type RiskAnswers,
  type RiskAssessment,
  type Ruleset,
} from '../../lib/risk-rules.ts';
import { unprocessable, type FieldProblem } from '../../platform/errors.ts';
import type { Language } from '../../platform/i18n.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';

registerProblemTitles({
  invalid_risk_answers: { zh: '风险自评答案无效', en: 'Invalid risk self-check answers' },
});

function localizeAnswerErrors(
  errors: readonly RiskAnswerError[],
  language: Language,
  pointerPrefix: string,
): FieldProblem[] {
  return errors.map((error) => ({
    pointer: `${pointerPrefix}${error.pointer}` || '/',
    message: language === 'en' ? error.message : error.messageZh,
  }));
}

export type AnswersCheck =
  { ok: true; answers: RiskAnswers; assessment: RiskAssessment } | { ok: false; errors: FieldProblem[] };

/**
 * Validates answers against `ruleset` and grades them. Errors point into the request
 * (`pointerPrefix` + the answer's own pointer, e.g. `/answers/domain`, `/riskAnswers/domain`)
 * and speak the reader's language.
 */
export function checkRiskAnswers(
  ruleset: Ruleset,
  answers: unknown,
  language: Language,
  pointerPrefix: string,
): AnswersCheck {
  const checked = validateAnswers(ruleset, answers);
  if (!checked.ok) return { ok: false, errors: localizeAnswerErrors(checked.errors, language, pointerPrefix) };
  return { ok: true, answers: checked.answers, assessment: evaluateRisk(ruleset, checked.answers) };
}

/** The 422 every endpoint answers for answers that do not fit the questionnaire. */
export function invalidRiskAnswers(errors: FieldProblem[]) {
  return unprocessable('invalid_risk_answers', {
    detail: {
      zh: '风险自评答案与问卷不符：请逐项检查标出的答案',
      en: 'The answers do not fit the risk questionnaire: check each answer listed',
    },
    errors,
  });
}

/**
 * The anonymous self-check (`POST /api/v1/risk/assessments`): grades the answers and stores
 * nothing. Unknown, missing or ill-typed answers → 422 `invalid_risk_answers`. This is the
 * hot path of an anonymous endpoint, so the answers are validated once, inside
 * `evaluateRisk` (which accepts any value and refuses what does not fit the questionnaire);
 * the reader's language (`ctx.language`, negotiated when first read) only for the errors. The
 * ruleset stands in for the usual `deps`: it is all the self-check needs, fixed at start.
 */
export function assessAnswers(ruleset: Ruleset, ctx: RequestContext, input: { answers: unknown }): RiskAssessment {
  try {
    return evaluateRisk(ruleset, input.answers as RiskAnswers);
  } catch (error) {
    if (!(error instanceof RiskAnswersInvalidError)) throw error;
    throw invalidRiskAnswers(localizeAnswerErrors(error.errors, ctx.language, '/answers'));
  }
}
