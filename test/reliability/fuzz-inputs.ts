/**
 * Schema-driven invalid and boundary inputs for every operation of the OpenAPI document.
 * Each case says whether it is invalid by construction — decided by validating it against
 * the operation's own schema with Ajv, not by guessing — so the fuzzer can demand a 4xx for
 * those and accept a 2xx for the rest.
 */
import crypto from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** mulberry32: small, fast and deterministic for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Up to `n` items, chosen without replacement, order kept (deterministic for a seed). */
export function sample<T>(random: Random, items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const indexes = items.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

// ---------------------------------------------------------------- hostile values

export const HUGE = 100_000;

/** Strings that break naive code: encodings, invisible characters, injections. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\ud800', // lone high surrogate (sent escaped in JSON)
  '\udfff', // lone low surrogate
  'a\ud800b',
  '\u0000',
  'abc\u0000def',
  '\u202e\u0645\u0631\u062d\u0628\u0627', // RTL override + Arabic
  '\u200f\u200e', // RTL/LTR marks
  '\u200b\u200c\u200d\ufeff', // zero-width characters and BOM
  '👩‍👩‍👧‍👦🇨🇳🤖',
  '１２３４５６７８９０１２３４５６７８', // full-width digits (18, like a USCC)
  '９１４４０３００ＭＡ５ＧＷ１２３４Ｘ',
  '深圳经济特区人工智能产业促进条例',
  "' OR 1=1--",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  '%00%ff%zz',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e308',
  'A'.repeat(HUGE),
  '中'.repeat(HUGE),
];

export const EDGE_NUMBERS: readonly unknown[] = [
  -1,
  0,
  -0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  2 ** 31,
  'NaN',
  'Infinity',
  '12',
];

const WRONG_TYPES: readonly unknown[] = [null, true, 0, 'x', [], {}];

export const BAD_IDS: readonly string[] = [
  'not-a-uuid',
  '1',
  '-1',
  '0',
  '00000000-0000-0000-0000-000000000000',
  crypto.randomUUID(),
  crypto.randomUUID().toUpperCase(),
  `${crypto.randomUUID()}0`,
  "'%20OR%201=1--",
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%00',
  '%zz',
  '%E2%80%AE',
  '%EF%BC%91%EF%BC%92%EF%BC%93', // full-width digits
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(250),
];

export const BAD_CURSORS: readonly string[] = [
  '!!!',
  'null',
  Buffer.from('{"a":1}').toString('base64url'),
  Buffer.from('[1,2,3,4,5]').toString('base64url'),
  Buffer.from('["x"]').toString('base64url'),
  Buffer.from('[null]').toString('base64url'),
  Buffer.from('[1e999]').toString('base64url'),
  Buffer.from(`["${'a'.repeat(300)}"]`).toString('base64url'),
  Buffer.from('["\' OR 1=1--"]').toString('base64url'),
  'x'.repeat(600),
];

// ---------------------------------------------------------------- schemas

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  bodySchema?: JsonSchema;
  bodyContentType?: string;
}

export function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): OpenApiOperation[] {
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = raw as {
        parameters?: OpenApiOperation['parameters'];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      };
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        bodySchema: contentType === undefined ? undefined : content[contentType]?.schema,
        bodyContentType: contentType,
      });
    }
  }
  return operations;
}

/** Resolves local `$ref`s so generators and Ajv see one self-contained schema. */
export function inlineRefs(schema: unknown, doc: Record<string, unknown>, depth = 0): unknown {
  if (depth > 20 || schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, doc, depth + 1));
  const record = schema as Record<string, unknown>;
  if (typeof record.$ref === 'string' && record.$ref.startsWith('#/')) {
    let target: unknown = doc;
    for (const part of record.$ref.slice(2).split('/')) target = (target as Record<string, unknown>)[part];
    return inlineRefs(target, doc, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = inlineRefs(value, doc, depth + 1);
  return out;
}

const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: false, coerceTypes: false, validateSchema: false }));
const textAjv = addFormats(
  new Ajv({ strict: false, allErrors: false, coerceTypes: 'array', useDefaults: true, validateSchema: false }),
);
const compiled = new WeakMap<object, ValidateFunction>();

export function validatesBody(schema: JsonSchema, value: unknown): boolean {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = bodyAjv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(structuredClone(value));
}

/** Validity of path or query values as the server sees them (text, coerced). */
export function validatesText(schema: JsonSchema | undefined, value: string): boolean {
  if (schema === undefined) return true;
  const wrapper = { type: 'object', properties: { v: schema }, required: ['v'] };
  return textAjv.validate(wrapper, { v: value });
}

// ---------------------------------------------------------------- valid baselines

export type Hints = Record<string, () => unknown>;

function firstBranch(schema: JsonSchema): JsonSchema | undefined {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches === undefined) return undefined;
  return branches.find((b) => b.type !== 'null') ?? branches[0];
}

/** A value that satisfies `schema`, using name-based hints for semantically valid data. */
export function validValue(schema: JsonSchema | undefined, hints: Hints, name = '', depth = 0): unknown {
  if (schema === undefined || depth > 8) return 'x';
  const hint = hints[name];
  if (hint !== undefined) return hint();
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const branch = firstBranch(schema);
  if (branch !== undefined) return validValue(branch, hints, name, depth + 1);
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...(schema.allOf as JsonSchema[]).map((s) => validValue(s, hints, name, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required ?? []) as string[]);
      for (const [key, child] of Object.entries(properties)) {
        if (required.has(key) || hints[key] !== undefined) out[key] = validValue(child, hints, key, depth + 1);
      }
      const minProperties = Number(schema.minProperties ?? 0);
      for (const [key, child] of Object.entries(properties)) {
        if (Object.keys(out).length >= minProperties) break;
        out[key] ??= validValue(child, hints, key, depth + 1);
      }
      return out;
    }
    case 'array': {
      const count = Math.max(Number(schema.minItems ?? 0), 1);
      const items = (schema.items ?? {}) as JsonSchema;
      if (Array.isArray(items.enum)) return (items.enum as unknown[]).slice(0, Math.max(count, 1));
      return Array.from({ length: count }, () => validValue(items, hints, name, depth + 1));
    }
    case 'integer':
    case 'number': {
      const minimum = schema.minimum as number | undefined;
      return minimum ?? (schema.exclusiveMinimum === undefined ? 1 : Number(schema.exclusiveMinimum) + 1);
    }
    case 'boolean':
      return false;
    case 'string':
      return validString(schema);
    default:
      return 'x';
  }
}

function validString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'email':
      return `fuzz-${crypto.randomBytes(4).toString('hex')}@example.cn`;
    case 'uuid':
      return crypto.randomUUID();
    case 'date':
      return '2026-03-02';
    case 'date-time':
      return '2026-03-02T02:00:00Z';
    case 'uri':
      return 'https://example.cn/';
    default:
      break;
  }
  if (typeof schema.pattern === 'string') {
    // The patterns in use are small and anchored; try a few plausible values.
    const re = new RegExp(schema.pattern, 'u');
    for (const candidate of ['2024.1', '2026', 'x', 'filings.read', 'a', '1', 'A', '2026-03-02']) {
      if (re.test(candidate)) return candidate;
    }
  }
  const min = Number(schema.minLength ?? 1);
  return 'fuzz'.padEnd(Math.max(min, 4), 'z').slice(0, Math.max(min, 4));
}

// ---------------------------------------------------------------- mutations

export interface BodyMutation {
  label: string;
  /** The JSON value to send, or a raw string when `raw` is set. */
  value?: unknown;
  raw?: string;
  contentType?: string;
}

interface Leaf {
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Properties of the baseline (and optional ones from the schema), up to depth 3. */
function leavesOf(schema: JsonSchema, path: string[] = [], depth = 0): Leaf[] {
  if (depth > 3) return [];
  const object = firstBranch(schema) ?? schema;
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  const leaves: Leaf[] = [];
  for (const [key, child] of Object.entries(properties)) {
    const childPath = [...path, key];
    leaves.push({ path: childPath, schema: child, required: required.has(key) });
    const inner = firstBranch(child) ?? child;
    if (inner.type === 'object') leaves.push(...leavesOf(inner, childPath, depth + 1));
  }
  return leaves;
}

function withValue(base: unknown, path: string[], value: unknown, remove = false): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object' || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

function valuesFor(leaf: Leaf): unknown[] {
  const schema = firstBranch(leaf.schema) ?? leaf.schema;
  const values: unknown[] = [...WRONG_TYPES];
  switch (schema.type) {
    case 'string':
      values.push(...EDGE_STRINGS);
      if (typeof schema.maxLength === 'number') values.push('y'.repeat(schema.maxLength + 1));
      if (typeof schema.minLength === 'number' && schema.minLength > 0) values.push('y'.repeat(schema.minLength - 1));
      break;
    case 'integer':
    case 'number':
      values.push(...EDGE_NUMBERS);
      if (typeof schema.maximum === 'number') values.push(schema.maximum + 1);
      if (typeof schema.minimum === 'number') values.push(schema.minimum - 1);
      break;
    case 'array':
      values.push(
        Array.from({ length: 10_001 }, () => 'x'),
        [null],
        [EDGE_STRINGS[0]],
        ["' OR 1=1--"],
        ['\u0000'],
        [[]],
        [{}],
      );
      break;
    case 'object':
      values.push({ __unexpected: 1 }, { a: { b: { c: { d: { e: {} } } } } });
      break;
    default:
      values.push(...EDGE_STRINGS.slice(0, 8), ...EDGE_NUMBERS.slice(0, 4));
  }
  return values;
}

/** Every body mutation of an operation; the caller samples from them. */
export function bodyMutations(schema: JsonSchema, baseline: unknown): BodyMutation[] {
  const mutations: BodyMutation[] = [
    { label: 'malformed JSON', raw: '{"a":' },
    { label: 'truncated unicode escape', raw: '{"a":"\\ud8' },
    { label: 'empty body', raw: '' },
    { label: 'JSON null', raw: 'null' },
    { label: 'JSON array', value: [baseline] },
    { label: 'JSON string', value: 'x' },
    { label: 'JSON number', value: 1e308 },
    { label: 'empty object', value: {} },
    { label: 'text/plain body', raw: JSON.stringify(baseline), contentType: 'text/plain' },
    { label: 'form body', raw: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
    { label: 'xml body', raw: '<?xml version="1.0"?><a/>', contentType: 'application/xml' },
    { label: '__proto__ pollution', raw: JSON.stringify(baseline).replace(/^\{/, '{"__proto__":{"isAdmin":true},') },
    {
      label: 'constructor.prototype pollution',
      raw: JSON.stringify(baseline).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},'),
    },
    { label: 'duplicate keys', raw: JSON.stringify(baseline).replace(/^\{/, '{"a":1,"a":2,') },
    { label: 'extra top-level field', value: { ...(baseline as object), unexpectedField: 'x' } },
    { label: 'deeply nested', raw: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  ];
  for (const leaf of leavesOf(schema)) {
    const where = `/${leaf.path.join('/')}`;
    mutations.push({ label: `${where} removed`, value: withValue(baseline, leaf.path, undefined, true) });
    if (leaf.path.length > 1) {
      mutations.push({
        label: `${where}: extra sibling field`,
        value: withValue(baseline, [...leaf.path.slice(0, -1), 'unexpectedField'], 'x'),
      });
    }
    for (const value of valuesFor(leaf)) {
      mutations.push({ label: `${where} = ${describe(value)}`, value: withValue(baseline, leaf.path, value) });
    }
  }
  return mutations;
}

export function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
}

/** Query parameter values to try for one declared parameter. */
export function queryValues(name: string, schema: JsonSchema | undefined): string[] {
  const values = [
    '',
    'x',
    '-1',
    '0',
    '1.5',
    '1e308',
    String(2 ** 53 + 1),
    'NaN',
    'true',
    "' OR 1=1--",
    '<script>alert(1)</script>',
    '\u0000',
    '\ud800',
    '１２',
    '\u202e',
    'x'.repeat(10_000),
  ];
  if (name === 'cursor') values.push(...BAD_CURSORS);
  // Full-text and LIKE metacharacters for search parameters (tsquery operators, wildcards).
  if (name === 'q') values.push('a & b', '!!', '((', ':*', 'x:*', '\\', '%', '_', "a'b", '中文 & english | (x) <-> !y');
  if (schema?.format === 'uuid' || /id$/i.test(name)) values.push(...BAD_IDS.map((id) => decodeSafe(id)));
  if (schema?.format === 'date' || /date|from|to/i.test(name)) values.push('2026-02-30', '2026-13-01', '99999-01-01');
  return values;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
