import type { DatasetField } from '../../lib/csv-dataset.ts';
import type { Int8, Json, Timestamp } from '../../platform/tables.ts';

export interface DatasetsTable {
  id: string;
  title: string;
  title_en: string;
  description: string;
  description_en: string;
  publisher: string;
  openness: string;
  themes: Json<string[]>;
  license: string;
  update_frequency: string;
  fields: Json<DatasetField[]>;
  data_version: number;
  rows: number;
  data_updated_at: Timestamp | null;
  version: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DatasetVersionsTable {
  id: string;
  dataset_id: string;
  number: number;
  rows: number;
  bytes: Int8;
  sha256: string;
  storage: 'files' | 'database';
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

export interface DatasetDataChunksTable {
  version_id: string;
  seq: number;
  content: Uint8Array;
}

export interface DataAccessRequestsTable {
  id: string;
  dataset_id: string;
  organization_id: string;
  requested_by: string | null;
  purpose: string;
  legal_basis: string;
  fields: Json<string[]>;
  duration_days: number;
  status: string;
  submitted_at: Timestamp;
  due_date: string;
  due_date_provisional: boolean;
  decided_at: Timestamp | null;
  decided_by: string | null;
  reasons: string | null;
  version: number;
}

export interface ExtractStats {
  at: string;
  dataVersion: number;
  rows: number;
  released: number;
  suppressed: number;
  equivalenceClasses: number;
  suppressedShare: number;
  averageClassSize: number;
  certaintyPenalty: number;
}

export interface DataAccessGrantsTable {
  id: string;
  request_id: string;
  dataset_id: string;
  organization_id: string;
  fields: Json<string[]>;
  k: number;
  granted_at: Timestamp;
  expires_at: Timestamp;
  last_extract: Json<ExtractStats> | null;
  downloads: number;
}

export interface DataAccessTables {
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  dataset_data_chunks: DatasetDataChunksTable;
  data_access_requests: DataAccessRequestsTable;
  data_access_grants: DataAccessGrantsTable;
}
