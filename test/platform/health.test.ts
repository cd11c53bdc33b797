import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { compileBodySchema, compilePendingSchemas } from '../../src/platform/validation.ts';
import { buildTestApp } from '../helpers/test-app.ts';

test('healthz, readyz and the OpenAPI document answer', async (t) => {
  const { app } = await buildTestApp(t);
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  assert.equal(health.headers['content-type'], 'application/json; charset=utf-8');
  assert.match(String(health.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  assert.equal(health.headers['x-content-type-options'], 'nosniff');

  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);

  const openapi = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(openapi.statusCode, 200);
  const document = openapi.json<{ openapi: string; paths: Record<string, unknown> }>();
  assert.equal(document.openapi, '3.1.0');
  assert.ok('/healthz' in document.paths);

  const docs = await app.inject({ method: 'GET', url: '/docs' });
  assert.ok(docs.statusCode === 200 || docs.statusCode === 302);
});

test('readyz answers 503 problem+json while the database does not answer', async (t) => {
  // Port 1 refuses connections: a database server that is down.
  const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir: os.tmpdir() });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database, logger: false });
  t.after(async () => {
    await app.close();
    await database.close();
  });
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.match(String(ready.headers['content-type']), /^application\/problem\+json/);
  assert.equal(ready.json<{ code: string }>().code, 'database_unavailable');
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
});

test('every schema compiles: validators and serializers wait for their first use, a broken one must still fail here', async (t) => {
  const { app } = await buildTestApp(t);
  // The health routes' schemas have been used by now only if a request came in: none did.
  const compiled = compilePendingSchemas();
  assert.ok(compiled > 100, `only ${compiled} schemas were waiting — are they still compiled lazily?`);
  assert.equal(compilePendingSchemas(), 0);
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.deepEqual(health.json(), { status: 'ok' });
  assert.equal(health.headers['content-type'], 'application/json; charset=utf-8');
});

test('a schema that cannot compile throws when compiled, not silently', () => {
  const check = compileBodySchema({ type: 'object', properties: { a: { type: 'no-such-type' } } });
  assert.throws(() => compilePendingSchemas());
  assert.throws(() => check({ a: 1 }));
});
