import type { Int8, Timestamp } from '../../platform/tables.ts';

/** bytea: written and read as bytes (a Buffer on pg, a Uint8Array on PGlite). */
type Bytes = Uint8Array;

export interface LogLeavesTable {
  leaf_index: Int8;
  leaf: Bytes;
  created_at: Timestamp;
}

export interface LogNodesTable {
  level: number;
  idx: Int8;
  hash: Bytes;
}

export interface LogCheckpointsTable {
  size: Int8;
  root: Bytes;
  note: string;
  key_id: string;
  origin: string;
  created_at: Timestamp;
}

export interface TransparencyKeysTable {
  id: string;
  private_key: string;
  created_at: Timestamp;
}

export interface TransparencyLogTables {
  log_leaves: LogLeavesTable;
  log_nodes: LogNodesTable;
  log_checkpoints: LogCheckpointsTable;
  transparency_keys: TransparencyKeysTable;
}
