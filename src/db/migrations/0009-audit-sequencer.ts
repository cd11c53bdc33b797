import { sql, type Kysely } from 'kysely';

/**
 * The audit chain leaves the request path (platform/audit.ts): a write inserts its audit row
 * in its own transaction without `seq`, `prev_hash` and `hash`, and the sequencer fills them
 * in later, one batch at a time. The three become nullable — all set (chained) or all null
 * (pending), never a mix. Rows written before this migration are all chained and keep their
 * hashes: nothing the hash covers changes.
 *
 * Pending rows are found through a partial index (empty once the sequencer has caught up).
 * The trail is listed by `id` (UUIDv7, time-ordered, set at insert and never changed), so a
 * page cursor stays valid while rows are being chained: the actor filter's index follows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE audit_events
    ALTER COLUMN seq DROP NOT NULL,
    ALTER COLUMN prev_hash DROP NOT NULL,
    ALTER COLUMN hash DROP NOT NULL,
    ADD CONSTRAINT audit_events_chained_or_pending
      CHECK ((seq IS NULL AND prev_hash IS NULL AND hash IS NULL)
          OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL))`.execute(db);
  await sql`CREATE INDEX audit_events_pending ON audit_events (id) WHERE seq IS NULL`.execute(db);
  await db.schema.createIndex('audit_events_by_actor').on('audit_events').columns(['actor_id', 'id']).execute();
  await db.schema.dropIndex('audit_events_actor').execute();
}

/** Only once every row is chained (`aigov audit verify` chains what is pending). */
export async function down(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_events WHERE seq IS NULL`.execute(db);
  if (Number(rows[0]!.n) > 0) {
    throw new Error(`${rows[0]!.n} audit events are not chained yet: run aigov audit verify first`);
  }
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_id', 'seq']).execute();
  await db.schema.dropIndex('audit_events_by_actor').execute();
  await db.schema.dropIndex('audit_events_pending').execute();
  await sql`ALTER TABLE audit_events
    DROP CONSTRAINT audit_events_chained_or_pending,
    ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL`.execute(db);
}
