import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { hanBigrams, searchNames, segmentForIndex } from './search-text.ts';

type Executor = Kysely<Database> | Transaction<Database>;

// ~25 bind parameters a row: far below PostgreSQL's 65,535 per statement.
const ENTRY_CHUNK = 1000;
const DECISION_CHUNK = 4000;
const LOOKUP_CHUNK = 5000;

/** A register entry as written: the product as decided, with its latest public decision. */
export interface EntryWrite {
  productId: string;
  organizationId: string;
  name: string;
  nameEn: string | null;
  description: string;
  providerName: string;
  providerNameEn: string | null;
  providerUscc: string;
  catalogueCode: string;
  catalogueVersion: string;
  tier: string;
  rulesetVersion: string;
  productStatus: string | null;
  outcome: string;
  decidedAt: Date;
  logIndex: number;
}

export interface DecisionWrite {
  id: string;
  productId: string;
  filingId: string | null;
  kind: string;
  outcome: string;
  decidedAt: Date;
  logIndex: number;
  sourceEventId: string;
  /** The decision's explanation; null when none was published (status changes, older events). */
  reasons: string | null;
  legalBasis: string | null;
  conditions: readonly string[] | null;
}

/** The columns every public read shows (never the tsvectors). */
export interface EntryRow {
  product_id: string;
  name: string;
  name_en: string | null;
  description: string;
  provider_name: string;
  provider_name_en: string | null;
  provider_uscc: string;
  catalogue_code: string;
  catalogue_version: string;
  tier: string;
  ruleset_version: string;
  status: string;
  decided_at: Date | string;
  log_index: string | number | null;
}

export const ENTRY_COLUMNS = [
  'product_id',
  'name',
  'name_en',
  'description',
  'provider_name',
  'provider_name_en',
  'provider_uscc',
  'catalogue_code',
  'catalogue_version',
  'tier',
  'ruleset_version',
  'status',
  'decided_at',
  'log_index',
] as const;

/**
 * The search columns of an entry, computed from its text: jieba words weighted by field
 * (name A, provider B, description C) plus the names' CJK bigrams (D) in `simple`; the
 * English fields stemmed in `english`; the Latin-script product name lower-cased for trigrams.
 */
function searchColumns(entry: EntryWrite) {
  return {
    search_zh: sql<string>`setweight(to_tsvector('simple', ${segmentForIndex(entry.name)}), 'A')
      || setweight(to_tsvector('simple', ${segmentForIndex(entry.providerName)}), 'B')
      || setweight(to_tsvector('simple', ${segmentForIndex(entry.description)}), 'C')
      || setweight(to_tsvector('simple', ${hanBigrams(`${entry.name} ${entry.providerName}`)}), 'D')`,
    search_en: sql<string>`setweight(to_tsvector('english', ${entry.nameEn ?? ''}), 'A')
      || setweight(to_tsvector('english', ${entry.providerNameEn ?? ''}), 'B')
      || setweight(to_tsvector('english', ${entry.description}), 'C')`,
    search_names: searchNames([entry.nameEn ?? entry.name]),
  };
}

/**
 * Inserts or refreshes register entries (one row per product in `entries`). An entry only
 * moves forward: a decision older than the one the entry already shows (an event retried
 * late) is logged and listed in the history, but does not overwrite the entry.
 */
export async function upsertEntries(trx: Transaction<Database>, entries: readonly EntryWrite[], now: Date) {
  for (let start = 0; start < entries.length; start += ENTRY_CHUNK) {
    const rows = entries.slice(start, start + ENTRY_CHUNK).map((entry) => ({
      product_id: entry.productId,
      organization_id: entry.organizationId,
      name: entry.name,
      name_en: entry.nameEn,
      description: entry.description,
      provider_name: entry.providerName,
      provider_name_en: entry.providerNameEn,
      provider_uscc: entry.providerUscc,
      catalogue_code: entry.catalogueCode,
      catalogue_version: entry.catalogueVersion,
      tier: entry.tier,
      ruleset_version: entry.rulesetVersion,
      product_status: entry.productStatus,
      last_outcome: entry.outcome,
      status: entry.outcome,
      decided_at: entry.decidedAt,
      log_index: entry.logIndex,
      listed_at: entry.decidedAt,
      ...searchColumns(entry),
      created_at: now,
      updated_at: now,
    }));
    await trx
      .insertInto('register_entries')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('product_id')
          .doUpdateSet((eb) => ({
            organization_id: eb.ref('excluded.organization_id'),
            name: eb.ref('excluded.name'),
            name_en: eb.ref('excluded.name_en'),
            description: eb.ref('excluded.description'),
            provider_name: eb.ref('excluded.provider_name'),
            provider_name_en: eb.ref('excluded.provider_name_en'),
            provider_uscc: eb.ref('excluded.provider_uscc'),
            catalogue_code: eb.ref('excluded.catalogue_code'),
            catalogue_version: eb.ref('excluded.catalogue_version'),
            tier: eb.ref('excluded.tier'),
            ruleset_version: eb.ref('excluded.ruleset_version'),
            product_status: eb.ref('excluded.product_status'),
            last_outcome: eb.ref('excluded.last_outcome'),
            status: eb.ref('excluded.status'),
            decided_at: eb.ref('excluded.decided_at'),
            log_index: eb.ref('excluded.log_index'),
            search_zh: eb.ref('excluded.search_zh'),
            search_en: eb.ref('excluded.search_en'),
            search_names: eb.ref('excluded.search_names'),
            version: sql`register_entries.version + 1`,
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('register_entries.decided_at', '<=', (eb) => eb.ref('excluded.decided_at')),
      )
      .execute();
  }
}

export async function insertDecisions(trx: Transaction<Database>, decisions: readonly DecisionWrite[], now: Date) {
  for (let start = 0; start < decisions.length; start += DECISION_CHUNK) {
    await trx
      .insertInto('register_decisions')
      .values(
        decisions.slice(start, start + DECISION_CHUNK).map((d) => ({
          id: d.id,
          product_id: d.productId,
          filing_id: d.filingId,
          kind: d.kind,
          outcome: d.outcome,
          decided_at: d.decidedAt,
          log_index: d.logIndex,
          source_event_id: d.sourceEventId,
          created_at: now,
          reasons: d.reasons,
          legal_basis: d.legalBasis,
          conditions: d.conditions === null ? null : JSON.stringify(d.conditions),
        })),
      )
      .execute();
  }
}

/** Which of these filings / source events already have a logged decision (duplicates to skip). */
export async function findRecordedDecisions(
  trx: Transaction<Database>,
  filingIds: readonly string[],
  eventIds: readonly string[],
): Promise<{ filingIds: Set<string>; eventIds: Set<string> }> {
  const filings = new Set<string>();
  const events = new Set<string>();
  for (let start = 0; start < Math.max(filingIds.length, eventIds.length); start += LOOKUP_CHUNK) {
    const filingChunk = filingIds.slice(start, start + LOOKUP_CHUNK);
    const eventChunk = eventIds.slice(start, start + LOOKUP_CHUNK);
    const rows = await trx
      .selectFrom('register_decisions')
      .select(['filing_id', 'source_event_id'])
      .where((eb) =>
        eb.or([
          ...(filingChunk.length > 0 ? [eb('filing_id', 'in', filingChunk)] : []),
          ...(eventChunk.length > 0 ? [eb('source_event_id', 'in', eventChunk)] : []),
        ]),
      )
      .execute();
    for (const row of rows) {
      if (row.filing_id !== null) filings.add(row.filing_id);
      events.add(row.source_event_id);
    }
  }
  return { filingIds: filings, eventIds: events };
}

export interface LockedEntry {
  productId: string;
  name: string;
  providerName: string;
  providerUscc: string;
  tier: string;
  rulesetVersion: string;
  catalogueVersion: string;
  lastOutcome: string;
  status: string;
  decidedAt: Date;
}

/** SELECT … FOR UPDATE of one entry, or undefined when the product is not on the register. */
export async function lockEntry(trx: Transaction<Database>, productId: string): Promise<LockedEntry | undefined> {
  const row = await trx
    .selectFrom('register_entries')
    .select([
      'product_id',
      'name',
      'provider_name',
      'provider_uscc',
      'tier',
      'ruleset_version',
      'catalogue_version',
      'last_outcome',
      'status',
      'decided_at',
    ])
    .where('product_id', '=', productId)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    productId: row.product_id,
    name: row.name,
    providerName: row.provider_name,
    providerUscc: row.provider_uscc,
    tier: row.tier,
    rulesetVersion: row.ruleset_version,
    catalogueVersion: row.catalogue_version,
    lastOutcome: row.last_outcome,
    status: row.status,
    decidedAt: new Date(row.decided_at),
  };
}

/** A status change on the entry; a logged one (`logIndex`) also becomes its latest public decision. */
export async function updateEntryStatus(
  trx: Transaction<Database>,
  productId: string,
  change: { status: string; productStatus: string; changedAt: Date; logIndex?: number },
  now: Date,
): Promise<void> {
  await trx
    .updateTable('register_entries')
    .set({
      status: change.status,
      product_status: change.productStatus,
      status_changed_at: change.changedAt,
      ...(change.logIndex === undefined ? {} : { decided_at: change.changedAt, log_index: change.logIndex }),
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('product_id', '=', productId)
    .execute();
}

export interface DecisionRow {
  filing_id: string | null;
  kind: string;
  outcome: string;
  decided_at: Date | string;
  log_index: string | number;
  reasons: string | null;
  legal_basis: string | null;
  conditions: string[] | null;
}

/** One entry with its logged decisions, oldest first, in one query. */
export async function findEntryWithDecisions(
  db: Executor,
  productId: string,
): Promise<(EntryRow & { decisions: DecisionRow[] }) | undefined> {
  const result = await sql<EntryRow & { decisions: DecisionRow[] }>`
    SELECT ${sql.join(ENTRY_COLUMNS.map((c) => sql.ref(`e.${c}`)))},
      COALESCE((
        SELECT json_agg(json_build_object('filing_id', d.filing_id, 'kind', d.kind, 'outcome', d.outcome,
                                          'decided_at', d.decided_at, 'log_index', d.log_index,
                                          'reasons', d.reasons, 'legal_basis', d.legal_basis,
                                          'conditions', d.conditions) ORDER BY d.log_index)
        FROM register_decisions d WHERE d.product_id = e.product_id
      ), '[]'::json) AS decisions
    FROM register_entries e
    WHERE e.product_id = ${productId}
  `.execute(db);
  return result.rows[0];
}
