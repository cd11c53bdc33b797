import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, tableCounts } from '../factories.ts';
import { chainPendingAuditEvents } from '../../src/platform/audit.ts';
import {
  actors,
  createDataset,
  datasetBody,
  decide,
  parseCsv,
  problemOf,
  requestAccess,
  upload,
  visitsCsv,
  type Actors,
} from './helpers.ts';

const REQUEST_TABLES = ['data_access_requests', 'data_access_grants'];

async function grantedExtract(ta: TestApp, who: Actors, options: { rows: number; k?: number; fields?: string[] }) {
  const dataset = await createDataset(ta, who.steward, datasetBody());
  const uploaded = await upload(ta, who.steward, dataset.id, visitsCsv(options.rows));
  assert.equal(uploaded.statusCode, 200, uploaded.body);
  const requested = await requestAccess(ta, who.member, dataset.id, options.fields ? { fields: options.fields } : {});
  assert.equal(requested.statusCode, 201, requested.body);
  const decided = await decide(ta, who.steward, requested.json<{ id: string }>().id, {
    decision: 'granted',
    ...(options.k === undefined ? {} : { k: options.k }),
  });
  assert.equal(decided.statusCode, 200, decided.body);
  return { dataset, request: decided.json<{ id: string; grant: { id: string; k: number; expiresAt: string } }>() };
}

test('POST access-requests: 201 pending, due 10 working days later; closed and direct identifiers refused', async (t) => {
  const ta = await buildTestApp(t);
  const who = await actors(ta);
  const dataset = await createDataset(ta, who.steward, datasetBody());
  const created = await requestAccess(ta, who.member, dataset.id);
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json<Record<string, unknown>>();
  assert.equal(body.status, 'pending');
  // Monday 2026-03-02 (Asia/Shanghai) + 10 working days.
  assert.equal(body.dueDate, '2026-03-16');
  assert.equal(body.dueDateProvisional, false);
  assert.equal(body.grant, null);

  const closed = await createDataset(ta, who.steward, datasetBody({ openness: 'closed' }));
  const before = await tableCounts(ta, REQUEST_TABLES);
  const toClosed = await requestAccess(ta, who.member, closed.id);
  assert.equal(toClosed.statusCode, 422);
  assert.equal(problemOf(toClosed).code, 'dataset_closed');
  const direct = await requestAccess(ta, who.member, dataset.id, { fields: ['age', '姓名'] });
  assert.equal(direct.statusCode, 422);
  assert.equal(problemOf(direct).code, 'direct_identifier_not_grantable');
  assert.equal(problemOf(direct).errors?.[0]?.pointer, '/fields/1');
  const unknown = await requestAccess(ta, who.member, dataset.id, { fields: ['salary'] });
  assert.equal(unknown.statusCode, 422);
  assert.equal(problemOf(unknown).code, 'unknown_field');
  for (const durationDays of [0, 366]) {
    assert.equal((await requestAccess(ta, who.member, dataset.id, { durationDays })).statusCode, 400);
  }
  assert.equal((await requestAccess(ta, who.member, '0190a000-0000-7000-8000-000000000000')).statusCode, 404);
  assert.deepEqual(await tableCounts(ta, REQUEST_TABLES), before);

  // Who may ask: members of verified organisations only.
  const anonymous = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${dataset.id}/access-requests`,
    payload: {},
  });
  assert.equal(anonymous.statusCode, 401);
  assert.equal((await requestAccess(ta, who.steward, dataset.id)).statusCode, 403);
  const unverified = await createOrgMember(ta, { status: 'pending' });
  const byUnverified = await requestAccess(ta, unverified.user, dataset.id);
  assert.equal(byUnverified.statusCode, 403);
  assert.equal(problemOf(byUnverified).code, 'organization_not_verified');

  // Idempotency-Key: the same request twice is one request.
  const headers = { ...who.member.headers, 'idempotency-key': 'req-1' };
  const payload = { purpose: 'p', legalBasis: 'l', fields: ['age'], durationDays: 10 };
  const url = `/api/v1/datasets/${dataset.id}/access-requests`;
  const one = await ta.app.inject({ method: 'POST', url, headers, payload });
  const two = await ta.app.inject({ method: 'POST', url, headers, payload });
  assert.equal(one.json<{ id: string }>().id, two.json<{ id: string }>().id);
});

test('the steward queue, decisions with reasons, grants that expire; other organisations see nothing', async (t) => {
  const ta = await buildTestApp(t);
  const who = await actors(ta);
  const dataset = await createDataset(ta, who.steward, datasetBody());
  const first = (await requestAccess(ta, who.member, dataset.id)).json<{ id: string }>();
  const second = (await requestAccess(ta, who.member, dataset.id, { durationDays: 1 })).json<{ id: string }>();

  const queue = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/access-requests?status=pending',
    headers: who.steward.headers,
  });
  assert.equal(queue.statusCode, 200);
  assert.deepEqual(
    queue.json<{ items: { id: string }[] }>().items.map((item) => item.id),
    [first.id, second.id],
  );
  const othersList = await ta.app.inject({ method: 'GET', url: '/api/v1/access-requests', headers: who.other.headers });
  assert.deepEqual(othersList.json<{ items: unknown[] }>().items, []);
  const ownList = await ta.app.inject({ method: 'GET', url: '/api/v1/access-requests', headers: who.member.headers });
  assert.equal(ownList.json<{ items: unknown[] }>().items.length, 2);
  assert.equal(
    (await ta.app.inject({ method: 'GET', url: `/api/v1/access-requests/${first.id}`, headers: who.other.headers }))
      .statusCode,
    404,
  );

  // Only the steward decides.
  assert.equal((await decide(ta, who.member, first.id, { decision: 'granted' })).statusCode, 403);
  assert.equal((await decide(ta, who.steward, first.id, { decision: 'granted', k: 1 })).statusCode, 400);
  assert.equal((await decide(ta, who.steward, first.id, { decision: 'granted', reasons: '' })).statusCode, 400);

  const granted = await decide(ta, who.steward, first.id, { decision: 'granted', k: 3 });
  assert.equal(granted.statusCode, 200, granted.body);
  const view = granted.json<{
    status: string;
    reasons: string;
    grant: { id: string; fields: string[]; k: number; expiresAt: string; status: string };
  }>();
  assert.equal(view.status, 'granted');
  assert.equal(view.reasons, '用途合法，风险可控');
  assert.deepEqual(view.grant.fields, ['age', 'district', 'diagnosis', 'cost']);
  assert.equal(view.grant.k, 3);
  assert.equal(view.grant.expiresAt, new Date(ta.clock.now().getTime() + 30 * 86_400_000).toISOString());
  assert.equal(view.grant.status, 'active');
  const again = await decide(ta, who.steward, first.id, { decision: 'refused' });
  assert.equal(again.statusCode, 409);
  assert.equal(problemOf(again).code, 'access_request_decided');

  const refused = await decide(ta, who.steward, second.id, { decision: 'refused', reasons: '用途不明确' });
  assert.equal(refused.json<{ status: string; grant: unknown }>().status, 'refused');
  assert.equal(refused.json<{ grant: unknown }>().grant, null);

  // Default k is 5.
  const third = (await requestAccess(ta, who.member, dataset.id, { durationDays: 2 })).json<{ id: string }>();
  const defaultK = await decide(ta, who.steward, third.id, { decision: 'granted' });
  assert.equal(defaultK.json<{ grant: { k: number } }>().grant.k, 5);

  // The grant's status follows the clock.
  ta.clock.advanceDays(2);
  // Sessions idle out over days: a fresh colleague's.
  const member = await createUser(ta, { roles: ['org_member'], organizationId: who.organizationId });
  const later = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/access-requests/${third.id}`,
    headers: member.headers,
  });
  assert.equal(later.json<{ grant: { status: string } }>().grant.status, 'expired');
  const grants = await ta.app.inject({ method: 'GET', url: '/api/v1/access-grants', headers: member.headers });
  assert.deepEqual(
    grants
      .json<{ items: { status: string }[] }>()
      .items.map((g) => g.status)
      .sort(),
    ['active', 'expired'],
  );
  await chainPendingAuditEvents(ta.db);
  const actions = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('resource_type', '=', 'data_access_request')
    .execute();
  assert.equal(actions.filter((a) => a.action === 'data_access_request.granted').length, 2);
  assert.equal(actions.filter((a) => a.action === 'data_access_request.refused').length, 1);
});

test('extract.csv: exactly the granted fields, k-anonymous over the quasi-identifiers, X-Suppressed-Rows, audited', async (t) => {
  const ta = await buildTestApp(t);
  const who = await actors(ta);
  const { request } = await grantedExtract(ta, who, { rows: 300, k: 5 });
  const url = `/api/v1/access-grants/${request.grant.id}/extract.csv`;
  const response = await ta.app.inject({ method: 'GET', url, headers: who.member.headers });
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^text\/csv/);
  const [header, ...rows] = parseCsv(response.body);
  assert.deepEqual(header, ['age', 'district', 'diagnosis', 'cost']);
  const suppressed = Number(response.headers['x-suppressed-rows']);
  assert.equal(rows.length + suppressed, 300);
  assert.equal(suppressed, 0);
  const classes = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify([row[0], row[1]]);
    classes.set(key, (classes.get(key) ?? 0) + 1);
  }
  for (const [key, size] of classes) assert.ok(size >= 5, `${key} occurs ${size} times`);

  // Repeated downloads are identical; each is audited; the steward sees the information loss.
  const again = await ta.app.inject({ method: 'GET', url, headers: who.member.headers });
  assert.equal(again.body, response.body);
  await chainPendingAuditEvents(ta.db);
  const downloads = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('resource_id', '=', request.grant.id)
    .where('action', '=', 'data_access_grant.downloaded')
    .execute();
  assert.equal(downloads.length, 2);
  const stewardView = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/access-requests/${request.id}`,
    headers: who.steward.headers,
  });
  const lastExtract = stewardView.json<{ grant: { downloads: number; lastExtract: Record<string, number> } }>().grant;
  assert.equal(lastExtract.downloads, 2);
  assert.equal(lastExtract.lastExtract.rows, 300);
  assert.equal(lastExtract.lastExtract.suppressed, 0);
  assert.ok((lastExtract.lastExtract.averageClassSize ?? 0) >= 5);

  // Another organisation: 404; the steward is not the grantee: 403; anonymous: 401.
  assert.equal((await ta.app.inject({ method: 'GET', url, headers: who.other.headers })).statusCode, 404);
  assert.equal((await ta.app.inject({ method: 'GET', url, headers: who.steward.headers })).statusCode, 403);
  assert.equal((await ta.app.inject({ method: 'GET', url })).statusCode, 401);
  const colleague = await createUser(ta, { roles: ['org_admin'], organizationId: who.organizationId });
  assert.equal((await ta.app.inject({ method: 'GET', url, headers: colleague.headers })).statusCode, 200);

  // Expired → 403 grant_expired, not audited as a download.
  ta.clock.advanceDays(30);
  const member = await createUser(ta, { roles: ['org_member'], organizationId: who.organizationId });
  const expired = await ta.app.inject({ method: 'GET', url, headers: member.headers });
  assert.equal(expired.statusCode, 403);
  assert.equal(problemOf(expired).code, 'grant_expired');
});

test('extract of a table smaller than k: every row suppressed and counted', async (t) => {
  const ta = await buildTestApp(t);
  const who = await actors(ta);
  const { request } = await grantedExtract(ta, who, { rows: 4, k: 5 });
  const response = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/access-grants/${request.grant.id}/extract.csv`,
    headers: who.member.headers,
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['x-suppressed-rows'], '4');
  assert.deepEqual(parseCsv(response.body), [['age', 'district', 'diagnosis', 'cost']]);
});

test('extract without a quasi-identifier: every row, nothing suppressed', async (t) => {
  const ta = await buildTestApp(t);
  const who = await actors(ta);
  const { request } = await grantedExtract(ta, who, { rows: 7, fields: ['diagnosis', 'cost'] });
  const response = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/access-grants/${request.grant.id}/extract.csv`,
    headers: who.member.headers,
  });
  assert.equal(response.headers['x-suppressed-rows'], '0');
  assert.equal(parseCsv(response.body).length, 8);
});

test('property: through the API, every extract is k-anonymous over the granted quasi-identifiers (random data, random k)', async (t) => {
  const ta = await buildTestApp(t);
  const who = await actors(ta);
  let seed = 20261207;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const all = ['age', 'district', 'visit_date'];
  for (let round = 0; round < 6; round += 1) {
    const k = 2 + Math.floor(random() * 9);
    const rows = Math.floor(random() * 120);
    const quasi = all.filter(() => random() < 0.6);
    if (quasi.length === 0) quasi.push('district');
    const fields = [...quasi, 'diagnosis'];
    const dataset = await createDataset(ta, who.steward, datasetBody());
    const header = '姓名,age,district,visit_date,diagnosis,cost';
    const lines = [header];
    for (let i = 0; i < rows; i += 1) {
      const empty = random() < 0.1;
      lines.push(
        [
          `p${i}`,
          empty ? '' : 18 + Math.floor(random() * 60),
          ['福田区', '南山区', '罗湖区', '宝安区'][Math.floor(random() * 4)],
          `2026-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
          `D${Math.floor(random() * 5)}`,
          '1',
        ].join(','),
      );
    }
    if (rows > 0) assert.equal((await upload(ta, who.steward, dataset.id, `${lines.join('\n')}\n`)).statusCode, 200);
    const requested = await requestAccess(ta, who.member, dataset.id, { fields });
    const grant = (
      await decide(ta, who.steward, requested.json<{ id: string }>().id, { decision: 'granted', k })
    ).json<{
      grant: { id: string };
    }>().grant;
    const response = await ta.app.inject({
      method: 'GET',
      url: `/api/v1/access-grants/${grant.id}/extract.csv`,
      headers: who.member.headers,
    });
    assert.equal(response.statusCode, 200);
    const [head, ...out] = parseCsv(response.body);
    assert.deepEqual(head, fields);
    assert.equal(out.length + Number(response.headers['x-suppressed-rows']), rows, `round ${round}`);
    const counts = new Map<string, number>();
    for (const row of out) {
      const key = JSON.stringify(row.slice(0, quasi.length));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, size] of counts) assert.ok(size >= k, `round ${round}: ${key} × ${size} < k = ${k}`);
  }
});
