/**
 * The provider's draft: starting a filing, editing its texts, and reading filings (the
 * owning organisation and regulator staff).
 */
import { assertCan } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { conflict } from '../../platform/errors.ts';
import { assertVersionMatches, decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { getProduct, lockProduct } from '../products/index.ts';
import { concludeTransition, recordFilingChange } from './effects.ts';
import { findFilingById, findOpenFilingId, insertFiling, listFilingsOfProduct, updateFiling } from './repo.ts';
import type { CreateFilingBody, UpdateFilingBody } from './schemas.ts';
import {
  assertKindFitsTier,
  filingMissing,
  filingResource,
  filingWrite,
  lockFilingFor,
  ok,
  productMissing,
  productResource,
  transition,
} from './shared.ts';
import { toFilingDetailView, toFilingView, type FilingDetailViewT, type FilingViewT } from './views.ts';

/** `POST /products/{id}/filings`: a draft disclosure or assessment of the product. */
export async function createFiling(
  deps: AppDeps,
  ctx: RequestContext,
  input: { productId: string; body: CreateFilingBody; idempotencyKey?: string },
): Promise<StoredResponse<FilingDetailViewT>> {
  const { productId, body } = input;
  return filingWrite(
    deps,
    ctx,
    'filings.create',
    { key: input.idempotencyKey, fingerprint: { productId, body } },
    async (scope) => {
      const product = await lockProduct(scope.trx, productId);
      if (product === undefined) throw productMissing();
      assertCan(scope.ctx.principal, 'filings.create', productResource(product));
      assertKindFitsTier(product, body.kind);
      const open = await findOpenFilingId(scope.trx, product.id);
      if (open !== undefined) {
        throw conflict('filing_already_open', {
          detail: {
            zh: '该产品已有未完成的备案，请继续该备案或先撤回',
            en: 'This product already has an open filing: continue it or withdraw it first',
          },
          extensions: { filingId: open },
        });
      }
      const filing = await insertFiling(scope.trx, {
        id: newId(),
        productId: product.id,
        organizationId: product.organizationId,
        kind: body.kind,
        tier: product.tier,
        summary: body.summary,
        transparencyMeasures: body.transparencyMeasures ?? null,
        createdBy: scope.actorId,
        createdAt: scope.clock.now(),
      });
      // A draft leaves the product's status as it is.
      const view = await concludeTransition(scope.trx, scope, {
        filing,
        from: 'draft',
        product,
        facts: { event: 'create' },
      });
      return ok(view, 201);
    },
  );
}

/** `PATCH /filings/{id}`: edit a draft's texts (If-Match guards against a stale editor). */
export async function updateDraft(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: UpdateFilingBody; ifMatch?: string },
): Promise<StoredResponse<FilingDetailViewT>> {
  const { id, body } = input;
  return filingWrite(deps, ctx, 'filings.update', undefined, async (scope) => {
    const filing = await lockFilingFor(scope, id, 'filings.update');
    assertVersionMatches(input.ifMatch, filing.version);
    transition(filing, 'edit');
    const updated = await updateFiling(scope.trx, filing.id, {
      ...(body.summary === undefined ? {} : { summary: body.summary }),
      ...(body.transparencyMeasures === undefined ? {} : { transparency_measures: body.transparencyMeasures }),
      updated_at: scope.clock.now(),
    });
    const view = await toFilingDetailView(scope.trx, updated, await getProduct(scope.trx, updated.productId));
    await recordFilingChange(scope.trx, scope, updated, 'filing.updated', { fields: Object.keys(body) });
    return ok(view);
  });
}

/** `GET /filings/{id}`: the owning organisation and regulator staff; anyone else → 404. */
export async function getFiling(deps: AppDeps, ctx: RequestContext, input: { id: string }): Promise<FilingDetailViewT> {
  const filing = await findFilingById(deps.db, input.id);
  if (filing === undefined) throw filingMissing();
  assertCan(ctx.principal, 'filings.read', filingResource(filing));
  return toFilingDetailView(deps.db, filing, await getProduct(deps.db, filing.productId));
}

/** `GET /products/{id}/filings`: newest first. */
export async function listProductFilings(
  deps: AppDeps,
  ctx: RequestContext,
  input: { productId: string; limit: number; cursor?: string },
): Promise<{ items: FilingViewT[]; nextCursor: string | null }> {
  const { productId, ...query } = input;
  const product = await getProduct(deps.db, productId);
  if (product === undefined) throw productMissing();
  assertCan(ctx.principal, 'filings.read', productResource(product));
  const beforeId = decodeIdCursor(query.cursor);
  const rows = await listFilingsOfProduct(deps.db, productId, { limit: query.limit + 1, beforeId });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toFilingView),
    nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.id]) : null,
  };
}
