import type { Json, Timestamp } from '../../platform/tables.ts';
import type { CatalogueLayer, CatalogueRef, CatalogueSource } from '../../lib/catalogue-files.ts';

/** One published version of the AI industry classification catalogue. */
export interface CatalogueVersionsTable {
  version: string;
  title_zh: string | null;
  title_en: string | null;
  notes_zh: string | null;
  notes_en: string | null;
  source: Json<CatalogueSource[]>;
  /** The version this one replaced (null for the first). */
  previous_version: string | null;
  /** Codes of the previous version that this one retired, each to its successor. */
  mapping: Json<Record<string, string>>;
  /** `shipped` (seeded from data/reference/catalogue) or `published` (by an administrator). */
  origin: string;
  item_count: number;
  published_at: Timestamp;
  published_by: string | null;
}

export interface CatalogueItemsTable {
  version: string;
  code: string;
  parent_code: string | null;
  level: number;
  layer: CatalogueLayer;
  name_zh: string;
  name_en: string;
  refs: Json<CatalogueRef[]> | null;
  /** Order of the item in its version (parents first). */
  position: number;
}

export interface CatalogueTables {
  catalogue_versions: CatalogueVersionsTable;
  catalogue_items: CatalogueItemsTable;
}
