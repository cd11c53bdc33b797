/**
 * API-CONTRACT-2 §0: a submission is never refused because next year's holiday notice is not
 * loaded. Deadlines that reach it count weekends only and say so; loading the year recomputes
 * every open one from its own start, audited and notified, in one transaction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testCalendarYear } from '../helpers/calendar-fixtures.ts';
import { tableCounts } from '../factories.ts';
import { assessmentDraft, FILING_TABLES, filingWorld, submitted, type FilingWorld } from './helpers.ts';

// Thursday 10 December 2026, 10:00 in Shanghai. The 20th working day after it: 15 working
// days are left in 2026, then 1 January 2027 (a Friday) counts under weekends only → Thursday
// 7 January; under the test notice 1 January is off → Friday 8 January.
const SUBMITTED_AT = '2026-12-10T02:00:00Z';

async function filing(world: FilingWorld, id: string) {
  const response = await world.inject('GET', `/api/v1/filings/${id}`, world.provider);
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ dueDate: string; dueDateProvisional: boolean; stoppedWorkingDays: number; status: string }>();
}

async function post(world: FilingWorld, path: string, user = world.reviewer, body: unknown = {}) {
  const response = await world.inject('POST', path, user, body);
  assert.ok(response.statusCode < 300, `${path}: ${response.statusCode} ${response.body}`);
  return response.json<{ version: number }>();
}

test('an assessment reaching a year without a calendar gets a provisional due date, then the official one when the year is loaded', async (t) => {
  // One filing submitted in March, on the official calendar: a load never touches it.
  const world = await filingWorld(t);
  const march = await submitted(world);
  assert.equal(march.dueDate, '2026-03-30');

  await world.travel(SUBMITTED_AT);
  // A: submitted, then claimed.
  const a = await submitted(world);
  assert.equal(a.dueDate, '2027-01-07');
  assert.equal((await filing(world, a.filingId)).dueDateProvisional, true);
  await post(world, `/api/v1/filings/${a.filingId}/assignment`);
  // B: an information request from Monday 14 to Wednesday 16 December stopped the clock for
  // two working days (15 and 16 December).
  const b = await submitted(world);
  await post(world, `/api/v1/filings/${b.filingId}/assignment`);
  await world.travel('2026-12-14T02:00:00Z');
  await post(world, `/api/v1/filings/${b.filingId}/information-requests`, world.reviewer, {
    message: '请补充测试报告',
  });
  await world.travel('2026-12-16T02:00:00Z');
  await post(world, `/api/v1/filings/${b.filingId}/information-responses`, world.provider, { message: '已补充' });
  assert.deepEqual(
    (({ dueDate, dueDateProvisional, stoppedWorkingDays }) => ({ dueDate, dueDateProvisional, stoppedWorkingDays }))(
      await filing(world, b.filingId),
    ),
    { dueDate: '2027-01-11', dueDateProvisional: true, stoppedWorkingDays: 2 },
  );
  // C: an information request still open when the year is loaded.
  await world.travel(SUBMITTED_AT);
  const c = await submitted(world);
  await post(world, `/api/v1/filings/${c.filingId}/assignment`);
  await world.travel('2026-12-18T02:00:00Z');
  await post(world, `/api/v1/filings/${c.filingId}/information-requests`, world.reviewer, {
    message: '请说明数据来源',
  });
  // D: provisional, but rejected before the load: closed deadlines stand as they were.
  await world.travel(SUBMITTED_AT);
  const d = await submitted(world);
  const claimed = await post(world, `/api/v1/filings/${d.filingId}/assignment`);
  await world.travel('2026-12-18T02:00:00Z');
  await world.inject(
    'POST',
    `/api/v1/filings/${d.filingId}/decision`,
    world.reviewer,
    { outcome: 'rejected', reasons: '材料不足' },
    { 'if-match': `"${claimed.version}"` },
  );
  assert.equal((await filing(world, d.filingId)).status, 'rejected');

  await world.travel('2026-12-20T02:00:00Z');
  // The queue shows the provisional due dates and counts working days the same way.
  const queue = await world.inject('GET', '/api/v1/review/queue', world.reviewer);
  const item = queue.json<{ items: Array<{ id: string; dueDateProvisional: boolean; workingDaysLeft: number }> }>()
    .items;
  const queuedA = item.find((entry) => entry.id === a.filingId);
  assert.deepEqual(queuedA && { p: queuedA.dueDateProvisional, left: queuedA.workingDaysLeft }, { p: true, left: 14 });

  const status = await world.inject('GET', '/api/v1/calendar/status');
  assert.equal(status.statusCode, 200);
  assert.deepEqual(
    (({ today, missingYear, provisionalDeadlines }) => ({ today, missingYear, provisionalDeadlines }))(status.json()),
    {
      today: '2026-12-20',
      missingYear: 2027,
      provisionalDeadlines: 3,
    },
  );

  // Bad input: 422 with pointers, nothing stored, nothing recomputed.
  const tables = [...FILING_TABLES, 'calendar_years'];
  const before = await tableCounts(world.t, tables);
  const bad = await world.inject(
    'PUT',
    '/api/v1/calendar/2027',
    world.admin,
    testCalendarYear(2027, { workDays: [{ date: '2027-01-05', nameZh: '调休', nameEn: 'Adjusted' }] }),
  );
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(
    bad.json<{ errors: Array<{ pointer: string }> }>().errors.map((e) => e.pointer),
    ['/workDays/0/date'],
  );
  assert.deepEqual(await tableCounts(world.t, tables), before);
  assert.equal((await filing(world, a.filingId)).dueDateProvisional, true);

  // The preview lists the days that differ from weekends-only and every deadline that would move — and stores nothing.
  const preview = await world.inject('POST', '/api/v1/calendar/2027/preview', world.admin, testCalendarYear(2027));
  assert.equal(preview.statusCode, 200, preview.body);
  const previewed = preview.json<{
    replaces: unknown;
    diff: { weekdaysOff: Array<{ date: string }>; workingDays: { weekendsOnly: number; official: number } };
    recomputedDeadlines: Array<{
      resourceId: string;
      dueDateBefore: string;
      dueDate: string;
      dueDateProvisional: boolean;
    }>;
  }>();
  assert.equal(previewed.replaces, null);
  assert.deepEqual(
    previewed.diff.weekdaysOff.map((day) => day.date),
    ['2027-01-01'],
  );
  assert.deepEqual(previewed.diff.workingDays, { weekendsOnly: 261, official: 260 });
  const expected = new Map([
    [a.filingId, ['2027-01-07', '2027-01-08']],
    [b.filingId, ['2027-01-11', '2027-01-12']],
    [c.filingId, ['2027-01-07', '2027-01-08']],
  ]);
  const asMap = (items: typeof previewed.recomputedDeadlines) =>
    new Map(items.map((item) => [item.resourceId, [item.dueDateBefore, item.dueDate]]));
  assert.deepEqual(asMap(previewed.recomputedDeadlines), expected);
  assert.deepEqual(await tableCounts(world.t, tables), before);
  assert.equal((await filing(world, a.filingId)).dueDate, '2027-01-07');
  const notAdmin = await world.inject('POST', '/api/v1/calendar/2027/preview', world.reviewer, testCalendarYear(2027));
  assert.equal(notAdmin.statusCode, 403);

  // The load: every open provisional deadline moves to the official one, in one transaction.
  const loaded = await world.inject('PUT', '/api/v1/calendar/2027', world.admin, testCalendarYear(2027));
  assert.equal(loaded.statusCode, 201, loaded.body);
  const recomputed = loaded.json<{ recomputedDeadlines: typeof previewed.recomputedDeadlines }>().recomputedDeadlines;
  assert.deepEqual(asMap(recomputed), expected);
  assert.ok(recomputed.every((item) => !item.dueDateProvisional));
  assert.deepEqual(
    (({ dueDate, dueDateProvisional, stoppedWorkingDays }) => ({ dueDate, dueDateProvisional, stoppedWorkingDays }))(
      await filing(world, b.filingId),
    ),
    { dueDate: '2027-01-12', dueDateProvisional: false, stoppedWorkingDays: 2 },
  );
  const stillStopped = await filing(world, c.filingId);
  assert.deepEqual(
    [stillStopped.status, stillStopped.dueDate, stillStopped.dueDateProvisional],
    ['information_requested', '2027-01-08', false],
  );
  const rejected = await filing(world, d.filingId);
  assert.deepEqual([rejected.dueDate, rejected.dueDateProvisional], ['2027-01-07', true]);
  assert.deepEqual(
    (({ dueDate, dueDateProvisional }) => ({ dueDate, dueDateProvisional }))(await filing(world, march.filingId)),
    { dueDate: '2026-03-30', dueDateProvisional: false },
  );

  // Audited, one row per moved deadline, by the administrator; the provider and the reviewer told.
  const audits = await world.t.db
    .selectFrom('audit_events')
    .select(['resource_id', 'actor_id', 'summary'])
    .where('action', '=', 'filing.due_date_recomputed')
    .execute();
  assert.deepEqual(new Set(audits.map((row) => row.resource_id)), new Set(expected.keys()));
  assert.ok(audits.every((row) => row.actor_id === world.admin.id));
  const notified = await world.t.db
    .selectFrom('notifications')
    .select(['organization_id', 'user_id', 'title_en'])
    .where('kind', '=', 'filing.due_date_recomputed')
    .execute();
  assert.equal(notified.filter((row) => row.organization_id === world.organizationId).length, 3);
  assert.equal(notified.filter((row) => row.user_id === world.reviewer.id).length, 3);
  assert.ok(notified.some((row) => row.title_en.includes('2027-01-12')));

  const after = (await world.inject('GET', '/api/v1/calendar/status')).json<{
    missingYear: number | null;
    provisionalDeadlines: number;
  }>();
  assert.deepEqual([after.missingYear, after.provisionalDeadlines], [null, 0]);

  // A submission after the load counts the official year at once.
  await world.travel(SUBMITTED_AT);
  const e = await submitted(world);
  assert.equal(e.dueDate, '2027-01-08');
  assert.equal((await filing(world, e.filingId)).dueDateProvisional, false);
});

test('a provisional deadline computed from a stale cache sees the year another instance loaded, and is official', async (t) => {
  const world = await filingWorld(t, { start: SUBMITTED_AT });
  const { filingId } = await assessmentDraft(world);
  // Another instance loaded 2027: the row is in the database, this process's cache lacks it.
  const year = testCalendarYear(2027);
  await sql`INSERT INTO calendar_years (year, data, origin, loaded_at, loaded_by, version)
            VALUES (2027, ${JSON.stringify(year)}, 'admin', now(), NULL, 1)`.execute(world.t.db);
  const response = await world.inject('POST', `/api/v1/filings/${filingId}/submit`, world.provider, {});
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual([response.json().dueDate, response.json().dueDateProvisional], ['2027-01-08', false]);
});

test('the rehearsal clock is refused without the override, and the server says when it is on', async () => {
  const { loadConfig } = await import('../../src/config.ts');
  assert.throws(() => loadConfig({ AIGOV_CLOCK_START: '2026-12-10T02:00:00Z' }), /AIGOV_ALLOW_CLOCK_OVERRIDE=yes/);
});
