import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { WorkingDayCalendar } from '../../lib/calendar.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { assertCan, type ResourceRef } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, found, notFound, unprocessable, type AppError } from '../../platform/errors.ts';
import { runIdempotent, type StoredResponse } from '../../platform/idempotency.ts';
import { etagOf } from '../../platform/http.ts';
import { withWorkingDayCalendar } from '../calendar/index.ts';
import { lockProduct, type ProductRecord } from '../products/index.ts';
import type { WriteContext } from './effects.ts';
import { lockFilingById, type FilingRecord } from './repo.ts';
import {
  IllegalTransitionError,
  kindForTier,
  nextStatus,
  type FilingEvent,
  type FilingKind,
  type FilingStatus,
} from '../../domain/filings.ts';

export function filingResource(filing: Pick<FilingRecord, 'id' | 'organizationId'>): ResourceRef {
  return { type: 'filing', id: filing.id, organizationId: filing.organizationId };
}

export function productResource(product: Pick<ProductRecord, 'id' | 'organizationId'>): ResourceRef {
  return { type: 'product', id: product.id, organizationId: product.organizationId };
}

export function illegalTransition(currentStatus: FilingStatus, event: FilingEvent): AppError {
  return conflict('illegal_transition', {
    detail: {
      zh: `备案当前状态为 ${currentStatus}，不能执行该操作（${event}）`,
      en: `The filing is ${currentStatus}; ${event} is not allowed in that status`,
    },
    extensions: { currentStatus, event },
  });
}

/** The status after `event`, or 409 `illegal_transition` naming the current status. */
export function transition(filing: FilingRecord, event: FilingEvent): FilingStatus {
  try {
    return nextStatus(filing.status, event);
  } catch (error) {
    if (error instanceof IllegalTransitionError) throw illegalTransition(error.currentStatus, error.event);
    throw error;
  }
}

/** 422 unless `kind` fits the product's tier (prohibited products cannot be filed at all). */
export function assertKindFitsTier(product: ProductRecord, kind: FilingKind): void {
  const expected = kindForTier(product.tier);
  if (expected === undefined) {
    throw unprocessable('prohibited_product', {
      detail: {
        zh: '该产品的风险等级为“禁止”，不能备案，也不能在本市提供或使用',
        en: 'This product is in the prohibited tier: it cannot be filed, offered or used',
      },
      extensions: { tier: product.tier },
    });
  }
  if (expected !== kind) {
    throw unprocessable('filing_kind_mismatch', {
      detail: {
        zh: `风险等级为 ${product.tier} 的产品应提交 ${expected === 'assessment' ? '评估申请' : '信息披露'}`,
        en: `A ${product.tier}-risk product files a${expected === 'assessment' ? 'n assessment' : ' disclosure'}`,
      },
      errors: [
        {
          pointer: '/kind',
          message: {
            zh: `${product.tier} 风险等级的产品应提交${expected === 'assessment' ? '评估申请' : '信息披露'}`,
            en: `must be ${expected} for a ${product.tier}-risk product`,
          },
        },
      ],
      extensions: { tier: product.tier, expectedKind: expected },
    });
  }
}

export function productMissing(): AppError {
  return notFound({ detail: { zh: '产品不存在', en: 'No such product' } });
}

export function filingMissing(): AppError {
  return notFound({ detail: { zh: '备案不存在', en: 'No such filing' } });
}

export interface WriteScope extends WriteContext {
  trx: Transaction<Database>;
  calendar: WorkingDayCalendar;
  ctx: RequestContext;
}

/**
 * The frame of every filing write: one transaction, replayed for a repeated
 * `Idempotency-Key` (scoped by action and user; `fingerprint` is what the request asked),
 * with the working-day calendar at hand (a year the cache lacks → reload and run again; a
 * provisional deadline whose year was loaded meanwhile → run again on the fresh calendar).
 */
export async function filingWrite<T>(
  deps: AppDeps,
  ctx: RequestContext,
  action: string,
  idempotency: { key: string | undefined; fingerprint: unknown } | undefined,
  work: (scope: WriteScope) => Promise<StoredResponse<T>>,
): Promise<StoredResponse<T>> {
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  const audit = auditContext(ctx, deps.clock);
  return withWorkingDayCalendar(deps, (calendar) => {
    const run = (trx: Transaction<Database>) => work({ trx, calendar, ctx, audit, clock: deps.clock, actorId });
    return idempotency === undefined
      ? deps.db.transaction().execute(run)
      : runIdempotent(
          deps.db,
          deps.clock,
          { key: idempotency.key, scope: `${action}:${actorId ?? 'anonymous'}`, fingerprint: idempotency.fingerprint },
          run,
        );
  });
}

export function ok<T>(body: T & { version: number }, status = 200): StoredResponse<T> {
  return { status, body, headers: { etag: etagOf(body.version) } };
}

/** Locks the filing and checks the actor may perform `action` on it (another organisation's → 404). */
export async function lockFilingFor(scope: WriteScope, id: string, action: string): Promise<FilingRecord> {
  const filing = found(await lockFilingById(scope.trx, id), { detail: { zh: '备案不存在', en: 'No such filing' } });
  assertCan(scope.ctx.principal, action, filingResource(filing));
  return filing;
}

export async function lockProductOf(scope: WriteScope, filing: FilingRecord): Promise<ProductRecord> {
  const product = await lockProduct(scope.trx, filing.productId);
  if (product === undefined) throw productMissing();
  return product;
}
