import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Catalogue, CatalogueItem } from '../../lib/catalogue-files.ts';
import type { Database } from '../../db/schema.ts';
import type { CatalogueVersionsTable } from './tables.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

/** A stored catalogue version without its items. */
export interface CatalogueVersion {
  version: string;
  titleZh: string | null;
  titleEn: string | null;
  notesZh: string | null;
  notesEn: string | null;
  source: Catalogue['source'];
  previousVersion: string | null;
  mapping: Record<string, string>;
  origin: 'shipped' | 'published';
  itemCount: number;
  publishedAt: Date;
  publishedBy: string | null;
}

function toVersion(row: Selectable<CatalogueVersionsTable>): CatalogueVersion {
  return {
    version: row.version,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    notesZh: row.notes_zh,
    notesEn: row.notes_en,
    source: row.source,
    previousVersion: row.previous_version,
    mapping: row.mapping,
    origin: row.origin === 'shipped' ? 'shipped' : 'published',
    itemCount: row.item_count,
    publishedAt: new Date(row.published_at),
    publishedBy: row.published_by,
  };
}

export async function listCatalogueVersions(db: Executor): Promise<CatalogueVersion[]> {
  const rows = await db.selectFrom('catalogue_versions').selectAll().execute();
  return rows.map(toVersion);
}

export async function findCatalogueVersion(db: Executor, version: string): Promise<CatalogueVersion | undefined> {
  const row = await db.selectFrom('catalogue_versions').selectAll().where('version', '=', version).executeTakeFirst();
  return row === undefined ? undefined : toVersion(row);
}

/** The items of a version, parents first, as listed when it was published. */
export async function listCatalogueItems(db: Executor, version: string): Promise<CatalogueItem[]> {
  const rows = await db
    .selectFrom('catalogue_items')
    .selectAll()
    .where('version', '=', version)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    code: row.code,
    parentCode: row.parent_code,
    level: row.level,
    layer: row.layer,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    ...(row.refs === null ? {} : { refs: row.refs }),
  }));
}

export async function catalogueItemExists(db: Executor, version: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('catalogue_items')
    .select('code')
    .where('version', '=', version)
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores a validated catalogue with its items (a published version; migration 0003 seeds the shipped one). */
export async function insertCatalogueVersion(
  trx: Transaction<Database>,
  catalogue: Catalogue,
  meta: {
    previousVersion: string | null;
    mapping: Record<string, string>;
    origin: 'shipped' | 'published';
    publishedAt: Date;
    publishedBy: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('catalogue_versions')
    .values({
      version: catalogue.version,
      title_zh: catalogue.titleZh ?? null,
      title_en: catalogue.titleEn ?? null,
      notes_zh: catalogue.notesZh ?? null,
      notes_en: catalogue.notesEn ?? null,
      source: JSON.stringify(catalogue.source),
      previous_version: meta.previousVersion,
      mapping: JSON.stringify(meta.mapping),
      origin: meta.origin,
      item_count: catalogue.items.length,
      published_at: meta.publishedAt,
      published_by: meta.publishedBy,
    })
    .execute();
  // Chunked so a large catalogue stays under the protocol's bind-parameter limit.
  for (let start = 0; start < catalogue.items.length; start += 500) {
    await trx
      .insertInto('catalogue_items')
      .values(
        catalogue.items.slice(start, start + 500).map((item, offset) => ({
          version: catalogue.version,
          code: item.code,
          parent_code: item.parentCode,
          level: item.level,
          layer: item.layer,
          name_zh: item.nameZh,
          name_en: item.nameEn,
          refs: item.refs === undefined ? null : JSON.stringify(item.refs),
          position: start + offset,
        })),
      )
      .execute();
  }
}
