/**
 * The OpenAPI document at /api/v1/openapi.json (issue #17, item 10): operation ids, problem
 * responses, security, tags, servers, info, and the JSON export's schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { isPublicAction } from '../../src/platform/authz.ts';
import { buildTestApp } from '../helpers/test-app.ts';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

interface Document {
  info: { license?: { name: string; identifier?: string; url?: string }; contact?: { name?: string; url?: string } };
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas?: Record<string, { required?: string[] }>;
    responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    securitySchemes?: Record<string, Record<string, string>>;
  };
}

async function documentOf(app: FastifyInstance): Promise<Document> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(response.statusCode, 200);
  return response.json<Document>();
}

function operationsOf(document: Document): { key: string; method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method,
      path,
      operation,
    })),
  );
}

function actionOf(app: FastifyInstance, method: string, path: string): string | undefined {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  return app.routeActions.find((route) => route.method === method.toUpperCase() && route.url === url)?.action;
}

test('OpenAPI: every operation has a unique camelCase operationId derived from its method and path', async (t) => {
  const { app } = await buildTestApp(t);
  const operations = operationsOf(await documentOf(app));
  assert.ok(operations.length >= 58, `${operations.length} operations`);
  const ids = operations.map(({ operation }) => operation.operationId);
  for (const [index, id] of ids.entries()) {
    assert.match(String(id), /^[a-z][A-Za-z0-9]*$/, `${operations[index]!.key}: operationId ${String(id)}`);
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  const byKey = new Map(operations.map(({ key, operation }) => [key, operation.operationId]));
  // Stable names clients rely on.
  assert.equal(byKey.get('GET /api/v1/products/{id}'), 'getProductsById');
  assert.equal(byKey.get('POST /api/v1/filings/{id}/information-requests'), 'postFilingsByIdInformationRequests');
  assert.equal(byKey.get('GET /api/v1/public/products.json'), 'getPublicProductsJson');
  assert.equal(byKey.get('GET /api/v1/calendar/working-days/add'), 'getCalendarWorkingDaysAdd');
  assert.equal(byKey.get('GET /healthz'), 'getHealthz');
  assert.equal(byKey.get('DELETE /api/v1/auth/tokens/{id}'), 'deleteAuthTokensById');
});

test('OpenAPI: every operation documents its problem+json error responses from one shared schema', async (t) => {
  const { app } = await buildTestApp(t);
  const document = await documentOf(app);
  const problem = document.components.schemas?.Problem;
  assert.deepEqual(problem?.required, ['type', 'title', 'status', 'detail', 'instance', 'code']);
  const sharedResponses = document.components.responses ?? {};
  for (const [name, response] of Object.entries(sharedResponses)) {
    assert.equal(
      response.content?.['application/problem+json']?.schema?.$ref,
      '#/components/schemas/Problem',
      `${name} is a problem+json response`,
    );
  }

  for (const { key, method, path, operation } of operationsOf(document)) {
    const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
    assert.ok(
      errors.some(([status]) => Number(status) < 500),
      `${key} documents a 4xx response`,
    );
    for (const [status, response] of errors) {
      const name = response.$ref?.replace('#/components/responses/', '');
      assert.ok(name !== undefined && name in sharedResponses, `${key} ${status} refers to a shared problem response`);
    }
    const statuses = new Set(Object.keys(operation.responses));
    const action = actionOf(app, method, path);
    const isPublic = action === undefined || isPublicAction(action);
    // Every operation refuses an invalid credential; only the non-public need one.
    assert.ok(statuses.has('401'), `${key} documents 401`);
    if (!isPublic) assert.ok(statuses.has('403'), `${key} (${action}) documents 403`);
    if (isPublic && method === 'get') assert.ok(!statuses.has('403'), `${key} is public: no 403`);
    const inPath = (operation.parameters ?? []).some((parameter) => parameter.in === 'path');
    const lookup = key === 'GET /api/v1/catalogue' || key === 'GET /api/v1/products'; // ?version=, ?organizationId=
    assert.equal(statuses.has('404'), inPath || lookup, `${key}: 404 iff a path id or a lookup`);
    if (operation.requestBody !== undefined || (operation.parameters ?? []).length > 0) {
      assert.ok(statuses.has('400'), `${key} has input: documents 400`);
    }
  }

  const statusesOf = (key: string) => {
    const [method, path] = key.split(' ') as [string, string];
    return Object.keys(document.paths[path]?.[method.toLowerCase()]?.responses ?? {}).filter((s) => s >= '400');
  };
  assert.deepEqual(statusesOf('PATCH /api/v1/filings/{id}'), [
    '400',
    '401',
    '403',
    '404',
    '409',
    '412',
    '413',
    '415',
    '422',
  ]);
  assert.deepEqual(statusesOf('POST /api/v1/auth/login'), ['400', '401', '403', '413', '415', '429']);
  assert.deepEqual(statusesOf('GET /api/v1/public/products/{id}'), ['400', '401', '404']);
  assert.deepEqual(statusesOf('GET /api/v1/auth/me'), ['401', '403']);
  assert.deepEqual(statusesOf('GET /readyz'), ['401', '503']);
  const tooMany = sharedResponses.TooManyRequests as { headers?: Record<string, unknown> };
  assert.ok(tooMany.headers?.['Retry-After'] !== undefined, '429 documents Retry-After');
});

test('OpenAPI: security is declared from the Cedar action, and the anonymous get 401 exactly there', async (t) => {
  const { app } = await buildTestApp(t);
  const document = await documentOf(app);
  assert.deepEqual(document.components.securitySchemes?.session, {
    type: 'apiKey',
    in: 'cookie',
    name: 'aigov_session',
    description: 'The HttpOnly session cookie set by POST /api/v1/auth/login',
  });
  assert.equal(document.components.securitySchemes?.bearer?.scheme, 'bearer');
  let authenticated = 0;
  for (const { key, method, path, operation } of operationsOf(document)) {
    const action = actionOf(app, method, path);
    const isPublic = action === undefined || isPublicAction(action);
    assert.deepEqual(
      operation.security,
      isPublic ? [] : [{ session: [] }, { bearer: [] }],
      `${key} (${String(action)}): security`,
    );
    if (!isPublic) authenticated += 1;
    // What the server enforces: an anonymous request answers 401 iff the document says so.
    const url = path.replace('{year}', '2026').replace(/\{\w+\}/g, '0190a000-0000-7000-8000-000000000000');
    const response = await app.inject({ method: method.toUpperCase() as 'GET', url });
    assert.equal(response.statusCode === 401, !isPublic, `${key} anonymous → ${response.statusCode}`);
  }
  assert.ok(authenticated >= 35, `${authenticated} operations need authentication`);
});

test('OpenAPI: a global tags list describes every tag an operation uses', async (t) => {
  const { app } = await buildTestApp(t);
  const document = await documentOf(app);
  const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
  for (const [name, description] of declared) assert.ok((description ?? '').length > 10, `tag ${name} is described`);
  for (const { key, operation } of operationsOf(document)) {
    assert.ok((operation.tags ?? []).length > 0, `${key} has a tag`);
    for (const tag of operation.tags ?? []) assert.ok(declared.has(tag), `${key}: tag ${tag} is declared`);
  }
});

test('OpenAPI: servers name AIGOV_PUBLIC_URL when it is set, else the relative root', async (t) => {
  const relative = await documentOf((await buildTestApp(t)).app);
  assert.deepEqual(
    relative.servers?.map((server) => server.url),
    ['/'],
  );
  const deployed = await documentOf(
    (await buildTestApp(t, { env: { AIGOV_PUBLIC_URL: 'https://aigov.example.gov.cn/' } })).app,
  );
  assert.deepEqual(
    deployed.servers?.map((server) => server.url),
    ['https://aigov.example.gov.cn'],
  );
  // Paths stay absolute whatever the server URL.
  assert.ok('/api/v1/products' in deployed.paths);
});

test('OpenAPI: info names the licence and a contact', async (t) => {
  const { info } = await documentOf((await buildTestApp(t)).app);
  assert.deepEqual(info.license, { name: 'Apache-2.0', identifier: 'Apache-2.0' });
  assert.ok(info.contact?.name !== undefined && info.contact.url !== undefined);
});

test('OpenAPI: GET /api/v1/public/products.json is documented as the {items} object it returns', async (t) => {
  const { app } = await buildTestApp(t);
  const document = await documentOf(app);
  const schema = document.paths['/api/v1/public/products.json']?.get?.responses['200']?.content?.['application/json']
    ?.schema as { type?: string; required?: string[]; properties?: { items?: { type?: string } } } | undefined;
  assert.equal(schema?.type, 'object');
  assert.deepEqual(schema?.required, ['items']);
  assert.equal(schema?.properties?.items?.type, 'array');
  const csv = document.paths['/api/v1/public/products.csv']?.get?.responses['200']?.content?.['text/csv']?.schema;
  assert.equal(csv?.type, 'string');
});
