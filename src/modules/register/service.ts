import type { RiskTier } from '../../lib/risk-rules.ts';
import type { Transaction } from 'kysely';
import { canonicalBytes } from '../../lib/canonical-json.ts';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { badRequest, found } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { consume, type DeliveredEvent } from '../../platform/events.ts';
import { appendLeaves, lockTransparencyLog, prepareLogSigning } from '../transparency-log/index.ts';
import { DecisionPublished, type DecisionPublishedPayload } from '../filings/index.ts';
import { ProductStatusChanged } from '../products/index.ts';
import {
  findEntryWithDecisions,
  findRecordedDecisions,
  insertDecisions,
  lockEntry,
  updateEntryStatus,
  upsertEntries,
  type EntryRow,
  type EntryWrite,
} from './repo.ts';
import type { RegisterEntry, RegisterItem } from './schemas.ts';
import { searchRegister, type SearchFilters } from './search.ts';

type RegisterDeps = Pick<AppDeps, 'config' | 'db' | 'dbKind' | 'clock'>;

/** Leaf schema of the transparency log: one public decision, RFC 8785 canonical JSON. */
export const DECISION_LEAF_TYPE = 'aigov.decision/v1';

/** What a leaf says about a public decision. Names and codes as they stood at the decision. */
export interface DecisionLeaf {
  type: typeof DECISION_LEAF_TYPE;
  productId: string;
  productName: string;
  providerUscc: string;
  providerName: string;
  tier: string;
  outcome: string;
  decidedAt: string;
  filingId: string | null;
  rulesetVersion: string;
  catalogueVersion: string;
}

/** A `register.decision_published` event: its payload and the id that identifies its delivery. */
export interface DecisionToPublish {
  eventId: string;
  payload: DecisionPublishedPayload;
}

export interface PublishedDecision {
  productId: string;
  filingId: string;
  logIndex: number;
}

function decisionLeaf(payload: DecisionPublishedPayload, decidedAt: string): DecisionLeaf {
  return {
    type: DECISION_LEAF_TYPE,
    productId: payload.productId,
    productName: payload.product.name,
    providerUscc: payload.provider.uscc,
    providerName: payload.provider.name,
    tier: payload.product.tier,
    outcome: payload.outcome,
    decidedAt,
    filingId: payload.filingId,
    rulesetVersion: payload.product.rulesetVersion,
    catalogueVersion: payload.product.catalogueVersion,
  };
}

/**
 * Publishes decisions in the caller's transaction: one transparency-log leaf each and the
 * register entries they refresh, all committed together (or not at all). The outbox consumer
 * passes one event; the demo loader passes thousands — the same code path.
 *
 * Exactly once: the sequencer lock is taken first, then decisions already recorded (same
 * filing, or same source event) are skipped, so neither a re-delivered event nor the same
 * decision sent twice ever adds a second leaf; and the unique indexes on
 * register_decisions (filing_id, source_event_id, log_index) make any race a rollback,
 * never a duplicate.
 */
export async function publishDecisions(
  trx: Transaction<Database>,
  deps: RegisterDeps,
  decisions: readonly DecisionToPublish[],
): Promise<PublishedDecision[]> {
  if (decisions.length === 0) return [];
  await prepareLogSigning(deps, trx);
  await lockTransparencyLog(trx);
  const recorded = await findRecordedDecisions(
    trx,
    decisions.map((d) => d.payload.filingId),
    decisions.map((d) => d.eventId),
  );
  const fresh: DecisionToPublish[] = [];
  for (const decision of decisions) {
    if (recorded.filingIds.has(decision.payload.filingId) || recorded.eventIds.has(decision.eventId)) continue;
    recorded.filingIds.add(decision.payload.filingId);
    recorded.eventIds.add(decision.eventId);
    fresh.push(decision);
  }
  if (fresh.length === 0) return [];

  const decidedAt = fresh.map((d) => new Date(d.payload.decidedAt));
  const leaves = fresh.map((d, i) => canonicalBytes(decisionLeaf(d.payload, decidedAt[i]!.toISOString())));
  const { firstIndex } = await appendLeaves(trx, deps, leaves);
  const now = deps.clock.now();

  // One upsert row per product: its latest decision in this batch (later in the batch wins a tie).
  const latest = new Map<string, EntryWrite>();
  fresh.forEach(({ payload }, i) => {
    const entry: EntryWrite = {
      productId: payload.productId,
      organizationId: payload.organizationId,
      name: payload.product.name,
      nameEn: payload.product.nameEn ?? null,
      description: payload.product.description,
      providerName: payload.provider.name,
      providerNameEn: payload.provider.nameEn ?? null,
      providerUscc: payload.provider.uscc,
      catalogueCode: payload.product.catalogueCode,
      catalogueVersion: payload.product.catalogueVersion,
      tier: payload.product.tier,
      rulesetVersion: payload.product.rulesetVersion,
      productStatus: payload.product.status ?? null,
      outcome: payload.outcome,
      decidedAt: decidedAt[i]!,
      logIndex: firstIndex + i,
    };
    const previous = latest.get(payload.productId);
    if (previous === undefined || previous.decidedAt <= entry.decidedAt) latest.set(payload.productId, entry);
  });
  await upsertEntries(trx, [...latest.values()], now);
  await insertDecisions(
    trx,
    fresh.map(({ eventId, payload }, i) => ({
      id: newId(),
      productId: payload.productId,
      filingId: payload.filingId,
      kind: payload.kind,
      outcome: payload.outcome,
      decidedAt: decidedAt[i]!,
      logIndex: firstIndex + i,
      sourceEventId: eventId,
      reasons: payload.reasons ?? null,
      legalBasis: payload.legalBasis ?? null,
      conditions: payload.conditions ?? null,
    })),
    now,
  );
  return fresh.map(({ payload }, i) => ({
    productId: payload.productId,
    filingId: payload.filingId,
    logIndex: firstIndex + i,
  }));
}

/** Outbox consumer of `register.decision_published` (produced by the filings module). */
export function decisionPublishedConsumer(deps: RegisterDeps) {
  return consume(DecisionPublished, async (trx, payload, event) => {
    await publishDecisions(trx, deps, [{ eventId: event.id, payload }]);
  });
}

/** Product statuses that are public decisions of their own: logged, and shown on the entry. */
const LOGGED_STATUSES = new Set(['suspended', 'withdrawn']);
/** The earlier decision no longer covers the product: off the public list until a new decision. */
const UNLISTED_STATUSES = new Set(['reassessment_required']);
/** The product is back under its decision (a suspension lifted): the entry shows that outcome again. */
const IN_FORCE_STATUSES = new Set(['accepted', 'approved', 'approved_with_conditions']);

/**
 * Outbox consumer of `product.status_changed`. Only products on the register are affected.
 * Suspension and withdrawal are public decisions: logged as a leaf and listed in the
 * entry's history. reassessment_required takes the entry off the public list; a status of
 * accepted / approved / approved_with_conditions puts it back under its last outcome. Other
 * statuses (draft, filed, under_review, rejected — a new filing in progress) leave the entry
 * as it is: the last public decision stands until another one replaces it. A change older
 * than the entry's latest decision is still logged but does not overwrite the entry.
 */
export function productStatusChangedConsumer(deps: RegisterDeps) {
  return consume(ProductStatusChanged, (trx, payload, event) => applyProductStatusChange(trx, deps, payload, event));
}

async function applyProductStatusChange(
  trx: Transaction<Database>,
  deps: RegisterDeps,
  payload: ReturnType<typeof ProductStatusChanged.parse>,
  event: DeliveredEvent,
) {
  const status = payload.status;
  const isLogged = LOGGED_STATUSES.has(status);
  if (!isLogged && !UNLISTED_STATUSES.has(status) && !IN_FORCE_STATUSES.has(status)) return;
  const changedAt = payload.changedAt === undefined ? event.createdAt : new Date(payload.changedAt);
  if (isLogged) {
    // Same lock order as publishDecisions (log, then entry): no deadlock between the two.
    await prepareLogSigning(deps, trx);
    await lockTransparencyLog(trx);
  }
  const entry = await lockEntry(trx, payload.productId);
  if (entry === undefined) return;
  const isCurrent = changedAt.getTime() >= entry.decidedAt.getTime();
  const now = deps.clock.now();
  if (!isLogged) {
    if (!isCurrent) return;
    const next = UNLISTED_STATUSES.has(status) ? status : entry.lastOutcome;
    if (next !== entry.status) {
      await updateEntryStatus(trx, entry.productId, { status: next, productStatus: status, changedAt }, now);
    }
    return;
  }
  const recorded = await findRecordedDecisions(trx, [], [event.id]);
  if (recorded.eventIds.has(event.id)) return;
  const leaf: DecisionLeaf = {
    type: DECISION_LEAF_TYPE,
    productId: entry.productId,
    productName: entry.name,
    providerUscc: entry.providerUscc,
    providerName: entry.providerName,
    tier: entry.tier,
    outcome: status,
    decidedAt: changedAt.toISOString(),
    filingId: null,
    rulesetVersion: entry.rulesetVersion,
    catalogueVersion: entry.catalogueVersion,
  };
  const { firstIndex } = await appendLeaves(trx, deps, [canonicalBytes(leaf)]);
  await insertDecisions(
    trx,
    [
      {
        id: newId(),
        productId: entry.productId,
        filingId: null,
        kind: 'status_change',
        outcome: status,
        decidedAt: changedAt,
        logIndex: firstIndex,
        sourceEventId: event.id,
        reasons: null,
        legalBasis: null,
        conditions: null,
      },
    ],
    now,
  );
  if (isCurrent) {
    await updateEntryStatus(
      trx,
      entry.productId,
      { status, productStatus: status, changedAt, logIndex: firstIndex },
      now,
    );
  }
}

function toItem(row: EntryRow): RegisterItem {
  return {
    id: row.product_id,
    name: row.name,
    nameEn: row.name_en,
    description: row.description,
    provider: { name: row.provider_name, nameEn: row.provider_name_en, uscc: row.provider_uscc },
    catalogueCode: row.catalogue_code,
    tier: row.tier as RiskTier,
    status: row.status,
    decidedAt: new Date(row.decided_at).toISOString(),
    logIndex: row.log_index === null ? null : Number(row.log_index),
  };
}

/** Public search: a page of register items. */
export async function searchPublicRegister(
  deps: Pick<AppDeps, 'db'>,
  _ctx: RequestContext,
  input: SearchFilters & { limit: number; cursor?: string },
): Promise<{ items: RegisterItem[]; nextCursor: string | null }> {
  const { limit, cursor, ...filters } = input;
  if (filters.listedFrom !== undefined && filters.listedTo !== undefined && filters.listedFrom > filters.listedTo) {
    throw badRequest('validation_failed', {
      errors: [
        {
          pointer: '/listedTo',
          message: { zh: '结束日期不能早于开始日期', en: 'must not be before listedFrom' },
        },
      ],
    });
  }
  const page = await searchRegister(deps.db, filters, limit, cursor);
  return { items: page.rows.map(toItem), nextCursor: page.nextCursor };
}

/** One register entry with its public decision history (oldest first); 404 when not on the register. */
export async function getRegisterEntry(
  deps: Pick<AppDeps, 'db'>,
  _ctx: RequestContext,
  input: { productId: string },
): Promise<RegisterEntry> {
  const row = found(await findEntryWithDecisions(deps.db, input.productId));
  return {
    ...toItem(row),
    catalogueVersion: row.catalogue_version,
    rulesetVersion: row.ruleset_version,
    decisions: row.decisions.map((d) => ({
      filingId: d.filing_id,
      kind: d.kind,
      outcome: d.outcome,
      decidedAt: new Date(d.decided_at).toISOString(),
      logIndex: Number(d.log_index),
      reasons: d.reasons ?? null,
      legalBasis: d.legal_basis ?? null,
      conditions: d.conditions ?? [],
    })),
  };
}

export { toItem as registerItemOf };
