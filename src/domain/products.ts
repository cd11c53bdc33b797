/**
 * Where a product stands in its regulatory life. `draft`: registered, nothing filed;
 * `filed` … `rejected` follow its current filing; `suspended`: a red warning suspends it;
 * `reassessment_required`: its risk tier rose after it was accepted or approved, so the
 * earlier decision no longer covers it.
 */
export const PRODUCT_STATUSES = [
  'draft',
  'filed',
  'under_review',
  'accepted',
  'approved',
  'approved_with_conditions',
  'rejected',
  'suspended',
  'reassessment_required',
  'withdrawn',
] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** Statuses in which a regulator's decision covers the product as it was assessed. */
export const DECIDED_STATUSES = [
  'accepted',
  'approved',
  'approved_with_conditions',
] as const satisfies readonly ProductStatus[];
