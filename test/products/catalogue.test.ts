import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, tableCounts } from '../factories.ts';
import { DEFAULT_CATALOGUE_DIR } from '../../src/lib/catalogue-files.ts';
import { CATALOGUE_2024_1 } from '../../src/db/migrations/data/catalogue-2024.1.ts';
import { pointersOf, problemOf, productBody, WRITE_TABLES, type ProductView } from './fixtures.ts';

interface VersionView {
  version: string;
  previousVersion: string | null;
  mapping: Record<string, string>;
  origin: string;
  itemCount: number;
  isCurrent: boolean;
}

interface CatalogueView {
  version: string;
  items: Item[];
}

interface Item {
  code: string;
  parentCode: string | null;
  level: number;
  layer: string;
  nameZh: string;
  nameEn: string;
}

async function shippedItems(): Promise<Item[]> {
  const file = JSON.parse(await readFile(`${DEFAULT_CATALOGUE_DIR}/v1.json`, 'utf8')) as {
    items: (Item & { refs?: unknown })[];
  };
  return file.items.map(({ refs: _refs, ...item }) => item);
}

/** 2025.1: the shipped items without T0104 (AutoML), folded into T0102 (ML platforms), plus one new code. */
async function nextVersionBody(overrides: Record<string, unknown> = {}) {
  const items = (await shippedItems()).filter((item) => item.code !== 'T0104');
  const at = items.findIndex((item) => item.code === 'T0605');
  items.splice(at + 1, 0, {
    code: 'T0606',
    parentCode: 'T06',
    level: 3,
    layer: 'technology',
    nameZh: '具身智能大模型',
    nameEn: 'Embodied foundation models',
  });
  return { version: '2025.1', items, mapping: { T0104: 'T0102' }, ...overrides };
}

async function admin(t: TestApp) {
  return createUser(t, { roles: ['regulator_admin'] });
}

test('GET /api/v1/catalogue: the shipped 2024.1 catalogue, anonymously, with the contract fields', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/api/v1/catalogue' });
  assert.equal(response.statusCode, 200);
  const body = response.json<CatalogueView>();
  assert.equal(body.version, '2024.1');
  assert.deepEqual(body.items, await shippedItems());
  assert.deepEqual(Object.keys(body.items[0]!).sort(), ['code', 'layer', 'level', 'nameEn', 'nameZh', 'parentCode']);

  const older = await app.inject({ method: 'GET', url: '/api/v1/catalogue?version=2024.1' });
  assert.equal(older.statusCode, 200);
  const missing = await app.inject({ method: 'GET', url: '/api/v1/catalogue?version=2099.1' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'catalogue_version_not_found');
  const malformed = await app.inject({ method: 'GET', url: '/api/v1/catalogue?version=latest' });
  assert.equal(malformed.statusCode, 400);
});

test('GET /api/v1/catalogue/versions: the shipped version is current', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/api/v1/catalogue/versions' });
  assert.equal(response.statusCode, 200);
  const [only, ...rest] = response.json<{ items: VersionView[] }>().items;
  assert.ok(only);
  assert.equal(rest.length, 0);
  assert.equal(only.version, '2024.1');
  assert.equal(only.origin, 'shipped');
  assert.equal(only.isCurrent, true);
  assert.equal(only.itemCount, 140);
  assert.equal(only.previousVersion, null);
  assert.deepEqual(only.mapping, {});
});

test('the shipped catalogue is seeded once, by migration 0003 from its frozen copy, which is the reference file', async (t) => {
  const testApp = await buildTestApp(t);
  assert.deepEqual(await tableCounts(testApp, ['catalogue_versions', 'catalogue_items']), {
    catalogue_versions: 1,
    catalogue_items: 140,
  });
  // Editing data/reference/catalogue/v1.json changes no install: ship a new version instead.
  const reference: unknown = JSON.parse(await readFile(`${DEFAULT_CATALOGUE_DIR}/v1.json`, 'utf8'));
  assert.deepEqual(JSON.parse(JSON.stringify(CATALOGUE_2024_1)), reference);
});

test('POST /api/v1/catalogue/versions: an administrator publishes 2025.1; products keep the version they were classified under', async (t) => {
  const testApp = await buildTestApp(t);
  const { app, db } = testApp;
  const { user: member } = await createOrgMember(testApp);
  const before = await app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: member.headers,
    payload: productBody({ catalogueCode: 'T0104' }),
  });
  assert.equal(before.statusCode, 201, before.body);
  assert.equal(before.json().catalogueVersion, '2024.1');

  const { headers } = await admin(testApp);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/catalogue/versions',
    headers,
    payload: await nextVersionBody(),
  });
  assert.equal(response.statusCode, 201, response.body);
  const published = response.json<VersionView>();
  assert.equal(published.version, '2025.1');
  assert.equal(published.previousVersion, '2024.1');
  assert.deepEqual(published.mapping, { T0104: 'T0102' });
  assert.equal(published.origin, 'published');
  assert.equal(published.itemCount, 140);
  assert.equal(published.isCurrent, true);

  const current = (await app.inject({ method: 'GET', url: '/api/v1/catalogue' })).json<CatalogueView>();
  assert.equal(current.version, '2025.1');
  assert.ok(current.items.some((item: Item) => item.code === 'T0606'));
  assert.ok(!current.items.some((item: Item) => item.code === 'T0104'));
  const old = (await app.inject({ method: 'GET', url: '/api/v1/catalogue?version=2024.1' })).json<CatalogueView>();
  assert.ok(old.items.some((item: Item) => item.code === 'T0104'));
  const versions = (await app.inject({ method: 'GET', url: '/api/v1/catalogue/versions' })).json<{
    items: VersionView[];
  }>().items;
  assert.deepEqual(
    versions.map((v) => [v.version, v.isCurrent]),
    [
      ['2025.1', true],
      ['2024.1', false],
    ],
  );

  // The earlier product keeps 2024.1; new products use 2025.1, where T0104 no longer exists.
  const kept = await app.inject({
    method: 'GET',
    url: `/api/v1/products/${before.json<ProductView>().id}`,
    headers: member.headers,
  });
  assert.equal(kept.json().catalogueVersion, '2024.1');
  assert.equal(kept.json().catalogueCode, 'T0104');
  const retired = await app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: member.headers,
    payload: productBody({ catalogueCode: 'T0104' }),
  });
  assert.equal(retired.statusCode, 422);
  assert.deepEqual(pointersOf(retired), ['/catalogueCode']);
  const fresh = await app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: member.headers,
    payload: productBody({ catalogueCode: 'T0606' }),
  });
  assert.equal(fresh.statusCode, 201);
  assert.equal(fresh.json().catalogueVersion, '2025.1');

  const audit = await db.selectFrom('audit_events').selectAll().where('action', '=', 'catalogue.published').execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.resource_id, '2025.1');
  const events = await db.selectFrom('outbox_events').selectAll().where('topic', '=', 'catalogue.published').execute();
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.payload, { version: '2025.1', previousVersion: '2024.1', mapping: { T0104: 'T0102' } });
});

test('POST /api/v1/catalogue/versions: 401 anonymous, 403 for organisation members and reviewers', async (t) => {
  const testApp = await buildTestApp(t);
  const body = await nextVersionBody();
  const anonymous = await testApp.app.inject({ method: 'POST', url: '/api/v1/catalogue/versions', payload: body });
  assert.equal(anonymous.statusCode, 401);
  const { user: member } = await createOrgMember(testApp, { role: 'org_admin' });
  const reviewer = await createUser(testApp, { roles: ['reviewer'] });
  for (const user of [member, reviewer]) {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/catalogue/versions',
      headers: user.headers,
      payload: body,
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'forbidden');
  }
});

test('POST /api/v1/catalogue/versions: invalid catalogues, versions and mappings are refused and nothing is stored', async (t) => {
  const testApp = await buildTestApp(t);
  const { headers } = await admin(testApp);
  const publish = async (payload: unknown, language = 'en') =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/v1/catalogue/versions',
      headers: { ...headers, 'accept-language': language },
      payload: payload as Record<string, unknown>,
    });
  const counts = await tableCounts(testApp, WRITE_TABLES);

  const valid = await nextVersionBody();
  const badItems = valid.items.map((item) => (item.code === 'T0606' ? { ...item, code: 'T06X6' } : item));
  const cases: { name: string; payload: unknown; status: number; code: string; pointers?: string[] }[] = [
    { name: 'same version', payload: { ...valid, version: '2024.1' }, status: 409, code: 'catalogue_version_exists' },
    {
      name: 'older version',
      payload: { ...valid, version: '2023.9' },
      status: 422,
      code: 'catalogue_version_not_newer',
      pointers: ['/version'],
    },
    {
      name: 'bad child code',
      payload: { ...valid, items: badItems },
      status: 422,
      code: 'invalid_catalogue',
      pointers: [`/items/${badItems.findIndex((i) => i.code === 'T06X6')}/code`],
    },
    {
      name: 'dropped code without successor',
      payload: { ...valid, mapping: {} },
      status: 422,
      code: 'invalid_catalogue_mapping',
      pointers: ['/mapping/T0104'],
    },
    {
      name: 'mapping a kept code, an unknown old code and to an unknown successor',
      payload: { ...valid, mapping: { T0104: 'T9999', T0101: 'T0102', Z01: 'T0102' } },
      status: 422,
      code: 'invalid_catalogue_mapping',
      pointers: ['/mapping/T0104', '/mapping/T0101', '/mapping/Z01'],
    },
    { name: 'unknown field', payload: { ...valid, publishedBy: 'me' }, status: 400, code: 'validation_failed' },
    { name: 'malformed version', payload: { ...valid, version: '2025' }, status: 400, code: 'validation_failed' },
  ];
  for (const c of cases) {
    const response = await publish(c.payload);
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`);
    assert.equal(response.json().code, c.code, c.name);
    if (c.pointers !== undefined) {
      assert.deepEqual(pointersOf(response), c.pointers, c.name);
    }
  }
  const zh = await publish({ ...valid, mapping: {} }, 'zh-CN');
  assert.match(problemOf(zh).errors?.[0]?.message ?? '', /须映射到接续代码/);
  assert.deepEqual(await tableCounts(testApp, WRITE_TABLES), counts);
});

test('POST /api/v1/catalogue/versions: two concurrent publications of one version — one 201, one 409', async (t) => {
  const testApp = await buildTestApp(t);
  const { headers } = await admin(testApp);
  const body = await nextVersionBody();
  const responses = await Promise.all(
    [1, 2].map(() => testApp.app.inject({ method: 'POST', url: '/api/v1/catalogue/versions', headers, payload: body })),
  );
  assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 409]);
  assert.deepEqual(await tableCounts(testApp, ['catalogue_versions']), { catalogue_versions: 2 });
});
