/**
 * Public surface of the products module: the AI product registry with its catalogue code
 * and risk tier. Other modules (filings, register) use only what is exported here.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { AppModule } from '../index.ts';
import { findProductById, lockProductById } from './repo.ts';
import { productRoutes } from './routes.ts';
import { changeProductStatus } from './service.ts';
import type { ProductRecord, ProductStatus } from './types.ts';

export { PRODUCT_STATUSES, DECIDED_STATUSES, type ProductRecord, type ProductStatus } from './types.ts';
export type { ProductTables } from './tables.ts';
export { ProductReassessmentRequired, ProductRegistered, ProductStatusChanged, ProductUpdated } from './events.ts';
export { ProductStatusSchema } from './schemas.ts';
export { catalogueModule, catalogueCodeExists, currentCatalogue } from '../catalogue/index.ts';
export { riskModule, currentRuleset, getRuleset } from '../risk/index.ts';

/** A product by id, or undefined. No authorization: callers check their own rules. */
export async function getProduct(
  db: Kysely<Database> | Transaction<Database>,
  id: string,
): Promise<ProductRecord | undefined> {
  return findProductById(db, id);
}

/** The product locked FOR UPDATE in the caller's transaction, or undefined. */
export async function lockProduct(trx: Transaction<Database>, id: string): Promise<ProductRecord | undefined> {
  return lockProductById(trx, id);
}

/**
 * Moves a product to `status` in the caller's transaction: audited, revision bumped, outbox
 * event `product.status_changed` with `{productId, organizationId, status, previousStatus,
 * reason}`. A missing product → 404 AppError; the status it already has → unchanged, no
 * event. No authorization: the caller has checked its own rules. `locked`: the product as the
 * caller locked it ({@link lockProduct}) earlier in this transaction and has not changed
 * since — it is not read again.
 */
export async function setProductStatus(
  trx: Transaction<Database>,
  audit: AuditContext,
  productId: string,
  status: ProductStatus,
  reason: string,
  locked?: ProductRecord,
): Promise<ProductRecord> {
  return changeProductStatus(trx, audit, productId, status, reason, locked);
}

export const productsModule: AppModule = {
  name: 'products',
  routes: productRoutes,
};
