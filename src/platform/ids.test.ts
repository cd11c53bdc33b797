import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUuid, newId } from './ids.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('newId: RFC 9562 version 7, variant 10, the current time in the first 48 bits', () => {
  const before = Date.now();
  const id = newId();
  const after = Date.now();
  assert.match(id, V7);
  assert.ok(isUuid(id));
  const millis = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
  // The counter may have pushed the timestamp a millisecond ahead (RFC 9562 §6.2).
  assert.ok(millis >= before && millis <= after + 1, `${millis} not within ${before}..${after}`);
});

test('newId: strictly increasing within a process, also past a counter overflow in one millisecond', () => {
  let previous = newId();
  // 20 000 ids are far more than one millisecond's 4 096 counter values: the overflow path runs.
  for (let i = 0; i < 20_000; i += 1) {
    const id = newId();
    assert.match(id, V7);
    assert.ok(id > previous, `${id} <= ${previous}`);
    previous = id;
  }
});

test('newId: random bits differ between ids (no reused pool slot)', () => {
  const tails = new Set<string>();
  for (let i = 0; i < 5000; i += 1) tails.add(newId().slice(19));
  assert.equal(tails.size, 5000);
});
