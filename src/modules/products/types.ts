import type { RiskAnswers, RiskObligation, RiskReason, RiskTier } from '../../lib/risk-rules.ts';

/**
 * Where a product stands in its regulatory life. `draft`: registered, nothing filed;
 * `filed` … `rejected` follow its current filing (set by the filings module through
 * `setProductStatus`); `reassessment_required`: its risk tier rose after it was accepted or
 * approved, so the earlier decision no longer covers it.
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

/**
 * A registered AI product, exactly as the API returns it. Two "versions" meet here: the
 * body of `POST /products` names the product's software release `version` (API contract),
 * but every resource also carries a numeric `version` for ETags and `If-Match`; so the
 * software release is returned as `productVersion` and `version` is the revision number.
 */
export interface ProductRecord {
  id: string;
  organizationId: string;
  name: string;
  nameEn: string | null;
  description: string;
  /** Code in the AI industry classification catalogue. */
  catalogueCode: string;
  /** The catalogue version `catalogueCode` belongs to (kept when newer catalogues appear). */
  catalogueVersion: string;
  /** The product's own software release, e.g. `2.1.0`. */
  productVersion: string;
  intendedUse: string;
  riskAnswers: RiskAnswers;
  tier: RiskTier;
  riskReasons: RiskReason[];
  obligations: RiskObligation[];
  rulesetVersion: string;
  status: ProductStatus;
  /** Revision number: starts at 1, bumped by every change; the ETag. */
  version: number;
  createdAt: string;
  updatedAt: string;
}
