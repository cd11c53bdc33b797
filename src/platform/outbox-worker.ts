import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { onEventEnqueued } from './outbox.ts';
import { startPoller, type PollerTiming } from './poller.ts';

import type { DeliveredEvent, OutboxConsumer } from './events.ts';

export type { DeliveredEvent, OutboxConsumer };

export type OutboxConsumers = ReadonlyMap<string, readonly OutboxConsumer[]>;

const MAX_BACKOFF_MS = 5 * 60_000;

/** Pending events of these topics whose time has come: what a poll claims and what it checks for. */
function readyEvents(db: Kysely<Database>, clock: Clock, topics: string[]) {
  return db
    .selectFrom('outbox_events')
    .where('processed_at', 'is', null)
    .where('available_at', '<=', clock.now())
    .where('topic', 'in', topics);
}

/**
 * Delivers up to `batchSize` pending events of the topics that have consumers. Rows are
 * claimed with FOR UPDATE SKIP LOCKED so several instances share the work without doubles;
 * a failing event is retried later with exponential backoff and never dropped.
 * Returns how many events were processed.
 */
export async function processOutboxBatch(
  db: Kysely<Database>,
  clock: Clock,
  consumers: OutboxConsumers,
  log?: FastifyBaseLogger,
  batchSize = 100,
): Promise<number> {
  const topics = [...consumers.keys()];
  if (topics.length === 0) return 0;
  const claimed = await db.transaction().execute(async (trx) => {
    const rows = await readyEvents(trx, clock, topics)
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    const done: string[] = [];
    const failed: Array<{ id: string; attempts: number; error: unknown }> = [];
    for (const row of rows) {
      const event: DeliveredEvent = {
        id: row.id,
        topic: row.topic,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        payload: row.payload,
        createdAt: new Date(row.created_at),
      };
      try {
        // A savepoint per event: one bad event must not undo the others' effects.
        await sql`SAVEPOINT outbox_event`.execute(trx);
        for (const consumer of consumers.get(row.topic) ?? []) await consumer(trx, event);
        await sql`RELEASE SAVEPOINT outbox_event`.execute(trx);
        done.push(row.id);
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT outbox_event`.execute(trx);
        failed.push({ id: row.id, attempts: row.attempts + 1, error });
      }
    }
    const now = clock.now();
    if (done.length > 0) {
      await trx.updateTable('outbox_events').set({ processed_at: now }).where('id', 'in', done).execute();
    }
    for (const failure of failed) {
      log?.warn({ err: failure.error, eventId: failure.id }, 'outbox event failed; will retry');
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failure.attempts, 20));
      await trx
        .updateTable('outbox_events')
        .set({
          attempts: failure.attempts,
          available_at: new Date(now.getTime() + delay),
          last_error: failure.error instanceof Error ? failure.error.message.slice(0, 1000) : 'error',
        })
        .where('id', '=', failure.id)
        .execute();
    }
    return rows.length;
  });
  return claimed;
}

/** Drains the outbox until nothing is ready (tests, CLI, and after a crash on start). */
export async function drainOutbox(
  db: Kysely<Database>,
  clock: Clock,
  consumers: OutboxConsumers,
  log?: FastifyBaseLogger,
) {
  let total = 0;
  for (;;) {
    const processed = await processOutboxBatch(db, clock, consumers, log);
    total += processed;
    if (processed === 0) return total;
  }
}

export type { PollerTiming } from './poller.ts';
export { nextPollDelay } from './poller.ts';

/**
 * 250 ms while events flow, doubling up to 2 s while none come: an idle server polled four
 * times a second forever (≈ 3 % of a CPU on PGlite). Events this process writes wake the poller
 * within `wakeMs`; events of other processes (the CLI, other instances on PostgreSQL) are
 * delivered within `idleMs`.
 */
export const DEFAULT_POLLER_TIMING: PollerTiming = { busyMs: 250, idleMs: 2000, wakeMs: 25 };

/** Is any event of these topics ready? One indexed read instead of a claiming transaction. */
async function hasReadyEvents(db: Kysely<Database>, clock: Clock, topics: string[]): Promise<boolean> {
  if (topics.length === 0) return false;
  return (await readyEvents(db, clock, topics).select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Polls the outbox in the background; returns a stop function that waits for the current batch. */
export function startOutboxPoller(
  db: Kysely<Database>,
  clock: Clock,
  consumers: OutboxConsumers,
  log: FastifyBaseLogger,
  timing: PollerTiming = DEFAULT_POLLER_TIMING,
): () => Promise<void> {
  const topics = [...consumers.keys()];
  return startPoller({
    poll: async () => ((await hasReadyEvents(db, clock, topics)) ? drainOutbox(db, clock, consumers, log) : 0),
    subscribe: onEventEnqueued,
    timing,
    log,
    failure: 'outbox poll failed',
  });
}
