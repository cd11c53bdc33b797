import type { ColumnType } from 'kysely';
import type { Timestamp } from '../../platform/tables.ts';

export interface FilingsTable {
  id: string;
  product_id: string;
  organization_id: string;
  kind: string;
  status: string;
  /** The product's risk tier when the filing was created, refreshed at submission. */
  tier: string;
  summary: string;
  transparency_measures: string | null;
  version: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  submitted_by: string | null;
  /** Statutory decision date, YYYY-MM-DD (Asia/Shanghai); assessments only. */
  due_date: string | null;
  /** True while `due_date` counts weekends only in a year without an official calendar (API-CONTRACT-2 §0). */
  due_date_provisional: ColumnType<boolean, boolean | undefined, boolean>;
  review_working_days: number | null;
  /** Working days the clock stood still for answered information requests. */
  stopped_working_days: number;
  /** While an information request is open: its date (YYYY-MM-DD), when the clock stopped. */
  clock_stopped_on: string | null;
  assignee_id: string | null;
  assigned_at: Timestamp | null;
  decided_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
}

export interface FilingDocumentsTable {
  id: string;
  filing_id: string;
  organization_id: string;
  document_type: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  /** The bytes when the database stores them; null when they are in the file store (by sha256). */
  content: Uint8Array | null;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

export interface FilingInformationRequestsTable {
  id: string;
  filing_id: string;
  message: string;
  requested_at: Timestamp;
  requested_by: string | null;
  /** Asia/Shanghai civil date of the request: the clock stops after this day. */
  requested_date: string;
  response: string | null;
  responded_at: Timestamp | null;
  responded_by: string | null;
  response_date: string | null;
  stopped_working_days: number | null;
}

export interface FilingDecisionsTable {
  id: string;
  filing_id: string;
  outcome: string;
  reasons: string;
  legal_basis: string | null;
  /** JSON array of strings, for `approved_with_conditions`. */
  conditions: ColumnType<string[] | null, string | null, string | null>;
  decided_at: Timestamp;
  decided_by: string | null;
}

export interface FilingTables {
  filings: FilingsTable;
  filing_documents: FilingDocumentsTable;
  filing_information_requests: FilingInformationRequestsTable;
  filing_decisions: FilingDecisionsTable;
}
