import type { ColumnType, Generated } from 'kysely';
import type { Int8, Timestamp } from '../../platform/tables.ts';

export interface RegisterEntriesTable {
  product_id: string;
  organization_id: string;
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
  product_status: string | null;
  last_outcome: string;
  status: string;
  decided_at: Timestamp;
  log_index: Int8 | null;
  status_changed_at: Timestamp | null;
  listed_at: Timestamp;
  /** tsvector: written with SQL expressions, read as text if at all. */
  search_zh: string;
  search_en: string;
  search_names: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RegisterDecisionsTable {
  id: string;
  product_id: string;
  filing_id: string | null;
  kind: string;
  outcome: string;
  decided_at: Timestamp;
  log_index: Int8;
  source_event_id: string;
  created_at: Timestamp;
  /** The decision's published explanation; null for status changes and for decisions logged before 0007. */
  reasons: string | null;
  legal_basis: string | null;
  /** JSON array of strings (approved_with_conditions); null when there are none or they were not sent. */
  conditions: ColumnType<string[] | null, string | null, string | null>;
}

export interface RegisterTables {
  register_entries: RegisterEntriesTable;
  register_decisions: RegisterDecisionsTable;
}
