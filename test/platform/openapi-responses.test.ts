/**
 * Real answers of every public GET operation, validated with Ajv against the schemas the
 * OpenAPI document gives for them (OpenAPI 3.1 schemas are JSON Schema 2020-12) — on a
 * register with published products and a transparency log with leaves, and for the error
 * answers too (404, 400 and 401 are problem+json documents of the shared schema).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { createOrgMember, createUser } from '../factories.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { inlineRefs } from '../reliability/fuzz-inputs.ts';
import { fileToPublicDecision, injectClient } from '../reliability/workflow.ts';
import { drain } from '../register/helpers.ts';
import { approvedPilot } from '../trials/helpers.ts';

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface MediaType {
  schema?: object;
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}

interface Operation {
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean }[];
  responses: Record<string, ResponseObject>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

function validatorFor(document: Document) {
  // Strict: a keyword Ajv does not know is an error, except OpenAPI's own annotations.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
  addFormats(ajv);
  const cache = new Map<object, ReturnType<typeof ajv.compile>>();
  return (schema: object, body: unknown): string | undefined => {
    let validate = cache.get(schema);
    if (validate === undefined) {
      validate = ajv.compile(inlineRefs(schema, document as unknown as Record<string, unknown>) as object);
      cache.set(schema, validate);
    }
    return validate(body) ? undefined : ajv.errorsText(validate.errors, { separator: '; ' });
  };
}

/** The documented response for a status, with a shared `#/components/responses/…` resolved. */
function documentedResponse(document: Document, operation: Operation, status: number): ResponseObject | undefined {
  const response = operation.responses[String(status)];
  if (response?.$ref === undefined) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  return document.components.responses?.[name] as ResponseObject | undefined;
}

interface Checked {
  url: string;
  status: number;
}

async function checkAnswer(
  app: FastifyInstance,
  document: Document,
  validate: ReturnType<typeof validatorFor>,
  operation: Operation,
  url: string,
  headers: Record<string, string> = {},
): Promise<Checked> {
  const response = await app.inject({ method: 'GET', url, headers });
  const documented = documentedResponse(document, operation, response.statusCode);
  assert.ok(documented !== undefined, `GET ${url} answered ${response.statusCode}, which is not documented`);
  const mediaType = String(response.headers['content-type']).split(';')[0]!;
  const schema = documented.content?.[mediaType]?.schema;
  assert.ok(schema !== undefined, `GET ${url} → ${response.statusCode} ${mediaType}: no documented schema`);
  const body: unknown = mediaType.endsWith('json') ? response.json() : response.body;
  const problem = validate(schema, body);
  assert.equal(problem, undefined, `GET ${url} → ${response.statusCode}: ${problem} in ${response.body.slice(0, 300)}`);
  return { url, status: response.statusCode };
}

test('every public GET operation answers what its OpenAPI schema says (Ajv, JSON Schema 2020-12)', async (t) => {
  const ta = await buildTestApp(t);
  const { app } = ta;
  const client = injectClient(app);
  const { user: provider } = await createOrgMember(ta, { role: 'org_member' });
  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  // A disclosure accepted at submission, and an assessment approved with conditions.
  const disclosed = await fileToPublicDecision(client, provider.headers, reviewer.headers, 'medium');
  await fileToPublicDecision(client, provider.headers, reviewer.headers, 'high', 'approved_with_conditions');
  assert.ok((await drain(ta.deps)) > 0, 'the decisions were published');
  // A published statistics period (no returns: a table of zeros).
  const statistician = await createUser(ta, { roles: ['statistician'] });
  const period = {
    code: '2025',
    title: '2025 年度',
    titleEn: 'Year 2025',
    opensOn: '2026-03-01',
    closesOn: '2026-04-30',
  };
  for (const request of [
    { method: 'POST', url: '/api/v1/statistics/periods', payload: { ...period, dueDate: '2026-03-31' } },
    { method: 'POST', url: '/api/v1/statistics/periods/2025/publication' },
  ] as const) {
    const response = await app.inject({ ...request, headers: statistician.headers });
    assert.ok(response.statusCode < 300, response.body);
  }

  const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<Document>();
  const validate = validatorFor(document);
  const filed = await app.inject({
    method: 'POST',
    url: `/api/v1/public/products/${disclosed.productId}/reports`,
    payload: { category: 'other', message: 'A public report for the schema check.' },
  });
  assert.equal(filed.statusCode, 202, filed.body);
  const pathValues: Record<string, string> = {
    id: disclosed.productId,
    year: '2026',
    code: '2025',
    trackingCode: filed.json<{ trackingCode: string }>().trackingCode,
  };
  // An open dataset with data for the public data catalogue's paths.
  const steward = await createUser(ta, { roles: ['data_steward'] });
  const dataset = await app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: steward.headers,
    payload: {
      title: '空气质量',
      titleEn: 'Air quality',
      description: '每日 PM2.5',
      descriptionEn: 'Daily PM2.5',
      publisher: '深圳市生态环境局',
      openness: 'open',
      themes: ['ENVI'],
      license: 'CC-BY-4.0',
      updateFrequency: 'DAILY',
      fields: [{ name: 'pm25', type: 'number', classification: 'other' }],
    },
  });
  const datasetId = dataset.json<{ id: string }>().id;
  await app.inject({
    method: 'PUT',
    url: `/api/v1/datasets/${datasetId}/data`,
    headers: { ...steward.headers, 'content-type': 'text/csv' },
    payload: 'pm25\n35.5\n',
  });
  // A public trial (an approved pilot) for the trials register's page.
  const publicTrialId = await approvedPilot(ta, provider.headers);
  // Valid queries for the operations that need one (a log with two leaves).
  const queries: Record<string, string> = {
    '/api/v1/calendar/working-days/add': 'from=2026-04-30&days=3',
    '/api/v1/transparency/entries': 'start=0&end=2',
    '/api/v1/transparency/proofs/inclusion': 'leafIndex=0&treeSize=2',
    '/api/v1/transparency/proofs/consistency': 'first=1&second=2',
    '/api/v1/public/products': 'q=%E6%B5%8B%E8%AF%95&limit=1',
  };

  const checked: Checked[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.get;
    if (operation === undefined || (operation.security ?? []).length > 0) continue;
    const values = path.startsWith('/api/v1/public/datasets/')
      ? { ...pathValues, id: datasetId }
      : path.startsWith('/api/v1/public/trials/')
        ? { ...pathValues, id: publicTrialId }
        : pathValues;
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
    const query = queries[path];
    const url = query === undefined ? filled : `${filled}?${query}`;
    const ok = await checkAnswer(app, document, validate, operation, url);
    assert.ok(ok.status === 200, `GET ${url} answered ${ok.status}`);
    checked.push(ok);

    // Error answers validate against the shared problem schema.
    checked.push(await checkAnswer(app, document, validate, operation, url, { authorization: 'Bearer nope' }));
    const parameters = operation.parameters ?? [];
    if (parameters.some((parameter) => parameter.in === 'path')) {
      const missing = path.replace('{year}', '2999').replace(/\{\w+\}/g, '0190a000-0000-7000-8000-000000000000');
      checked.push(await checkAnswer(app, document, validate, operation, missing));
      checked.push(await checkAnswer(app, document, validate, operation, path.replace(/\{\w+\}/g, 'not-an-id')));
    }
    const queryParameter = parameters.find((parameter) => parameter.in === 'query');
    if (queryParameter !== undefined) {
      const bad = `${filled}?${queryParameter.name}=${encodeURIComponent('\u0000'.repeat(3))}&limit=0`;
      checked.push(await checkAnswer(app, document, validate, operation, bad));
    }
  }

  const statuses = new Set(checked.map((c) => c.status));
  for (const status of [200, 400, 401, 404]) assert.ok(statuses.has(status), `some answer was a ${status}`);
  const okPaths = checked.filter((c) => c.status === 200).length;
  assert.ok(okPaths >= 16, `${okPaths} public GET operations answered 200`);
  t.diagnostic(`${checked.length} answers validated (${okPaths} operations)`);
});
