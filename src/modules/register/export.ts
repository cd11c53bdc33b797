import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ENTRY_COLUMNS, type EntryRow } from './repo.ts';
import { PUBLIC_STATUSES, type ExportItem } from './schemas.ts';
import { registerItemOf } from './service.ts';

/**
 * Whole-register exports, streamed a page at a time (keyset by product id) so memory stays
 * flat however large the register grows. The pages are separate reads, not one snapshot: an
 * entry published during a download may or may not be in it, and none appears twice.
 */

const PAGE = 2000;
const publicStatuses = sql.join(PUBLIC_STATUSES.map((s) => sql`${s}`));
const columns = sql.join(ENTRY_COLUMNS.map((c) => sql.ref(c)));

async function* exportPages(db: Kysely<Database>): AsyncGenerator<ExportItem[]> {
  let after: string | undefined;
  for (;;) {
    const { rows } = await sql<EntryRow>`
      SELECT ${columns} FROM register_entries
      WHERE status IN (${publicStatuses}) ${after === undefined ? sql`` : sql`AND product_id > ${after}::uuid`}
      ORDER BY product_id
      LIMIT ${PAGE}
    `.execute(db);
    if (rows.length > 0) {
      yield rows.map((row) => ({
        ...registerItemOf(row),
        catalogueVersion: row.catalogue_version,
        rulesetVersion: row.ruleset_version,
      }));
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.product_id;
  }
}

/**
 * A validator for the exports that costs one aggregate, not a full read: it changes whenever
 * an entry is added or changed (updated_at, count) — weak, as two instances may compress or
 * chunk the same content differently.
 */
export async function registerExportEtag(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ count: string | number; latest: Date | string | null }>`
    SELECT count(*) AS count, max(updated_at) AS latest FROM register_entries WHERE status IN (${publicStatuses})
  `.execute(db);
  const row = rows[0];
  const latest = row?.latest === null || row?.latest === undefined ? 0 : new Date(row.latest).getTime();
  return `W/"${String(row?.count ?? 0)}-${latest}"`;
}

export const CSV_HEADER = [
  'id',
  'name',
  'nameEn',
  'description',
  'providerName',
  'providerNameEn',
  'providerUscc',
  'catalogueCode',
  'catalogueVersion',
  'tier',
  'rulesetVersion',
  'status',
  'decidedAt',
  'logIndex',
] as const;

/**
 * RFC 4180 field: quoted when it holds a comma, quote or line break (quotes doubled). A text
 * starting with = + - @ (or a tab / CR) gets a leading apostrophe so a spreadsheet shows it
 * instead of evaluating it (OWASP "CSV injection"): names come from providers.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** UTF-8 with a BOM (so Excel reads Chinese correctly), CRLF line ends, a header row. */
export function registerCsvStream(db: Kysely<Database>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine(CSV_HEADER)}`;
    for await (const page of exportPages(db)) {
      yield page
        .map((item) =>
          csvLine([
            item.id,
            item.name,
            item.nameEn,
            item.description,
            item.provider.name,
            item.provider.nameEn,
            item.provider.uscc,
            item.catalogueCode,
            item.catalogueVersion,
            item.tier,
            item.rulesetVersion,
            item.status,
            item.decidedAt,
            item.logIndex,
          ]),
        )
        .join('');
    }
  }
  return Readable.from(lines());
}

/** `{"items":[…]}` with every public entry, streamed. */
export function registerJsonStream(db: Kysely<Database>): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield '{"items":[';
    let first = true;
    for await (const page of exportPages(db)) {
      yield `${first ? '' : ','}${page.map((item) => JSON.stringify(item)).join(',')}`;
      first = false;
    }
    yield ']}';
  }
  return Readable.from(chunks());
}
