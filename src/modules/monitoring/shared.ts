/** Helpers shared by the monitoring services: the product an object belongs to, contexts, resources. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RiskTier } from '../../lib/risk-rules.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { ResourceRef } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { found } from '../../platform/errors.ts';
import type { IssueContext, ProductRef } from './warnings.ts';

export type MonitoringDeps = Pick<AppDeps, 'config' | 'db' | 'dbKind' | 'clock'>;
type Executor = Kysely<Database> | Transaction<Database>;

export interface MonitoredProduct extends ProductRef {
  readonly tier: RiskTier;
}

export async function findMonitoredProduct(
  db: Executor,
  id: string,
  lock = false,
): Promise<MonitoredProduct | undefined> {
  let query = db
    .selectFrom('products')
    .select(['id', 'organization_id', 'name', 'name_en', 'tier'])
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        organizationId: row.organization_id,
        name: row.name,
        nameEn: row.name_en,
        tier: row.tier as RiskTier,
      };
}

export async function productOr404(db: Executor, id: string, lock = false): Promise<MonitoredProduct> {
  return found(await findMonitoredProduct(db, id, lock));
}

export function productResource(product: { id: string; organizationId: string }): ResourceRef {
  return { type: 'product', id: product.id, organizationId: product.organizationId };
}

export function auditOf(deps: MonitoringDeps, ctx: RequestContext): AuditContext {
  return { principal: ctx.principal, requestId: ctx.requestId, clock: deps.clock };
}

export function actorOf(ctx: RequestContext): string | null {
  return ctx.principal.kind === 'user' ? ctx.principal.userId : null;
}

export function issueContextOf(deps: MonitoringDeps, ctx: RequestContext): IssueContext {
  return { deps, audit: auditOf(deps, ctx), actorId: actorOf(ctx) };
}

export function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

export function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value);
}
