import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8Validator } from './utf8-validator.ts';
import { seededRandom } from './seeded-random.ts';

/** Pushes the bytes in the given pieces; returns the first reported offset, or the end verdict. */
function check(bytes: Uint8Array, cuts: readonly number[] = []): number {
  const validator = new Utf8Validator();
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    const result = validator.push(bytes.subarray(start, cut));
    if (result >= 0) return result;
    start = cut;
  }
  return validator.end();
}

const isWellFormed = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const bytes = (...values: number[]) => Uint8Array.from(values);

test('well-formed text in one piece and cut inside every character', () => {
  const text = Buffer.from('id,名称\n1,深圳市人工智能 😀 é\n', 'utf8');
  assert.equal(check(text), -1);
  for (let cut = 0; cut <= text.length; cut += 1) assert.equal(check(text, [cut]), -1, `cut at ${cut}`);
});

test('the offset is where the ill-formed sequence starts (Unicode Table 3-7)', () => {
  const cases: [string, Uint8Array, number][] = [
    ['lone continuation byte', bytes(0x61, 0x80, 0x62), 1],
    ['C0/C1 overlong leads', bytes(0x61, 0xc0, 0xaf), 1],
    ['F5 and above', bytes(0x61, 0x62, 0xf5, 0x80, 0x80, 0x80), 2],
    ['E0 overlong (E0 80..9F)', bytes(0x41, 0xe0, 0x80, 0x80), 1],
    ['ED surrogate (ED A0..BF)', bytes(0xed, 0xa0, 0x80), 0],
    ['F0 overlong (F0 80..8F)', bytes(0x41, 0x41, 0xf0, 0x8f, 0x80, 0x80), 2],
    ['F4 above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['truncated 3-byte character before ASCII', bytes(0x31, 0x2c, 0xe4, 0xb8, 0x0a), 2],
    ['truncated character at the end of the stream', bytes(0x31, 0x2c, 0xe4, 0xb8), 2],
    ['Latin-1 é in otherwise ASCII text', Buffer.from('a,caf\xe9\n', 'latin1'), 5],
  ];
  for (const [name, input, expected] of cases) {
    assert.equal(isWellFormed(input), false, `${name}: TextDecoder agrees it is ill-formed`);
    assert.equal(check(input), expected, name);
    for (let cut = 1; cut < input.length; cut += 1) assert.equal(check(input, [cut]), expected, `${name}, cut ${cut}`);
  }
});

test('a character begun in an earlier chunk reports its lead byte there', () => {
  const validator = new Utf8Validator();
  assert.equal(validator.push(bytes(0x41, 0x42, 0xe4)), -1);
  assert.equal(validator.push(bytes(0xb8)), -1);
  assert.equal(validator.push(bytes(0x41)), 2);
  assert.equal(validator.push(bytes(0x41)), 2, 'sticky once found');
  assert.equal(validator.end(), 2);
});

test('agrees with a fatal TextDecoder on random bytes cut at random places', () => {
  const random = seededRandom(20261207);
  // Bytes drawn mostly from the interesting ranges so that both verdicts occur often.
  const pool = [0x41, 0x0a, 0x2c, 0x22, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xe4, 0xed, 0xef];
  const more = [0xf0, 0xf3, 0xf4, 0xf5, 0xc0, 0xc1, 0xff];
  let wellFormed = 0;
  for (let round = 0; round < 20_000; round += 1) {
    const length = Math.floor(random() * 12);
    const input = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) {
      input[i] = random() < 0.9 ? pool[Math.floor(random() * pool.length)]! : more[Math.floor(random() * more.length)]!;
    }
    const cuts = [...new Set([Math.floor(random() * (length + 1)), Math.floor(random() * (length + 1))])].sort(
      (a, b) => a - b,
    );
    const expected = isWellFormed(input);
    const offset = check(input, cuts);
    assert.equal(offset === -1, expected, `verdict for ${Buffer.from(input).toString('hex')} cut at ${cuts.join(',')}`);
    if (expected) wellFormed += 1;
    else {
      // Everything before the offset is a well-formed prefix (possibly ending inside a character
      // that the bytes after it then break), and the offset is no later than the decoder's failure.
      const prefix = new TextDecoder('utf-8', { fatal: true });
      assert.doesNotThrow(() => prefix.decode(input.subarray(0, offset), { stream: true }));
      assert.ok(offset < length);
      assert.equal(isWellFormed(input.subarray(offset, Math.min(length, offset + 4))), false);
    }
  }
  assert.ok(wellFormed > 1000 && wellFormed < 19_000, `both verdicts occur (${wellFormed} well-formed)`);
});
