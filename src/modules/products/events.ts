/**
 * Events the products module produces (consumers import them from `products/index.ts`).
 */
import { Type } from '@fastify/type-provider-typebox';
import { PRODUCT_STATUSES } from '../../domain/products.ts';
import { RISK_TIERS } from '../../domain/risk.ts';
import { defineEvent } from '../../platform/events.ts';

const Uuid = Type.String({ format: 'uuid' });

export const ProductRegistered = defineEvent(
  'product.registered',
  'product',
  Type.Object({
    productId: Uuid,
    organizationId: Uuid,
    tier: Type.Enum(RISK_TIERS),
    status: Type.Enum(PRODUCT_STATUSES),
  }),
);

export const ProductUpdated = defineEvent(
  'product.updated',
  'product',
  Type.Object({
    productId: Uuid,
    organizationId: Uuid,
    changedFields: Type.Array(Type.String()),
    tier: Type.Enum(RISK_TIERS),
  }),
);

/** The risk tier rose after a decision: the earlier decision no longer covers the product. */
export const ProductReassessmentRequired = defineEvent(
  'product.reassessment_required',
  'product',
  Type.Object({
    productId: Uuid,
    organizationId: Uuid,
    status: Type.Enum(PRODUCT_STATUSES),
    previousStatus: Type.Enum(PRODUCT_STATUSES),
    tier: Type.Enum(RISK_TIERS),
    previousTier: Type.Enum(RISK_TIERS),
  }),
);

/** Every product status change, whoever made it (`changedAt`: the event's time when absent). */
export const ProductStatusChanged = defineEvent(
  'product.status_changed',
  'product',
  Type.Object({
    productId: Uuid,
    organizationId: Uuid,
    status: Type.Enum(PRODUCT_STATUSES),
    previousStatus: Type.Enum(PRODUCT_STATUSES),
    reason: Type.String({ maxLength: 2_000 }),
    changedAt: Type.Optional(Type.String({ format: 'date-time' })),
  }),
);
