import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { RiskTier } from '../../lib/risk-rules.ts';
import type { Database } from '../../db/schema.ts';
import type { ProductsTable } from './tables.ts';
import type { ProductRecord, ProductStatus } from './types.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

function toProduct(row: Selectable<ProductsTable>): ProductRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    nameEn: row.name_en,
    description: row.description,
    catalogueCode: row.catalogue_code,
    catalogueVersion: row.catalogue_version,
    productVersion: row.product_version,
    intendedUse: row.intended_use,
    riskAnswers: row.risk_answers,
    tier: row.tier as RiskTier,
    riskReasons: row.risk_reasons,
    obligations: row.obligations,
    rulesetVersion: row.ruleset_version,
    status: row.status as ProductStatus,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function findProductById(db: Executor, id: string): Promise<ProductRecord | undefined> {
  const row = await db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toProduct(row);
}

/** SELECT … FOR UPDATE: the row stays locked until the caller's transaction ends. */
export async function lockProductById(trx: Transaction<Database>, id: string): Promise<ProductRecord | undefined> {
  const row = await trx.selectFrom('products').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : toProduct(row);
}

export async function insertProduct(
  trx: Transaction<Database>,
  product: ProductRecord,
  createdBy: string | null,
): Promise<ProductRecord> {
  const row = await trx
    .insertInto('products')
    .values({
      id: product.id,
      organization_id: product.organizationId,
      name: product.name,
      name_en: product.nameEn,
      description: product.description,
      catalogue_code: product.catalogueCode,
      catalogue_version: product.catalogueVersion,
      product_version: product.productVersion,
      intended_use: product.intendedUse,
      risk_answers: JSON.stringify(product.riskAnswers),
      tier: product.tier,
      risk_reasons: JSON.stringify(product.riskReasons),
      obligations: JSON.stringify(product.obligations),
      ruleset_version: product.rulesetVersion,
      status: product.status,
      version: product.version,
      created_by: createdBy,
      created_at: product.createdAt,
      updated_at: product.updatedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toProduct(row);
}

/** The fields a change may touch, in domain terms. */
export type ProductChanges = Partial<
  Pick<
    ProductRecord,
    | 'name'
    | 'nameEn'
    | 'description'
    | 'catalogueCode'
    | 'catalogueVersion'
    | 'productVersion'
    | 'intendedUse'
    | 'riskAnswers'
    | 'tier'
    | 'riskReasons'
    | 'obligations'
    | 'rulesetVersion'
    | 'status'
  >
>;

/** Applies changes to a locked product, bumping its revision. */
export async function updateProduct(
  trx: Transaction<Database>,
  id: string,
  changes: ProductChanges,
  now: Date,
): Promise<ProductRecord> {
  const values: Updateable<ProductsTable> = { updated_at: now };
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.nameEn !== undefined) values.name_en = changes.nameEn;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.catalogueCode !== undefined) values.catalogue_code = changes.catalogueCode;
  if (changes.catalogueVersion !== undefined) values.catalogue_version = changes.catalogueVersion;
  if (changes.productVersion !== undefined) values.product_version = changes.productVersion;
  if (changes.intendedUse !== undefined) values.intended_use = changes.intendedUse;
  if (changes.riskAnswers !== undefined) values.risk_answers = JSON.stringify(changes.riskAnswers);
  if (changes.tier !== undefined) values.tier = changes.tier;
  if (changes.riskReasons !== undefined) values.risk_reasons = JSON.stringify(changes.riskReasons);
  if (changes.obligations !== undefined) values.obligations = JSON.stringify(changes.obligations);
  if (changes.rulesetVersion !== undefined) values.ruleset_version = changes.rulesetVersion;
  if (changes.status !== undefined) values.status = changes.status;
  const row = await trx
    .updateTable('products')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toProduct(row);
}

/** A keyset page, newest first (ids are time-ordered UUIDv7). */
export async function listProducts(
  db: Executor,
  filter: { organizationId?: string; status?: ProductStatus; beforeId?: string; limit: number },
): Promise<ProductRecord[]> {
  let query = db.selectFrom('products').selectAll();
  if (filter.organizationId !== undefined) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toProduct);
}
