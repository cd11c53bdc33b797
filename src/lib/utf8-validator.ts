/**
 * Incremental UTF-8 validation over a byte stream, reporting *where* the first ill-formed byte
 * sequence starts (a global byte offset), which a fatal `TextDecoder` cannot tell. The rules are
 * the well-formed byte sequences of the Unicode Standard, Table 3-7 (the same ones the WHATWG
 * Encoding standard's UTF-8 decoder applies, so the verdict agrees with
 * `new TextDecoder('utf-8', { fatal: true })`; the tests check that on random input).
 *
 * Whole chunks go through Node's `buffer.isUtf8` (simdutf); the byte-by-byte state machine below
 * runs only where a chunk starts or ends inside a multi-byte character, or is ill-formed.
 */
import { isUtf8 } from 'node:buffer';

export class Utf8Validator {
  /** Continuation bytes still expected for the character in progress. */
  private need = 0;
  /** Allowed range of the next continuation byte (narrower after E0, ED, F0, F4). */
  private lower = 0x80;
  private upper = 0xbf;
  /** Global offset of the lead byte of the character in progress. */
  private sequenceStart = 0;
  /** Global offset of the next byte to be pushed. */
  private offset = 0;
  private invalidAt = -1;

  /** Bytes checked so far. */
  get bytes(): number {
    return this.offset;
  }

  /**
   * Checks the next chunk. Returns -1 while everything so far is well-formed (a character may
   * still be incomplete at the end of the chunk), else the global offset of the first byte of the
   * first ill-formed sequence — possibly in an earlier chunk, when a character started there.
   * Once a problem is found, every later call returns the same offset.
   */
  push(chunk: Uint8Array): number {
    if (this.invalidAt >= 0) return this.invalidAt;
    const base = this.offset;
    let index = 0;
    // Finish a character begun in the previous chunk.
    while (this.need > 0 && index < chunk.length) {
      if (!this.continuation(chunk[index]!)) return this.fail(this.sequenceStart);
      index += 1;
    }
    if (index === chunk.length) {
      this.offset = base + chunk.length;
      return -1;
    }
    // Fast path: the rest is well-formed up to a character that may be cut at the end.
    const tail = incompleteTailStart(chunk, index);
    if (isUtf8(chunk.subarray(index, tail))) {
      index = tail;
    }
    for (; index < chunk.length; index += 1) {
      const byte = chunk[index]!;
      if (this.need > 0) {
        if (!this.continuation(byte)) return this.fail(this.sequenceStart);
      } else if (byte >= 0x80 && !this.lead(byte, base + index)) {
        return this.fail(base + index);
      }
    }
    this.offset = base + chunk.length;
    return -1;
  }

  /** At the end of the stream: -1, or the offset where an unfinished character starts. */
  end(): number {
    if (this.invalidAt >= 0) return this.invalidAt;
    return this.need > 0 ? this.fail(this.sequenceStart) : -1;
  }

  private lead(byte: number, at: number): boolean {
    this.sequenceStart = at;
    this.lower = 0x80;
    this.upper = 0xbf;
    if (byte >= 0xc2 && byte <= 0xdf) this.need = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.need = 2;
      if (byte === 0xe0) this.lower = 0xa0; // no overlong 3-byte forms
      if (byte === 0xed) this.upper = 0x9f; // no surrogates D800–DFFF
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.need = 3;
      if (byte === 0xf0) this.lower = 0x90; // no overlong 4-byte forms
      if (byte === 0xf4) this.upper = 0x8f; // nothing above U+10FFFF
    } else return false; // 80–C1 (continuation or overlong 2-byte lead), F5–FF
    return true;
  }

  private continuation(byte: number): boolean {
    if (byte < this.lower || byte > this.upper) return false;
    this.lower = 0x80;
    this.upper = 0xbf;
    this.need -= 1;
    return true;
  }

  private fail(at: number): number {
    this.invalidAt = at;
    this.need = 0;
    return at;
  }
}

/**
 * Where a possibly unfinished character at the end of `chunk` begins (at most 3 bytes back), so
 * that the bytes before it can be checked in one call; `chunk.length` when the end is clean.
 */
function incompleteTailStart(chunk: Uint8Array, from: number): number {
  const stop = Math.max(from, chunk.length - 3);
  for (let index = chunk.length - 1; index >= stop; index -= 1) {
    const byte = chunk[index]!;
    if (byte < 0x80) return chunk.length;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return index + length > chunk.length ? index : chunk.length;
    }
  }
  return chunk.length;
}
