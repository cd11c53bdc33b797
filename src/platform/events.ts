/**
 * Typed events between modules. An event type belongs to the module that produces it: the
 * producer defines it once (`defineEvent` in its `events.ts`) and exports it; consumers import
 * the same definition. The outbox checks every payload against it when it is written (a wrong
 * payload fails the test that produces it) and consumers check it again when it is delivered
 * (tolerating members they do not know, so a producer can add fields first).
 */
import type { Static, TSchema } from '@fastify/type-provider-typebox';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { compileBodySchema } from './validation.ts';

/** An event as the outbox delivers it. */
export interface DeliveredEvent {
  id: string;
  topic: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** A consumer runs in the transaction that marks the event processed: its effect happens exactly once. */
export type OutboxConsumer = (trx: Transaction<Database>, event: DeliveredEvent) => Promise<void>;

export interface EventType<Payload> {
  /** Dotted name, `<producer>.<what happened>`, e.g. `filing.submitted`. */
  readonly topic: string;
  /** What the event is about, e.g. `filing`; its id is the event's aggregate id. */
  readonly aggregateType: string;
  readonly schema: TSchema;
  /** The payload, checked: throws `MalformedEventError` naming the topic and the first problem. */
  parse(payload: unknown): Payload;
}

export class MalformedEventError extends Error {
  constructor(
    readonly topic: string,
    problem: unknown,
  ) {
    super(`malformed ${topic} payload: ${JSON.stringify(problem)}`);
    this.name = 'MalformedEventError';
  }
}

export function defineEvent<S extends TSchema>(topic: string, aggregateType: string, schema: S): EventType<Static<S>> {
  // Compiled on first use: a module defines its events at import, most are never checked in a start.
  let check: ReturnType<typeof compileBodySchema> | undefined;
  return {
    topic,
    aggregateType,
    schema,
    parse(payload: unknown): Static<S> {
      check ??= compileBodySchema(schema);
      if (!check(payload)) throw new MalformedEventError(topic, check.errors?.[0]);
      return payload as Static<S>;
    },
  };
}

/** One event of a type, ready for the outbox. */
export interface Event<Payload = unknown> {
  readonly type: EventType<Payload>;
  readonly aggregateId: string;
  readonly payload: Payload;
}

export function eventOf<Payload>(type: EventType<Payload>, aggregateId: string, payload: Payload): Event<Payload> {
  return { type, aggregateId, payload };
}

/**
 * A consumer of one event type: the payload it gets has been checked against the producer's
 * schema (a malformed one throws, so the outbox keeps the event and retries — never lost).
 */
export function consume<Payload>(
  type: EventType<Payload>,
  handler: (trx: Transaction<Database>, payload: Payload, event: DeliveredEvent) => Promise<void>,
): [topic: string, consumer: OutboxConsumer] {
  return [type.topic, (trx, event) => handler(trx, type.parse(event.payload), event)];
}
