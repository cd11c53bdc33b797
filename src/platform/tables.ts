import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** int8 comes back from the drivers as a string; write numbers, read strings. */
export type Int8 = ColumnType<string, number | bigint | string, number | bigint | string>;
export type Json<T = unknown> = ColumnType<T, string, string>;

export interface AuditEventsTable {
  /** UUIDv7: time-ordered, the order the trail is listed in. */
  id: string;
  /** Position in the hash chain; null (with prev_hash and hash) until the sequencer chains the row. */
  seq: Int8 | null;
  occurred_at: Timestamp;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  resource_type: string;
  resource_id: string;
  organization_id: string | null;
  summary: Json<Record<string, unknown>>;
  request_id: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface OutboxEventsTable {
  id: string;
  topic: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  available_at: Timestamp;
  attempts: Generated<number>;
  processed_at: Timestamp | null;
  last_error: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: Json;
  response_headers: Json<Record<string, string>>;
  created_at: Timestamp;
}

export interface PlatformTables {
  audit_events: AuditEventsTable;
  outbox_events: OutboxEventsTable;
  idempotency_keys: IdempotencyKeysTable;
}
