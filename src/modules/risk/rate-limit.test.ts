import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucketLimiter } from './rate-limit.ts';

test('a bucket allows a burst of its size, then one request per refill interval', () => {
  let now = 0;
  const limiter = new TokenBucketLimiter(120, () => now);
  for (let i = 0; i < 120; i += 1) assert.deepEqual(limiter.take('a'), { allowed: true });
  assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 1 });
  now += 499;
  assert.equal(limiter.take('a').allowed, false);
  now += 1; // 120 a minute: one token every 500 ms
  assert.equal(limiter.take('a').allowed, true);
  assert.equal(limiter.take('a').allowed, false);
  assert.equal(limiter.take('b').allowed, true, 'keys are independent');
});

test('Retry-After rounds up to whole seconds', () => {
  const limiter = new TokenBucketLimiter(2, () => 0);
  limiter.take('a');
  limiter.take('a');
  assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 30 });
});

test('the number of remembered clients is bounded; refilled buckets are forgotten first', () => {
  let now = 0;
  const limiter = new TokenBucketLimiter(60, () => now, 3);
  limiter.take('a');
  limiter.take('b');
  limiter.take('c');
  assert.equal(limiter.size, 3);
  now += 1000; // a, b and c have refilled: forgetting them loses nothing
  limiter.take('d');
  assert.equal(limiter.size, 1);
  limiter.take('e');
  limiter.take('f');
  limiter.take('g'); // nobody has refilled: the oldest goes
  assert.equal(limiter.size, 3);
});

test('a rate of zero is refused (0 means "no limiter" in the configuration)', () => {
  assert.throws(() => new TokenBucketLimiter(0, () => 0));
});
