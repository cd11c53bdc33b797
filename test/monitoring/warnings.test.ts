/* eslint-disable @typescript-eslint/no-unsafe-call -- tests read JSON freely */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainPendingAuditEvents } from '../../src/platform/audit.ts';
import { monitoringWorld } from './helpers.ts';

const INCIDENT = {
  occurredAt: '2026-03-01T08:00:00Z',
  awareAt: '2026-03-02T00:00:00Z',
  serious: true,
  harms: ['serious_health'],
  widespread: false,
  description: '模型输出错误的用药建议',
  immediateMeasures: '已下线相关功能',
};

test('incidents: deadlines, bad times, W2 then W4 (red) suspends; lifting reinstates; leaves in the log', async (t) => {
  const world = await monitoringWorld(t, { start: '2026-03-02T02:00:00Z' });
  const productId = await world.acceptedProduct('medium');

  // Bad input → 422, nothing stored.
  for (const body of [
    { ...INCIDENT, awareAt: '2026-02-28T00:00:00Z' },
    { ...INCIDENT, awareAt: '2026-03-05T00:00:00Z' },
  ]) {
    const bad = await world.inject('POST', `/api/v1/products/${productId}/incidents`, world.provider, body);
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.json().code, 'invalid_incident_times');
  }
  const badHarm = await world.inject('POST', `/api/v1/products/${productId}/incidents`, world.provider, {
    ...INCIDENT,
    harms: ['nope'],
  });
  assert.equal(badHarm.statusCode, 400);
  assert.equal((await world.t.db.selectFrom('incidents').selectAll().execute()).length, 0);

  const first = await world.inject('POST', `/api/v1/products/${productId}/incidents`, world.provider, INCIDENT);
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.json().status, 'open');
  assert.equal(first.json().reportDeadline, '2026-03-17T00:00:00.000Z'); // 15 days
  assert.equal(first.json().reportedLate, false);
  assert.deepEqual(
    first.json().warnings.map((w: { ruleId: string }) => w.ruleId),
    ['W2'],
  );

  const nonSerious = await world.inject('POST', `/api/v1/products/${productId}/incidents`, world.provider, {
    ...INCIDENT,
    serious: false,
    harms: [],
  });
  assert.equal(nonSerious.json().reportDeadline, null);
  assert.deepEqual(nonSerious.json().warnings, []);

  const second = await world.inject('POST', `/api/v1/products/${productId}/incidents`, world.provider, {
    ...INCIDENT,
    harms: ['death'],
  });
  assert.equal(second.statusCode, 201, second.body);
  assert.equal(second.json().reportDeadline, '2026-03-12T00:00:00.000Z'); // 10 days
  assert.deepEqual(
    second
      .json()
      .warnings.map((w: { ruleId: string }) => w.ruleId)
      .sort(),
    ['W2', 'W3', 'W4'],
  );

  // Suspended: register entry and public warnings.
  const entry = await world.inject('GET', `/api/v1/public/products/${productId}`);
  assert.equal(entry.json().status, 'suspended');
  const publicWarnings = await world.inject('GET', '/api/v1/public/warnings?level=red');
  assert.equal(publicWarnings.statusCode, 200, publicWarnings.body);
  assert.equal(publicWarnings.json().items.length, 2);
  const feed = await world.inject('GET', '/api/v1/public/warnings.atom');
  assert.equal(feed.statusCode, 200);
  assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);

  // Reviewer lifts both red warnings: reinstated after the last.
  const list = await world.inject('GET', `/api/v1/products/${productId}/warnings`, world.reviewer);
  const reds = list.json().items.filter((w: { level: string }) => w.level === 'red');
  assert.equal(reds.length, 2);
  const memberLift = await world.inject('POST', `/api/v1/warnings/${reds[0].id}/lifting`, world.provider, {
    reasons: 'x',
  });
  assert.equal(memberLift.statusCode, 403);
  const lift1 = await world.inject('POST', `/api/v1/warnings/${reds[0].id}/lifting`, world.reviewer, {
    reasons: '已整改',
  });
  assert.equal(lift1.statusCode, 200, lift1.body);
  assert.equal(lift1.json().status, 'lifted');
  assert.equal((await world.inject('GET', `/api/v1/public/products/${productId}`)).json().status, 'suspended');
  const lift2 = await world.inject('POST', `/api/v1/warnings/${reds[1].id}/lifting`, world.reviewer, {
    reasons: '已整改',
  });
  assert.equal(lift2.statusCode, 200);
  const twice = await world.inject('POST', `/api/v1/warnings/${reds[1].id}/lifting`, world.reviewer, {
    reasons: '再次',
  });
  assert.equal(twice.statusCode, 409);
  assert.equal((await world.inject('GET', `/api/v1/public/products/${productId}`)).json().status, 'accepted');

  // Lifted warnings stay public with liftedAt.
  const stillPublic = await world.inject('GET', '/api/v1/public/warnings');
  assert.ok(stillPublic.json().items.every((w: { liftedAt: string | null }) => w.liftedAt !== null));

  // The log holds a suspension and a reinstatement leaf.
  const entries = await world.inject('GET', '/api/v1/transparency/entries?start=0&end=3');
  assert.equal(entries.statusCode, 200, entries.body);
  const decoded = [...entries.body.matchAll(/"([A-Za-z0-9+/=_-]{40,})"/g)]
    .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
    .join('\n');
  const text = `${entries.body}\n${decoded}`;
  assert.match(text, /aigov\.suspension\/v1/);
  assert.match(text, /aigov\.reinstatement\/v1/);

  // Manual warnings and incident closure.
  const manual = await world.inject('POST', `/api/v1/products/${productId}/warnings`, world.reviewer, {
    level: 'orange',
    reasons: '投诉集中',
    measures: ['十个工作日内提交整改报告'],
  });
  assert.equal(manual.statusCode, 201, manual.body);
  assert.equal(manual.json().source, 'manual');
  const byProvider = await world.inject('POST', `/api/v1/products/${productId}/warnings`, world.provider, {
    level: 'orange',
    reasons: 'x',
    measures: [],
  });
  assert.equal(byProvider.statusCode, 403);

  const update = await world.inject('POST', `/api/v1/incidents/${first.json().id}/updates`, world.provider, {
    message: '根因分析完成',
    final: true,
  });
  assert.equal(update.statusCode, 200, update.body);
  const closed = await world.inject('POST', `/api/v1/incidents/${first.json().id}/closure`, world.reviewer, {
    conclusion: '已整改到位',
  });
  assert.equal(closed.statusCode, 200, closed.body);
  assert.equal(closed.json().status, 'closed');
  const late = await world.inject('POST', `/api/v1/incidents/${first.json().id}/updates`, world.provider, {
    message: 'x',
    final: false,
  });
  assert.equal(late.statusCode, 409);
  const open = await world.inject('GET', '/api/v1/monitoring/incidents?status=open', world.reviewer);
  assert.equal(open.statusCode, 200);
  assert.equal(open.json().items.length, 2);
  const stranger = await world.inject('GET', `/api/v1/incidents/${first.json().id}`, world.stranger);
  assert.equal(stranger.statusCode, 404);

  await chainPendingAuditEvents(world.t.db);
});

test('public reports: anonymous report, tracking code, provider answer, overdue for reviewers, contact never shown', async (t) => {
  const world = await monitoringWorld(t, { start: '2026-03-02T02:00:00Z' });
  const productId = await world.acceptedProduct('low');
  const filed = await world.inject('POST', `/api/v1/public/products/${productId}/reports`, undefined, {
    category: 'unlabelled_ai_content',
    message: '生成的图片没有任何人工智能标识。',
    contactEmail: 'citizen@example.cn',
  });
  assert.equal(filed.statusCode, 202, filed.body);
  const code = filed.json().trackingCode as string;
  const short = await world.inject('POST', `/api/v1/public/products/${productId}/reports`, undefined, {
    category: 'other',
    message: 'short',
  });
  assert.equal(short.statusCode, 400);

  const tracked = await world.inject('GET', `/api/v1/public/reports/${code}`);
  assert.equal(tracked.statusCode, 200);
  assert.equal(tracked.json().status, 'open');
  assert.doesNotMatch(tracked.body, /citizen@/);

  const mine = await world.inject('GET', `/api/v1/products/${productId}/public-reports`, world.provider);
  assert.equal(mine.statusCode, 200);
  assert.doesNotMatch(mine.body, /citizen@/);
  const [report] = mine.json().items;
  assert.equal(report.dueDate, '2026-03-16');

  await world.travel('2026-03-17T02:00:00Z');
  const overdue = await world.inject('GET', '/api/v1/monitoring/public-reports?status=overdue', world.reviewer);
  assert.equal(overdue.statusCode, 200);
  assert.equal(overdue.json().items.length, 1);
  assert.equal(overdue.json().items[0].contactEmail, 'citizen@example.cn');

  const answer = await world.inject('POST', `/api/v1/public-reports/${report.id}/response`, world.provider, {
    message: '已补充显式标识。',
  });
  assert.equal(answer.statusCode, 200, answer.body);
  const again = await world.inject('POST', `/api/v1/public-reports/${report.id}/response`, world.provider, {
    message: '再次',
  });
  assert.equal(again.statusCode, 409);
  const after = await world.inject('GET', `/api/v1/public/reports/${code}`);
  assert.equal(after.json().status, 'answered');
  assert.equal(after.json().response, '已补充显式标识。');

  await chainPendingAuditEvents(world.t.db);
  const audit = await world.t.db.selectFrom('audit_events').select('summary').execute();
  assert.doesNotMatch(JSON.stringify(audit), /citizen@/);
});
