import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from '../../platform/tables.ts';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface TrialsTable {
  id: string;
  /** The provider: the organisation that applied. */
  organization_id: string;
  product_id: string;
  kind: string;
  /** A stored status (STORED_TRIAL_STATUSES); `active` and `ended` are read through the clock. */
  status: string;
  title: string;
  title_en: string | null;
  protocol_summary: string;
  max_participants: number;
  enrolled: Defaulted<number>;
  /** Civil dates, YYYY-MM-DD (Asia/Shanghai). */
  start_date: string;
  end_date: string;
  original_end_date: string;
  extended: Defaulted<boolean>;
  international_standards: Json<{ code: string; title: string }[]>;
  no_applicable_national_standard: boolean;
  /** Healthcare: null before submission, `pending`, then the ethics outcome. */
  ethics_status: string | null;
  suspended_at: Timestamp | null;
  suspension_reason: string | null;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  final_report_due_date: string | null;
  final_report_due_date_provisional: Defaulted<boolean>;
  completed_at: Timestamp | null;
  outcome_summary: string | null;
  version: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TrialHostsTable {
  trial_id: string;
  organization_id: string;
  position: number;
  due_date: string | null;
  due_date_provisional: Defaulted<boolean>;
  decision: string | null;
  reasons: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
}

export interface TrialEnrolmentsTable {
  id: string;
  trial_id: string;
  host_organization_id: string;
  count: number;
  enrolled_on: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface TrialAdverseEventsTable {
  id: string;
  trial_id: string;
  reported_by_organization_id: string;
  occurred_at: Timestamp;
  aware_at: Timestamp;
  serious: boolean;
  description: string;
  report_deadline: Timestamp | null;
  reported_late: boolean;
  reported_at: Timestamp;
  reported_by: string | null;
}

export interface TrialReportsTable {
  id: string;
  trial_id: string;
  kind: string;
  participants: number;
  outcome_summary: string;
  adverse_events_summary: string;
  submitted_at: Timestamp;
  submitted_by: string | null;
}

export interface TrialTables {
  trials: TrialsTable;
  trial_hosts: TrialHostsTable;
  trial_enrolments: TrialEnrolmentsTable;
  trial_adverse_events: TrialAdverseEventsTable;
  trial_reports: TrialReportsTable;
}
