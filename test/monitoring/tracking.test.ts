/* eslint-disable @typescript-eslint/no-unsafe-call -- tests read JSON freely */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepTrackingReports } from '../../src/modules/monitoring/index.ts';
import { monitoringWorld } from './helpers.ts';

const SUBMISSION = { activeUsers: 1200, incidentCount: 0, complaintsReceived: 3, materialChanges: '无/none' };

test('an accepted medium-risk disclosure opens a 6-month tracking period due on the 15th working day after it', async (t) => {
  const world = await monitoringWorld(t, { start: '2026-03-02T02:00:00Z' });
  const productId = await world.acceptedProduct('medium');
  const [report] = await world.reports(productId);
  assert.ok(report);
  assert.equal(report.kind, 'tracking');
  assert.equal(report.periodStart, '2026-03-02');
  assert.equal(report.periodEnd, '2026-09-01');
  assert.equal(report.status, 'upcoming');
  assert.equal(report.submittedAt, null);
  assert.equal(typeof report.dueDateProvisional, 'boolean');
  // 15 working days after 1 Sep 2026 (Sunday 20 Sep is a working day in the 2026 notice): 21 Sep.
  assert.equal(report.dueDate, '2026-09-21');

  // Before periodEnd: 422 period_not_ended, nothing stored.
  const early = await world.inject(
    'POST',
    `/api/v1/tracking-reports/${report.id}/submission`,
    world.provider,
    SUBMISSION,
  );
  assert.equal(early.statusCode, 422, early.body);
  assert.equal(early.json().code, 'period_not_ended');
  assert.equal((await world.reports(productId)).length, 1);

  // Bad input: negative counts → 400.
  await world.travel('2026-09-02T02:00:00Z');
  const negative = await world.inject('POST', `/api/v1/tracking-reports/${report.id}/submission`, world.provider, {
    ...SUBMISSION,
    activeUsers: -1,
  });
  assert.equal(negative.statusCode, 400, negative.body);
  assert.equal((await world.reports(productId))[0]!.status, 'due');

  // Another organisation: 404; a reviewer may not submit: 403.
  const stranger = await world.inject(
    'POST',
    `/api/v1/tracking-reports/${report.id}/submission`,
    world.stranger,
    SUBMISSION,
  );
  assert.equal(stranger.statusCode, 404);
  const anonymous = await world.inject(
    'POST',
    `/api/v1/tracking-reports/${report.id}/submission`,
    undefined,
    SUBMISSION,
  );
  assert.equal(anonymous.statusCode, 401);

  const submitted = await world.inject(
    'POST',
    `/api/v1/tracking-reports/${report.id}/submission`,
    world.provider,
    SUBMISSION,
  );
  assert.equal(submitted.statusCode, 200, submitted.body);
  assert.equal(submitted.json().status, 'submitted');
  const again = await world.inject(
    'POST',
    `/api/v1/tracking-reports/${report.id}/submission`,
    world.provider,
    SUBMISSION,
  );
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'report_already_submitted');

  const reports = await world.reports(productId);
  assert.equal(reports.length, 2);
  assert.equal(reports[1]!.periodStart, '2026-09-02');
  assert.equal(reports[1]!.periodEnd, '2027-03-01');
});

test('a low-risk product reports every 12 months; 31 Aug + 6 months ends on 27/28 Feb', async (t) => {
  const world = await monitoringWorld(t, { start: '2026-08-31T02:00:00Z' });
  const low = await world.acceptedProduct('low');
  const [lowReport] = await world.reports(low);
  assert.equal(lowReport!.periodEnd, '2027-08-30');
  const medium = await world.acceptedProduct('medium');
  const [mediumReport] = await world.reports(medium);
  // 31 Aug + 6 months → 28 Feb 2027 (no 31st), so the period ends the day before.
  assert.equal(mediumReport!.periodEnd, '2027-02-27');
});

test('an approved assessment opens 3-monthly monitoring reports', async (t) => {
  const world = await monitoringWorld(t, { start: '2026-03-02T02:00:00Z' });
  const productId = await world.approvedProduct();
  const [report] = await world.reports(productId);
  assert.equal(report!.kind, 'monitoring');
  assert.equal(report!.periodStart, '2026-03-02');
  assert.equal(report!.periodEnd, '2026-06-01');
});

test('overdue: W5 fires once the day after dueDate, W6 past 20 working days; both lift on submission', async (t) => {
  const world = await monitoringWorld(t, { start: '2026-03-02T02:00:00Z' });
  const productId = await world.acceptedProduct('medium');
  const [report] = await world.reports(productId);

  await world.travel('2026-09-21T10:00:00Z'); // dueDate itself (Shanghai 18:00): still due
  assert.equal((await sweepTrackingReports(world.t.deps)).warnings, 0);
  await world.travel('2026-09-22T01:00:00Z');
  assert.equal((await world.reports(productId))[0]!.status, 'overdue');
  assert.equal((await sweepTrackingReports(world.t.deps)).warnings, 1);
  // A second sweep (another instance) fires nothing more.
  const [a, b] = await Promise.all([sweepTrackingReports(world.t.deps), sweepTrackingReports(world.t.deps)]);
  assert.equal(a.warnings + b.warnings, 0);

  const overdueList = await world.inject('GET', '/api/v1/monitoring/tracking-reports?status=overdue', world.reviewer);
  assert.equal(overdueList.statusCode, 200, overdueList.body);
  assert.deepEqual(
    overdueList.json().items.map((item: { id: string }) => item.id),
    [report!.id],
  );
  assert.equal(overdueList.json().items[0].warningLevel, 'blue');

  await world.travel('2026-11-30T01:00:00Z');
  assert.equal((await sweepTrackingReports(world.t.deps)).warnings, 1);
  const warnings = await world.inject('GET', `/api/v1/products/${productId}/warnings`, world.provider);
  assert.deepEqual(
    warnings
      .json()
      .items.map((w: { ruleId: string; level: string; status: string }) => `${w.ruleId}:${w.level}:${w.status}`)
      .sort(),
    ['W5:blue:active', 'W6:yellow:active'],
  );
  assert.equal(warnings.json().warningLevel, 'yellow');

  const submitted = await world.inject('POST', `/api/v1/tracking-reports/${report!.id}/submission`, world.provider, {
    activeUsers: 1,
    incidentCount: 0,
    complaintsReceived: 0,
    materialChanges: 'none',
  });
  assert.equal(submitted.statusCode, 200, submitted.body);
  const after = await world.inject('GET', `/api/v1/products/${productId}/warnings`, world.provider);
  assert.deepEqual(
    after.json().items.map((w: { status: string }) => w.status),
    ['lifted', 'lifted'],
  );
  assert.equal(after.json().warningLevel, null);
});
