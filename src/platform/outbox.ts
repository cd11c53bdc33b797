import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';

export interface OutboxEvent {
  /** Dotted event name, e.g. `filing.submitted`, `decision.published`. */
  topic: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

const enqueueListeners = new Set<() => void>();

/**
 * Tells this process's outbox poller that an event was written (it wakes early instead of
 * waiting out its idle interval). Returns the function that stops listening.
 */
export function onEventEnqueued(listener: () => void): () => void {
  enqueueListeners.add(listener);
  return () => enqueueListeners.delete(listener);
}

/**
 * Writes an event in the caller's transaction (transactional outbox): the event exists if
 * and only if the change committed. Jobs deliver it later, at least once, with retries.
 */
export async function enqueueEvent(trx: Transaction<Database>, clock: Clock, event: OutboxEvent): Promise<string> {
  const [id] = await enqueueEvents(trx, clock, [event]);
  return id!;
}

/** Several events in one statement, delivered in the order given. Returns their ids. */
export async function enqueueEvents(
  trx: Transaction<Database>,
  clock: Clock,
  events: readonly OutboxEvent[],
): Promise<string[]> {
  if (events.length === 0) return [];
  const now = clock.now();
  // UUIDv7 ids increase within a process: with one created_at, they keep the events' order.
  const ids = events.map(() => newId());
  await trx
    .insertInto('outbox_events')
    .values(
      events.map((event, i) => ({
        id: ids[i]!,
        topic: event.topic,
        aggregate_type: event.aggregateType,
        aggregate_id: event.aggregateId,
        payload: JSON.stringify(event.payload),
        created_at: now,
        available_at: now,
      })),
    )
    .execute();
  for (const listener of enqueueListeners) listener();
  return ids;
}
