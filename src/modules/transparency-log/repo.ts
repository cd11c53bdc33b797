import { sql, type Kysely, type Transaction } from 'kysely';
import type { MerkleNode, NodeId, NodeReader } from '../../lib/merkle.ts';
import type { Database } from '../../db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Arbitrary constant naming the advisory lock of the one log sequencer. */
const LOG_SEQUENCER_LOCK = 7_100_002;

// Rows per multi-row INSERT: stays far below PostgreSQL's 65,535 bind parameters.
const INSERT_CHUNK = 4000;

export interface StoredCheckpoint {
  size: number;
  root: Uint8Array;
  note: string;
  keyId: string;
  origin: string;
}

export interface StoredLeaf {
  leafIndex: number;
  leaf: Uint8Array;
}

/**
 * Serialises every append to the log (on PostgreSQL across instances, on PGlite too): held
 * until the caller's transaction ends, so the next appender sees this one's committed size.
 */
export async function lockLogSequencer(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LOG_SEQUENCER_LOCK})`.execute(trx);
}

/** The newest checkpoint (largest size), or undefined while the log is empty. */
export async function findLatestCheckpoint(db: Executor): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('log_checkpoints')
    .select(['size', 'root', 'note', 'key_id', 'origin'])
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { size: Number(row.size), root: bytes(row.root), note: row.note, keyId: row.key_id, origin: row.origin };
}

/** Size of the log as published by its latest checkpoint (0 when empty). */
export async function findLogSize(db: Executor): Promise<number> {
  const row = await db.selectFrom('log_checkpoints').select('size').orderBy('size', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? 0 : Number(row.size);
}

/** A {@link NodeReader} over `log_nodes`: one query per batch, answers in request order. */
export function nodeReader(db: Executor): NodeReader {
  return async (ids: readonly NodeId[]) => {
    if (ids.length === 0) return [];
    const rows = await sql<{ level: number; idx: string | number; hash: Uint8Array }>`
      SELECT level, idx, hash FROM log_nodes
      WHERE (level, idx) IN (${sql.join(ids.map((id) => sql`(${id.level}::smallint, ${id.index}::bigint)`))})
    `.execute(db);
    const byKey = new Map(rows.rows.map((row) => [`${row.level}:${String(row.idx)}`, bytes(row.hash)]));
    return ids.map((id) => {
      const hash = byKey.get(`${id.level}:${id.index}`);
      if (hash === undefined) throw new Error(`transparency log: missing node (${id.level}, ${id.index})`);
      return hash;
    });
  };
}

export async function insertLeaves(
  trx: Transaction<Database>,
  firstIndex: number,
  leaves: readonly Uint8Array[],
  now: Date,
): Promise<void> {
  for (let start = 0; start < leaves.length; start += INSERT_CHUNK) {
    await trx
      .insertInto('log_leaves')
      .values(
        leaves.slice(start, start + INSERT_CHUNK).map((leaf, i) => ({
          leaf_index: firstIndex + start + i,
          leaf,
          created_at: now,
        })),
      )
      .execute();
  }
}

export async function insertNodes(trx: Transaction<Database>, nodes: readonly MerkleNode[]): Promise<void> {
  for (let start = 0; start < nodes.length; start += INSERT_CHUNK) {
    await trx
      .insertInto('log_nodes')
      .values(nodes.slice(start, start + INSERT_CHUNK).map((n) => ({ level: n.level, idx: n.index, hash: n.hash })))
      .execute();
  }
}

export async function insertCheckpoint(
  trx: Transaction<Database>,
  checkpoint: StoredCheckpoint,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('log_checkpoints')
    .values({
      size: checkpoint.size,
      root: checkpoint.root,
      note: checkpoint.note,
      key_id: checkpoint.keyId,
      origin: checkpoint.origin,
      created_at: now,
    })
    .execute();
}

/** Leaves [start, end), in order. */
export async function findLeaves(db: Executor, start: number, end: number): Promise<StoredLeaf[]> {
  const rows = await db
    .selectFrom('log_leaves')
    .select(['leaf_index', 'leaf'])
    .where('leaf_index', '>=', String(start))
    .where('leaf_index', '<', String(end))
    .orderBy('leaf_index')
    .execute();
  return rows.map((row) => ({ leafIndex: Number(row.leaf_index), leaf: bytes(row.leaf) }));
}

/**
 * The published log size and the hashes of `ids`, in ONE round trip (a proof costs one
 * query): the nodes are looked up through the primary key by joining the requested pairs.
 * Hashes come back in request order; a missing one is undefined (only possible when the
 * caller asked beyond the size, which it must check first).
 */
export async function findNodesAndLogSize(
  db: Executor,
  ids: readonly NodeId[],
): Promise<{ size: number; hashes: (Uint8Array | undefined)[] }> {
  const { rows } = await sql<{
    level: number | null;
    idx: string | number | null;
    hash: Uint8Array | null;
    size: string | number | null;
  }>`
    SELECT n.level, n.idx, n.hash, (SELECT max(size) FROM log_checkpoints) AS size
    FROM (SELECT 1) one
    LEFT JOIN (
      SELECT n.level, n.idx, n.hash
      FROM unnest(${ids.map((id) => id.level)}::smallint[], ${ids.map((id) => id.index)}::bigint[]) AS w(level, idx)
      JOIN log_nodes n ON n.level = w.level AND n.idx = w.idx
    ) n ON true
  `.execute(db);
  const size = rows[0]?.size === null || rows[0]?.size === undefined ? 0 : Number(rows[0].size);
  const byKey = new Map(
    rows.filter((row) => row.hash !== null).map((row) => [`${String(row.level)}:${String(row.idx)}`, bytes(row.hash!)]),
  );
  return { size, hashes: ids.map((id) => byKey.get(`${id.level}:${id.index}`)) };
}

/** pg gives a Buffer, PGlite a Uint8Array: both are bytes; normalise the type. */
function bytes(value: Uint8Array): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}
