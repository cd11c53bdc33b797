/** Warning endpoints: manual warnings, lifting, the product's list, the reviewer's list, the public list and feed. */
import type { Static } from '@fastify/type-provider-typebox';
import {
  PUBLIC_WARNING_LEVELS,
  WARNING_LEVELS,
  effectiveWarningLevel,
  type WarningLevel,
} from '../../domain/warnings.ts';
import { renderAtomFeed, uuidUrn, type AtomEntry } from '../../lib/atom-feed.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { conflict, found } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { PublicWarningT, ReviewerWarning, WarningT } from './schemas.ts';
import { issueContextOf, iso, productOr404, productResource, type MonitoringDeps } from './shared.ts';
import { issueWarnings, liftWarnings, toWarning, type StoredWarning } from './warnings.ts';

/** `POST /products/{id}/warnings` (reviewer): a manual warning; red suspends at once. */
export async function issueManualWarning(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { productId: string; body: { level: WarningLevel; reasons: string; measures: string[] } },
): Promise<WarningT> {
  const head = await productOr404(deps.db, input.productId);
  assertCan(ctx.principal, 'warnings.issue', productResource(head));
  const { level, reasons, measures } = input.body;
  return deps.db.transaction().execute(async (trx) => {
    const product = await productOr404(trx, head.id, true);
    const [issued] = await issueWarnings(trx, issueContextOf(deps, ctx), product, [
      {
        level,
        source: 'manual',
        ruleId: null,
        rulesetVersion: null,
        liftedByRule: 'reviewer',
        reasonsZh: reasons,
        reasonsEn: reasons,
        measuresZh: measures,
        measuresEn: measures,
      },
    ]);
    return toWarning(issued!, ctx.language);
  });
}

/** `POST /warnings/{id}/lifting` (reviewer): an active warning is lifted once; again → 409. */
export async function liftWarning(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { id: string; body: { reasons: string } },
): Promise<WarningT> {
  const head = found(
    await deps.db
      .selectFrom('warnings')
      .select(['product_id', 'organization_id'])
      .where('id', '=', input.id)
      .executeTakeFirst(),
  );
  assertCan(ctx.principal, 'warnings.lift', { type: 'warning', id: input.id, organizationId: head.organization_id });
  return deps.db.transaction().execute(async (trx) => {
    const product = await productOr404(trx, head.product_id, true);
    const lifted = await liftWarnings(trx, issueContextOf(deps, ctx), product, [input.id], input.body.reasons);
    if (lifted.length === 0) {
      throw conflict('warning_already_lifted', {
        detail: { zh: '该预警已解除', en: 'This warning has already been lifted' },
      });
    }
    const row = await trx.selectFrom('warnings').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
    return toWarning(row, ctx.language);
  });
}

/** `GET /products/{id}/warnings`: every warning of the product, newest first, and its `warningLevel`. */
export async function listProductWarnings(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { productId: string },
): Promise<{ items: WarningT[]; warningLevel: WarningLevel | null }> {
  const product = await productOr404(deps.db, input.productId);
  assertCan(ctx.principal, 'monitoring.read', productResource(product));
  const rows = await deps.db
    .selectFrom('warnings')
    .selectAll()
    .where('product_id', '=', product.id)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const items = rows.map((row) => toWarning(row as unknown as StoredWarning, ctx.language));
  return {
    items,
    warningLevel: effectiveWarningLevel(items.filter((w) => w.status === 'active').map((w) => w.level)),
  };
}

type ReviewerWarningT = Static<typeof ReviewerWarning>;

/** `GET /monitoring/warnings?status=&level=` (reviewer): newest first. */
export async function listWarningsForReviewer(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { status?: 'active' | 'lifted'; level?: WarningLevel; limit: number; cursor?: string },
): Promise<{ items: ReviewerWarningT[]; nextCursor: string | null }> {
  assertCan(ctx.principal, 'monitoring.queue', systemResource('warning'));
  const after = decodeCursor(input.cursor, 2, ([at, id]) => typeof at === 'string' && typeof id === 'string');
  let query = deps.db
    .selectFrom('warnings')
    .innerJoin('products', 'products.id', 'warnings.product_id')
    .selectAll('warnings')
    .select(['products.name as product_name']);
  if (input.status === 'active') query = query.where('warnings.lifted_at', 'is', null);
  if (input.status === 'lifted') query = query.where('warnings.lifted_at', 'is not', null);
  if (input.level !== undefined) query = query.where('warnings.level', '=', input.level);
  if (after !== undefined) {
    const [at, id] = after as [string, string];
    const atDate = new Date(at);
    query = query.where((eb) =>
      eb.or([
        eb('warnings.issued_at', '<', atDate),
        eb.and([eb('warnings.issued_at', '=', atDate), eb('warnings.id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('warnings.issued_at', 'desc')
    .orderBy('warnings.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      ...toWarning(row as unknown as StoredWarning, ctx.language),
      organizationId: row.organization_id,
      productName: row.product_name,
    })),
    nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor([iso(last.issued_at), last.id]) : null,
  };
}

const PUBLIC_RANK_MIN = WARNING_LEVELS.indexOf(PUBLIC_WARNING_LEVELS[0]);

/**
 * `GET /public/warnings`: orange and red warnings, lifted ones included, newest first. The
 * provider is named as on the register entry when the product is on it, else from the
 * organisation record.
 */
export async function listPublicWarnings(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { level?: 'orange' | 'red'; limit: number; cursor?: string },
): Promise<{ items: PublicWarningT[]; nextCursor: string | null }> {
  const after = decodeCursor(input.cursor, 2, ([at, id]) => typeof at === 'string' && typeof id === 'string');
  let query = deps.db
    .selectFrom('warnings')
    .innerJoin('products', 'products.id', 'warnings.product_id')
    .innerJoin('organizations', 'organizations.id', 'warnings.organization_id')
    .selectAll('warnings')
    .select([
      'products.name as product_name',
      'organizations.name as provider_name',
      'organizations.uscc as provider_uscc',
    ])
    .where('warnings.level_rank', '>=', PUBLIC_RANK_MIN);
  if (input.level !== undefined) query = query.where('warnings.level', '=', input.level);
  if (after !== undefined) {
    const [at, id] = after as [string, string];
    const atDate = new Date(at);
    query = query.where((eb) =>
      eb.or([
        eb('warnings.issued_at', '<', atDate),
        eb.and([eb('warnings.issued_at', '=', atDate), eb('warnings.id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('warnings.issued_at', 'desc')
    .orderBy('warnings.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => {
      const warning = toWarning(row, ctx.language);
      return {
        id: warning.id,
        productId: warning.productId,
        productName: row.product_name,
        provider: { name: row.provider_name, uscc: row.provider_uscc },
        level: warning.level,
        reasons: warning.reasons,
        measures: warning.measures,
        issuedAt: warning.issuedAt,
        liftedAt: warning.liftedAt,
      };
    }),
    nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor([iso(last.issued_at), last.id]) : null,
  };
}

const LEVEL_TITLES: Record<WarningLevel, { zh: string; en: string }> = {
  blue: { zh: '蓝色预警', en: 'Blue warning' },
  yellow: { zh: '黄色预警', en: 'Yellow warning' },
  orange: { zh: '橙色预警', en: 'Orange warning' },
  red: { zh: '红色预警', en: 'Red warning' },
};

/** `GET /public/warnings.atom`: the latest 100 public warnings as an Atom feed. */
export async function publicWarningsFeed(deps: MonitoringDeps, ctx: RequestContext, baseUrl: string): Promise<string> {
  const base = baseUrl.replace(/\/+$/, '');
  const { items } = await listPublicWarnings(deps, ctx, { limit: 100 });
  const en = ctx.language === 'en';
  const entries: AtomEntry[] = items.map((item) => {
    const title = LEVEL_TITLES[item.level];
    const lifted = item.liftedAt === null ? '' : en ? ' (lifted)' : '（已解除）';
    return {
      id: uuidUrn(item.id),
      title: `${en ? title.en : title.zh}${lifted}: ${item.productName}`,
      updated: new Date(item.liftedAt ?? item.issuedAt),
      published: new Date(item.issuedAt),
      summary: [item.reasons, ...item.measures].join('\n'),
      link: `${base}/register/${item.productId}`,
      authors: [{ name: item.provider.name }],
      categories: [{ term: item.level }],
    };
  });
  const updated = entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), new Date(0));
  return renderAtomFeed({
    id: 'urn:aigov:public-warnings',
    title: en ? 'aigov: public AI risk warnings (orange and red)' : 'aigov：人工智能风险预警（橙色、红色）',
    updated: entries.length === 0 ? deps.clock.now() : updated,
    selfLink: `${base}/api/v1/public/warnings.atom`,
    alternateLink: `${base}/warnings`,
    authors: [{ name: en ? 'AI regulator' : '人工智能监管部门' }],
    entries,
  });
}
