import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import type { Event, EventType } from './events.ts';
import { newId } from './ids.ts';

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
 * and only if the change committed. Jobs deliver it later, at least once, with retries. The
 * payload is checked against its type first: a producer bug fails where it is made.
 */
export async function enqueueEvent<Payload>(
  trx: Transaction<Database>,
  clock: Clock,
  type: EventType<Payload>,
  aggregateId: string,
  payload: Payload,
): Promise<string> {
  const [id] = await enqueueEvents(trx, clock, [{ type, aggregateId, payload }]);
  return id!;
}

/** Several events in one statement, delivered in the order given. Returns their ids. */
export async function enqueueEvents(
  trx: Transaction<Database>,
  clock: Clock,
  events: readonly Event<unknown>[],
): Promise<string[]> {
  if (events.length === 0) return [];
  for (const event of events) event.type.parse(event.payload);
  const now = clock.now();
  // UUIDv7 ids increase within a process: with one created_at, they keep the events' order.
  const ids = events.map(() => newId());
  await trx
    .insertInto('outbox_events')
    .values(
      events.map((event, i) => ({
        id: ids[i]!,
        topic: event.type.topic,
        aggregate_type: event.type.aggregateType,
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
