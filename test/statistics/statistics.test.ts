import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrganization, createOrgMember, createUser, tableCounts, type TestUser } from '../factories.ts';
import { DISTRICT_CODES } from '../../src/domain/statistics.ts';
import { chainPendingAuditEvents } from '../../src/platform/audit.ts';
import { newId } from '../../src/platform/ids.ts';
import { latestStatisticsReturn, sendDueReminders } from '../../src/modules/statistics/index.ts';

const LEVEL_TWO = [
  'F01',
  'F02',
  'F03',
  'F04',
  'F05',
  'T01',
  'T02',
  'T03',
  'T04',
  'T05',
  'T06',
  'T07',
  'T08',
  'T09',
  'T10',
];

// The test clock starts on 2026-03-02 (Shanghai).
function periodBody(overrides: Record<string, unknown> = {}) {
  return {
    code: '2025',
    title: '2025 年度',
    titleEn: 'Year 2025',
    opensOn: '2026-03-01',
    closesOn: '2026-04-30',
    dueDate: '2026-03-31',
    ...overrides,
  };
}

interface Figures {
  district: string;
  employees: number;
  aiEmployees: number;
  revenue: number;
  aiRevenue: number;
  rdExpenditure: number;
  byCategory: { catalogueCode: string; aiRevenue: number }[];
}

function figures(district: string, byCategory: Record<string, number>, extra: Partial<Figures> = {}): Figures {
  const entries = Object.entries(byCategory).map(([catalogueCode, aiRevenue]) => ({ catalogueCode, aiRevenue }));
  const aiRevenue = entries.reduce((sum, entry) => sum + entry.aiRevenue, 0);
  return {
    district,
    employees: 120,
    aiEmployees: 40,
    revenue: aiRevenue * 2 + 100,
    aiRevenue,
    rdExpenditure: 300,
    byCategory: entries,
    ...extra,
  };
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const ta = await buildTestApp(t);
  const statistician = await createUser(ta, { roles: ['statistician'] });
  return { ta, statistician };
}

async function createPeriod(ta: TestApp, statistician: TestUser, overrides: Record<string, unknown> = {}) {
  const response = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods',
    headers: statistician.headers,
    payload: periodBody(overrides),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ code: string; status: string }>();
}

async function file(ta: TestApp, user: TestUser, code: string, body: unknown) {
  return ta.app.inject({
    method: 'PUT',
    url: `/api/v1/statistics/periods/${code}/returns/mine`,
    headers: user.headers,
    payload: body as Record<string, unknown>,
  });
}

test('periods: a statistician opens one (201), anyone lists them; others are refused; dates and codes are checked', async (t) => {
  const { ta, statistician } = await setup(t);
  const { user: member } = await createOrgMember(ta);
  const url = '/api/v1/statistics/periods';

  assert.equal((await ta.app.inject({ method: 'POST', url, payload: periodBody() })).statusCode, 401);
  assert.equal(
    (await ta.app.inject({ method: 'POST', url, headers: member.headers, payload: periodBody() })).statusCode,
    403,
  );
  const bad = await ta.app.inject({
    method: 'POST',
    url,
    headers: statistician.headers,
    payload: periodBody({ code: '2025/H1' }),
  });
  assert.equal(bad.statusCode, 400);

  const dates = await ta.app.inject({
    method: 'POST',
    url,
    headers: { ...statistician.headers, 'accept-language': 'en' },
    payload: periodBody({ closesOn: '2026-02-01', dueDate: '2026-05-01' }),
  });
  assert.equal(dates.statusCode, 422, dates.body);
  const problem = dates.json<{ code: string; errors: { pointer: string; message: string }[] }>();
  assert.equal(problem.code, 'invalid_statistics_period');
  assert.deepEqual(problem.errors.map((e) => e.pointer).sort(), ['/closesOn', '/dueDate']);
  assert.match(problem.errors[0]!.message, /[a-z]/);

  const created = await createPeriod(ta, statistician);
  assert.equal(created.status, 'open');
  const period = created as unknown as Record<string, unknown>;
  assert.equal(period.dueDateProvisional, false);
  assert.equal(typeof period.catalogueVersion, 'string');
  const again = await ta.app.inject({ method: 'POST', url, headers: statistician.headers, payload: periodBody() });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json<{ code: string }>().code, 'period_exists');

  await createPeriod(ta, statistician, {
    code: '2026-H1',
    opensOn: '2026-07-01',
    closesOn: '2026-08-31',
    dueDate: '2026-08-15',
  });
  const list = await ta.app.inject({ method: 'GET', url: `${url}?limit=1` });
  assert.equal(list.statusCode, 200);
  const page = list.json<{ items: { code: string; status: string }[]; nextCursor: string | null }>();
  assert.deepEqual(
    page.items.map((p) => [p.code, p.status]),
    [['2026-H1', 'scheduled']],
  );
  assert.ok(page.nextCursor !== null);
  const next = await ta.app.inject({ method: 'GET', url: `${url}?limit=1&cursor=${page.nextCursor}` });
  assert.deepEqual(
    next.json<{ items: { code: string }[] }>().items.map((p) => p.code),
    ['2025'],
  );
  await chainPendingAuditEvents(ta.db);
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('resource_type', '=', 'statistics_period')
    .execute();
  assert.equal(audit.length, 2);
});

test('returns: filed, read back and corrected while open; validation with pointers; before opening and after closing → 409', async (t) => {
  const { ta, statistician } = await setup(t);
  await createPeriod(ta, statistician);
  await createPeriod(ta, statistician, {
    code: 'LATER',
    opensOn: '2026-06-01',
    closesOn: '2026-06-30',
    dueDate: '2026-06-20',
  });
  const { user: member, organization } = await createOrgMember(ta);
  const good = figures('440305', { F01: 600, T01: 400 });

  assert.equal(
    (await ta.app.inject({ method: 'PUT', url: '/api/v1/statistics/periods/2025/returns/mine', payload: good }))
      .statusCode,
    401,
  );
  assert.equal((await file(ta, statistician, '2025', good)).statusCode, 403);
  const { user: pending } = await createOrgMember(ta, { status: 'pending' });
  const refused = await file(ta, pending, '2025', good);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json<{ code: string }>().code, 'organization_not_verified');
  assert.equal((await file(ta, member, 'NOPE', good)).statusCode, 404);

  const early = await file(ta, member, 'LATER', good);
  assert.equal(early.statusCode, 409);
  assert.equal(early.json<{ code: string }>().code, 'period_not_open');

  const none = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/statistics/periods/2025/returns/mine',
    headers: member.headers,
  });
  assert.equal(none.statusCode, 404);

  const invalid = await file(ta, member, '2025', {
    district: '440300',
    employees: 10,
    aiEmployees: 11,
    revenue: 100,
    aiRevenue: 150,
    rdExpenditure: 0,
    byCategory: [
      { catalogueCode: 'F01', aiRevenue: 100 },
      { catalogueCode: 'F01', aiRevenue: 10 },
      { catalogueCode: 'F0101', aiRevenue: 10 },
    ],
  });
  assert.equal(invalid.statusCode, 422, invalid.body);
  const problem = invalid.json<{ code: string; errors: { pointer: string }[] }>();
  assert.equal(problem.code, 'invalid_statistics_return');
  assert.deepEqual(problem.errors.map((e) => e.pointer).sort(), [
    '/aiEmployees',
    '/aiRevenue',
    '/byCategory',
    '/byCategory/1/catalogueCode',
    '/byCategory/2/catalogueCode',
    '/district',
  ]);
  const negative = await file(ta, member, '2025', { ...good, employees: -1 });
  assert.equal(negative.statusCode, 400);
  assert.equal((await tableCounts(ta, ['statistics_returns'])).statistics_returns, 0);

  const saved = await file(ta, member, '2025', good);
  assert.equal(saved.statusCode, 200, saved.body);
  assert.deepEqual(
    { ...saved.json<Record<string, unknown>>(), createdAt: undefined, updatedAt: undefined },
    {
      ...good,
      period: '2025',
      organizationId: organization.id,
      version: 1,
      createdAt: undefined,
      updatedAt: undefined,
    },
  );
  const corrected = await file(ta, member, '2025', { ...good, employees: 130 });
  assert.equal(corrected.json<{ version: number; employees: number }>().version, 2);
  const read = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/statistics/periods/2025/returns/mine',
    headers: member.headers,
  });
  assert.equal(read.statusCode, 200);
  assert.equal(read.json<{ employees: number }>().employees, 130);
  const mine = await ta.app.inject({ method: 'GET', url: '/api/v1/statistics/returns/mine', headers: member.headers });
  assert.deepEqual(
    mine.json<{ items: { period: string }[] }>().items.map((r) => r.period),
    ['2025'],
  );

  // The statistician sees who returned.
  const status = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/statistics/periods/2025/returns',
    headers: statistician.headers,
  });
  assert.equal(status.statusCode, 200);
  assert.deepEqual(
    status.json<{ items: { organization: { id: string } }[] }>().items.map((i) => i.organization.id),
    [organization.id],
  );
  assert.equal(
    (await ta.app.inject({ method: 'GET', url: '/api/v1/statistics/periods/2025/returns', headers: member.headers }))
      .statusCode,
    403,
  );

  ta.clock.set('2026-05-01T02:00:00Z');
  // (A fresh session: the clock jumped past the old one's idle limit.)
  const colleague = await createUser(ta, { roles: ['org_member'], organizationId: organization.id });
  const late = await file(ta, colleague, '2025', good);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json<{ code: string }>().code, 'period_closed');
});

/** Seven organisations over three districts: Nanshan's T01 and all of Bao'an are primary confidential. */
async function fileSample(ta: TestApp, code: string) {
  const sample: [string, Record<string, number>][] = [
    ['440305', { F01: 1000, T01: 500 }],
    ['440305', { F01: 900 }],
    ['440305', { F01: 800, T01: 450 }],
    ['440304', { F01: 700, T01: 600 }],
    ['440304', { F01: 650, T01: 550 }],
    ['440304', { T01: 580, F02: 90 }],
    ['440306', { F02: 5000 }],
  ];
  const members: TestUser[] = [];
  for (const [district, amounts] of sample) {
    const { user } = await createOrgMember(ta);
    const response = await file(ta, user, code, figures(district, amounts));
    assert.equal(response.statusCode, 200, response.body);
    members.push(user);
  }
  // True aggregates, keyed "row|column" with _T for totals.
  const truth = new Map<string, number>();
  const add = (key: string, amount: number) => truth.set(key, (truth.get(key) ?? 0) + amount);
  for (const [district, amounts] of sample) {
    for (const [column, amount] of Object.entries(amounts)) {
      add(`${district}|${column}`, amount);
      add(`${district}|_T`, amount);
      add(`_T|${column}`, amount);
      add('_T|_T', amount);
    }
  }
  return { members, truth };
}

interface Entry {
  value: number | null;
  status: 'F' | 'C' | 'D';
}
interface AiRevenue {
  period: string;
  unit: string;
  rows: string[];
  columns: string[];
  cells: ({ row: string; column: string } & Entry)[];
  rowTotals: ({ row: string } & Entry)[];
  columnTotals: ({ column: string } & Entry)[];
  grandTotal: Entry;
}

test('publication: preview says why, publishing stores audited tables, freezes returns; free values are the true aggregates', async (t) => {
  const { ta, statistician } = await setup(t);
  await createPeriod(ta, statistician);
  const { members, truth } = await fileSample(ta, '2025');
  const publicUrl = '/api/v1/public/statistics/periods/2025/tables/ai-revenue';
  assert.equal((await ta.app.inject({ method: 'GET', url: publicUrl })).statusCode, 404);

  const preview = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/statistics/periods/2025/publication/preview',
    headers: statistician.headers,
  });
  assert.equal(preview.statusCode, 200, preview.body);
  const seen = preview.json<{
    cells: { row: string; column: string; value: number; status: string; reason: string | null }[];
    method: { primaryCount: number; secondaryCount: number };
    auditPasses: boolean;
    returns: number;
  }>();
  assert.equal(seen.returns, 7);
  assert.equal(seen.auditPasses, true);
  const cell = (row: string, column: string) => seen.cells.find((c) => c.row === row && c.column === column)!;
  assert.deepEqual([cell('440305', 'T01').status, cell('440305', 'T01').reason], ['C', 'threshold']);
  assert.deepEqual([cell('440306', 'F02').status, cell('440306', 'F02').reason], ['C', 'threshold']);
  assert.equal(cell('440305', 'F01').value, 2700);
  assert.ok(seen.cells.filter((c) => c.status === 'D').every((c) => c.reason === 'secondary'));
  assert.equal(await ta.db.selectFrom('statistics_publications').select('period_code').executeTakeFirst(), undefined);

  const member = members[0]!;
  const forbidden = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods/2025/publication',
    headers: member.headers,
  });
  assert.equal(forbidden.statusCode, 403);
  const published = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods/2025/publication',
    headers: { ...statistician.headers, 'idempotency-key': 'publish-2025' },
  });
  assert.equal(published.statusCode, 200, published.body);
  const summary = published.json<{ period: { status: string }; secondaryCount: number; primaryCount: number }>();
  assert.equal(summary.period.status, 'published');
  assert.equal(summary.primaryCount, seen.method.primaryCount);
  assert.equal(summary.secondaryCount, seen.method.secondaryCount);
  const replay = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods/2025/publication',
    headers: { ...statistician.headers, 'idempotency-key': 'publish-2025' },
  });
  assert.equal(replay.statusCode, 200);
  assert.deepEqual(replay.json(), published.json());
  const twice = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods/2025/publication',
    headers: statistician.headers,
  });
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json<{ code: string }>().code, 'period_already_published');

  // Returns are frozen.
  const frozen = await file(ta, member, '2025', figures('440305', { F01: 1 }));
  assert.equal(frozen.statusCode, 409);
  assert.equal(frozen.json<{ code: string }>().code, 'period_closed');

  const table = (await ta.app.inject({ method: 'GET', url: publicUrl })).json<AiRevenue>();
  assert.equal(table.period, '2025');
  assert.equal(table.unit, 'CNY thousand');
  assert.deepEqual(table.rows, DISTRICT_CODES);
  assert.equal(table.columns.length, 29);
  assert.deepEqual(table.columns.slice(0, LEVEL_TWO.length), LEVEL_TWO);
  assert.equal(table.cells.length, 9 * 29);
  const all: [string, string, Entry][] = [
    ...table.cells.map((c) => [c.row, c.column, c] as [string, string, Entry]),
    ...table.rowTotals.map((c) => [c.row, '_T', c] as [string, string, Entry]),
    ...table.columnTotals.map((c) => [c.column === undefined ? '' : '_T', c.column, c] as [string, string, Entry]),
    ['_T', '_T', table.grandTotal],
  ];
  for (const [row, column, entry] of all) {
    const value = truth.get(`${row}|${column}`) ?? 0;
    if (entry.status === 'F') assert.equal(entry.value, value, `${row}/${column} is the true aggregate`);
    else {
      assert.equal(entry.value, null, `${row}/${column} suppressed → null`);
      assert.ok(value > 0, 'an empty position is never suppressed');
    }
  }
  assert.equal(table.cells.find((c) => c.row === '440305' && c.column === 'T01')!.status, 'C');
  assert.equal(table.cells.find((c) => c.row === '440308' && c.column === 'A14')!.value, 0);
  assert.ok(
    all.some(([, , entry]) => entry.status === 'D'),
    'secondary suppression was needed',
  );
  const stored = await ta.db
    .selectFrom('statistics_publications')
    .select(['audit', 'returns'])
    .executeTakeFirstOrThrow();
  assert.equal(stored.audit.passes, true);
  assert.equal(stored.returns, 7);

  const csv = await ta.app.inject({ method: 'GET', url: `${publicUrl}?format=csv` });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /^text\/csv/);
  const csvLines = csv.body.trimEnd().split('\r\n');
  assert.equal(csvLines[0], 'DISTRICT,AI_CATEGORY,TIME_PERIOD,OBS_VALUE,CONF_STATUS');
  assert.equal(csvLines.length, 1 + 10 * 30);
  assert.ok(csvLines.includes('440305,T01,2025,,C'));
  assert.ok(csvLines.includes('440305,F01,2025,2700,F') || csvLines.includes('440305,F01,2025,,D'));
  const sdmx = await ta.app.inject({ method: 'GET', url: `${publicUrl}?format=sdmx-csv` });
  assert.equal(sdmx.statusCode, 200);
  const sdmxLines = sdmx.body.trimEnd().split('\r\n');
  assert.equal(sdmxLines[0], 'STRUCTURE,STRUCTURE_ID,ACTION,DISTRICT,AI_CATEGORY,TIME_PERIOD,OBS_VALUE,CONF_STATUS');
  assert.ok(sdmxLines.includes('dataflow,AIGOV:AI_REVENUE(1.0),I,440305,T01,2025,,C'));
  assert.equal(sdmxLines.at(-1)!.split(',').slice(3, 5).join(','), '_T,_T');
  assert.equal((await ta.app.inject({ method: 'GET', url: `${publicUrl}?format=xml` })).statusCode, 400);

  const enterprises = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/public/statistics/periods/2025/tables/enterprises',
  });
  assert.equal(enterprises.statusCode, 200);
  const counts = enterprises.json<{
    cells: { row: string; column: string; count: number }[];
    rowTotals: { row: string; count: number }[];
    columnTotals: { column: string; count: number }[];
    grandTotal: { count: number };
  }>();
  assert.equal(counts.cells.find((c) => c.row === '440305' && c.column === 'F01')!.count, 3);
  assert.equal(counts.cells.find((c) => c.row === '440305' && c.column === 'T01')!.count, 2);
  assert.equal(counts.rowTotals.find((c) => c.row === '440304')!.count, 3);
  assert.equal(counts.columnTotals.find((c) => c.column === 'T01')!.count, 5);
  assert.equal(counts.grandTotal.count, 7);

  await chainPendingAuditEvents(ta.db);
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', '=', 'statistics.period_published')
    .execute();
  assert.equal(audit.length, 1);
});

test('an empty period publishes zeros, all free; procurement reads the latest published return', async (t) => {
  const { ta, statistician } = await setup(t);
  await createPeriod(ta, statistician, {
    code: '2024',
    opensOn: '2026-01-01',
    closesOn: '2026-03-10',
    dueDate: '2026-03-05',
  });
  await createPeriod(ta, statistician);
  const { user, organization } = await createOrgMember(ta);
  const filed = await file(
    ta,
    user,
    '2024',
    figures('440303', { A01: 70 }, { employees: 250, revenue: 1000, rdExpenditure: 90 }),
  );
  assert.equal(filed.statusCode, 200, filed.body);
  assert.equal(await latestStatisticsReturn(ta.db, organization.id), undefined);

  const published = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods/2024/publication',
    headers: statistician.headers,
  });
  assert.equal(published.statusCode, 200, published.body);
  assert.deepEqual(await latestStatisticsReturn(ta.db, organization.id), {
    period: '2024',
    publishedAt: ta.clock.now().toISOString(),
    employees: 250,
    revenue: 1000,
    rdExpenditure: 90,
  });
  ta.clock.advanceDays(1);
  const statistician2 = await createUser(ta, { roles: ['statistician'] });
  const empty = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/statistics/periods/2025/publication',
    headers: statistician2.headers,
  });
  assert.equal(empty.statusCode, 200, empty.body);
  const table = (
    await ta.app.inject({ method: 'GET', url: '/api/v1/public/statistics/periods/2025/tables/ai-revenue' })
  ).json<AiRevenue>();
  assert.ok(table.cells.every((c) => c.value === 0 && c.status === 'F'));
  assert.deepEqual(table.grandTotal, { value: 0, status: 'F' });
  // The most recent published period (2025) has no return of this organisation: nothing.
  assert.equal(await latestStatisticsReturn(ta.db, organization.id), undefined);
  assert.equal(
    (
      await latestStatisticsReturn(ta.db, organization.id, {
        publishedBy: new Date(ta.clock.now().getTime() - 3_600_000),
      })
    )?.period,
    '2024',
  );
});

test('overdue list and reminders: organisations with public products and no return', async (t) => {
  const { ta, statistician } = await setup(t);
  const period = (await createPeriod(ta, statistician)) as unknown as { catalogueVersion: string };
  const withProduct = await createOrganization(ta);
  const withoutProduct = await createOrganization(ta);
  const returned = await createOrgMember(ta);
  for (const organizationId of [withProduct.id, returned.organization.id]) {
    const now = ta.clock.now();
    await ta.db
      .insertInto('products')
      .values({
        id: newId(),
        organization_id: organizationId,
        name: '智能客服',
        name_en: null,
        description: 'x',
        catalogue_code: 'F0101',
        catalogue_version: period.catalogueVersion,
        product_version: '1.0',
        intended_use: 'x',
        risk_answers: '{}',
        tier: 'low',
        risk_reasons: '[]',
        obligations: '[]',
        ruleset_version: 'test',
        status: 'accepted',
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  void withoutProduct;
  assert.equal((await file(ta, returned.user, '2025', figures('440305', { F01: 10 }))).statusCode, 200);

  const overdue = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/statistics/periods/2025/overdue',
    headers: statistician.headers,
  });
  assert.equal(overdue.statusCode, 200, overdue.body);
  const body = overdue.json<{ overdue: boolean; items: { id: string }[] }>();
  assert.equal(body.overdue, false);
  assert.deepEqual(
    body.items.map((i) => i.id),
    [withProduct.id],
  );

  // Reminders go out REMINDER_DAYS (7) before the due date (31 March), once.
  assert.equal(await sendDueReminders(ta.deps), 0);
  ta.clock.set('2026-03-24T02:00:00Z');
  assert.equal(await sendDueReminders(ta.deps), 1);
  assert.equal(await sendDueReminders(ta.deps), 0);
  const notices = await ta.db.selectFrom('notifications').select(['organization_id', 'kind']).execute();
  assert.deepEqual(notices, [{ organization_id: withProduct.id, kind: 'statistics.return_due' }]);

  ta.clock.set('2026-04-01T02:00:00Z');
  const statistician2 = await createUser(ta, { roles: ['statistician'] });
  const after = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/statistics/periods/2025/overdue',
    headers: statistician2.headers,
  });
  assert.equal(after.json<{ overdue: boolean }>().overdue, true);
});
