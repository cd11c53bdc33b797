import crypto from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { canonicalize } from '../lib/canonical-json.ts';
import type { Database } from '../db/schema.ts';
import type { AuditAction } from '../domain/audit.ts';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';
import { actorLabel, type Principal } from './principal.ts';

/** Arbitrary constant for the advisory lock that lets one audit sequencer run at a time. */
const AUDIT_SEQUENCER_LOCK = 7_100_001;
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
/** Rows one sequencer transaction chains at most. */
const SEQUENCER_BATCH = 1000;

export interface AuditEntry {
  /** One of the registered codes (src/domain/audit.ts), so that every one has its labels. */
  action: AuditAction;
  resourceType: string;
  resourceId: string;
  organizationId?: string | null;
  /** What changed: small before/after facts, never secrets or whole documents. */
  summary: Record<string, unknown>;
}

export interface AuditContext {
  principal: Principal;
  requestId?: string | null;
  clock: Clock;
}

export interface ChainedFields {
  seq: string;
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  organizationId: string | null;
  summary: Record<string, unknown>;
  requestId: string | null;
}

type AuditRow = Selectable<Database['audit_events']>;

/** A stored audit row as GET /api/v1/audit shows it: `seq` is null while the row is pending. */
export function auditFieldsOf(row: AuditRow): Omit<ChainedFields, 'seq'> & { seq: string | null } {
  return {
    seq: row.seq === null ? null : String(row.seq),
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    organizationId: row.organization_id,
    summary: row.summary,
    requestId: row.request_id,
  };
}

/**
 * A stored audit row as the fields its hash covers, at chain position `seq`: its own once
 * chained, the one the sequencer is giving it while it chains it.
 */
export function chainedFieldsOf(row: AuditRow, seq: string | null = row.seq): ChainedFields {
  if (seq === null) throw new Error(`audit event ${row.id} is not chained yet`);
  return { ...auditFieldsOf(row), seq: String(seq) };
}

/** SHA-256 over the previous hash and the RFC 8785 canonical form of the row. */
export function auditHash(prevHash: string, fields: ChainedFields): string {
  return crypto.createHash('sha256').update(prevHash).update(canonicalize(fields)).digest('hex');
}

const recordListeners = new Set<() => void>();

/**
 * Tells this process's audit sequencer that a row was recorded (it chains within its wake-up
 * delay, ≈ 0.1 s, instead of its idle interval). Returns the function that stops listening.
 */
export function onAuditRecorded(listener: () => void): () => void {
  recordListeners.add(listener);
  return () => recordListeners.delete(listener);
}

/**
 * Records one audit event in the caller's transaction, so the record of a change commits or
 * rolls back with the change itself. It is inserted *pending* — without chain position and
 * hashes — and takes no lock: concurrent writes, on one instance or several, do not wait for
 * each other here. The sequencer ({@link chainPendingAuditEvents}) chains it once committed.
 */
export async function recordAudit(trx: Transaction<Database>, context: AuditContext, entry: AuditEntry): Promise<void> {
  const principal = context.principal;
  await trx
    .insertInto('audit_events')
    .values({
      id: newId(),
      occurred_at: context.clock.now(),
      actor_id: principal.kind === 'user' ? principal.userId : null,
      actor_label: actorLabel(principal),
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      organization_id: entry.organizationId ?? null,
      summary: JSON.stringify(entry.summary),
      request_id: context.requestId ?? null,
    })
    .execute();
  for (const listener of recordListeners) listener();
}

/**
 * One sequencer transaction: under the sequencer lock, the committed pending rows it can see
 * (at most `batchSize`, by id) get the next chain positions and their hashes, each over the
 * previous row's hash. Returns how many it chained, or undefined when `wait` is false and
 * another sequencer holds the lock.
 *
 * Rows are chained in the order the sequencer *sees* them committed; the position each gets is
 * written into the row and covered by its hash. A transaction that commits late (a smaller id
 * still uncommitted while larger ones were chained) is not lost and not squeezed in: it is
 * pending until the next pass and then chained after everything chained before it. So the chain
 * only ever grows at its end, never reorders, and any later edit, deletion or reordering of a
 * chained row breaks a hash or leaves a gap in `seq`.
 */
async function chainBatch(db: Kysely<Database>, batchSize: number, wait: boolean): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    if (wait) {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_SEQUENCER_LOCK})`.execute(trx);
    } else {
      const { rows } = await sql<{
        locked: boolean;
      }>`SELECT pg_try_advisory_xact_lock(${AUDIT_SEQUENCER_LOCK}) AS locked`.execute(trx);
      if (rows[0]?.locked !== true) return undefined;
    }
    // In READ COMMITTED each statement sees what committed before it, under the lock: the
    // previous sequencer's last batch included.
    const pending = await trx
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', 'is', null)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (pending.length === 0) return 0;
    const head = await trx
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .where('seq', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let seq = head === undefined ? 0 : Number(head.seq);
    let prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
    const ids: string[] = [];
    const seqs: string[] = [];
    const prevHashes: string[] = [];
    const hashes: string[] = [];
    for (const row of pending) {
      seq += 1;
      const hash = auditHash(prevHash, chainedFieldsOf(row, String(seq)));
      ids.push(row.id);
      seqs.push(String(seq));
      prevHashes.push(prevHash);
      hashes.push(hash);
      prevHash = hash;
    }
    const updated = await sql`
      UPDATE audit_events AS a
      SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      FROM unnest(${ids}::uuid[], ${seqs}::bigint[], ${prevHashes}::text[], ${hashes}::text[])
        AS v(id, seq, prev_hash, hash)
      WHERE a.id = v.id AND a.seq IS NULL
    `.execute(trx);
    if (Number(updated.numAffectedRows ?? 0) !== pending.length) {
      throw new Error('audit sequencer: pending rows changed under the sequencer lock');
    }
    return pending.length;
  });
}

/**
 * The audit sequencer: chains every audit row committed before the call, in batches, one
 * sequencer at a time across instances (an advisory lock, waited for). Returns how many rows
 * it chained. The server runs it in the background ({@link tryChainPendingAuditEvents});
 * `aigov audit verify` and tests call it to wait for the chain.
 */
export async function chainPendingAuditEvents(db: Kysely<Database>, batchSize = SEQUENCER_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const chained = (await chainBatch(db, batchSize, true)) ?? 0;
    total += chained;
    if (chained < batchSize) return total;
  }
}

/**
 * As {@link chainPendingAuditEvents}, but gives way at once when another sequencer holds the
 * lock (it chains what is committed; the rest waits for the next poll): undefined then.
 */
export async function tryChainPendingAuditEvents(
  db: Kysely<Database>,
  batchSize = SEQUENCER_BATCH,
): Promise<number | undefined> {
  let total = 0;
  for (;;) {
    const chained = await chainBatch(db, batchSize, false);
    if (chained === undefined) return total > 0 ? total : undefined;
    total += chained;
    if (chained < batchSize) return total;
  }
}

export interface AuditVerification {
  ok: boolean;
  /** Chained rows recomputed (before the first broken one). */
  checked: number;
  /** Rows recorded but not chained yet when the walk ended: not covered by any hash so far. */
  pending: number;
  /** The first broken row: edited (hash mismatch), or a gap/fork where rows were deleted. */
  firstBroken?: { seq: string; id: string | null; problem: 'hash_mismatch' | 'chain_broken' | 'sequence_gap' };
}

async function countPending(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('seq', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Recomputes the whole chain in pages; any edited or deleted chained row breaks it, and is
 * named. Read-only: rows not chained yet are counted as pending, not judged (run
 * {@link chainPendingAuditEvents} first to include them).
 */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 2000): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const broken = async (firstBroken: NonNullable<AuditVerification['firstBroken']>): Promise<AuditVerification> => ({
    ok: false,
    checked,
    pending: await countPending(db),
    firstBroken,
  });
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', String(expectedSeq))
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, checked, pending: await countPending(db) };
    for (const row of rows) {
      if (Number(row.seq) !== expectedSeq) {
        return broken({ seq: String(expectedSeq), id: null, problem: 'sequence_gap' });
      }
      if (row.prev_hash !== prevHash) {
        return broken({ seq: String(row.seq), id: row.id, problem: 'chain_broken' });
      }
      const recomputed = auditHash(prevHash, chainedFieldsOf(row));
      if (recomputed !== row.hash) {
        return broken({ seq: String(row.seq), id: row.id, problem: 'hash_mismatch' });
      }
      prevHash = recomputed;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
