import type { RiskAnswers, RiskObligation, RiskReason, RiskTier } from '../../lib/risk-rules.ts';

import { DECIDED_STATUSES, PRODUCT_STATUSES, type ProductStatus } from '../../domain/products.ts';

export { DECIDED_STATUSES, PRODUCT_STATUSES, type ProductStatus };

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
