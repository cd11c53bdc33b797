import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createUser, tableCounts } from '../factories.ts';
import { testCalendarYear } from '../helpers/calendar-fixtures.ts';

async function add(t: TestApp, from: string, days: number | string) {
  return t.app.inject({ method: 'GET', url: `/api/v1/calendar/working-days/add?from=${from}&days=${days}` });
}

/** A made-up 2027 for tests only: the official 2027 notice is not in the reference data. */
function fixture2027(overrides: Record<string, unknown> = {}) {
  return testCalendarYear(2027, overrides);
}

test('working-days/add follows the official calendar around holidays and adjusted weekends', async (t) => {
  const app = await buildTestApp(t);
  const cases: Array<[string, number, string, string]> = [
    ['2026-02-13', 1, '2026-02-14', 'Saturday 14 Feb 2026 is an adjusted working day (Spring Festival)'],
    ['2026-02-13', 2, '2026-02-24', 'Spring Festival 15–23 Feb 2026 is off'],
    ['2026-02-10', 20, '2026-03-16', 'a 20-working-day review clock across the Spring Festival'],
    ['2025-09-30', 1, '2025-10-09', 'National Day and Mid-Autumn 1–8 Oct 2025 are off'],
    ['2025-09-30', 3, '2025-10-11', 'Saturday 11 Oct 2025 is an adjusted working day'],
    ['2025-09-26', 1, '2025-09-28', 'Sunday 28 Sep 2025 is an adjusted working day'],
    ['2024-02-09', 1, '2024-02-18', 'Spring Festival 10–17 Feb 2024, Sunday 18 Feb worked'],
    ['2024-12-31', 1, '2025-01-02', 'across a year boundary, New Year’s Day off'],
    ['2026-02-16', 0, '2026-02-16', 'from itself is day 0, even on a holiday'],
    ['2026-03-06', 1, '2026-03-09', 'an ordinary weekend'],
  ];
  for (const [from, days, expected, why] of cases) {
    const response = await add(app, from, days);
    assert.equal(response.statusCode, 200, why);
    assert.deepEqual(response.json(), { from, days, date: expected }, why);
  }
  const cached = await add(app, '2026-02-13', 1);
  assert.match(String(cached.headers['cache-control']), /public/);
});

test('working-days/add refuses to guess a year without an official calendar, and bad input is 400', async (t) => {
  const app = await buildTestApp(t);
  const missing = await add(app, '2026-12-30', 2);
  assert.equal(missing.statusCode, 422);
  assert.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(missing.json().code, 'calendar_year_missing');
  assert.equal(missing.json().year, 2027);

  // API-CONTRACT-2 §0: with provisional=true the missing year counts weekends only.
  const provisional = await add(app, '2026-12-30', '2&provisional=true');
  assert.equal(provisional.statusCode, 200);
  assert.deepEqual(provisional.json(), { from: '2026-12-30', days: 2, date: '2027-01-01', provisional: true });
  assert.match(String(provisional.headers['cache-control']), /no-cache/);
  const official = await add(app, '2026-03-02', '1&provisional=true');
  assert.deepEqual(official.json(), { from: '2026-03-02', days: 1, date: '2026-03-03', provisional: false });
  const notBoolean = await add(app, '2026-03-02', '1&provisional=maybe');
  assert.equal(notBoolean.statusCode, 400);

  const lastDay = await add(app, '2026-12-30', 1);
  assert.deepEqual(lastDay.json(), { from: '2026-12-30', days: 1, date: '2026-12-31' });
  assert.equal((await add(app, '2023-12-29', 1)).json().code, 'calendar_year_missing');

  for (const [query, why] of [
    ['from=2026-02-30&days=1', 'no such date'],
    ['from=2026-2-3&days=1', 'not YYYY-MM-DD'],
    ['from=2026-02-03&days=-1', 'negative days'],
    ['from=2026-02-03&days=1.5', 'fractional days'],
    ['from=2026-02-03&days=abc', 'not a number'],
    ['days=1', 'from missing'],
    ['from=2026-02-03', 'days missing'],
    ['from=2026-02-03&days=100000', 'too many days'],
  ]) {
    const response = await app.app.inject({ method: 'GET', url: `/api/v1/calendar/working-days/add?${query}` });
    assert.equal(response.statusCode, 400, why);
    assert.equal(response.json().code, 'validation_failed', why);
  }
});

test('GET /calendar/{year} lists off days, adjusted working days, names and the source notice', async (t) => {
  const app = await buildTestApp(t);
  const response = await app.app.inject({ method: 'GET', url: '/api/v1/calendar/2026' });
  assert.equal(response.statusCode, 200);
  const body = response.json<{
    year: number;
    offDays: string[];
    workDays: string[];
    holidays: unknown[];
    source: { documentNo: string };
    origin: string;
  }>();
  assert.equal(body.year, 2026);
  assert.ok(body.offDays.includes('2026-02-15') && body.offDays.includes('2026-10-07'));
  assert.ok(body.offDays.every((day) => typeof day === 'string'));
  assert.deepEqual(body.workDays, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  assert.deepEqual(body.holidays[3], { date: '2026-02-15', nameZh: '春节', nameEn: 'Spring Festival' });
  assert.equal(body.source.documentNo, '国办发明电〔2025〕7号');
  assert.equal(body.origin, 'reference');
  assert.equal(response.headers.etag, '"1"');

  assert.equal((await app.app.inject({ method: 'GET', url: '/api/v1/calendar/2027' })).statusCode, 404);
  const bad = await app.app.inject({ method: 'GET', url: '/api/v1/calendar/20x6' });
  assert.equal(bad.statusCode, 400);
});

test('an administrator loads a newly published year; only administrators; invalid data changes nothing', async (t) => {
  const app = await buildTestApp(t);
  const admin = await createUser(app, { roles: ['regulator_admin'] });
  const reviewer = await createUser(app, { roles: ['reviewer'] });
  const put = (body: unknown, headers: Record<string, string> = admin.headers, year = 2027) =>
    app.app.inject({ method: 'PUT', url: `/api/v1/calendar/${year}`, headers, payload: body as object });
  // Seed the reference years first so the counts below only see what the PUTs do.
  await app.app.inject({ method: 'GET', url: '/api/v1/calendar/2026' });
  const before = await tableCounts(app, ['calendar_years', 'audit_events', 'outbox_events']);

  assert.equal((await put(fixture2027(), {})).statusCode, 401);
  const forbidden = await put(fixture2027(), reviewer.headers);
  assert.equal(forbidden.statusCode, 403);
  const weekdayWorked = await put(
    fixture2027({ workDays: [{ date: '2027-01-05', nameZh: '调休', nameEn: 'Adjusted' }] }),
  );
  assert.equal(weekdayWorked.statusCode, 422);
  assert.equal(weekdayWorked.json().code, 'calendar_invalid');
  assert.equal(weekdayWorked.json().errors[0].pointer, '/workDays/0/date');
  const wrongYear = await put(fixture2027(), admin.headers, 2028);
  assert.equal(wrongYear.json().code, 'calendar_year_mismatch');
  const unknownField = await put({ ...fixture2027(), extra: true });
  assert.equal(unknownField.statusCode, 400);
  // The mistakes a person makes, each with its pointer, all at once.
  const mistakes = await put(
    fixture2027({
      source: { title: 't', documentNo: 'n', url: 'https://example.com/notice', published: '2026-11-01' },
      offDays: [
        { date: '2027-01-01', nameZh: '', nameEn: "New Year's Day" },
        { date: '2028-01-01', nameZh: '元旦', nameEn: "New Year's Day" },
      ],
      workDays: [{ date: '2027-01-01', nameZh: '调休', nameEn: 'Adjusted' }],
    }),
  );
  assert.equal(mistakes.statusCode, 422);
  assert.deepEqual(
    mistakes
      .json<{ errors: Array<{ pointer: string }> }>()
      .errors.map((error) => error.pointer)
      .sort(),
    ['/offDays/0/nameZh', '/offDays/1/date', '/source/url', '/workDays/0/date', '/workDays/0/date'],
  );
  assert.deepEqual(await tableCounts(app, ['calendar_years', 'audit_events', 'outbox_events']), before);
  assert.equal((await add(app, '2026-12-30', 2)).statusCode, 422);

  const created = await put(fixture2027());
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().origin, 'admin');
  assert.equal(created.headers.etag, '"1"');
  assert.deepEqual((await add(app, '2026-12-30', 2)).json(), { from: '2026-12-30', days: 2, date: '2027-01-04' });
  const audit = await app.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'calendar.year_loaded')
    .executeTakeFirstOrThrow();
  assert.equal(audit.resource_id, '2027');

  // A correction: stale If-Match → 412; current → 200 with version 2.
  const stale = await put(fixture2027(), { ...admin.headers, 'if-match': '"7"' });
  assert.equal(stale.statusCode, 412);
  const corrected = await put(
    fixture2027({
      offDays: [
        { date: '2027-01-01', nameZh: '元旦', nameEn: "New Year's Day" },
        { date: '2027-01-04', nameZh: '测试', nameEn: 'Test day off' },
      ],
    }),
    { ...admin.headers, 'if-match': '"1"' },
  );
  assert.equal(corrected.statusCode, 200);
  assert.equal(corrected.json().version, 2);
  assert.deepEqual((await add(app, '2026-12-30', 2)).json().date, '2027-01-05');
});
