import { Type, type Static } from '@fastify/type-provider-typebox';
import { compileBodySchema } from '../../platform/validation.ts';

/** Outbox topic the filings module publishes when a decision makes a product public. */
export const DECISION_PUBLISHED_TOPIC = 'register.decision_published';
/** Outbox topic the products module publishes on every product status change. */
export const PRODUCT_STATUS_CHANGED_TOPIC = 'product.status_changed';

/** Outcomes that put a product on the public register (Shenzhen Regulations: disclosure accepted, assessment approved). */
export const PUBLIC_OUTCOMES = ['accepted', 'approved', 'approved_with_conditions'] as const;
export type PublicOutcome = (typeof PUBLIC_OUTCOMES)[number];

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

/**
 * `register.decision_published` payload. Extra members are tolerated (a producer may add
 * fields before this consumer uses them); the ones used here are checked strictly.
 */
export const DecisionPublishedPayload = Type.Object({
  filingId: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  organizationId: Type.String({ format: 'uuid' }),
  kind: Text(50),
  outcome: Type.Unsafe<PublicOutcome>({ type: 'string', enum: [...PUBLIC_OUTCOMES] }),
  decidedAt: Type.String({ format: 'date-time' }),
  // The decision's explanation, published with it. Absent from events written before it was
  // added: those decisions are shown without reasons (nulls), never refused.
  reasons: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
  legalBasis: OptionalText(2_000),
  conditions: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 2_000 }), { maxItems: 50 }), Type.Null()])),
  product: Type.Object({
    name: Text(500),
    nameEn: OptionalText(500),
    description: Type.String({ maxLength: 20_000 }),
    catalogueCode: Text(50),
    catalogueVersion: Text(50),
    tier: Text(50),
    rulesetVersion: Text(50),
    status: Type.Optional(Type.String({ maxLength: 50 })),
  }),
  provider: Type.Object({
    name: Text(500),
    nameEn: OptionalText(500),
    uscc: Text(18),
  }),
});
export type DecisionPublishedPayload = Static<typeof DecisionPublishedPayload>;

/** `product.status_changed` payload (products module); `changedAt` is optional, the event time otherwise. */
export const ProductStatusChangedPayload = Type.Object({
  productId: Type.String({ format: 'uuid' }),
  status: Text(50),
  changedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type ProductStatusChangedPayload = Static<typeof ProductStatusChangedPayload>;

const checkDecision = compileBodySchema(DecisionPublishedPayload);
const checkStatusChange = compileBodySchema(ProductStatusChangedPayload);

/** Validates an event payload; a malformed one throws, so the outbox keeps it and retries (never lost). */
export function parseDecisionPublished(payload: unknown): DecisionPublishedPayload {
  if (!checkDecision(payload)) {
    throw new Error(`malformed ${DECISION_PUBLISHED_TOPIC} payload: ${JSON.stringify(checkDecision.errors?.[0])}`);
  }
  return payload as DecisionPublishedPayload;
}

export function parseProductStatusChanged(payload: unknown): ProductStatusChangedPayload {
  if (!checkStatusChange(payload)) {
    throw new Error(
      `malformed ${PRODUCT_STATUS_CHANGED_TOPIC} payload: ${JSON.stringify(checkStatusChange.errors?.[0])}`,
    );
  }
  return payload as ProductStatusChangedPayload;
}
