import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { openDatabase } from './connection.ts';

test('PGlite stores and returns bytea byte for byte, as PostgreSQL itself reads it', async (t) => {
  const handle = await openDatabase({ dataDir: os.tmpdir(), inMemory: true });
  t.after(() => handle.close());
  const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
  // Buffers from Node's pool share one ArrayBuffer: the serializer must honour the offset.
  const pooled = Buffer.from('xyz-pooled-bytes');
  assert.notEqual(pooled.byteOffset, 0);
  const cases: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['every byte value, a plain Uint8Array', everyByte],
    ['a slice of a pooled Buffer', pooled.subarray(4, 10)],
    ['1 MiB of random bytes', crypto.randomBytes(1024 * 1024)],
  ];
  for (const [why, bytes] of cases) {
    const { rows } = await sql<{ value: Buffer; hex: string; length: number }>`
      SELECT ${bytes}::bytea AS value, encode(${bytes}::bytea, 'hex') AS hex, length(${bytes}::bytea) AS length
    `.execute(handle.db);
    const [row] = rows;
    assert.ok(Buffer.isBuffer(row!.value), why);
    assert.ok(row!.value.equals(bytes), why);
    assert.equal(row!.hex, Buffer.from(bytes).toString('hex'), why);
    assert.equal(row!.length, bytes.length, why);
  }
  // Bytes made by the server come back as the same Buffer.
  const { rows } = await sql<{ value: Buffer }>`SELECT decode('00ff5c78', 'hex') AS value`.execute(handle.db);
  assert.deepEqual([...rows[0]!.value], [0x00, 0xff, 0x5c, 0x78]);
});
