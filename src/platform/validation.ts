import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

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

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);

/** Validates a value against a schema outside a route (config, reference data, multipart fields). */
export function compileBodySchema(schema: object) {
  return bodyAjv.compile(schema);
}
