import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '../../platform/http.ts';
import { isUuid } from '../../platform/ids.ts';
import { ENTRY_COLUMNS, type EntryRow } from './repo.ts';
import { PUBLIC_STATUSES } from './schemas.ts';
import { chineseTsQuery, hasHan, normalizeText } from './search-text.ts';

/**
 * Public register search.
 *
 * Matching, in order — the first that finds anything decides:
 * 1. Full text: every query word matches the entry's jieba words ('simple': names, provider,
 *    description, name bigrams) or its English text ('english', stemmed). Relevance =
 *    ts_rank of both (names weigh most, then provider, then description).
 * 2. Only when full text finds nothing — a typo or a fragment: a Latin-script query is
 *    compared by trigrams with the product's English name (pg_trgm word_similarity ≥ 0.5,
 *    relevance = that similarity); a Chinese one matches entries with ANY of its words,
 *    ranked by how much of it they match.
 * Scores are rounded to 6 decimals so they compare exactly; ties go to the smaller id.
 *
 * Cost guard: ranking needs every match scored, so it is done only when a query matches at
 * most {@link SEARCH_TUNING.rankCap} entries. A broader query (智能 on an AI register) is
 * answered newest first instead — relevance cannot separate thousands of equal matches
 * usefully, and walking the listing index stops after one page.
 *
 * Paging is keyset: the cursor carries the last row's sort key, never an offset, so entries
 * that exist when a client starts paging are returned exactly once even while decisions are
 * published (a new one sorts either before the cursor — not shown to this client — or after
 * it — shown once). The cursor also pins the mode chosen on page one (full text or fuzzy,
 * ranked or newest first) and a hash of the query and filters: the ordering never changes
 * under a client, and a cursor used with another query is a 400.
 */

/** Tunables (tests lower the caps to exercise the newest-first path on small registers). */
export const SEARCH_TUNING = {
  /** Most full-text matches ranked by relevance (ts_rank costs microseconds a row). */
  rankCap: 1000,
  /** Most trigram matches ranked by similarity (word_similarity costs tens of microseconds a row). */
  fuzzyCap: 500,
  /** pg_trgm word_similarity threshold for typos. */
  trigramThreshold: 0.5,
};

const SCORE_DECIMALS = 6;

export interface SearchFilters {
  q?: string | undefined;
  tier?: string | undefined;
  catalogueCode?: string | undefined;
  providerUscc?: string | undefined;
  status?: string | undefined;
  /** Civil dates (YYYY-MM-DD) in Asia/Shanghai, both ends included. */
  listedFrom?: string | undefined;
  listedTo?: string | undefined;
  sort?: 'relevance' | 'newest' | undefined;
}

export interface SearchPage {
  rows: EntryRow[];
  nextCursor: string | null;
}

/** l: listing (no q) · r/b: full text ranked / newest first · f/g: fuzzy ranked / newest first. */
type Mode = 'l' | 'r' | 'b' | 'f' | 'g';

interface Strategy {
  /** CTE named `query` holding the tsqueries (empty for trigram matching). */
  query: RawBuilder<unknown>;
  match: RawBuilder<unknown>;
  score: RawBuilder<unknown>;
  cap: number;
  /** SET LOCAL pg_trgm.word_similarity_threshold first (needs a transaction). */
  usesTrigrams: boolean;
}

type Executor = Kysely<Database> | Transaction<Database>;

function filtersHash(filters: SearchFilters, q: string | undefined): string {
  const key = JSON.stringify([
    q ?? null,
    filters.tier ?? null,
    filters.catalogueCode ?? null,
    filters.providerUscc ?? null,
    filters.status ?? null,
    filters.listedFrom ?? null,
    filters.listedTo ?? null,
    filters.sort ?? null,
  ]);
  return crypto.createHash('sha256').update(key).digest('base64url').slice(0, 10);
}

function filterConditions(filters: SearchFilters): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [
    filters.status === undefined
      ? sql`e.status IN (${sql.join(PUBLIC_STATUSES.map((s) => sql`${s}`))})`
      : sql`e.status = ${filters.status}`,
  ];
  if (filters.tier !== undefined) conditions.push(sql`e.tier = ${filters.tier}`);
  // Hierarchical codes: a code's descendants are exactly the codes it prefixes.
  if (filters.catalogueCode !== undefined) conditions.push(sql`e.catalogue_code LIKE ${`${filters.catalogueCode}%`}`);
  if (filters.providerUscc !== undefined) conditions.push(sql`e.provider_uscc = ${filters.providerUscc}`);
  // A day is a day in Shenzhen: [from 00:00, to + 1 day 00:00) Asia/Shanghai.
  if (filters.listedFrom !== undefined) {
    conditions.push(sql`e.listed_at >= (${filters.listedFrom}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  }
  if (filters.listedTo !== undefined) {
    conditions.push(sql`e.listed_at < ((${filters.listedTo}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  }
  return conditions;
}

const columns = sql.join(ENTRY_COLUMNS.map((c) => sql.ref(`e.${c}`)));

function fullTextStrategy(q: string): Strategy {
  const zh = chineseTsQuery(q, 'all');
  return {
    query: sql`query AS MATERIALIZED (SELECT plainto_tsquery('english', ${q}) AS eq, ${zh ?? sql`NULL::tsquery`} AS zq)`,
    match:
      zh === undefined
        ? sql`e.search_en @@ (SELECT eq FROM query)`
        : sql`(e.search_zh @@ (SELECT zq FROM query) OR e.search_en @@ (SELECT eq FROM query))`,
    score:
      zh === undefined
        ? sql`ts_rank(e.search_en, (SELECT eq FROM query))`
        : sql`ts_rank(e.search_zh, (SELECT zq FROM query)) + ts_rank(e.search_en, (SELECT eq FROM query))`,
    cap: SEARCH_TUNING.rankCap,
    usesTrigrams: false,
  };
}

function fuzzyStrategy(q: string): Strategy | undefined {
  if (hasHan(q)) {
    const anyWord = chineseTsQuery(q, 'any');
    if (anyWord === undefined) return undefined;
    return {
      query: sql`query AS MATERIALIZED (SELECT ${anyWord} AS zq)`,
      match: sql`e.search_zh @@ (SELECT zq FROM query)`,
      score: sql`ts_rank(e.search_zh, (SELECT zq FROM query))`,
      cap: SEARCH_TUNING.rankCap,
      usesTrigrams: false,
    };
  }
  const lowered = q.toLowerCase();
  return {
    query: sql`query AS (SELECT 1)`,
    match: sql`e.search_names %> ${lowered}`,
    score: sql`word_similarity(${lowered}, e.search_names)`,
    cap: SEARCH_TUNING.fuzzyCap,
    usesTrigrams: true,
  };
}

interface RankedRow extends EntryRow {
  score: string;
}

/** Page one of a ranked mode: ranks at most `cap` matches; `overCap` when there are more. */
async function firstRankedPage(db: Executor, strategy: Strategy, filters: SearchFilters, limit: number) {
  const { rows } = await sql<RankedRow & { matched: number }>`
    WITH ${strategy.query},
    m AS MATERIALIZED (
      SELECT e.product_id, round((${strategy.score})::numeric, ${SCORE_DECIMALS}) AS score
      FROM register_entries e
      WHERE ${sql.join(filterConditions(filters), sql` AND `)} AND ${strategy.match}
      LIMIT ${strategy.cap + 1}
    ),
    top AS (SELECT product_id, score FROM m ORDER BY score DESC, product_id ASC LIMIT ${limit + 1})
    SELECT (SELECT count(*) FROM m)::int AS matched, ${columns}, top.score
    FROM top JOIN register_entries e ON e.product_id = top.product_id
    ORDER BY top.score DESC, top.product_id ASC
  `.execute(db);
  const matched = rows[0]?.matched ?? 0;
  return { rows, matched, overCap: matched > strategy.cap };
}

async function nextRankedPage(
  db: Executor,
  strategy: Strategy,
  filters: SearchFilters,
  limit: number,
  after: { score: string; id: string },
) {
  const { rows } = await sql<RankedRow>`
    WITH ${strategy.query}
    SELECT * FROM (
      SELECT ${columns}, round((${strategy.score})::numeric, ${SCORE_DECIMALS}) AS score
      FROM register_entries e
      WHERE ${sql.join(filterConditions(filters), sql` AND `)} AND ${strategy.match}
    ) s
    WHERE s.score < ${after.score}::numeric OR (s.score = ${after.score}::numeric AND s.product_id > ${after.id}::uuid)
    ORDER BY s.score DESC, s.product_id ASC
    LIMIT ${limit + 1}
  `.execute(db);
  return rows;
}

/** Newest first among the entries matching `strategy` (or all, for the plain listing). */
async function newestPage(
  db: Executor,
  strategy: Strategy | undefined,
  filters: SearchFilters,
  limit: number,
  after: { listedAt: string; id: string } | undefined,
) {
  const keyset =
    after === undefined ? [] : [sql`(e.listed_at, e.product_id) < (${after.listedAt}::timestamptz, ${after.id}::uuid)`];
  if (strategy === undefined) {
    const { rows } = await sql<ListedRow>`
      SELECT ${columns}, e.listed_at FROM register_entries e
      WHERE ${sql.join([...filterConditions(filters), ...keyset], sql` AND `)}
      ORDER BY e.listed_at DESC, e.product_id DESC
      LIMIT ${limit + 1}
    `.execute(db);
    return rows;
  }
  // A query with more than `cap` matches (filters applied): walking the listing index newest
  // first and testing each row stops after about (entries ÷ matches) × page rows, while a
  // bitmap of every match — or of every entry of a catalogue sector — reads them all. The
  // planner cannot know the match is that common, so the walk is asked for explicitly.
  const walk = async (trx: Transaction<Database>) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
    const { rows } = await sql<ListedRow>`
      WITH ${strategy.query}
      SELECT ${columns}, e.listed_at FROM register_entries e
      WHERE ${sql.join([...keyset, sql`(${sql.join([...filterConditions(filters), strategy.match], sql` AND `)}) IS TRUE`], sql` AND `)}
      ORDER BY e.listed_at DESC, e.product_id DESC
      LIMIT ${limit + 1}
    `.execute(trx);
    return rows;
  };
  return db.isTransaction ? walk(db as Transaction<Database>) : db.transaction().execute(walk);
}

type ListedRow = EntryRow & { listed_at: Date | string };

function page<T extends EntryRow>(
  rows: T[],
  limit: number,
  key: (last: T) => (string | number)[],
  mode: Mode,
  hash: string,
): SearchPage {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    rows: shown,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor([mode, hash, ...key(last)]) : null,
  };
}

const byScore = (row: RankedRow) => [String(row.score), row.product_id];
const byListing = (row: ListedRow) => [new Date(row.listed_at).toISOString(), row.product_id];

/** Runs `work` in a transaction with the trigram threshold set when the strategy needs it. */
async function withStrategy<T>(db: Kysely<Database>, strategies: Strategy[], work: (db: Executor) => Promise<T>) {
  if (!strategies.some((s) => s.usesTrigrams)) return work(db);
  // The threshold is a setting: SET LOCAL confines it to this read-only transaction.
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL pg_trgm.word_similarity_threshold = ${sql.lit(SEARCH_TUNING.trigramThreshold)}`.execute(trx);
    return work(trx);
  });
}

function parseCursor(cursor: string | undefined, hash: string) {
  const values = decodeCursor(cursor, 4);
  if (values === undefined) return undefined;
  const [mode, cursorHash, key, id] = values;
  if (typeof mode !== 'string' || !['l', 'r', 'b', 'f', 'g'].includes(mode)) throw invalidCursor();
  if (cursorHash !== hash || typeof key !== 'string' || typeof id !== 'string' || !isUuid(id)) throw invalidCursor();
  if (mode === 'r' || mode === 'f') {
    if (!/^-?\d{1,6}(?:\.\d{1,6})?$/.test(key)) throw invalidCursor();
  } else if (Number.isNaN(Date.parse(key))) {
    throw invalidCursor();
  }
  return { mode: mode as Mode, key, id };
}

/** One page of the public register (see the module comment for matching, order and cursors). */
export async function searchRegister(
  db: Kysely<Database>,
  filters: SearchFilters,
  limit: number,
  cursor: string | undefined,
): Promise<SearchPage> {
  const normalized = filters.q === undefined ? '' : normalizeText(filters.q).trim();
  const q = normalized === '' ? undefined : normalized;
  const hash = filtersHash(filters, q);
  const after = parseCursor(cursor, hash);

  if (q === undefined) {
    if (after !== undefined && after.mode !== 'l') throw invalidCursor();
    const rows = await newestPage(db, undefined, filters, limit, after && { listedAt: after.key, id: after.id });
    return page(rows, limit, byListing, 'l', hash);
  }
  const fullText = fullTextStrategy(q);
  const fuzzy = fuzzyStrategy(q);

  if (after !== undefined) {
    if (after.mode === 'l') throw invalidCursor();
    const strategy = after.mode === 'r' || after.mode === 'b' ? fullText : fuzzy;
    if (strategy === undefined) throw invalidCursor();
    return withStrategy(db, [strategy], async (executor) => {
      if (after.mode === 'r' || after.mode === 'f') {
        const rows = await nextRankedPage(executor, strategy, filters, limit, { score: after.key, id: after.id });
        return page(rows, limit, byScore, after.mode, hash);
      }
      const rows = await newestPage(executor, strategy, filters, limit, { listedAt: after.key, id: after.id });
      return page(rows, limit, byListing, after.mode, hash);
    });
  }

  // Newest first on request: the full-text matches, else the fuzzy ones, by listing date.
  if (filters.sort === 'newest') {
    for (const [strategy, mode] of [
      [fullText, 'b'],
      [fuzzy, 'g'],
    ] as const) {
      if (strategy === undefined) continue;
      const rows = await withStrategy(db, [strategy], (executor) =>
        newestPage(executor, strategy, filters, limit, undefined),
      );
      if (rows.length > 0) return page(rows, limit, byListing, mode, hash);
    }
    return { rows: [], nextCursor: null };
  }

  // Page one: full text; if it finds nothing, the fuzzy fallback. Each ranks when it can.
  const attempts: [Strategy, Mode, Mode][] = [[fullText, 'r', 'b']];
  if (fuzzy !== undefined) attempts.push([fuzzy, 'f', 'g']);
  for (const [strategy, ranked, newest] of attempts) {
    const found = await withStrategy(db, [strategy], async (executor) => {
      const first = await firstRankedPage(executor, strategy, filters, limit);
      if (first.matched === 0) return undefined;
      if (!first.overCap) return page(first.rows, limit, byScore, ranked, hash);
      const rows = await newestPage(executor, strategy, filters, limit, undefined);
      return page(rows, limit, byListing, newest, hash);
    });
    if (found !== undefined) return found;
  }
  return { rows: [], nextCursor: null };
}
