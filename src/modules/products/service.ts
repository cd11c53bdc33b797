import type { Transaction } from 'kysely';
import { RISK_TIERS, type RiskTier } from '../../lib/risk-rules.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import { assertCan, isAllowed, type ResourceRef } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, found, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { assertVersionMatches, decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { ProductRegistered, ProductReassessmentRequired, ProductStatusChanged, ProductUpdated } from './events.ts';
import { isRegulator, type Principal } from '../../platform/principal.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { catalogueCodeIsListed, currentCatalogueVersion } from '../catalogue/index.ts';
import { checkRiskAnswers, loadCurrentRuleset } from '../risk/index.ts';
import {
  findProductById,
  insertProduct,
  listProducts,
  lockProductById,
  updateProduct,
  type Executor,
  type ProductChanges,
} from './repo.ts';
import { DECIDED_STATUSES, type ProductRecord, type ProductStatus } from './types.ts';

registerProblemTitles({
  invalid_product: { zh: '产品信息无效', en: 'Invalid product' },
  unknown_catalogue_code: { zh: '产业分类代码不存在', en: 'Unknown catalogue code' },
  organization_not_verified: { zh: '机构尚未通过核验', en: 'Organisation not verified' },
  product_not_editable: { zh: '产品当前状态不可修改', en: 'The product cannot be changed in its current status' },
});

function productResource(product: ProductRecord): ResourceRef {
  return { type: 'product', id: product.id, organizationId: product.organizationId };
}

/**
 * A write to an organisation's products needs a member of a VERIFIED organisation (API
 * contract: only verified organisations can file). A member of a pending one is told why.
 */
function assertCanWrite(principal: Principal, action: string, resource: ResourceRef): void {
  if (
    !isAllowed(principal, action, resource) &&
    principal.kind === 'user' &&
    principal.organizationId !== null &&
    principal.organizationId === resource.organizationId &&
    principal.organizationStatus !== 'verified' &&
    principal.roles.some((role) => role === 'org_admin' || role === 'org_member')
  ) {
    throw new AppError(403, 'organization_not_verified', {
      detail: {
        zh: '机构通过监管部门核验后才能登记和修改产品',
        en: 'Products can be registered and changed once the regulator has verified your organisation',
      },
    });
  }
  assertCan(principal, action, resource);
}

/** Severity order: prohibited is the most severe (index 0 of RISK_TIERS). */
function isMoreSevere(tier: RiskTier, than: RiskTier): boolean {
  return RISK_TIERS.indexOf(tier) < RISK_TIERS.indexOf(than);
}

interface ClassificationInput {
  catalogueCode?: string;
  riskAnswers?: unknown;
}

interface Classification {
  catalogueVersion?: string;
  risk?: Pick<ProductRecord, 'riskAnswers' | 'tier' | 'riskReasons' | 'obligations' | 'rulesetVersion'>;
}

/**
 * Checks the catalogue code against the current catalogue and grades the risk answers with
 * the current ruleset, collecting every problem so a form can show them all at once:
 * `/catalogueCode` → 422 `unknown_catalogue_code`, `/riskAnswers/<key>` → 422
 * `invalid_risk_answers`, both → 422 `invalid_product`.
 */
async function classify(db: Executor, context: RequestContext, input: ClassificationInput): Promise<Classification> {
  const result: Classification = {};
  const catalogueErrors: FieldProblem[] = [];
  let riskErrors: FieldProblem[] = [];
  if (input.catalogueCode !== undefined) {
    const version = await currentCatalogueVersion(db);
    if (await catalogueCodeIsListed(db, version, input.catalogueCode)) {
      result.catalogueVersion = version;
    } else {
      catalogueErrors.push({
        pointer: '/catalogueCode',
        message:
          context.language === 'en'
            ? `"${input.catalogueCode}" is not a code of the AI industry catalogue ${version}`
            : `"${input.catalogueCode}"不是 ${version} 版人工智能产业分类目录中的代码`,
      });
    }
  }
  if (input.riskAnswers !== undefined) {
    const checked = checkRiskAnswers(await loadCurrentRuleset(), input.riskAnswers, context.language, '/riskAnswers');
    if (checked.ok) {
      const { assessment } = checked;
      result.risk = {
        riskAnswers: checked.answers,
        tier: assessment.tier,
        riskReasons: [...assessment.reasons],
        obligations: [...assessment.obligations],
        rulesetVersion: assessment.rulesetVersion,
      };
    } else {
      riskErrors = checked.errors;
    }
  }
  const errors = [...catalogueErrors, ...riskErrors];
  if (errors.length === 0) return result;
  const code =
    riskErrors.length === 0
      ? 'unknown_catalogue_code'
      : catalogueErrors.length === 0
        ? 'invalid_risk_answers'
        : 'invalid_product';
  throw unprocessable(code, {
    detail: {
      zh: '产品信息未通过校验：请检查标出的字段',
      en: 'The product does not validate: check the fields listed',
    },
    errors,
  });
}

export interface RegisterProductInput {
  name: string;
  nameEn?: string;
  description: string;
  catalogueCode: string;
  /** The software release (the body's `version`). */
  productVersion: string;
  intendedUse: string;
  riskAnswers: unknown;
}

/**
 * A member of a verified organisation registers an AI product. It is classified under the
 * current catalogue and graded with the current ruleset; it starts as `draft`. A prohibited
 * product can be registered (so the provider sees why) but the filings module refuses to
 * file it.
 */
export async function registerProduct(
  deps: AppDeps,
  context: RequestContext,
  input: RegisterProductInput,
): Promise<ProductRecord> {
  const { principal } = context;
  const organizationId = principal.kind === 'user' ? principal.organizationId : null;
  assertCanWrite(principal, 'products.create', {
    type: 'organization',
    id: organizationId ?? 'none',
    organizationId,
  });
  if (organizationId === null) throw new Error('products.create was allowed without an organisation');
  const classification = await classify(deps.db, context, input);
  const { catalogueVersion, risk } = classification;
  if (catalogueVersion === undefined || risk === undefined) throw new Error('classify returned no classification');

  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now().toISOString();
    const product = await insertProduct(
      trx,
      {
        id: newId(),
        organizationId,
        name: input.name,
        nameEn: input.nameEn ?? null,
        description: input.description,
        catalogueCode: input.catalogueCode,
        catalogueVersion,
        productVersion: input.productVersion,
        intendedUse: input.intendedUse,
        ...risk,
        status: 'draft',
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      principal.kind === 'user' ? principal.userId : null,
    );
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: 'product.registered',
      resourceType: 'product',
      resourceId: product.id,
      organizationId,
      summary: {
        name: product.name,
        catalogueCode: product.catalogueCode,
        catalogueVersion: product.catalogueVersion,
        tier: product.tier,
        rulesetVersion: product.rulesetVersion,
      },
    });
    await enqueueEvent(trx, deps.clock, ProductRegistered, product.id, {
      productId: product.id,
      organizationId,
      tier: product.tier,
      status: product.status,
    });
    return product;
  });
}

/** One product, for its organisation's members and regulator staff; anyone else sees a 404. */
export async function readProduct(
  deps: AppDeps,
  context: RequestContext,
  input: { id: string },
): Promise<ProductRecord> {
  const { id } = input;
  const product = found(await findProductById(deps.db, id));
  assertCan(context.principal, 'products.read', productResource(product));
  return product;
}

export interface ProductListQuery {
  organizationId?: string;
  status?: ProductStatus;
  limit: number;
  cursor?: string;
}

/**
 * Organisation members list their own organisation's products; regulator staff list every
 * organisation's, optionally filtered by `organizationId`. Newest first.
 */
export async function listProductsFor(
  deps: AppDeps,
  context: RequestContext,
  query: ProductListQuery,
): Promise<{ items: ProductRecord[]; nextCursor: string | null }> {
  const { principal } = context;
  const ownOrganization = principal.kind === 'user' ? principal.organizationId : null;
  const organizationId = isRegulator(principal)
    ? query.organizationId
    : (query.organizationId ?? ownOrganization ?? undefined);
  assertCan(principal, 'products.list', {
    type: 'organization',
    id: organizationId ?? 'all',
    organizationId: organizationId ?? null,
  });
  const beforeId = decodeIdCursor(query.cursor);
  const rows = await listProducts(deps.db, {
    organizationId,
    status: query.status,
    beforeId: beforeId ?? undefined,
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.id]) : null };
}

export interface ProductUpdateInput {
  name?: string;
  nameEn?: string | null;
  description?: string;
  catalogueCode?: string;
  productVersion?: string;
  intendedUse?: string;
  riskAnswers?: unknown;
}

/** Statuses in which the product record is frozen. */
const FROZEN_STATUSES: readonly ProductStatus[] = ['withdrawn'];

/**
 * The owning organisation edits its product. A new `catalogueCode` is classified under the
 * current catalogue; new `riskAnswers` are graded with the current ruleset. If the tier
 * rises while a decision covers the product (accepted / approved / approved with
 * conditions), the decision no longer fits what is on the market: the product becomes
 * `reassessment_required` (Shenzhen Regulations, governance chapter: risk grading decides
 * the regulatory regime, so a higher grade needs a new assessment or disclosure).
 * `checkPrecondition` enforces `If-Match` against the locked revision (stale → 412).
 */
export async function updateProductDetails(
  deps: AppDeps,
  context: RequestContext,
  update: { id: string; changes: ProductUpdateInput; ifMatch?: string },
): Promise<ProductRecord> {
  const { id, changes: input } = update;
  return deps.db.transaction().execute(async (trx) => {
    const before = found(await lockProductById(trx, id));
    assertCanWrite(context.principal, 'products.update', productResource(before));
    assertVersionMatches(update.ifMatch, before.version);
    if (FROZEN_STATUSES.includes(before.status)) {
      throw conflict('product_not_editable', {
        detail: { zh: '已撤回的产品不能再修改', en: 'A withdrawn product can no longer be changed' },
        extensions: { currentStatus: before.status },
      });
    }
    // Inside the transaction: on the embedded database it holds the only connection.
    const classification = await classify(trx, context, input);

    const changes: ProductChanges = {};
    const set = <K extends keyof ProductChanges>(key: K, value: ProductChanges[K] | undefined) => {
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(before[key])) changes[key] = value;
    };
    set('name', input.name);
    set('nameEn', input.nameEn);
    set('description', input.description);
    set('productVersion', input.productVersion);
    set('intendedUse', input.intendedUse);
    set('catalogueCode', input.catalogueCode);
    set('catalogueVersion', classification.catalogueVersion);
    if (classification.risk !== undefined) {
      set('riskAnswers', classification.risk.riskAnswers);
      set('tier', classification.risk.tier);
      set('riskReasons', classification.risk.riskReasons);
      set('obligations', classification.risk.obligations);
      set('rulesetVersion', classification.risk.rulesetVersion);
    }
    if (Object.keys(changes).length === 0) return before;

    const tierRose = changes.tier !== undefined && isMoreSevere(changes.tier, before.tier);
    const needsReassessment = tierRose && (DECIDED_STATUSES as readonly ProductStatus[]).includes(before.status);
    if (needsReassessment) changes.status = 'reassessment_required';

    const after = await updateProduct(trx, id, changes, deps.clock.now());
    const audit = auditContext(context, deps.clock);
    const changedFields = Object.keys(changes).filter((key) => key !== 'status');
    await recordAudit(trx, audit, {
      action: 'product.updated',
      resourceType: 'product',
      resourceId: id,
      organizationId: after.organizationId,
      summary: {
        changedFields,
        ...(changes.tier === undefined ? {} : { tierBefore: before.tier, tierAfter: after.tier }),
        ...(changes.catalogueCode === undefined
          ? {}
          : { catalogueCodeBefore: before.catalogueCode, catalogueCodeAfter: after.catalogueCode }),
      },
    });
    await enqueueEvent(trx, deps.clock, ProductUpdated, id, {
      productId: id,
      organizationId: after.organizationId,
      changedFields,
      tier: after.tier,
    });
    if (needsReassessment) {
      await recordAudit(trx, audit, {
        action: 'product.reassessment_required',
        resourceType: 'product',
        resourceId: id,
        organizationId: after.organizationId,
        summary: { statusBefore: before.status, tierBefore: before.tier, tierAfter: after.tier },
      });
      const payload = {
        productId: id,
        organizationId: after.organizationId,
        status: after.status,
        previousStatus: before.status,
        tier: after.tier,
        previousTier: before.tier,
      };
      await enqueueEvent(trx, deps.clock, ProductReassessmentRequired, id, payload);
      // Every status change is also announced under one topic, whoever made it.
      await enqueueEvent(trx, deps.clock, ProductStatusChanged, id, {
        productId: id,
        organizationId: after.organizationId,
        status: after.status,
        previousStatus: before.status,
        reason: 'risk tier rose after the decision',
      });
    }
    return after;
  });
}

/**
 * Moves a product to `status` in the caller's transaction: audited (`product.status_changed`),
 * revision bumped, outbox event `product.status_changed` `{productId, organizationId, status,
 * previousStatus, reason}`. Setting the status it already has changes nothing. No
 * authorization here: the calling module (filings) has checked its own rules. `locked`: the
 * row the caller already holds locked, unchanged since (one round trip less).
 */
export async function setProductStatus(
  trx: Transaction<Database>,
  audit: AuditContext,
  productId: string,
  status: ProductStatus,
  reason: string,
  locked?: ProductRecord,
): Promise<ProductRecord> {
  const before = locked?.id === productId ? locked : found(await lockProductById(trx, productId));
  if (before.status === status) return before;
  const after = await updateProduct(trx, productId, { status }, audit.clock.now());
  await recordAudit(trx, audit, {
    action: 'product.status_changed',
    resourceType: 'product',
    resourceId: productId,
    organizationId: after.organizationId,
    summary: { from: before.status, to: status, reason },
  });
  await enqueueEvent(trx, audit.clock, ProductStatusChanged, productId, {
    productId,
    organizationId: after.organizationId,
    status,
    previousStatus: before.status,
    reason,
  });
  return after;
}

/** A product by id, or undefined, for other modules. No authorization: callers check their own rules. */
export async function getProduct(db: Executor, id: string): Promise<ProductRecord | undefined> {
  return findProductById(db, id);
}

/** The product locked FOR UPDATE in the caller's transaction, or undefined, for other modules. */
export async function lockProduct(trx: Transaction<Database>, id: string): Promise<ProductRecord | undefined> {
  return lockProductById(trx, id);
}
