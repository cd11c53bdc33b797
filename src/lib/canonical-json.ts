/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * The transparency log hashes the exact bytes of each leaf, so a leaf must have exactly one
 * serialization: RFC 8785 gives it one (sorted keys, no whitespace, ECMAScript number and
 * string serialization). Pure function, no I/O.
 */

/** Thrown when a value has no JSON/I-JSON representation (RFC 8785 §3.1, RFC 7493). */
export class CanonicalJsonError extends TypeError {
  /** JSON Pointer (RFC 6901) of the offending value; `""` for the root. */
  readonly pointer: string;

  constructor(pointer: string, message: string) {
    super(`${pointer === '' ? '(root)' : pointer}: ${message}`);
    this.name = 'CanonicalJsonError';
    this.pointer = pointer;
  }
}

// RFC 8785 §3.1 requires strings "expressible as Unicode": a lone UTF-16 surrogate is not
// (JSON.stringify would emit it as a \udxxx escape, which no UTF-8 encoder can carry).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const utf8 = new TextEncoder();

/**
 * Serializes `value` per RFC 8785.
 *
 * Accepts `null`, booleans, finite numbers, well-formed strings, arrays and plain objects
 * (prototype `Object.prototype` or `null`). Like `JSON.stringify`, object members whose value
 * is `undefined` are omitted; everything `JSON.stringify` would silently coerce or drop
 * elsewhere (functions, symbols, bigints, `undefined` in arrays or at the root, array holes,
 * `NaN`/`Infinity`, `Date` and other class instances, cycles) is rejected with
 * {@link CanonicalJsonError}, because a hashed leaf must never depend on a silent coercion.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, '', new Set<object>());
}

/** The UTF-8 bytes of {@link canonicalize} (RFC 8785 §3.2.4). */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8.encode(canonicalize(value));
}

function serialize(value: unknown, pointer: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return serializeNumber(value, pointer);
    case 'string':
      return serializeString(value, pointer);
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, pointer, ancestors);
    case 'undefined':
      throw new CanonicalJsonError(pointer, 'undefined has no JSON representation');
    case 'bigint':
      // RFC 8785 §3.2.2.3 / Appendix D: integers beyond IEEE 754 belong in strings.
      throw new CanonicalJsonError(pointer, 'bigint is not an IEEE 754 number; encode it as a string');
    case 'function':
    case 'symbol':
      throw new CanonicalJsonError(pointer, `${typeof value} has no JSON representation`);
  }
}

function serializeNumber(value: number, pointer: string): string {
  // RFC 8785 §3.2.2.3: NaN and Infinity are not JSON numbers and MUST cause an error.
  if (!Number.isFinite(value)) {
    throw new CanonicalJsonError(pointer, `${String(value)} is not a finite number`);
  }
  // RFC 8785 §3.2.2.3 adopts ECMAScript Number::toString (ECMA-262 §7.1.12.1); String(-0) is "0"
  // as the RFC requires.
  return String(value);
}

function serializeString(value: string, pointer: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new CanonicalJsonError(pointer, 'string contains a lone UTF-16 surrogate');
  }
  // RFC 8785 §3.2.2.2 is exactly ECMAScript JSON.stringify string escaping: \" \\ \b \f \n \r \t,
  // other controls as lowercase \u00xx, everything else (including "/" and non-ASCII) verbatim.
  return JSON.stringify(value);
}

function serializeContainer(value: object, pointer: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) {
    throw new CanonicalJsonError(pointer, 'cyclic structure');
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return serializeArray(value, pointer, ancestors);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw new CanonicalJsonError(
        pointer,
        `only plain objects and arrays can be canonicalized, got ${typeof kind === 'string' ? kind : 'an exotic object'}`,
      );
    }
    return serializeObject(value as Record<string, unknown>, pointer, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function serializeArray(value: readonly unknown[], pointer: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const itemPointer = `${pointer}/${i}`;
    if (!(i in value)) throw new CanonicalJsonError(itemPointer, 'sparse array hole');
    // Array element order is significant and preserved (RFC 8785 §3.2.3).
    parts.push(serialize(value[i], itemPointer, ancestors));
  }
  return `[${parts.join(',')}]`;
}

function serializeObject(value: Record<string, unknown>, pointer: string, ancestors: Set<object>): string {
  // RFC 8785 §3.2.3: members sorted by their names as arrays of UTF-16 code units. The default
  // Array.prototype.sort comparison is exactly that (it compares strings code unit by code unit),
  // and it also undoes the integer-keys-first enumeration order of JavaScript objects.
  const names = Object.keys(value).sort();
  const parts: string[] = [];
  for (const name of names) {
    const member = value[name];
    // Omitted, as JSON.stringify omits it: a property set to undefined means "absent".
    if (member === undefined) continue;
    const memberPointer = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    parts.push(`${serializeString(name, memberPointer)}:${serialize(member, memberPointer, ancestors)}`);
  }
  return `{${parts.join(',')}}`;
}
