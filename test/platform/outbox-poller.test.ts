import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { systemClock } from '../../src/platform/clock.ts';
import { newId } from '../../src/platform/ids.ts';
import { Type } from '@fastify/type-provider-typebox';
import { defineEvent } from '../../src/platform/events.ts';
import { enqueueEvent } from '../../src/platform/outbox.ts';
import {
  nextPollDelay,
  startOutboxPoller,
  type OutboxConsumers,
  type PollerTiming,
} from '../../src/platform/outbox-worker.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const TOPIC = 'test.ping';
const Ping = defineEvent(TOPIC, 'test', Type.Object({}));
const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

test('poll delay: busy pace after work, doubling to the idle ceiling without', () => {
  const timing: PollerTiming = { busyMs: 250, idleMs: 2000, wakeMs: 25 };
  const rows: Array<[previous: number, processed: number, expected: number]> = [
    [250, 3, 250],
    [2000, 1, 250],
    [250, 0, 500],
    [500, 0, 1000],
    [1000, 0, 2000],
    [2000, 0, 2000],
    // A wake-up resets the pace to busy: an empty poll then waits twice that, not the ceiling.
    [25, 0, 250],
  ];
  for (const [previous, processed, expected] of rows) {
    assert.equal(nextPollDelay(previous, processed, timing), expected, `${previous} ms, ${processed} processed`);
  }
});

/** Polls `check` until it holds or `ms` pass. */
async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function world(t: { after(fn: () => Promise<void>): void }) {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const delivered: string[] = [];
  const consumers: OutboxConsumers = new Map([[TOPIC, [async (_trx, event) => void delivered.push(event.id)]]]);
  const enqueue = () =>
    database.handle.db.transaction().execute((trx) => enqueueEvent(trx, systemClock, Ping, newId(), {}));
  return { db: database.handle.db, delivered, consumers, enqueue };
}

test('an event this process writes wakes an idle poller at once', async (t) => {
  const { db, delivered, consumers, enqueue } = await world(t);
  // Polls a minute apart: only the wake-up can deliver within the test.
  const stop = startOutboxPoller(db, systemClock, consumers, log, { busyMs: 60_000, idleMs: 60_000, wakeMs: 10 });
  t.after(stop);
  const first = await enqueue();
  await eventually(() => delivered.includes(first), 10_000, 'the first event delivered');
  // Written while the poller sleeps (or while it finishes its poll): woken again.
  const second = await enqueue();
  await eventually(() => delivered.includes(second), 10_000, 'the second event delivered');
  assert.deepEqual(delivered, [first, second]);
});

test("another process's event (no wake-up) is delivered by the idle poll", async (t) => {
  const { db, delivered, consumers } = await world(t);
  const stop = startOutboxPoller(db, systemClock, consumers, log, { busyMs: 50, idleMs: 200, wakeMs: 10 });
  t.after(stop);
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Inserted as another process would: this process's enqueue listeners never hear of it.
  const id = newId();
  const now = new Date();
  await db
    .insertInto('outbox_events')
    .values({
      id,
      topic: TOPIC,
      aggregate_type: 'test',
      aggregate_id: newId(),
      payload: JSON.stringify({}),
      created_at: now,
      available_at: now,
    })
    .execute();
  await eventually(() => delivered.includes(id), 10_000, 'the event delivered');
  // The poller stops promptly even while it sleeps.
  await stop();
});
