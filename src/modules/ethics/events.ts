/**
 * Events the ethics module produces: ids, dates and codes, never comments, statements or names.
 * A vote is announced without its value (votes are secret until the opinion).
 */
import { Type } from '@fastify/type-provider-typebox';
import { ETHICS_OUTCOMES, ETHICS_SUBJECT_TYPES, REFERRAL_TRIGGERS } from '../../domain/ethics.ts';
import { defineEvent } from '../../platform/events.ts';

const Uuid = Type.String({ format: 'uuid' });

export const EthicsCaseReferred = defineEvent(
  'ethics.case_referred',
  'ethics_case',
  Type.Object({
    caseId: Uuid,
    subjectType: Type.Enum(ETHICS_SUBJECT_TYPES),
    subjectId: Uuid,
    organizationId: Uuid,
    triggers: Type.Array(Type.Enum(REFERRAL_TRIGGERS)),
    automatic: Type.Boolean(),
    dueDate: Type.String({ format: 'date' }),
    dueDateProvisional: Type.Boolean(),
  }),
);

export const EthicsOpinionPublished = defineEvent(
  'ethics.opinion_published',
  'ethics_case',
  Type.Object({
    caseId: Uuid,
    subjectType: Type.Enum(ETHICS_SUBJECT_TYPES),
    subjectId: Uuid,
    organizationId: Uuid,
    outcome: Type.Enum(ETHICS_OUTCOMES),
    decidedAt: Type.String({ format: 'date-time' }),
    votes: Type.Object({
      favourable: Type.Integer(),
      favourableWithConditions: Type.Integer(),
      unfavourable: Type.Integer(),
      abstain: Type.Integer(),
    }),
    eligibleMembers: Type.Integer(),
  }),
);

export const EthicsCaseDueDateRecomputed = defineEvent(
  'ethics.case_due_date_recomputed',
  'ethics_case',
  Type.Object({
    caseId: Uuid,
    year: Type.Integer(),
    dueDateBefore: Type.String({ format: 'date' }),
    dueDate: Type.String({ format: 'date' }),
    dueDateProvisional: Type.Boolean(),
  }),
);
