import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditContext, systemContext } from '../../src/platform/request-context.ts';
import { onWarningRaised, recordTrialEthicsOpinion } from '../../src/modules/trials/index.ts';
import { trialWorld, type TrialWorld } from './helpers.ts';

interface TrialJson {
  id: string;
  status: string;
  enrolled: number;
  ethicsOpinion: string | null;
  endDate: string;
  extended: boolean;
  finalReportDueDate: string | null;
  finalReportOverdue: boolean;
  outcomeSummary: string | null;
  siteReviews: {
    organizationId: string;
    decision: string | null;
    dueDate: string;
    dueDateProvisional: boolean;
    overdue: boolean;
  }[];
}

async function publicIds(w: TrialWorld, query = ''): Promise<string[]> {
  const response = await w.inject('GET', `/api/v1/public/trials${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ items: { id: string }[] }>().items.map((item) => item.id);
}

test('healthcare: submit → site reviews due in 10 working days, ethics referral; both hosts and a favourable opinion approve', async (t) => {
  const w = await trialWorld(t);
  const { id } = await w.draft();
  assert.deepEqual(await publicIds(w), [], 'a draft is never public');
  // Only the provider submits.
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/submit`, w.hostA.admin)).statusCode, 403);
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/submit`, w.stranger)).statusCode, 404);
  const submitted = await w.inject('POST', `/api/v1/trials/${id}/submit`, w.provider);
  assert.equal(submitted.statusCode, 200, submitted.body);
  const trial = submitted.json<TrialJson>();
  assert.equal(trial.status, 'under_review');
  assert.equal(trial.ethicsOpinion, 'pending');
  // Monday 2026-03-02 + 10 working days.
  assert.deepEqual(
    trial.siteReviews.map((r) => [r.dueDate, r.dueDateProvisional, r.decision]),
    [
      ['2026-03-16', false, null],
      ['2026-03-16', false, null],
    ],
  );
  assert.ok(trial.finalReportDueDate !== null);
  const event = await w.t.db.selectFrom('outbox_events').selectAll().where('topic', '=', 'trial.submitted').execute();
  assert.equal(event.length, 1);
  assert.equal((event[0]!.payload as { ethicsReferral: boolean }).ethicsReferral, true);
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/submit`, w.provider)).json().code, 'illegal_transition');
  assert.deepEqual(await publicIds(w), [], 'under review is not public');

  // The host's own queue, with the deadline; the host admin got a notification.
  const queue = await w.inject('GET', '/api/v1/site-reviews', w.hostA.admin);
  assert.equal(queue.statusCode, 200, queue.body);
  assert.deepEqual(
    queue
      .json<{ items: { trialId: string; dueDate: string; overdue: boolean }[] }>()
      .items.map((i) => [i.trialId, i.dueDate, i.overdue]),
    [[id, '2026-03-16', false]],
  );
  assert.equal((await w.inject('GET', '/api/v1/site-reviews', w.hostA.member)).statusCode, 403);
  const notes = await w.inject('GET', '/api/v1/notifications', w.hostA.admin);
  assert.ok(JSON.stringify(notes.json()).includes('trial.site_review_requested'));

  // Only a host's org_admin reviews, once.
  const review = { decision: 'approved', reasons: '伦理与场地条件符合' };
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, w.hostA.member, review)).statusCode, 403);
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, w.provider, review)).statusCode, 403);
  assert.equal(
    (await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, w.enterprise.admin, review)).statusCode,
    404,
  );
  const first = await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, w.hostA.admin, review);
  assert.equal(first.json<TrialJson>().status, 'under_review');
  const again = await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, w.hostA.admin, review);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'site_review_given');
  const second = await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, w.hostB.admin, review);
  assert.equal(second.statusCode, 200, second.body);
  // Both hosts approved, the ethics opinion is pending: still under review.
  assert.equal(second.json<TrialJson>().status, 'under_review');
  assert.equal((await w.inject('GET', '/api/v1/site-reviews', w.hostA.admin)).json().items.length, 0);

  // The ethics module's call (its opinion, favourable) approves.
  await w.t.db.transaction().execute(async (trx) => {
    const after = await recordTrialEthicsOpinion(trx, auditContext(systemContext(), w.t.clock), {
      trialId: id,
      outcome: 'favourable',
    });
    assert.equal(after?.status, 'approved');
  });
  const read = (await w.inject('GET', `/api/v1/trials/${id}`, w.provider)).json<TrialJson>();
  assert.equal(read.status, 'approved');
  assert.equal(read.ethicsOpinion, 'favourable');
  assert.deepEqual(await publicIds(w), [id]);
});

test('healthcare: an unfavourable ethics opinion rejects; a host rejection rejects; rejected is never public', async (t) => {
  const w = await trialWorld(t);
  const { id } = await w.draft();
  await w.inject('POST', `/api/v1/trials/${id}/submit`, w.provider);
  await w.t.db.transaction().execute(async (trx) => {
    const after = await recordTrialEthicsOpinion(trx, auditContext(systemContext(), w.t.clock), {
      trialId: id,
      outcome: 'unfavourable',
    });
    assert.equal(after?.status, 'rejected');
  });
  const { id: other } = await w.draft({ kind: 'pilot' });
  await w.inject('POST', `/api/v1/trials/${other}/submit`, w.provider);
  const rejected = await w.inject('POST', `/api/v1/trials/${other}/site-reviews`, w.hostB.admin, {
    decision: 'rejected',
    reasons: '本院暂无条件承担',
  });
  assert.equal(rejected.json<TrialJson>().status, 'rejected');
  // Terminal: nothing more.
  const late = await w.inject('POST', `/api/v1/trials/${other}/site-reviews`, w.hostA.admin, {
    decision: 'approved',
    reasons: '同意',
  });
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'illegal_transition');
  assert.deepEqual(await publicIds(w), []);
  assert.equal((await w.inject('GET', `/api/v1/public/trials/${other}`)).statusCode, 404);
});

test('a pilot runs: approved → active on startDate, enrolment to the cap, ended after endDate, final report overdue', async (t) => {
  const w = await trialWorld(t);
  const id = await w.approvedPilot({ maxParticipants: 10, startDate: '2026-03-09', endDate: '2026-04-30' });
  const enrolment = { count: 1, enrolledOn: '2026-03-09' };
  const early = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, enrolment);
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().code, 'trial_not_active');
  assert.deepEqual(await publicIds(w, '?status=approved'), [id]);

  await w.travel('2026-03-09T01:00:00Z');
  assert.equal((await w.inject('GET', `/api/v1/trials/${id}`, w.provider)).json<TrialJson>().status, 'active');
  assert.deepEqual(await publicIds(w, '?status=active'), [id]);
  assert.deepEqual(await publicIds(w, '?status=approved'), []);
  // Only a host's member enrols.
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.provider, enrolment)).statusCode, 403);
  assert.equal((await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostB.member, enrolment)).statusCode, 404);
  const seven = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, { ...enrolment, count: 7 });
  assert.equal(seven.statusCode, 201, seven.body);
  assert.equal(seven.json().enrolled, 7);
  const tooMany = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, { ...enrolment, count: 4 });
  assert.equal(tooMany.statusCode, 409);
  assert.equal(tooMany.json().code, 'participant_cap_reached');
  const future = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, {
    count: 1,
    enrolledOn: '2026-03-10',
  });
  assert.equal(future.statusCode, 422);
  const exactly = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, { ...enrolment, count: 3 });
  assert.equal(exactly.statusCode, 201);
  assert.equal(exactly.json().enrolled, 10);
  const page = (await w.inject('GET', `/api/v1/public/trials/${id}`)).json<{
    enrolled: number;
    status: string;
    hosts: unknown[];
  }>();
  assert.deepEqual([page.enrolled, page.status, page.hosts.length], [10, 'active', 1]);

  await w.travel('2026-05-01T01:00:00Z');
  const ended = (await w.inject('GET', `/api/v1/trials/${id}`, w.provider)).json<TrialJson>();
  assert.equal(ended.status, 'ended');
  assert.equal(ended.finalReportOverdue, false);
  // 20 working days after 2026-04-30 (1–5 May is Labour Day, 9 May a working Saturday).
  assert.equal(ended.finalReportDueDate, '2026-06-01');
  assert.equal(
    (
      await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, { count: 1, enrolledOn: '2026-04-30' })
    ).json().code,
    'trial_not_active',
  );
  const extendEnded = await w.inject('POST', `/api/v1/trials/${id}/extension`, w.provider, { endDate: '2026-06-30' });
  assert.equal(extendEnded.statusCode, 409);
  await w.travel('2026-06-02T01:00:00Z');
  assert.equal((await w.inject('GET', `/api/v1/trials/${id}`, w.provider)).json<TrialJson>().finalReportOverdue, true);
  const overview = await w.inject('GET', '/api/v1/trials?overdue=true', w.reviewer);
  assert.deepEqual(
    overview.json<{ items: { id: string }[] }>().items.map((i) => i.id),
    [id],
  );
  const final = await w.inject('POST', `/api/v1/trials/${id}/reports`, w.provider, {
    kind: 'final',
    participants: 10,
    outcomeSummary: '分诊建议与医生判断一致率 93%。',
    adverseEventsSummary: '无。',
  });
  assert.equal(final.statusCode, 201, final.body);
  assert.equal(final.json().trialStatus, 'completed');
  const done = (await w.inject('GET', `/api/v1/public/trials/${id}`)).json<{
    status: string;
    outcomeSummary: string;
  }>();
  assert.deepEqual([done.status, done.outcomeSummary], ['completed', '分诊建议与医生判断一致率 93%。']);
  const more = await w.inject('POST', `/api/v1/trials/${id}/reports`, w.provider, {
    kind: 'interim',
    participants: 10,
    outcomeSummary: 'x',
    adverseEventsSummary: 'x',
  });
  assert.equal(more.statusCode, 409);
});

test('adverse events: 24-hour deadline and reportedLate; a serious one suspends at once; a reviewer resumes', async (t) => {
  const w = await trialWorld(t);
  const id = await w.approvedPilot({ startDate: '2026-03-02', endDate: '2026-06-30' });
  const before = await w.snapshot();
  const inconsistent = await w.inject('POST', `/api/v1/trials/${id}/adverse-events`, w.hostA.member, {
    occurredAt: '2026-03-02T01:00:00Z',
    awareAt: '2026-03-01T23:00:00Z',
    serious: false,
    description: '时间颠倒',
  });
  assert.equal(inconsistent.statusCode, 422);
  assert.deepEqual(
    inconsistent.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer),
    ['/awareAt'],
  );
  const future = await w.inject('POST', `/api/v1/trials/${id}/adverse-events`, w.provider, {
    occurredAt: '2026-03-02T01:00:00Z',
    awareAt: '2026-03-03T01:00:00Z',
    serious: false,
    description: '将来',
  });
  assert.equal(future.statusCode, 422);
  assert.deepEqual(await w.snapshot(), before, 'nothing stored');

  const minor = await w.inject('POST', `/api/v1/trials/${id}/adverse-events`, w.provider, {
    occurredAt: '2026-03-01T20:00:00Z',
    awareAt: '2026-03-01T21:00:00Z',
    serious: false,
    description: '轻微不适',
  });
  assert.equal(minor.statusCode, 201, minor.body);
  assert.deepEqual(
    [minor.json().reportDeadline, minor.json().reportedLate, minor.json().trialStatus],
    [null, false, 'active'],
  );

  // Serious, aware 2026-03-01T01:00Z: due 2026-03-02T01:00Z; now is 02:00Z → late.
  const serious = await w.inject('POST', `/api/v1/trials/${id}/adverse-events`, w.hostA.member, {
    occurredAt: '2026-03-01T00:30:00Z',
    awareAt: '2026-03-01T01:00:00Z',
    serious: true,
    description: '分诊错误导致延误就诊',
  });
  assert.equal(serious.statusCode, 201, serious.body);
  assert.equal(serious.json().reportDeadline, '2026-03-02T01:00:00.000Z');
  assert.equal(serious.json().reportedLate, true);
  assert.equal(serious.json().trialStatus, 'suspended');
  const onTime = await w.inject('POST', `/api/v1/trials/${id}/adverse-events`, w.provider, {
    occurredAt: '2026-03-01T02:00:00Z',
    awareAt: '2026-03-01T02:00:00Z',
    serious: true,
    description: '恰好 24 小时',
  });
  assert.equal(onTime.json().reportedLate, false, 'at the deadline is on time');

  const refused = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, {
    count: 1,
    enrolledOn: '2026-03-02',
  });
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json().code, 'trial_not_active');
  const reviewerNotes = await w.inject('GET', '/api/v1/notifications', w.reviewer);
  assert.ok(JSON.stringify(reviewerNotes.json()).includes('trial.suspended'));
  assert.deepEqual(await publicIds(w, '?status=suspended'), [id]);
  const overview = await w.inject('GET', '/api/v1/trials', w.reviewer);
  assert.equal(overview.json<{ items: { id: string; status: string }[] }>().items[0]?.status, 'suspended');

  assert.equal(
    (await w.inject('POST', `/api/v1/trials/${id}/resumption`, w.provider, { reasons: '已整改' })).statusCode,
    403,
  );
  const resumed = await w.inject('POST', `/api/v1/trials/${id}/resumption`, w.reviewer, { reasons: '已整改并复核' });
  assert.equal(resumed.statusCode, 200, resumed.body);
  assert.equal(resumed.json<TrialJson>().status, 'active');
  const twice = await w.inject('POST', `/api/v1/trials/${id}/resumption`, w.reviewer, { reasons: '再次' });
  assert.equal(twice.statusCode, 409);
  const enrolled = await w.inject('POST', `/api/v1/trials/${id}/enrolments`, w.hostA.member, {
    count: 1,
    enrolledOn: '2026-03-02',
  });
  assert.equal(enrolled.statusCode, 201);
});

test('extension: once, later, at most 183 days; the final report due date follows', async (t) => {
  const w = await trialWorld(t);
  const id = await w.approvedPilot({ startDate: '2026-03-02', endDate: '2026-06-30' });
  assert.equal(
    (await w.inject('POST', `/api/v1/trials/${id}/extension`, w.hostA.admin, { endDate: '2026-07-31' })).statusCode,
    403,
  );
  const tooLong = await w.inject('POST', `/api/v1/trials/${id}/extension`, w.provider, { endDate: '2026-12-31' });
  assert.equal(tooLong.statusCode, 422);
  assert.equal(tooLong.json().code, 'extension_too_long');
  const earlier = await w.inject('POST', `/api/v1/trials/${id}/extension`, w.provider, { endDate: '2026-06-01' });
  assert.equal(earlier.statusCode, 422);
  assert.equal(earlier.json().code, 'extension_not_later');
  // 2026-06-30 + 183 days = 2026-12-30: the longest allowed.
  const extended = await w.inject('POST', `/api/v1/trials/${id}/extension`, w.provider, { endDate: '2026-12-30' });
  assert.equal(extended.statusCode, 200, extended.body);
  const trial = extended.json<TrialJson>();
  assert.deepEqual([trial.endDate, trial.extended], ['2026-12-30', true]);
  assert.ok(trial.finalReportDueDate! > '2027-01-01');
  const second = await w.inject('POST', `/api/v1/trials/${id}/extension`, w.provider, { endDate: '2027-01-15' });
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'extension_used');
});

test('a final report before endDate ends the trial early; interim reports while it runs', async (t) => {
  const w = await trialWorld(t);
  const id = await w.approvedPilot({ startDate: '2026-03-02', endDate: '2026-06-30' });
  const body = { participants: 0, outcomeSummary: '阶段性结果', adverseEventsSummary: '无' };
  const interim = await w.inject('POST', `/api/v1/trials/${id}/reports`, w.provider, { kind: 'interim', ...body });
  assert.equal(interim.statusCode, 201, interim.body);
  assert.equal(interim.json().trialStatus, 'active');
  assert.equal(
    (await w.inject('POST', `/api/v1/trials/${id}/reports`, w.hostA.member, { kind: 'interim', ...body })).statusCode,
    403,
  );
  const final = await w.inject('POST', `/api/v1/trials/${id}/reports`, w.provider, { kind: 'final', ...body });
  assert.equal(final.json().trialStatus, 'completed');
  const read = (await w.inject('GET', `/api/v1/trials/${id}`, w.provider)).json<TrialJson & { reports: unknown[] }>();
  assert.deepEqual([read.status, read.endDate, read.reports.length], ['completed', '2026-03-02', 2]);
});

test('a red warning on the product suspends its approved trials; other levels do nothing', async (t) => {
  const w = await trialWorld(t);
  const running = await w.approvedPilot({ startDate: '2026-03-02', endDate: '2026-06-30' });
  const later = await w.approvedPilot({ startDate: '2026-04-01', endDate: '2026-06-30' });
  const { id: draft } = await w.draft({ kind: 'pilot' });
  const raise = (level: 'yellow' | 'red') =>
    w.t.db.transaction().execute((trx) =>
      onWarningRaised(trx, w.t.clock, {
        productId: w.lowProduct,
        warningId: '0190a000-0000-7000-8000-00000000000a',
        level,
      }),
    );
  assert.deepEqual(await raise('yellow'), []);
  const suspended = await raise('red');
  assert.deepEqual([...suspended].sort(), [running, later].sort());
  for (const id of [running, later]) {
    assert.equal((await w.inject('GET', `/api/v1/trials/${id}`, w.provider)).json<TrialJson>().status, 'suspended');
  }
  assert.equal((await w.inject('GET', `/api/v1/trials/${draft}`, w.provider)).json<TrialJson>().status, 'draft');
  const audit = await w.t.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', '=', 'trial.suspend_for_warning')
    .execute();
  assert.equal(audit.length, 2);
});

test('50 concurrent enrolments from two hosts never pass the cap', async (t) => {
  const w = await trialWorld(t);
  const { id } = await w.draft({ kind: 'pilot', maxParticipants: 30, startDate: '2026-03-02', endDate: '2026-06-30' });
  await w.inject('POST', `/api/v1/trials/${id}/submit`, w.provider);
  for (const host of [w.hostA, w.hostB]) {
    await w.inject('POST', `/api/v1/trials/${id}/site-reviews`, host.admin, { decision: 'approved', reasons: '同意' });
  }
  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      w.inject('POST', `/api/v1/trials/${id}/enrolments`, i % 2 === 0 ? w.hostA.member : w.hostB.member, {
        count: 1,
        enrolledOn: '2026-03-02',
      }),
    ),
  );
  const statuses = responses.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 201).length, 30, JSON.stringify(statuses));
  assert.ok(responses.filter((r) => r.statusCode !== 201).every((r) => r.json().code === 'participant_cap_reached'));
  const trial = await w.t.db.selectFrom('trials').select('enrolled').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(trial.enrolled, 30);
  const rows = await w.t.db.selectFrom('trial_enrolments').select('count').where('trial_id', '=', id).execute();
  assert.equal(
    rows.reduce((sum, row) => sum + row.count, 0),
    30,
  );
});

test('the database refuses an enrolled count above the cap whatever the code does', async (t) => {
  const w = await trialWorld(t);
  const { id } = await w.draft({ kind: 'pilot', maxParticipants: 5 });
  await assert.rejects(w.t.db.updateTable('trials').set({ enrolled: 6 }).where('id', '=', id).execute());
});
