import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CanonicalJsonError, canonicalBytes, canonicalize } from './canonical-json.ts';

/** Decodes an IEEE 754 binary64 bit pattern given in hex (RFC 8785 Appendix B notation). */
function float64(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

test('RFC 8785 §3.2.2 example: whitespace, literals, numbers and string escaping', () => {
  // The RFC's input, as JSON.parse would read it.
  const input: unknown = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  );
  const expected =
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
    '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
  assert.equal(canonicalize(input), expected);
  // §3.2.4: the canonical form is the UTF-8 encoding (the € is e2 82 ac).
  const bytes = canonicalBytes(input);
  assert.deepEqual(bytes, new Uint8Array(Buffer.from(expected, 'utf8')));
  assert.equal(Buffer.from(bytes).toString('hex').slice(0, 32), '7b226c69746572616c73223a5b6e756c');
  assert.ok(Buffer.from(bytes).includes(Buffer.from('e282ac', 'hex')));
});

test('RFC 8785 §3.2.3 example: properties sorted by UTF-16 code units', () => {
  const input = {
    '\u20ac': 'Euro Sign',
    '\r': 'Carriage Return',
    '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One',
    '\ud83d\ude00': 'Emoji: Grinning Face',
    '\u0080': 'Control',
    '\u00f6': 'Latin Small Letter O With Diaeresis',
  };
  assert.equal(
    canonicalize(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

test('RFC 8785 Appendix B: ECMAScript number serialization', () => {
  const vectors: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'], // minus zero
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  for (const [hex, expected] of vectors) {
    assert.equal(canonicalize(float64(hex)), expected, hex);
    assert.equal(canonicalize([float64(hex)]), `[${expected}]`, hex);
  }
  // The non-finite rows of Appendix B (NaN, Infinity) MUST fail.
  for (const hex of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
    assert.throws(() => canonicalize(float64(hex)), CanonicalJsonError, hex);
  }
});

test('cyberphone/json-canonicalization test data: structures and "weird" keys', () => {
  // testdata/input/structures.json → output/structures.json
  assert.equal(
    canonicalize(
      JSON.parse(
        '{"1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ { } ], "A": { }}',
      ),
    ),
    '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
  );
  // testdata/input/weird.json → output/weird.json
  assert.equal(
    canonicalize({
      '\u20ac': 'Euro Sign',
      '1': 'One',
      '\u0080': 'Control\u007f',
      '\ud83d\ude02': 'Smiley',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '</script>': 'Browser Challenge',
    }),
    '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

test('integer-like keys sort as strings, not in JavaScript enumeration order', () => {
  assert.equal(canonicalize({ b: 1, 10: 'ten', 9: 'nine', a: [3, 2, 1] }), '{"10":"ten","9":"nine","a":[3,2,1],"b":1}');
});

test('strings: only the RFC escapes, everything else verbatim', () => {
  const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
  assert.equal(
    canonicalize(controls),
    '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
      '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"',
  );
  assert.equal(canonicalize('深圳 / AI "规定" \\ \u007f \u2028'), '"深圳 / AI \\"规定\\" \\\\ \u007f \u2028"');
  assert.deepEqual(canonicalBytes('深'), new Uint8Array([0x22, 0xe6, 0xb7, 0xb1, 0x22]));
});

test('undefined members are omitted like JSON.stringify; nested structures canonicalize recursively', () => {
  const value = { z: { y: undefined, b: [{ d: 1, c: null }], a: true }, x: undefined, m: '' };
  assert.equal(canonicalize(value), '{"m":"","z":{"a":true,"b":[{"c":null,"d":1}]}}');
  assert.equal(canonicalize(value), JSON.stringify(JSON.parse(canonicalize(value))));
  assert.equal(canonicalize(Object.assign(Object.create(null) as object, { b: 1, a: 2 })), '{"a":2,"b":1}');
  assert.equal(canonicalize([]), '[]');
  assert.equal(canonicalize({}), '{}');
  assert.equal(canonicalize(null), 'null');
  assert.equal(canonicalize([-0, 1e21, 1e-7, 0.1, 100]), '[0,1e+21,1e-7,0.1,100]');
});

test('values JSON cannot represent are rejected, with a JSON Pointer to the culprit', () => {
  const refused = (value: unknown, pointer: string): void => {
    assert.throws(
      () => canonicalize(value),
      (e: unknown) => e instanceof CanonicalJsonError && e.pointer === pointer,
      `expected refusal at ${JSON.stringify(pointer)}`,
    );
  };
  refused(undefined, '');
  refused(Number.NaN, '');
  refused({ a: [1, Number.POSITIVE_INFINITY] }, '/a/1');
  refused({ a: [undefined] }, '/a/0');
  refused([1, , 3], '/1'); // eslint-disable-line no-sparse-arrays
  refused({ f: () => 1 }, '/f');
  refused({ s: Symbol('s') }, '/s');
  refused({ n: 10n }, '/n');
  refused({ d: new Date(0) }, '/d');
  refused({ m: new Map() }, '/m');
  refused({ u: new Uint8Array(2) }, '/u');
  refused({ 'a/b~c': { x: '\ud800' } }, '/a~1b~0c/x');
  refused({ '\udc00': 1 }, '/\udc00');
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  refused(cyclic, '/self/back');
  // A shared (non-cyclic) reference is fine.
  const shared = { v: 1 };
  assert.equal(canonicalize({ a: shared, b: shared }), '{"a":{"v":1},"b":{"v":1}}');
});
