import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../platform/clock.ts';
import {
  DELIVERY_ERROR_MAX_LENGTH,
  deliveryLogEntry,
  isGivingUp,
  nextAttemptAt,
  safeErrorText,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_MS,
} from './webhook-retry.ts';

const SECRET = 'whsec_' + Buffer.alloc(32, 9).toString('base64');

test('§7 schedule: retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h — eight attempts in all', () => {
  assert.deepEqual(
    WEBHOOK_RETRY_DELAYS_MS.map((ms) => ms / 1000),
    [5, 300, 1800, 7200, 18000, 36000, 36000],
  );
  assert.equal(WEBHOOK_MAX_ATTEMPTS, 8);
});

test('a message failing every time is tried on this timetable of the clock, then given up', () => {
  const clock = new ManualClock('2026-03-02T02:00:00Z');
  const attempts: string[] = [];
  let attempt = 1;
  for (;;) {
    attempts.push(clock.now().toISOString());
    // Every attempt runs into the 10 s timeout; the wait counts from its end.
    clock.advanceMs(10_000);
    const next = nextAttemptAt(attempt, clock.now());
    if (next === null) {
      assert.equal(isGivingUp(attempt), true);
      break;
    }
    assert.equal(isGivingUp(attempt), false);
    clock.set(next);
    attempt += 1;
  }
  assert.deepEqual(attempts, [
    '2026-03-02T02:00:00.000Z',
    '2026-03-02T02:00:15.000Z',
    '2026-03-02T02:05:25.000Z',
    '2026-03-02T02:35:35.000Z',
    '2026-03-02T04:35:45.000Z',
    '2026-03-02T09:35:55.000Z',
    '2026-03-02T19:36:05.000Z',
    '2026-03-03T05:36:15.000Z',
  ]);
});

test('attempts are counted from 1', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => nextAttemptAt(bad, new Date()), RangeError);
    assert.throws(() => isGivingUp(bad), RangeError);
  }
  assert.equal(nextAttemptAt(9, new Date()), null);
  assert.equal(isGivingUp(9), true);
});

test('the log row of a delivered attempt: 2xx status, no error, nothing scheduled', () => {
  const attemptedAt = new Date('2026-03-02T02:00:05Z');
  assert.deepEqual(
    deliveryLogEntry({
      messageId: 'm1',
      eventType: 'filing.decided',
      attempt: 2,
      attemptedAt,
      latencyMs: 41.6,
      outcome: { kind: 'delivered', status: 204 },
    }),
    {
      messageId: 'm1',
      eventType: 'filing.decided',
      attempt: 2,
      attemptedAt,
      latencyMs: 42,
      responseStatus: 204,
      error: null,
      delivered: true,
      nextAttemptAt: null,
      gaveUp: false,
    },
  );
});

test('the log row of a rejected attempt names the status; a redirect says it was not followed', () => {
  const attemptedAt = new Date('2026-03-02T02:00:00Z');
  const base = { messageId: 'm1', eventType: 'warning.issued', attempt: 1, attemptedAt, latencyMs: 3 };
  const rejected = deliveryLogEntry({ ...base, outcome: { kind: 'rejected', status: 503 } });
  assert.equal(rejected.responseStatus, 503);
  assert.equal(rejected.error, 'HTTP 503');
  assert.equal(rejected.delivered, false);
  assert.deepEqual(rejected.nextAttemptAt, new Date('2026-03-02T02:00:05.003Z'), '5 s after the answer');
  assert.equal(rejected.gaveUp, false);

  const redirected = deliveryLogEntry({ ...base, outcome: { kind: 'rejected', status: 302 } });
  assert.equal(redirected.error, 'redirect 302 not followed');
  assert.equal(redirected.delivered, false);

  const last = deliveryLogEntry({ ...base, attempt: 8, outcome: { kind: 'rejected', status: 500 } });
  assert.equal(last.nextAttemptAt, null);
  assert.equal(last.gaveUp, true);
});

test('the log row of a failed attempt has no status and a secret-free error', () => {
  const entry = deliveryLogEntry({
    messageId: 'm1',
    eventType: 'incident.reported',
    attempt: 3,
    attemptedAt: new Date('2026-03-02T02:00:00Z'),
    latencyMs: 10_000,
    outcome: { kind: 'failed', error: `timeout after 10000 ms signing with ${SECRET}` },
    secrets: [SECRET],
  });
  assert.equal(entry.responseStatus, null);
  assert.equal(entry.error, 'timeout after 10000 ms signing with [redacted]');
  assert.deepEqual(entry.nextAttemptAt, new Date('2026-03-02T02:30:10Z'), '30 min after the timeout');
});

test('error text loses secrets, credentials, query strings and control characters, and is bounded', () => {
  const key = SECRET.slice('whsec_'.length);
  assert.equal(safeErrorText(`key ${key} leaked`, [SECRET]), 'key [redacted] leaked');
  assert.equal(safeErrorText('other whsec_QUJDREVGR0g= here'), 'other [redacted] here');
  assert.equal(
    safeErrorText('connect ECONNREFUSED https://alice:s3cret@hooks.example.com/x?token=abc#f'),
    'connect ECONNREFUSED https://[redacted]@hooks.example.com/x?[redacted]#f',
  );
  assert.equal(safeErrorText('Authorization: Bearer abc.def.ghi'), 'Authorization: [redacted]');
  assert.equal(safeErrorText('sent Bearer abcdefghijkl'), 'sent Bearer [redacted]');
  assert.equal(safeErrorText('line one\r\nline two\u0000\u2028three'), 'line one line two three');
  assert.equal(safeErrorText(' \n '), 'delivery failed');
  const long = safeErrorText('错'.repeat(1000));
  assert.equal([...long].length, DELIVERY_ERROR_MAX_LENGTH);
  assert.ok(long.endsWith('…'));
});
