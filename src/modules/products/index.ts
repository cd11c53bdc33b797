/**
 * Public surface of the products module: the AI product registry with its risk tier.
 * Other modules (filings, register) use only what is exported here.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { AppModule } from '../index.ts';
import type { ProductRecord, ProductStatus } from './types.ts';

export { PRODUCT_STATUSES, DECIDED_STATUSES, type ProductRecord, type ProductStatus } from './types.ts';
export { catalogueModule, catalogueCodeExists } from '../catalogue/index.ts';
export { riskModule, currentRuleset, getRuleset } from '../risk/index.ts';

/** A product by id, or undefined. No authorization: callers check their own rules. */
export async function getProduct(
  _db: Kysely<Database> | Transaction<Database>,
  _id: string,
): Promise<ProductRecord | undefined> {
  throw new Error('not implemented');
}

/** The product locked FOR UPDATE in the caller's transaction, or undefined. */
export async function lockProduct(_trx: Transaction<Database>, _id: string): Promise<ProductRecord | undefined> {
  throw new Error('not implemented');
}

/**
 * Moves a product to `status` (audited, bumps its revision, emits `product.status_changed`
 * with `{productId, organizationId, status}`) in the caller's transaction.
 */
export async function setProductStatus(
  _trx: Transaction<Database>,
  _audit: AuditContext,
  _productId: string,
  _status: ProductStatus,
  _reason: string,
): Promise<ProductRecord> {
  throw new Error('not implemented');
}

export const productsModule: AppModule = { name: 'products' };
