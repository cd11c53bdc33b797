import type { Question, RiskAnswers } from '../../api/types.ts';

/** How a question is answered; the server names these `enum`/`single_choice`, `multi`/`multi_choice`, `boolean`. */
export type QuestionKind = 'single' | 'multi' | 'boolean';

export interface NormalisedOption {
  value: string;
  labelZh: string;
  labelEn: string;
  helpZh?: string;
  helpEn?: string;
}

export function questionKind(question: Question): QuestionKind {
  const type = String(question.type ?? '').toLowerCase();
  if (type.includes('multi') || type === 'array' || type === 'set') return 'multi';
  if (type.startsWith('bool') || type === 'yes_no') return 'boolean';
  return 'single';
}

function humanise(value: string): string {
  return value.replace(/_/g, ' ');
}

/** Options may be plain strings or objects with bilingual labels: accept both, skip anything else. */
export function questionOptions(question: Question): NormalisedOption[] {
  const options: NormalisedOption[] = [];
  for (const option of question.options ?? []) {
    if (typeof option === 'string') {
      options.push({ value: option, labelZh: humanise(option), labelEn: humanise(option) });
    } else if (typeof option === 'object' && option !== null && typeof option.value === 'string') {
      const fallback = humanise(option.value);
      options.push({
        value: option.value,
        labelZh: option.labelZh ?? fallback,
        labelEn: option.labelEn ?? fallback,
        helpZh: option.helpZh,
        helpEn: option.helpEn,
      });
    }
  }
  return options;
}

/** Multi-choice answers start as "none of these"; the rest must be chosen explicitly. */
export function initialAnswers(questions: Question[]): RiskAnswers {
  const answers: RiskAnswers = {};
  for (const question of questions) if (questionKind(question) === 'multi') answers[question.key] = [];
  return answers;
}

/** Only the keys of the questionnaire, so an old draft never sends unknown keys (the server answers 422). */
export function pickAnswers(questions: Question[], values: Record<string, unknown>): RiskAnswers {
  const answers: RiskAnswers = {};
  for (const question of questions) {
    const value = values[question.key];
    if (value === undefined || value === null) continue;
    answers[question.key] = value as RiskAnswers[string];
  }
  return answers;
}
