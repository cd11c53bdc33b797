import { Type } from '@fastify/type-provider-typebox';
import { QUESTION_TYPES, RISK_TIERS } from '../../lib/risk-rules.ts';

export const RiskTierSchema = Type.Enum(RISK_TIERS, {
  description: 'Risk tier: prohibited, high, medium or low',
});

const QuestionOption = Type.Object({
  value: Type.String(),
  labelZh: Type.String(),
  labelEn: Type.String(),
  helpZh: Type.Optional(Type.String()),
  helpEn: Type.Optional(Type.String()),
});

export const Questionnaire = Type.Object({
  rulesetVersion: Type.String({ description: 'Version of the ruleset the questions belong to, e.g. `v1`' }),
  questions: Type.Array(
    Type.Object({
      key: Type.String({ description: 'Answer key in `answers`' }),
      type: Type.Enum(QUESTION_TYPES, {
        description:
          '`boolean` → true/false; `single_choice` → one option value; `multi_choice` → array of option values',
      }),
      options: Type.Optional(Type.Array(QuestionOption)),
      labelZh: Type.String(),
      labelEn: Type.String(),
      helpZh: Type.String(),
      helpEn: Type.String(),
    }),
  ),
});

/**
 * Answers are typed only as an object here so that every problem with their content (unknown
 * key, missing key, wrong type, unknown option) comes from the rules engine as a 422 with a
 * pointer per answer, in the reader's language.
 */
export const RiskAnswersSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Answers keyed by question key (see GET /api/v1/risk/questionnaire); every question must be answered',
});

export const RiskReasonSchema = Type.Object({
  ruleId: Type.String(),
  basis: Type.String({ description: 'Legal basis of the rule' }),
  textZh: Type.String(),
  textEn: Type.String(),
});

export const RiskObligationSchema = Type.Object({
  code: Type.String({
    description: 'e.g. ex_ante_assessment, risk_monitoring, disclosure, tracking_report, cannot_be_filed',
  }),
  textZh: Type.String(),
  textEn: Type.String(),
  basis: Type.Optional(Type.String()),
  reviewWorkingDays: Type.Optional(Type.Integer()),
  intervalMonths: Type.Optional(Type.Integer()),
});

export const AssessmentBody = Type.Object({ answers: RiskAnswersSchema }, { additionalProperties: false });

export const Assessment = Type.Object({
  tier: RiskTierSchema,
  reasons: Type.Array(RiskReasonSchema),
  obligations: Type.Array(RiskObligationSchema),
  rulesetVersion: Type.String(),
});
