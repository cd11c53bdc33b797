import {
  evaluateRisk,
  validateAnswers,
  type RiskAnswers,
  type RiskAssessment,
  type Ruleset,
} from '../../lib/risk-rules.ts';
import { unprocessable, type FieldProblem } from '../../platform/errors.ts';
import type { Language } from '../../platform/i18n.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';

registerProblemTitles({
  invalid_risk_answers: { zh: '风险自评答案无效', en: 'Invalid risk self-check answers' },
});

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
  if (!checked.ok) {
    return {
      ok: false,
      errors: checked.errors.map((error) => ({
        pointer: `${pointerPrefix}${error.pointer}` || '/',
        message: language === 'en' ? error.message : error.messageZh,
      })),
    };
  }
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
 * nothing. Unknown, missing or ill-typed answers → 422 `invalid_risk_answers`.
 */
export function assessAnswers(ruleset: Ruleset, answers: unknown, language: Language): RiskAssessment {
  const checked = checkRiskAnswers(ruleset, answers, language, '/answers');
  if (!checked.ok) throw invalidRiskAnswers(checked.errors);
  return checked.assessment;
}
