/**
 * Events the trials module produces (consumers import them from `trials/index.ts`). Payloads
 * carry ids, dates and statuses, never free texts.
 */
import { Type } from '@fastify/type-provider-typebox';
import { STORED_TRIAL_STATUSES, TRIAL_KINDS, TRIAL_STATUSES } from '../../domain/trials.ts';
import { defineEvent } from '../../platform/events.ts';

const Uuid = Type.String({ format: 'uuid' });

/**
 * `trial.submitted`: a trial went under review. `ethicsReferral: true` (every healthcare
 * trial) asks the ethics module (API-CONTRACT-2 §3) to open a case with `subjectType: "trial"`;
 * its opinion comes back through `recordTrialEthicsOpinion` (trials/index.ts).
 */
export const TrialSubmitted = defineEvent(
  'trial.submitted',
  'trial',
  Type.Object({
    trialId: Uuid,
    productId: Uuid,
    organizationId: Uuid,
    kind: Type.Enum(TRIAL_KINDS),
    hostOrganizationIds: Type.Array(Uuid),
    ethicsReferral: Type.Boolean(),
    submittedAt: Type.String({ format: 'date-time' }),
  }),
);

/** `trial.status_changed`: every change of the stored status (and suspensions, resumptions). */
export const TrialStatusChanged = defineEvent(
  'trial.status_changed',
  'trial',
  Type.Object({
    trialId: Uuid,
    productId: Uuid,
    organizationId: Uuid,
    from: Type.Enum(TRIAL_STATUSES),
    to: Type.Enum(STORED_TRIAL_STATUSES),
    event: Type.String(),
    version: Type.Integer({ minimum: 1 }),
  }),
);

/** `trial.adverse_event_reported`: `serious: true` suspended the trial. */
export const TrialAdverseEventReported = defineEvent(
  'trial.adverse_event_reported',
  'trial',
  Type.Object({
    trialId: Uuid,
    adverseEventId: Uuid,
    productId: Uuid,
    organizationId: Uuid,
    serious: Type.Boolean(),
    reportedLate: Type.Boolean(),
  }),
);
