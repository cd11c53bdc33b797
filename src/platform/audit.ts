import crypto from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { canonicalize } from '../lib/canonical-json.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';
import { actorLabel, type Principal } from './principal.ts';

/** Arbitrary constant for the advisory lock that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK = 7_100_001;
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
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

/** A stored audit row as the fields its hash covers (also what GET /api/v1/audit shows). */
export function chainedFieldsOf(row: Selectable<Database['audit_events']>): ChainedFields {
  return {
    seq: String(row.seq),
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

/** SHA-256 over the previous hash and the RFC 8785 canonical form of the row. */
export function auditHash(prevHash: string, fields: ChainedFields): string {
  return crypto.createHash('sha256').update(prevHash).update(canonicalize(fields)).digest('hex');
}

/**
 * Appends one audit event in the caller's transaction, so the record of a change commits
 * or rolls back with the change itself. Appends are serialised by an advisory lock so the
 * chain has no forks, on PostgreSQL with several instances as on PGlite.
 */
export async function recordAudit(trx: Transaction<Database>, context: AuditContext, entry: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const seq = String(last === undefined ? 1 : Number(last.seq) + 1);
  const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  const occurredAt = context.clock.now();
  const principal = context.principal;
  const fields: ChainedFields = {
    seq,
    id: newId(),
    occurredAt: occurredAt.toISOString(),
    actorId: principal.kind === 'user' ? principal.userId : null,
    actorLabel: actorLabel(principal),
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    organizationId: entry.organizationId ?? null,
    summary: entry.summary,
    requestId: context.requestId ?? null,
  };
  await trx
    .insertInto('audit_events')
    .values({
      id: fields.id,
      seq,
      occurred_at: occurredAt,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      resource_type: fields.resourceType,
      resource_id: fields.resourceId,
      organization_id: fields.organizationId,
      summary: JSON.stringify(entry.summary),
      request_id: fields.requestId,
      prev_hash: prevHash,
      hash: auditHash(prevHash, fields),
    })
    .execute();
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first broken row: edited (hash mismatch), or a gap/fork where rows were deleted. */
  firstBroken?: { seq: string; id: string | null; problem: 'hash_mismatch' | 'chain_broken' | 'sequence_gap' };
}

/** Recomputes the whole chain in pages; any edited or deleted row breaks it, and is named. */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 2000): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', String(expectedSeq))
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      if (Number(row.seq) !== expectedSeq) {
        return { ok: false, checked, firstBroken: { seq: String(expectedSeq), id: null, problem: 'sequence_gap' } };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, checked, firstBroken: { seq: String(row.seq), id: row.id, problem: 'chain_broken' } };
      }
      const recomputed = auditHash(prevHash, chainedFieldsOf(row));
      if (recomputed !== row.hash) {
        return { ok: false, checked, firstBroken: { seq: String(row.seq), id: row.id, problem: 'hash_mismatch' } };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
