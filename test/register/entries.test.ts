import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { newId } from '../../src/platform/ids.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { decisionPayload, drain, enqueueStatusChange, publish } from './helpers.ts';

const env = { AIGOV_DATA_DIR: os.tmpdir() };

interface Entry {
  id: string;
  name: string;
  status: string;
  decidedAt: string;
  logIndex: number | null;
  catalogueVersion: string;
  rulesetVersion: string;
  decisions: {
    filingId: string | null;
    kind: string;
    outcome: string;
    decidedAt: string;
    logIndex: number;
    reasons: string | null;
    legalBasis: string | null;
    conditions: string[];
  }[];
}

async function entry(app: FastifyInstance, id: string): Promise<Entry> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/public/products/${id}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Entry>();
}

async function listedIds(app: FastifyInstance, query: Record<string, string> = {}): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/public/products', query });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ items: { id: string }[] }>().items.map((item) => item.id);
}

async function logSize(app: FastifyInstance): Promise<number> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/transparency/checkpoint' });
  return Number(response.body.split('\n')[1]);
}

test('an entry shows its public decision history with ETag and Cache-Control; unknown → 404, bad id → 400', async (t) => {
  const { app, deps, clock } = await buildTestApp(t, { env });
  const productId = newId();
  const first = decisionPayload({
    productId,
    tier: 'medium',
    name: '鹏城智能客服机器人',
    decidedAt: '2026-01-05T02:00:00.000Z',
  });
  await publish(deps, [first]);
  const response = await app.inject({ method: 'GET', url: `/api/v1/public/products/${productId}` });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['cache-control'], 'public, max-age=60');
  const etag = String(response.headers.etag);
  const body = response.json<Entry>();
  assert.deepEqual(body.decisions, [
    {
      filingId: first.filingId,
      kind: 'disclosure',
      outcome: 'accepted',
      decidedAt: '2026-01-05T02:00:00.000Z',
      logIndex: 0,
      // An event without an explanation (written before there was one): nulls, never refused.
      reasons: null,
      legalBasis: null,
      conditions: [],
    },
  ]);
  assert.equal(body.catalogueVersion, '2024.1');
  assert.equal(body.rulesetVersion, 'v1');
  const unchanged = await app.inject({
    method: 'GET',
    url: `/api/v1/public/products/${productId}`,
    headers: { 'if-none-match': etag },
  });
  assert.equal(unchanged.statusCode, 304);

  // A later filing (the product re-assessed as high risk) is a second public decision.
  clock.advanceDays(30);
  const second = decisionPayload({
    productId,
    tier: 'high',
    outcome: 'approved_with_conditions',
    name: '鹏城智能客服机器人 V2',
    decidedAt: '2026-02-10T02:00:00.000Z',
  });
  second.reasons = '风险可控，需持续监测。 / Risks are controlled; monitoring continues.';
  second.legalBasis = '深圳经济特区人工智能产业促进条例 第六章';
  second.conditions = ['每季度报告偏差监测结果', 'Publish a model card'];
  await publish(deps, [second]);
  const updated = await app.inject({
    method: 'GET',
    url: `/api/v1/public/products/${productId}`,
    headers: { 'if-none-match': etag },
  });
  assert.equal(updated.statusCode, 200);
  const now = updated.json<Entry>();
  assert.equal(now.name, '鹏城智能客服机器人 V2');
  assert.equal(now.status, 'approved_with_conditions');
  assert.equal(now.logIndex, 1);
  assert.deepEqual(
    now.decisions.map((d) => [d.kind, d.outcome, d.logIndex]),
    [
      ['disclosure', 'accepted', 0],
      ['assessment', 'approved_with_conditions', 1],
    ],
  );
  assert.equal(now.decisions[1]!.reasons, second.reasons);
  assert.equal(now.decisions[1]!.legalBasis, second.legalBasis);
  assert.deepEqual(now.decisions[1]!.conditions, second.conditions);
  // A late retry of an older decision is logged and listed, but does not roll the entry back.
  const late = decisionPayload({ productId, name: '旧名称', decidedAt: '2025-12-01T00:00:00.000Z' });
  await publish(deps, [late]);
  const after = await entry(app, productId);
  assert.equal(after.name, '鹏城智能客服机器人 V2');
  assert.equal(after.decisions.length, 3);

  const missing = await app.inject({ method: 'GET', url: `/api/v1/public/products/${newId()}` });
  assert.equal(missing.statusCode, 404);
  assert.match(String(missing.headers['content-type']), /^application\/problem\+json/);
  const malformed = await app.inject({ method: 'GET', url: '/api/v1/public/products/not-a-uuid' });
  assert.equal(malformed.statusCode, 400);
});

test('product status changes: suspension and withdrawal are logged; reassessment hides; approval restores', async (t) => {
  const { app, deps, clock } = await buildTestApp(t, { env });
  const product = decisionPayload({
    name: '星图人脸识别考勤终端',
    tier: 'medium',
    decidedAt: '2026-03-01T00:00:00.000Z',
  });
  const other = decisionPayload({ name: '海纳智能客服平台', decidedAt: '2026-03-01T00:00:00.000Z' });
  clock.set('2026-03-02T00:00:00.000Z');
  await publish(deps, [product, other]);
  assert.equal(await logSize(app), 2);

  // Suspended: still on the public register, with its status, and logged as a public decision.
  clock.set('2026-03-05T00:00:00.000Z');
  await enqueueStatusChange(deps.db, deps, product.productId, 'suspended');
  await drain(deps);
  assert.equal(await logSize(app), 3);
  let current = await entry(app, product.productId);
  assert.equal(current.status, 'suspended');
  assert.equal(current.logIndex, 2);
  assert.deepEqual(current.decisions[1], {
    filingId: null,
    kind: 'status_change',
    outcome: 'suspended',
    decidedAt: '2026-03-05T00:00:00.000Z',
    logIndex: 2,
    reasons: null,
    legalBasis: null,
    conditions: [],
  });
  assert.ok((await listedIds(app, { status: 'suspended' })).includes(product.productId));
  const leaves = await app.inject({ method: 'GET', url: '/api/v1/transparency/entries?start=2&end=3' });
  const leaf = JSON.parse(
    Buffer.from(leaves.json<{ entries: { leaf: string }[] }>().entries[0]!.leaf, 'base64').toString('utf8'),
  ) as Record<string, unknown>;
  assert.equal(leaf.outcome, 'suspended');
  assert.equal(leaf.filingId, null);
  assert.equal(leaf.productId, product.productId);

  // Lifted (the products module sets it back to an in-force status): the entry shows its outcome again.
  clock.set('2026-03-06T00:00:00.000Z');
  await enqueueStatusChange(deps.db, deps, product.productId, 'accepted');
  await drain(deps);
  current = await entry(app, product.productId);
  assert.equal(current.status, 'accepted');
  assert.equal(await logSize(app), 3);

  // Reassessment required: off the public list, not a logged decision.
  clock.set('2026-03-07T00:00:00.000Z');
  await enqueueStatusChange(deps.db, deps, product.productId, 'reassessment_required');
  await drain(deps);
  assert.equal((await entry(app, product.productId)).status, 'reassessment_required');
  assert.ok(!(await listedIds(app)).includes(product.productId));
  assert.equal(await logSize(app), 3);

  // Statuses of a filing in progress leave the entry as it is.
  await enqueueStatusChange(deps.db, deps, other.productId, 'under_review');
  await drain(deps);
  assert.equal((await entry(app, other.productId)).status, 'accepted');

  // Withdrawn: logged, and off the public list (still readable by id, with its history).
  clock.set('2026-03-08T00:00:00.000Z');
  await enqueueStatusChange(deps.db, deps, other.productId, 'withdrawn');
  await drain(deps);
  assert.equal(await logSize(app), 4);
  assert.ok(!(await listedIds(app)).includes(other.productId));
  assert.equal((await entry(app, other.productId)).status, 'withdrawn');

  // A product that never reached the register: nothing happens.
  await enqueueStatusChange(deps.db, deps, newId(), 'suspended');
  assert.equal(await drain(deps), 1);
  assert.equal(await logSize(app), 4);
});

test('exports: CSV (UTF-8 BOM, RFC 4180, no formula injection) and JSON, streamed, with validators', async (t) => {
  const { app, deps } = await buildTestApp(t, { env });
  const tricky = decisionPayload({
    name: '=HYPERLINK("http://evil")',
    nameEn: 'Comma, "quoted" name',
    description: '第一行\n第二行，含逗号, and "quotes"',
  });
  const plain = decisionPayload({ name: '鹏城医疗影像辅助诊断系统', nameEn: null, tier: 'high' });
  await publish(deps, [tricky, plain]);
  await enqueueStatusChange(deps.db, deps, plain.productId, 'withdrawn');
  const hidden = decisionPayload({ name: '已撤回的产品' });
  await publish(deps, [hidden]);
  await enqueueStatusChange(deps.db, deps, hidden.productId, 'withdrawn');
  await drain(deps);

  const csv = await app.inject({ method: 'GET', url: '/api/v1/public/products.csv' });
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="aigov-register\.csv"/);
  assert.equal(csv.headers['cache-control'], 'public, max-age=300');
  const bytes = csv.rawPayload;
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(
    lines[0],
    'id,name,nameEn,description,providerName,providerNameEn,providerUscc,catalogueCode,catalogueVersion,tier,rulesetVersion,status,decidedAt,logIndex',
  );
  assert.ok(
    text.includes(
      `${tricky.productId},"'=HYPERLINK(""http://evil"")","Comma, ""quoted"" name","第一行\n第二行，含逗号, and ""quotes""",`,
    ),
    text,
  );
  assert.ok(!text.includes(plain.productId), 'withdrawn products are not in the export');
  assert.ok(!text.includes(hidden.productId));
  assert.ok(text.endsWith('\r\n'));

  const json = await app.inject({ method: 'GET', url: '/api/v1/public/products.json' });
  assert.equal(json.statusCode, 200);
  const items = json.json<{ items: { id: string; name: string; catalogueVersion: string }[] }>().items;
  assert.deepEqual(
    items.map((item) => item.id),
    [tricky.productId],
  );
  assert.equal(items[0]!.name, '=HYPERLINK("http://evil")');
  assert.equal(items[0]!.catalogueVersion, '2024.1');

  const etag = String(json.headers.etag);
  assert.match(etag, /^W\/"/);
  const notModified = await app.inject({
    method: 'GET',
    url: '/api/v1/public/products.csv',
    headers: { 'if-none-match': etag },
  });
  assert.equal(notModified.statusCode, 304);
  await publish(deps, [decisionPayload()]);
  const changed = await app.inject({
    method: 'GET',
    url: '/api/v1/public/products.json',
    headers: { 'if-none-match': etag },
  });
  assert.equal(changed.statusCode, 200);
  assert.equal(changed.json<{ items: unknown[] }>().items.length, 2);
});

test('exports page through a register larger than one page', async (t) => {
  const { app, deps, db } = await buildTestApp(t, { env });
  const { publishDecisions } = await import('../../src/modules/register/index.ts');
  await db.transaction().execute((trx) =>
    publishDecisions(
      trx,
      deps,
      Array.from({ length: 2345 }, () => ({ eventId: newId(), payload: decisionPayload() })),
    ),
  );
  const csv = await app.inject({ method: 'GET', url: '/api/v1/public/products.csv' });
  const rows = csv.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
  assert.equal(rows.length, 2346);
  assert.equal(new Set(rows.map((row) => row.slice(0, 36))).size, 2346);
  const json = await app.inject({ method: 'GET', url: '/api/v1/public/products.json' });
  assert.equal(json.json<{ items: unknown[] }>().items.length, 2345);
});

test('malformed event payloads are refused where they are made, and kept for retry if one gets in', async (t) => {
  const { deps, db } = await buildTestApp(t, { env });
  const { enqueueEvent } = await import('../../src/platform/outbox.ts');
  const { DecisionPublished } = await import('../../src/modules/filings/index.ts');
  const { MalformedEventError } = await import('../../src/platform/events.ts');
  // A producer with a bug: the outbox refuses the payload in its transaction.
  await assert.rejects(
    db
      .transaction()
      .execute((trx) => enqueueEvent(trx, deps.clock, DecisionPublished, 'x', { filingId: 'nope' } as never)),
    MalformedEventError,
  );
  assert.equal((await db.selectFrom('outbox_events').selectAll().execute()).length, 0);
  // A row written around the check (an older version, a hand edit): the consumer keeps it.
  await db
    .insertInto('outbox_events')
    .values({
      id: newId(),
      topic: 'register.decision_published',
      aggregate_type: 'filing',
      aggregate_id: 'x',
      payload: JSON.stringify({ filingId: 'nope' }),
      created_at: deps.clock.now(),
      available_at: deps.clock.now(),
    })
    .execute();
  await drain(deps);
  const [event] = await db.selectFrom('outbox_events').selectAll().execute();
  assert.equal(event!.processed_at, null);
  assert.match(String(event!.last_error), /malformed register\.decision_published payload/);
  assert.equal((await db.selectFrom('log_leaves').selectAll().execute()).length, 0);
});
