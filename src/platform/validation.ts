import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { escapePointerToken } from '../lib/reference-validation.ts';

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const shared: Options = {
  removeAdditional: false, // an unknown field is an error, never silently dropped
  useDefaults: true,
  allErrors: false,
  strict: false,
};

/**
 * Bodies are validated exactly as sent (no type coercion: "12" is not 12), while query
 * strings, params and headers — which are always text on the wire — are coerced.
 */
const bodyAjv = addFormats(new Ajv({ ...shared, coerceTypes: false }));
const textAjv = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));

/**
 * Schemas compile on their first use, not when the route is registered: compiling every
 * route's validators and serializers up front was ≈ 0.5 s of each start (bench/README.md,
 * "Start-up"), while the first request to a route pays only its own few milliseconds. The
 * pending ones are kept so that a test can compile them all (`compilePendingSchemas`): a
 * broken schema still fails the build, not a user's request.
 */
const pending = new Set<() => unknown>();

function lazily<T>(compile: () => T): () => T {
  let compiled: T | undefined;
  const get = (): T => {
    if (compiled === undefined) {
      compiled = compile();
      pending.delete(get);
    }
    return compiled;
  };
  pending.add(get);
  return get;
}

/** Compiles every schema still waiting for its first use; returns how many there were. */
export function compilePendingSchemas(): number {
  const waiting = [...pending];
  for (const get of waiting) get();
  return waiting.length;
}

/** An Ajv validate function that compiles its schema on the first call. */
function lazyValidateFunction(schema: object, compile: () => ValidateFunction): ValidateFunction {
  const get = lazily(compile);
  const validate = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const compiled = get();
    const valid = compiled(data, context);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  // Fastify passes the parent context (needed for root defaults) only to functions with a
  // `schemaEnv`, which every compiled Ajv function has.
  Object.assign(validate, { schema, schemaEnv: {} });
  return validate;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  lazyValidateFunction(schema, () => {
    const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
    if (httpPart === 'headers') return validate;
    const checked = withStorableText(validate);
    return httpPart === 'querystring' || httpPart === 'params' ? withDecimalIntegers(checked, schema) : checked;
  });

/** Ajv's keyword for an integer parameter that is not written in decimal digits. */
export const DECIMAL_INTEGER_KEYWORD = 'decimalInteger';

/**
 * The one rule for integers in a query string or path: decimal digits, nothing else. Ajv
 * coerces text with `Number()`, which reads "1e2" as 100, "0x10" as 16, " 1" and "+1" as 1
 * and "-0" as -0 (passing `minimum: 0`), so the text is checked BEFORE the schema, for every
 * property the schema types as an integer (or an array of integers): no route can forget it.
 * Leading zeros are digits ("007" is 7). No parameter takes a negative number.
 */
const DECIMAL_DIGITS = /^[0-9]+$/;

function isIntegerSchema(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const type = (schema as { type?: unknown }).type;
  return type === 'integer' || (Array.isArray(type) && type.includes('integer'));
}

interface IntegerProperty {
  name: string;
  /** An array of integers (`?n=1&n=2`): each item is checked. */
  isArray: boolean;
}

/** Properties of a query-string or path schema typed integer, or array of integers. */
function integerProperties(schema: object): IntegerProperty[] {
  const found: IntegerProperty[] = [];
  const parts = [schema, ...(((schema as { allOf?: unknown }).allOf as object[] | undefined) ?? [])];
  for (const part of parts) {
    const properties = ((part as { properties?: unknown }).properties ?? {}) as Record<string, unknown>;
    for (const [name, property] of Object.entries(properties)) {
      if (isIntegerSchema(property)) found.push({ name, isArray: false });
      else if (isIntegerSchema((property as { items?: unknown } | null)?.items)) found.push({ name, isArray: true });
    }
  }
  return found;
}

function withDecimalIntegers(validate: ValidateFunction, schema: object): ValidateFunction {
  const integers = integerProperties(schema);
  if (integers.length === 0) return validate;
  const wrapped = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const pointer = data !== null && typeof data === 'object' ? firstNonDecimal(data, integers) : undefined;
    if (pointer !== undefined) {
      wrapped.errors = [
        {
          keyword: DECIMAL_INTEGER_KEYWORD,
          instancePath: pointer,
          schemaPath: '#',
          params: {},
          message: 'must be written in decimal digits',
        },
      ];
      return false;
    }
    const valid = validate(data, context);
    wrapped.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  Object.assign(wrapped, { schema: validate.schema, schemaEnv: validate.schemaEnv });
  return wrapped;
}

function firstNonDecimal(data: object, integers: readonly IntegerProperty[]): string | undefined {
  const record = data as Record<string, unknown>;
  for (const { name, isArray } of integers) {
    const value = record[name];
    const texts = Array.isArray(value) ? value : [value];
    for (let i = 0; i < texts.length; i += 1) {
      const text: unknown = texts[i];
      if (typeof text === 'string' && !DECIMAL_DIGITS.test(text)) {
        const base = `/${escapePointerToken(name)}`;
        return isArray && Array.isArray(value) ? `${base}/${i}` : base;
      }
    }
  }
  return undefined;
}

const defaultSerializerFactory = SerializerSelector();

/** Fastify's own response serializers (fast-json-stringify), each compiled on first use. */
export const lazySerializerFactory: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
  const compilerFor = defaultSerializerFactory(externalSchemas, options);
  return (route) => {
    const get = lazily(() => compilerFor(route));
    return (document) => get()(document);
  };
};

/** Ajv's keyword for text that passes the schema but that nothing downstream can store. */
export const UNSTORABLE_TEXT_KEYWORD = 'storableText';

/**
 * U+0000 (PostgreSQL text cannot hold it) and lone UTF-16 surrogates (not Unicode: RFC 8785
 * canonical JSON — the audit chain, the transparency log — rejects them) are legal JSON
 * escapes, so a schema alone lets them through to a 500. After the schema passes, every
 * string and key is checked and the first bad one is named by its pointer (→ 400).
 */
function withStorableText(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    if (!validate(data, context)) {
      wrapped.errors = validate.errors;
      return false;
    }
    const pointer = firstUnstorableText(data);
    if (pointer === undefined) {
      wrapped.errors = null;
      return true;
    }
    wrapped.errors = [
      {
        keyword: UNSTORABLE_TEXT_KEYWORD,
        instancePath: pointer,
        schemaPath: '#',
        params: {},
        message: 'unstorable text',
      },
    ];
    return false;
  }) as ValidateFunction;
  // Fastify passes the parent context (needed for root defaults) only to functions that have it.
  Object.assign(wrapped, { schema: validate.schema, schemaEnv: validate.schemaEnv });
  return wrapped;
}

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be found
const UNSTORABLE = /\u0000|\p{Cs}/u;
/**
 * The same test on UTF-16 code units: true for any surrogate, paired or not. Far cheaper than
 * the `u` pattern and false for almost all text (ASCII, Chinese), which then needs no more.
 */
// eslint-disable-next-line no-control-regex -- as above
const MAY_BE_UNSTORABLE = /[\u0000\ud800-\udfff]/;

function isUnstorable(text: string): boolean {
  return MAY_BE_UNSTORABLE.test(text) && UNSTORABLE.test(text);
}

/** The pointer of the first unstorable string or key in `value`, or undefined. */
function firstUnstorableText(value: unknown): string | undefined {
  const path = unstorablePath(value);
  if (path === undefined) return undefined;
  // The path is collected on the way back up, deepest step first.
  return path.length === 0
    ? '/'
    : path.reduceRight<string>((pointer, step) => `${pointer}/${escapePointerToken(String(step))}`, '');
}

/** Walks every string and key; the pointer is built only for the bad one (this runs on every request). */
function unstorablePath(value: unknown): Array<string | number> | undefined {
  if (typeof value === 'string') return isUnstorable(value) ? [] : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = unstorablePath(value[i]);
      if (found !== undefined) return [...found, i];
    }
    return undefined;
  }
  // Only plain objects as the JSON and query-string parsers build them (the latter with a
  // null-prototype class): never walk a multipart file's buffer or stream.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (isUnstorable(key)) return [key];
    const found = unstorablePath(record[key]);
    if (found !== undefined) return [...found, key];
  }
  return undefined;
}

/**
 * Validates a value against a schema outside a route (config, reference data, multipart
 * fields, event payloads); compiled on first use like the routes' schemas.
 */
export function compileBodySchema(schema: object): ValidateFunction {
  return lazyValidateFunction(schema, () => bodyAjv.compile(schema));
}

/**
 * Characters that change how the text around them is shown without being seen themselves —
 * the one definition of "unsafe characters" for every stored name:
 * - C0 and C1 controls and DEL (`\p{Cc}`: U+0000–U+001F, U+007F–U+009F);
 * - Unicode bidirectional controls (`\p{Bidi_Control}`, UAX #9: the embeddings and overrides
 *   U+202A–U+202E, the isolates U+2066–U+2069, and the marks U+061C, U+200E, U+200F), which
 *   reorder what follows them: `report\u202Egpj.pdf` reads "reportfdp.jpg" (the "Trojan
 *   Source" trick, CVE-2021-42574);
 * - the line and paragraph separators U+2028 and U+2029 (a name is one line).
 * Names of people, organisations and products that contain one are refused (format
 * `display-name`, → 400 with a pointer); an uploaded file's name is cleaned instead
 * (`safeFileName` in filings/content-sniffer.ts: the name comes from the provider's file
 * system, is informative only and never decides the type).
 */
export const UNSAFE_CHARACTERS = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;
const UNSAFE_CHARACTERS_ALL = new RegExp(UNSAFE_CHARACTERS.source, 'gu');

/** Does `text` contain a control, bidirectional-control or line-separator character? */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_CHARACTERS.test(text);
}

/** `text` without its unsafe characters (see UNSAFE_CHARACTERS). */
export function stripUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS_ALL, '');
}

/**
 * JSON Schema format for the name of a person, organisation or product: no unsafe
 * characters. Use `Type.String({ format: DISPLAY_NAME_FORMAT, … })`.
 */
export const DISPLAY_NAME_FORMAT = 'display-name';
for (const ajv of [bodyAjv, textAjv]) {
  ajv.addFormat(DISPLAY_NAME_FORMAT, { type: 'string', validate: (text: string) => !hasUnsafeCharacters(text) });
}
