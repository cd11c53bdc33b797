import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered UUIDv7 (RFC 9562) for every entity and request, so ids sort by creation.
 *
 * Layout (RFC 9562 §5.7, with the "fixed-length dedicated counter" of §6.2 method 1): 48 bits
 * of Unix milliseconds, the version, a 12-bit counter, the variant, 62 random bits. Within one
 * millisecond the counter goes up from a random start below 2048, so the ids of one process
 * strictly increase; should it run out, the timestamp moves on by one (§6.2 allows this).
 *
 * Written here rather than taken from the `uuidv7` package, which calls `randomFillSync` for
 * every id (≈ 0.9 µs, a visible part of the cheapest requests: each carries a request id).
 * Random bytes come from a pooled buffer here (≈ 0.1 µs per id).
 */
const SLOT = 16;
const pool = Buffer.allocUnsafe(SLOT * 256);
let poolOffset = pool.length;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

let lastMillis = -1;
let counter = 0;

export function newId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const r = poolOffset;
  poolOffset += SLOT;
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    counter = ((pool[r]! << 8) | pool[r + 1]!) & 0x7ff;
  } else {
    counter += 1;
    if (counter > 0xfff) {
      lastMillis += 1;
      counter = 0;
    }
  }
  // 48 bits of milliseconds in two parts: JavaScript's bit operators work on 32 bits.
  const high = Math.floor(lastMillis / 0x10000);
  const low = lastMillis % 0x10000;
  return (
    HEX[high >>> 24]! +
    HEX[(high >>> 16) & 0xff]! +
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    '-' +
    HEX[low >>> 8]! +
    HEX[low & 0xff]! +
    '-' +
    HEX[0x70 | (counter >>> 8)]! +
    HEX[counter & 0xff]! +
    '-' +
    HEX[0x80 | (pool[r + 2]! & 0x3f)]! +
    HEX[pool[r + 3]!]! +
    '-' +
    HEX[pool[r + 4]!]! +
    HEX[pool[r + 5]!]! +
    HEX[pool[r + 6]!]! +
    HEX[pool[r + 7]!]! +
    HEX[pool[r + 8]!]! +
    HEX[pool[r + 9]!]!
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
