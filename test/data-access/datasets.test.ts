import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonld from 'jsonld';
import { buildTestApp } from '../helpers/test-app.ts';
import { tableCounts } from '../factories.ts';
import {
  actors,
  createDataset,
  datasetBody,
  openDatasetBody,
  parseCsv,
  problemOf,
  upload,
  visitsCsv,
} from './helpers.ts';

const DATA_TABLES = ['datasets', 'dataset_versions', 'dataset_data_chunks', 'audit_events'];

test('POST /api/v1/datasets: steward only, 201 with the record, audited', async (t) => {
  const ta = await buildTestApp(t);
  const { steward, member } = await actors(ta);
  const anonymous = await ta.app.inject({ method: 'POST', url: '/api/v1/datasets', payload: datasetBody() });
  assert.equal(anonymous.statusCode, 401);
  const byMember = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: member.headers,
    payload: datasetBody(),
  });
  assert.equal(byMember.statusCode, 403);
  const created = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: steward.headers,
    payload: datasetBody(),
  });
  assert.equal(created.statusCode, 201, created.body);
  const dataset = created.json<Record<string, unknown>>();
  assert.equal(dataset.openness, 'conditional');
  assert.deepEqual(dataset.themes, ['HEAL', 'SOCI']);
  assert.equal(dataset.rows, 0);
  assert.equal(dataset.dataVersion, 0);
  assert.equal((dataset.fields as unknown[]).length, 6);
  const read = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/datasets/${String(dataset.id)}`,
    headers: steward.headers,
  });
  assert.equal(read.statusCode, 200);
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('resource_id', '=', String(dataset.id))
    .execute();
  assert.deepEqual(
    audit.map((row) => row.action),
    ['dataset.created'],
  );
});

test('an open dataset with a direct identifier, quasi-identifier or sensitive field → 422 open_dataset_personal_fields', async (t) => {
  const ta = await buildTestApp(t);
  const { steward } = await actors(ta);
  for (const classification of ['direct_identifier', 'quasi_identifier', 'sensitive']) {
    const before = await tableCounts(ta, DATA_TABLES);
    const response = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/datasets',
      headers: steward.headers,
      payload: openDatasetBody({
        fields: [
          { name: 'station', type: 'string', classification: 'other' },
          { name: 'who', type: 'string', classification },
        ],
      }),
    });
    assert.equal(response.statusCode, 422, response.body);
    const problem = problemOf(response);
    assert.equal(problem.code, 'open_dataset_personal_fields');
    assert.deepEqual(
      problem.errors?.map((e) => e.pointer),
      ['/fields/1/classification'],
    );
    assert.deepEqual(await tableCounts(ta, DATA_TABLES), before);
  }
  // Open with only "other" fields is fine; duplicate names are refused; unknown vocabulary → 400.
  await createDataset(ta, steward, openDatasetBody());
  const duplicate = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: steward.headers,
    payload: openDatasetBody({
      fields: [
        { name: 'a', type: 'string', classification: 'other' },
        { name: 'a', type: 'integer', classification: 'other' },
      ],
    }),
  });
  assert.equal(duplicate.statusCode, 422);
  assert.equal(problemOf(duplicate).code, 'duplicate_field_name');
  for (const bad of [{ themes: ['NOPE'] }, { updateFrequency: 'SOMETIMES' }, { license: 'CC BY' }, { fields: [] }]) {
    const response = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/datasets',
      headers: steward.headers,
      payload: openDatasetBody(bad),
    });
    assert.equal(response.statusCode, 400, JSON.stringify(bad));
  }
});

test('PUT /api/v1/datasets/{id}/data: a CSV stream becomes a new version; the steward alone uploads', async (t) => {
  const ta = await buildTestApp(t);
  const { steward, member } = await actors(ta);
  const dataset = await createDataset(ta, steward, datasetBody());
  const first = await upload(ta, steward, dataset.id, visitsCsv(50));
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual(first.json(), { rows: 50, version: 1 });
  const second = await upload(ta, steward, dataset.id, visitsCsv(80, 7));
  assert.deepEqual(second.json(), { rows: 80, version: 2 });
  const read = await ta.app.inject({ method: 'GET', url: `/api/v1/datasets/${dataset.id}`, headers: steward.headers });
  assert.equal(read.json<{ rows: number }>().rows, 80);
  assert.equal(read.json<{ dataVersion: number }>().dataVersion, 2);
  const byMember = await upload(ta, member, dataset.id, visitsCsv(5));
  assert.equal(byMember.statusCode, 403);
  const anonymous = await ta.app.inject({
    method: 'PUT',
    url: `/api/v1/datasets/${dataset.id}/data`,
    headers: { 'content-type': 'text/csv' },
    payload: visitsCsv(5),
  });
  assert.equal(anonymous.statusCode, 401);
  const missing = await upload(ta, steward, '0190a000-0000-7000-8000-000000000000', visitsCsv(5));
  assert.equal(missing.statusCode, 404);
  const json = await ta.app.inject({
    method: 'PUT',
    url: `/api/v1/datasets/${dataset.id}/data`,
    headers: { ...steward.headers, 'content-type': 'application/json' },
    payload: { rows: [] },
  });
  assert.equal(json.statusCode, 415, json.body);
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('resource_id', '=', dataset.id)
    .where('action', '=', 'dataset.data_uploaded')
    .execute();
  assert.equal(audit.length, 2);
});

test('bad uploads → 422 problem+json naming row and column, nothing stored; BOM, CRLF and quoted newlines are read', async (t) => {
  const ta = await buildTestApp(t);
  const { steward } = await actors(ta);
  const dataset = await createDataset(ta, steward, datasetBody());
  const header = '姓名,age,district,visit_date,diagnosis,cost';
  const cases: { name: string; body: string | Buffer; pointer: string; code: string }[] = [
    {
      name: 'wrong header',
      body: `姓名,age,district,visit_day,diagnosis,cost\n张三,30,南山区,2026-01-02,J06,1\n`,
      pointer: '/header/visit_day',
      code: 'csv_header_unknown_column',
    },
    {
      name: 'wrong type',
      body: `${header}\n张三,30,南山区,2026-01-02,J06,1\n李四,三十,南山区,2026-01-02,J06,1\n`,
      pointer: '/rows/2/age',
      code: 'invalid_integer',
    },
    {
      name: 'bad date',
      body: `${header}\n张三,30,南山区,2026-02-30,J06,1\n`,
      pointer: '/rows/1/visit_date',
      code: 'invalid_date',
    },
    { name: '0-byte file', body: '', pointer: '/header', code: 'csv_empty' },
    { name: 'short row', body: `${header}\n张三,30\n`, pointer: '/rows/1', code: 'csv_column_count' },
    {
      name: 'invalid UTF-8',
      body: Buffer.concat([
        Buffer.from(`${header}\n张三,30,南山区,2026-01-02,`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(',1\n'),
      ]),
      pointer: '/rows/1',
      code: 'csv_invalid_utf8',
    },
  ];
  for (const c of cases) {
    const before = await tableCounts(ta, DATA_TABLES);
    const response = await upload(ta, steward, dataset.id, c.body);
    assert.equal(response.statusCode, 422, `${c.name}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    const problem = problemOf(response);
    assert.equal(problem.code, 'dataset_csv_invalid', c.name);
    assert.equal(problem.errors?.[0]?.pointer, c.pointer, c.name);
    assert.equal(problem.problems?.[0]?.code, c.code, c.name);
    assert.deepEqual(await tableCounts(ta, DATA_TABLES), before, c.name);
  }
  // Accepted variants: a UTF-8 BOM, CRLF line ends, a quoted newline inside a value.
  const ok = `\uFEFF${header}\r\n"张\n三",30,南山区,2026-01-02,"J06, acute",1.5\r\n`;
  const accepted = await upload(ta, steward, dataset.id, ok);
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.deepEqual(accepted.json(), { rows: 1, version: 1 });
});

test('public catalogue: open and conditional only, filters, data.csv for open data only', async (t) => {
  const ta = await buildTestApp(t);
  const { steward } = await actors(ta);
  const open = await createDataset(ta, steward, openDatasetBody());
  const conditional = await createDataset(ta, steward, datasetBody());
  const closed = await createDataset(
    ta,
    steward,
    datasetBody({ openness: 'closed', title: '内部数据', titleEn: 'Internal' }),
  );
  const list = await ta.app.inject({ method: 'GET', url: '/api/v1/public/datasets' });
  assert.equal(list.statusCode, 200);
  const ids = list.json<{ items: { id: string }[] }>().items.map((item) => item.id);
  assert.deepEqual(new Set(ids), new Set([open.id, conditional.id]));
  const byTheme = await ta.app.inject({ method: 'GET', url: '/api/v1/public/datasets?theme=ENVI' });
  assert.deepEqual(
    byTheme.json<{ items: { id: string }[] }>().items.map((item) => item.id),
    [open.id],
  );
  const byOpenness = await ta.app.inject({ method: 'GET', url: '/api/v1/public/datasets?openness=conditional' });
  assert.deepEqual(
    byOpenness.json<{ items: { id: string }[] }>().items.map((item) => item.id),
    [conditional.id],
  );
  const closedFilter = await ta.app.inject({ method: 'GET', url: '/api/v1/public/datasets?openness=closed' });
  assert.deepEqual(closedFilter.json<{ items: unknown[] }>().items, []);
  const search = await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets?q=${encodeURIComponent('空气')}` });
  assert.deepEqual(
    search.json<{ items: { id: string }[] }>().items.map((item) => item.id),
    [open.id],
  );
  const page = await ta.app.inject({ method: 'GET', url: '/api/v1/public/datasets?limit=1' });
  const cursor = page.json<{ nextCursor: string }>().nextCursor;
  const next = await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets?limit=1&cursor=${cursor}` });
  assert.equal(next.json<{ items: unknown[] }>().items.length, 1);
  assert.equal((await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets/${closed.id}` })).statusCode, 404);
  assert.equal((await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets/${open.id}` })).statusCode, 200);

  const uploaded = await upload(
    ta,
    steward,
    open.id,
    'station,day,pm25\r\n"=HYPERLINK()",2026-01-02,35.5\r\n福田,2026-01-02,\r\n',
  );
  assert.equal(uploaded.statusCode, 200, uploaded.body);
  const csv = await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets/${open.id}/data.csv` });
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.deepEqual(parseCsv(csv.body), [
    ['station', 'day', 'pm25'],
    ["'=HYPERLINK()", '2026-01-02', '35.5'],
    ['福田', '2026-01-02', ''],
  ]);
  const notOpen = await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets/${conditional.id}/data.csv` });
  assert.equal(notOpen.statusCode, 404);
  assert.equal(problemOf(notOpen).code, 'dataset_not_open');
  const closedCsv = await ta.app.inject({ method: 'GET', url: `/api/v1/public/datasets/${closed.id}/data.csv` });
  assert.equal(closedCsv.statusCode, 404);
});

test('catalog.jsonld is DCAT-AP 3.0: a JSON-LD processor expands it to the exact vocabulary IRIs', async (t) => {
  const ta = await buildTestApp(t, { env: { AIGOV_PUBLIC_URL: 'https://data.example.gov.cn' } });
  const { steward } = await actors(ta);
  const open = await createDataset(ta, steward, openDatasetBody());
  const conditional = await createDataset(ta, steward, datasetBody());
  await createDataset(ta, steward, datasetBody({ openness: 'closed' }));
  const response = await ta.app.inject({ method: 'GET', url: '/api/v1/public/datasets/catalog.jsonld' });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^application\/ld\+json/);
  const expanded = (await jsonld.expand(JSON.parse(response.body) as object)) as Record<string, unknown>[];
  const DCAT = 'http://www.w3.org/ns/dcat#';
  const DCT = 'http://purl.org/dc/terms/';
  const EU = 'http://publications.europa.eu/resource/authority';
  const catalog = expanded.find((node) => (node['@type'] as string[]).includes(`${DCAT}Catalog`))!;
  assert.ok(catalog);
  const datasets = catalog[`${DCAT}dataset`] as Record<string, unknown>[];
  assert.equal(datasets.length, 2);
  const ids = (node: Record<string, unknown>, property: string) =>
    (node[property] as { '@id': string }[]).map((value) => value['@id']);
  const byId = new Map(datasets.map((node) => [node['@id'] as string, node]));
  const openNode = byId.get(`https://data.example.gov.cn/api/v1/public/datasets/${open.id}`)!;
  const conditionalNode = byId.get(`https://data.example.gov.cn/api/v1/public/datasets/${conditional.id}`)!;
  assert.deepEqual(openNode['@type'], [`${DCAT}Dataset`]);
  assert.deepEqual(ids(openNode, `${DCT}accessRights`), [`${EU}/access-right/PUBLIC`]);
  assert.deepEqual(ids(conditionalNode, `${DCT}accessRights`), [`${EU}/access-right/RESTRICTED`]);
  assert.deepEqual(ids(openNode, `${DCAT}theme`), [`${EU}/data-theme/ENVI`]);
  assert.deepEqual(ids(conditionalNode, `${DCAT}theme`).sort(), [`${EU}/data-theme/HEAL`, `${EU}/data-theme/SOCI`]);
  assert.deepEqual(ids(openNode, `${DCT}accrualPeriodicity`), [`${EU}/frequency/DAILY`]);
  assert.deepEqual(ids(conditionalNode, `${DCT}accrualPeriodicity`), [`${EU}/frequency/MONTHLY`]);
  assert.deepEqual(ids(openNode, `${DCT}license`), ['http://spdx.org/licenses/CC-BY-4.0']);
  const titles = openNode[`${DCT}title`] as { '@value': string; '@language': string }[];
  assert.deepEqual(titles.map((title) => [title['@language'], title['@value']]).sort(), [
    ['en', 'Daily air quality'],
    ['zh', '空气质量日报'],
  ]);
  assert.ok(openNode[`${DCT}publisher`]);
  const distribution = (openNode[`${DCAT}distribution`] as Record<string, unknown>[])[0]!;
  assert.deepEqual(ids(distribution, `${DCAT}accessURL`), [
    `https://data.example.gov.cn/api/v1/public/datasets/${open.id}/data.csv`,
  ]);
});
