/**
 * Events the filings module produces (consumers import them from `filings/index.ts`).
 */
import { Type, type Static } from '@fastify/type-provider-typebox';
import { FILING_KINDS, FILING_STATUSES, PUBLIC_OUTCOMES, type FilingStatus } from '../../domain/filings.ts';
import { RISK_TIERS } from '../../domain/risk.ts';
import { defineEvent, type EventType } from '../../platform/events.ts';

const Uuid = Type.String({ format: 'uuid' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

/** What every `filing.<status>` event says: ids and dates, never texts; a transition may add facts. */
export const FilingTransitionPayload = Type.Object({
  filingId: Uuid,
  productId: Uuid,
  organizationId: Uuid,
  kind: Type.Enum(FILING_KINDS),
  from: Type.Enum(FILING_STATUSES),
  to: Type.Enum(FILING_STATUSES),
  version: Type.Integer({ minimum: 1 }),
  dueDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
});

/** `filing.<status>`: a filing entered `status` (or, for `filing.draft`, was created). */
export const FilingTransitioned = Object.fromEntries(
  FILING_STATUSES.map((status) => [status, defineEvent(`filing.${status}`, 'filing', FilingTransitionPayload)]),
) as Readonly<Record<FilingStatus, EventType<Static<typeof FilingTransitionPayload>>>>;

/** `filing.due_date_recomputed`: a loaded calendar year moved a provisional due date (API-CONTRACT-2 §0). */
export const FilingDueDateRecomputed = defineEvent(
  'filing.due_date_recomputed',
  'filing',
  Type.Object({
    filingId: Uuid,
    productId: Uuid,
    organizationId: Uuid,
    year: Type.Integer(),
    dueDateBefore: Type.String({ format: 'date' }),
    dueDate: Type.String({ format: 'date' }),
    dueDateProvisional: Type.Boolean(),
  }),
);

/**
 * `register.decision_published`: a public decision (an accepted disclosure, an approved
 * assessment) for the public register and the transparency log. Rejections are never
 * published. Extra members are tolerated; `reasons`, `legalBasis` and `conditions` are absent
 * from events written before they were added (shown as nulls, never refused).
 */
export const DecisionPublished = defineEvent(
  'register.decision_published',
  'filing',
  Type.Object({
    filingId: Uuid,
    productId: Uuid,
    organizationId: Uuid,
    kind: Text(50),
    outcome: Type.Enum(PUBLIC_OUTCOMES),
    decidedAt: Type.String({ format: 'date-time' }),
    reasons: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
    legalBasis: OptionalText(2_000),
    conditions: Type.Optional(
      Type.Union([Type.Array(Type.String({ maxLength: 2_000 }), { maxItems: 50 }), Type.Null()]),
    ),
    product: Type.Object({
      name: Text(500),
      nameEn: OptionalText(500),
      description: Type.String({ maxLength: 20_000 }),
      catalogueCode: Text(50),
      catalogueVersion: Text(50),
      tier: Type.Enum(RISK_TIERS),
      rulesetVersion: Text(50),
      status: Type.Optional(Type.String({ maxLength: 50 })),
    }),
    provider: Type.Object({
      name: Text(500),
      nameEn: OptionalText(500),
      uscc: Text(18),
    }),
  }),
);
export type DecisionPublishedPayload = ReturnType<typeof DecisionPublished.parse>;
