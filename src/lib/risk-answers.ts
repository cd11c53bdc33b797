/**
 * Answers to the risk self-check, checked against a ruleset's questionnaire (see
 * `risk-rules.ts` for the ruleset schema). Pure.
 */
import { escapePointerToken, isRecord } from './reference-validation.ts';
import { compiled } from './risk-compiler.ts';
import type {
  RiskAnswerError,
  RiskAnswerErrorCode,
  RiskAnswerValue,
  RiskAnswersValidation,
  RiskQuestion,
  Ruleset,
} from './risk-rules.ts';

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
