import type { ColumnType, Generated } from 'kysely';
import type { Int8, Json, Timestamp } from '../../platform/tables.ts';

type NullableInt8 = ColumnType<string | null, number | bigint | string | null, number | bigint | string | null>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface TrackingReportsTable {
  id: string;
  product_id: string;
  organization_id: string;
  kind: string;
  period_start: string;
  period_end: string;
  due_date: string;
  due_date_provisional: boolean;
  submitted_at: Timestamp | null;
  submitted_by: string | null;
  active_users: NullableInt8;
  incident_count: NullableInt8;
  complaints_received: NullableInt8;
  material_changes: string | null;
  metrics: NullableJson<Array<{ key: string; value: number }>>;
  reminder_sent: Generated<boolean>;
  overdue_warned: Generated<boolean>;
  escalated: Generated<boolean>;
  source_filing_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IncidentsTable {
  id: string;
  product_id: string;
  organization_id: string;
  occurred_at: Timestamp;
  aware_at: Timestamp;
  serious: boolean;
  harms: Json<string[]>;
  widespread: boolean;
  description: string;
  immediate_measures: string;
  report_deadline: Timestamp | null;
  reported_late: boolean;
  status: string;
  conclusion: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IncidentUpdatesTable {
  id: string;
  incident_id: string;
  message: string;
  final: boolean;
  created_by: string | null;
  created_at: Timestamp;
}

export interface WarningsTable {
  id: string;
  product_id: string;
  organization_id: string;
  level: string;
  level_rank: number;
  source: string;
  rule_id: string | null;
  ruleset_version: string | null;
  lifted_by_rule: string;
  reasons_zh: string;
  reasons_en: string;
  measures_zh: Json<string[]>;
  measures_en: Json<string[]>;
  tracking_report_id: string | null;
  incident_id: string | null;
  issued_at: Timestamp;
  issued_by: string | null;
  lifted_at: Timestamp | null;
  lifted_by: string | null;
  lift_reasons: string | null;
  version: Generated<number>;
}

export interface ProductSuspensionsTable {
  product_id: string;
  suspended: boolean;
  warning_id: string;
  changed_at: Timestamp;
  log_index: Int8 | null;
}

export interface PublicReportsTable {
  id: string;
  product_id: string;
  organization_id: string;
  tracking_code: string;
  category: string;
  message: string;
  contact_email: string | null;
  submitted_at: Timestamp;
  submitted_date: string;
  due_date: string;
  due_date_provisional: boolean;
  response: string | null;
  responded_at: Timestamp | null;
  responded_by: string | null;
}

export interface MonitoringTables {
  tracking_reports: TrackingReportsTable;
  incidents: IncidentsTable;
  incident_updates: IncidentUpdatesTable;
  warnings: WarningsTable;
  product_suspensions: ProductSuspensionsTable;
  public_reports: PublicReportsTable;
}
