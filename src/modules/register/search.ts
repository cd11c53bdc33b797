import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { badRequest } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { isUuid } from '../../platform/ids.ts';
import { ENTRY_COLUMNS, type EntryRow } from './repo.ts';
import { PUBLIC_STATUSES } from './schemas.ts';
import { chineseTsQuery, normalizeText } from './search-text.ts';

/**
 * Public register search.
 *
 * With `q`: an entry matches when its jieba words match (all query words), its English text
 * matches (stemmed), its names are trigram-close to the query (typos: word_similarity ≥ 0.5),
 * or — for three characters or more — its names contain the query (partial names). Relevance
 * = ts_rank (Chinese) + ts_rank (English) + word_similarity + 0.5 for a substring hit,
 * rounded to 6 decimals so that it compares exactly; ties go to the smaller id.
 *
 * Paging is keyset: the cursor carries the last row's sort key, never an offset, so rows
 * that exist when a client starts paging are returned exactly once even while decisions
 * are being published (a new row lands either before the cursor — not shown to this
 * client — or after it — shown once). With `q` the key is [score, id] (the score of a row
 * depends only on its own text and the query); without `q` it is [listedAt, id], the
 * immutable time the product first entered the register, newest first. Each cursor also
 * carries a hash of the query and filters, so a cursor used with another query is a 400.
 */

export const TRIGRAM_WORD_SIMILARITY = 0.5;
const SCORE_DECIMALS = 6;
const SUBSTRING_BONUS = 0.5;
const MIN_SUBSTRING_LENGTH = 3;

export interface SearchFilters {
  q?: string | undefined;
  tier?: string | undefined;
  catalogueCode?: string | undefined;
  providerUscc?: string | undefined;
  status?: string | undefined;
}

export interface SearchPage {
  rows: EntryRow[];
  nextCursor: string | null;
}

function invalidCursor(): never {
  throw badRequest('invalid_cursor', {
    detail: {
      zh: 'cursor 无效，请使用上一页返回的 nextCursor',
      en: 'Invalid cursor: use the nextCursor of the previous page',
    },
    errors: [{ pointer: '/cursor', message: 'invalid cursor' }],
  });
}

function filtersHash(filters: SearchFilters, q: string | undefined): string {
  const key = JSON.stringify([
    q ?? null,
    filters.tier ?? null,
    filters.catalogueCode ?? null,
    filters.providerUscc ?? null,
    filters.status ?? null,
  ]);
  return crypto.createHash('sha256').update(key).digest('base64url').slice(0, 10);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
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
  return conditions;
}

const columns = sql.join(ENTRY_COLUMNS.map((c) => sql.ref(`e.${c}`)));

/** One page of the public register (see the module comment for the ordering and the cursor). */
export async function searchRegister(
  db: Kysely<Database>,
  filters: SearchFilters,
  limit: number,
  cursor: string | undefined,
): Promise<SearchPage> {
  const q = filters.q === undefined ? undefined : normalizeText(filters.q).trim();
  const hash = filtersHash(filters, q === '' ? undefined : q);
  if (q === undefined || q === '') return listRegister(db, filters, limit, cursor, hash);
  return rankedSearch(db, filters, q, limit, cursor, hash);
}

async function listRegister(
  db: Kysely<Database>,
  filters: SearchFilters,
  limit: number,
  cursor: string | undefined,
  hash: string,
): Promise<SearchPage> {
  const conditions = filterConditions(filters);
  const after = decodeCursor(cursor, 4);
  if (after !== undefined) {
    const [mode, cursorHash, listedAt, id] = after;
    if (mode !== 'l' || cursorHash !== hash || typeof listedAt !== 'string' || typeof id !== 'string' || !isUuid(id)) {
      invalidCursor();
    }
    if (Number.isNaN(Date.parse(listedAt))) invalidCursor();
    conditions.push(sql`(e.listed_at, e.product_id) < (${listedAt}::timestamptz, ${id}::uuid)`);
  }
  const { rows } = await sql<EntryRow & { listed_at: Date | string }>`
    SELECT ${columns}, e.listed_at FROM register_entries e
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY e.listed_at DESC, e.product_id DESC
    LIMIT ${limit + 1}
  `.execute(db);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeCursor(['l', hash, new Date(last.listed_at).toISOString(), last.product_id])
        : null,
  };
}

async function rankedSearch(
  db: Kysely<Database>,
  filters: SearchFilters,
  q: string,
  limit: number,
  cursor: string | undefined,
  hash: string,
): Promise<SearchPage> {
  const after = decodeCursor(cursor, 4);
  let keyset: RawBuilder<unknown> | undefined;
  if (after !== undefined) {
    const [mode, cursorHash, score, id] = after;
    if (mode !== 'r' || cursorHash !== hash || typeof score !== 'string' || typeof id !== 'string' || !isUuid(id)) {
      invalidCursor();
    }
    if (!/^-?\d{1,6}(?:\.\d{1,6})?$/.test(score)) invalidCursor();
    keyset = sql`WHERE (s.score < ${score}::numeric OR (s.score = ${score}::numeric AND s.product_id > ${id}::uuid))`;
  }

  const zhQuery = chineseTsQuery(q);
  const lowered = q.toLowerCase();
  const pattern = `%${escapeLike(lowered)}%`;
  const useSubstring = [...q].length >= MIN_SUBSTRING_LENGTH;

  const matches: RawBuilder<unknown>[] = [
    sql`e.search_en @@ (SELECT eq FROM query)`,
    sql`e.search_names %> ${lowered}`,
  ];
  const scores: RawBuilder<unknown>[] = [
    sql`ts_rank(e.search_en, (SELECT eq FROM query))`,
    sql`word_similarity(${lowered}, e.search_names)`,
  ];
  if (zhQuery !== undefined) {
    matches.push(sql`e.search_zh @@ (SELECT zq FROM query)`);
    scores.push(sql`ts_rank(e.search_zh, (SELECT zq FROM query))`);
  }
  if (useSubstring) {
    matches.push(sql`e.search_names LIKE ${pattern}`);
    scores.push(sql`CASE WHEN e.search_names LIKE ${pattern} THEN ${sql.lit(SUBSTRING_BONUS)} ELSE 0 END`);
  }

  // The trigram threshold is a setting: SET LOCAL confines it to this read-only transaction.
  const rows = await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL pg_trgm.word_similarity_threshold = ${sql.lit(TRIGRAM_WORD_SIMILARITY)}`.execute(trx);
    const result = await sql<EntryRow & { score: string }>`
      WITH query AS MATERIALIZED (
        SELECT plainto_tsquery('english', ${q}) AS eq, ${zhQuery ?? sql`NULL::tsquery`} AS zq
      )
      SELECT * FROM (
        SELECT ${columns}, round((${sql.join(scores, sql` + `)})::numeric, ${SCORE_DECIMALS}) AS score
        FROM register_entries e
        WHERE ${sql.join(filterConditions(filters), sql` AND `)} AND (${sql.join(matches, sql` OR `)})
      ) s
      ${keyset ?? sql``}
      ORDER BY s.score DESC, s.product_id ASC
      LIMIT ${limit + 1}
    `.execute(trx);
    return result.rows;
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last !== undefined ? encodeCursor(['r', hash, String(last.score), last.product_id]) : null,
  };
}
