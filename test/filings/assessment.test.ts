import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outboxConsumers } from '../../src/modules/index.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { createUser } from '../factories.ts';
import { createDraft, filingWorld, pointers, SAMPLE_PDF, submitted, underReview, upload } from './helpers.ts';

// ManualClock starts at 2026-03-02T02:00:00Z = Monday 2 March 2026, 10:00 in Shanghai.

test('a high-risk assessment: completeness, 20-working-day clock, claim, information request, decision', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: '招聘简历筛选模型' });

  // Without a risk assessment report the submission is incomplete, and nothing changes.
  const before = await world.snapshot();
  const incomplete = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
  assert.equal(incomplete.statusCode, 422);
  assert.equal(incomplete.json().code, 'filing_incomplete');
  assert.deepEqual(pointers(incomplete), ['/documents']);
  assert.deepEqual(await world.snapshot(), before);

  const uploaded = await upload(world, draft.id, {
    name: '风险评估报告.pdf',
    contentType: 'application/pdf',
    data: SAMPLE_PDF,
  });
  assert.equal(uploaded.statusCode, 201, uploaded.body);

  const submit = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
  assert.equal(submit.statusCode, 200, submit.body);
  const filing = submit.json();
  assert.equal(filing.status, 'submitted');
  // 20 working days after Monday 2 March 2026: Monday 30 March.
  assert.equal(filing.dueDate, '2026-03-30');
  assert.equal(filing.reviewWorkingDays, 20);
  assert.equal(filing.decision, null);
  assert.equal((await world.inject('GET', `/api/v1/products/${product.id}`, world.provider)).json().status, 'filed');
  const reviewerNotices = await world.inject('GET', '/api/v1/notifications', world.reviewer);
  assert.equal(reviewerNotices.json().items[0].kind, 'filing.submitted');
  assert.equal(reviewerNotices.json().items[0].link, `/filings/${draft.id}`);

  // Only a reviewer claims; a decision needs a claim first.
  assert.equal(
    (await world.inject('POST', `/api/v1/filings/${draft.id}/assignment`, world.provider, {})).statusCode,
    403,
  );
  const early = await world.inject('POST', `/api/v1/filings/${draft.id}/decision`, world.reviewer, {
    outcome: 'approved',
    reasons: 'r',
  });
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().currentStatus, 'submitted');
  const claim = await world.inject('POST', `/api/v1/filings/${draft.id}/assignment`, world.reviewer, {});
  assert.equal(claim.statusCode, 200, claim.body);
  assert.equal(claim.json().status, 'under_review');
  assert.equal(claim.json().assigneeId, world.reviewer.id);
  assert.equal(
    (await world.inject('GET', `/api/v1/products/${product.id}`, world.provider)).json().status,
    'under_review',
  );

  // Another reviewer may not decide someone else's filing.
  const other = await createUser(world.t, { roles: ['reviewer'] });
  const notMine = await world.inject('POST', `/api/v1/filings/${draft.id}/decision`, other, {
    outcome: 'approved',
    reasons: 'r',
  });
  assert.equal(notMine.statusCode, 403);
  assert.equal(notMine.json().code, 'not_assignee');

  // Thursday 5 March: information requested; the clock stops.
  await world.travel('2026-03-05T02:00:00Z');
  const asked = await world.inject('POST', `/api/v1/filings/${draft.id}/information-requests`, world.reviewer, {
    message: '请补充训练数据来源说明。',
  });
  assert.equal(asked.statusCode, 200, asked.body);
  assert.equal(asked.json().status, 'information_requested');
  assert.equal(asked.json().informationRequests.length, 1);
  const providerNotices = await world.inject('GET', '/api/v1/notifications', world.provider);
  assert.equal(providerNotices.json().items[0].kind, 'filing.information_requested');

  // While stopped, nothing but the answer (or a withdrawal, or documents) moves the filing.
  const stopped = await world.inject('POST', `/api/v1/filings/${draft.id}/decision`, world.reviewer, {
    outcome: 'approved',
    reasons: 'r',
  });
  assert.equal(stopped.statusCode, 409);
  assert.equal(stopped.json().currentStatus, 'information_requested');
  const extraDoc = await upload(
    world,
    draft.id,
    { name: 'data-sources.txt', contentType: 'text/plain', data: Buffer.from('数据来源：公开招聘网站') },
    { documentType: 'other' },
  );
  assert.equal(extraDoc.statusCode, 201, extraDoc.body);

  // Thursday 12 March: the provider answers. Stopped: 6, 9, 10, 11, 12 March = 5 working days.
  await world.travel('2026-03-12T07:00:00Z');
  const answered = await world.inject('POST', `/api/v1/filings/${draft.id}/information-responses`, world.provider, {
    message: '已上传数据来源说明。',
  });
  assert.equal(answered.statusCode, 200, answered.body);
  const resumed = answered.json();
  assert.equal(resumed.status, 'under_review');
  // 30 March + 5 working days: 31 Mar, 1, 2, 3 Apr, (Qingming 4–6 Apr off), 7 Apr.
  assert.equal(resumed.dueDate, '2026-04-07');
  assert.equal(resumed.stoppedWorkingDays, 5);
  assert.equal(resumed.informationRequests[0].response, '已上传数据来源说明。');
  assert.equal(resumed.informationRequests[0].stoppedWorkingDays, 5);
  const answerAgain = await world.inject('POST', `/api/v1/filings/${draft.id}/information-responses`, world.provider, {
    message: 'again',
  });
  assert.equal(answerAgain.statusCode, 409);

  // Decision rules: conditions required for approved_with_conditions; If-Match must be current.
  const noConditions = await world.inject('POST', `/api/v1/filings/${draft.id}/decision`, world.reviewer, {
    outcome: 'approved_with_conditions',
    reasons: '风险可控',
  });
  assert.equal(noConditions.statusCode, 422);
  assert.equal(noConditions.json().code, 'conditions_required');
  const snapshot = await world.snapshot();
  const stale = await world.inject(
    'POST',
    `/api/v1/filings/${draft.id}/decision`,
    world.reviewer,
    { outcome: 'approved_with_conditions', reasons: '风险可控', conditions: ['每季度报告偏差监测结果'] },
    { 'if-match': `"${resumed.version - 1}"` },
  );
  assert.equal(stale.statusCode, 412);
  assert.deepEqual(await world.snapshot(), snapshot);

  await world.travel('2026-03-20T03:00:00Z');
  const decided = await world.inject(
    'POST',
    `/api/v1/filings/${draft.id}/decision`,
    world.reviewer,
    {
      outcome: 'approved_with_conditions',
      reasons: '风险可控，需持续监测。',
      legalBasis: '深圳经济特区人工智能产业促进条例 第六章',
      conditions: ['每季度报告偏差监测结果'],
    },
    { 'if-match': `"${resumed.version}"`, 'idempotency-key': 'decide-1' },
  );
  assert.equal(decided.statusCode, 200, decided.body);
  const final = decided.json();
  assert.equal(final.status, 'approved_with_conditions');
  assert.equal(final.decision.outcome, 'approved_with_conditions');
  assert.deepEqual(final.decision.conditions, ['每季度报告偏差监测结果']);
  assert.equal(final.decision.decidedBy, world.reviewer.id);
  assert.equal(final.decidedAt, '2026-03-20T03:00:00.000Z');
  assert.equal(decided.headers.etag, `"${final.version}"`);
  assert.equal(
    (await world.inject('GET', `/api/v1/products/${product.id}`, world.provider)).json().status,
    'approved_with_conditions',
  );
  const published = await world.t.db
    .selectFrom('outbox_events')
    .selectAll()
    .where('topic', '=', 'register.decision_published')
    .execute();
  assert.equal(published.length, 1);
  assert.equal((published[0]!.payload as { outcome: string }).outcome, 'approved_with_conditions');
  assert.equal((published[0]!.payload as { kind: string }).kind, 'assessment');

  const again = await world.inject('POST', `/api/v1/filings/${draft.id}/decision`, world.reviewer, {
    outcome: 'rejected',
    reasons: 'r',
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'illegal_transition');
  assert.equal(again.json().currentStatus, 'approved_with_conditions');

  const topics = (
    await world.t.db
      .selectFrom('outbox_events')
      .select('topic')
      .where('aggregate_id', '=', draft.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((row) => row.topic);
  for (const topic of [
    'filing.draft',
    'filing.submitted',
    'filing.under_review',
    'filing.information_requested',
    'filing.approved_with_conditions',
  ]) {
    assert.ok(topics.includes(topic), topic);
  }

  const stats = await world.inject('GET', '/api/v1/review/stats', world.reviewer);
  assert.equal(stats.statusCode, 200, stats.body);
  assert.equal(stats.json().byStatus.approved_with_conditions, 1);
  assert.equal(stats.json().byTier.high, 1);
  assert.equal(stats.json().onTimeRate, 1);
  // 2 → 20 March is 14 working days, minus the 5 stopped.
  assert.equal(stats.json().medianWorkingDaysToDecision, 9);
  assert.equal(stats.json().decisionsByWeek.length, 12);
  assert.deepEqual(stats.json<{ decisionsByWeek: unknown[] }>().decisionsByWeek.at(-1), { week: '2026-W12', count: 1 });
  assert.equal((await world.inject('GET', '/api/v1/review/stats', world.provider)).statusCode, 403);
});

test('a decision with conditions is public with its reasons, legal basis and conditions', async (t) => {
  const world = await filingWorld(t);
  const { filingId, productId, version } = await underReview(world);
  const explanation = {
    reasons: '风险评估充分，残余风险可控。 / The assessment is thorough; residual risk is controlled.',
    legalBasis: '深圳经济特区人工智能产业促进条例 第六章 / Shenzhen AI Regulations, ch. 6',
    conditions: ['每季度报告偏差监测结果 / Report bias monitoring quarterly', '保留人工复核 / Keep human review'],
  };
  const decided = await world.inject(
    'POST',
    `/api/v1/filings/${filingId}/decision`,
    world.reviewer,
    { outcome: 'approved_with_conditions', ...explanation },
    { 'if-match': `"${version}"` },
  );
  assert.equal(decided.statusCode, 200, decided.body);

  await drainOutbox(world.t.db, world.t.clock, outboxConsumers(world.t.deps));
  const entry = await world.inject('GET', `/api/v1/public/products/${productId}`);
  assert.equal(entry.statusCode, 200, entry.body);
  const body = entry.json<{ status: string; decisions: Record<string, unknown>[] }>();
  assert.equal(body.status, 'approved_with_conditions');
  assert.deepEqual(body.decisions, [
    {
      filingId,
      kind: 'assessment',
      outcome: 'approved_with_conditions',
      decidedAt: decided.json().decidedAt,
      logIndex: 0,
      ...explanation,
    },
  ]);
  // The transparency-log leaf keeps its format: the explanation is not part of it.
  const leaves = await world.inject('GET', '/api/v1/transparency/entries?start=0&end=1');
  assert.equal(leaves.statusCode, 200, leaves.body);
  const leaf = JSON.parse(
    Buffer.from(leaves.json<{ entries: { leaf: string }[] }>().entries[0]!.leaf, 'base64').toString('utf8'),
  ) as Record<string, unknown>;
  assert.equal(leaf.type, 'aigov.decision/v1');
  assert.equal(leaf.filingId, filingId);
  assert.equal('reasons' in leaf || 'legalBasis' in leaf || 'conditions' in leaf, false);
});

test('a rejection is not published; the product follows the decision', async (t) => {
  const world = await filingWorld(t);
  const { filingId, productId, version } = await underReview(world);
  const rejected = await world.inject(
    'POST',
    `/api/v1/filings/${filingId}/decision`,
    world.reviewer,
    {
      outcome: 'rejected',
      reasons: '风险评估报告未覆盖偏见风险。',
    },
    { 'if-match': `"${version}"` },
  );
  assert.equal(rejected.statusCode, 200, rejected.body);
  assert.equal(rejected.json().status, 'rejected');
  assert.equal(rejected.json().decision.conditions, null);
  assert.equal((await world.inject('GET', `/api/v1/products/${productId}`, world.provider)).json().status, 'rejected');
  const published = await world.t.db
    .selectFrom('outbox_events')
    .select('id')
    .where('topic', '=', 'register.decision_published')
    .execute();
  assert.equal(published.length, 0);
  const notices = await world.inject('GET', '/api/v1/notifications', world.provider);
  assert.equal(notices.json().items[0].kind, 'filing.rejected');
  // conditions only with approved_with_conditions
  const { filingId: other } = await underReview(world);
  const wrong = await world.inject('POST', `/api/v1/filings/${other}/decision`, world.reviewer, {
    outcome: 'approved',
    reasons: 'ok',
    conditions: ['x'],
  });
  assert.equal(wrong.statusCode, 422);
  assert.equal(wrong.json().code, 'conditions_not_allowed');
});

test('an administrator assigns and re-assigns; the provider withdraws before a decision', async (t) => {
  const world = await filingWorld(t);
  const { filingId, productId } = await submitted(world);
  const second = await createUser(world.t, { roles: ['reviewer'] });

  const notReviewer = await world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.admin, {
    reviewerId: world.provider.id,
  });
  assert.equal(notReviewer.statusCode, 422);
  assert.equal(notReviewer.json().code, 'not_a_reviewer');
  const byReviewer = await world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.reviewer, {
    reviewerId: second.id,
  });
  assert.equal(byReviewer.statusCode, 403);
  const assigned = await world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.admin, {
    reviewerId: world.reviewer.id,
  });
  assert.equal(assigned.statusCode, 200, assigned.body);
  assert.equal(assigned.json().assigneeId, world.reviewer.id);
  const reassigned = await world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.admin, {
    reviewerId: second.id,
  });
  assert.equal(reassigned.statusCode, 200);
  assert.equal(reassigned.json().assigneeId, second.id);
  assert.equal(reassigned.json().status, 'under_review');
  const secondNotices = await world.inject('GET', '/api/v1/notifications', second);
  assert.equal(secondNotices.json().items[0].kind, 'filing.assigned');
  const claimTaken = await world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.reviewer, {});
  assert.equal(claimTaken.statusCode, 409);

  const withdrawn = await world.inject('POST', `/api/v1/filings/${filingId}/withdraw`, world.provider);
  assert.equal(withdrawn.statusCode, 200, withdrawn.body);
  assert.equal(withdrawn.json().status, 'withdrawn');
  assert.ok(withdrawn.json().withdrawnAt);
  assert.equal((await world.inject('GET', `/api/v1/products/${productId}`, world.provider)).json().status, 'withdrawn');
  const twice = await world.inject('POST', `/api/v1/filings/${filingId}/withdraw`, world.provider);
  assert.equal(twice.statusCode, 409);
  // Never deleted: the withdrawn filing is still there, and a new one can be opened.
  assert.equal((await world.inject('GET', `/api/v1/filings/${filingId}`, world.reviewer)).json().status, 'withdrawn');
  const fresh = await world.inject('POST', `/api/v1/products/${productId}/filings`, world.provider, {
    kind: 'assessment',
    summary: 'v2',
  });
  assert.equal(fresh.statusCode, 201);
});
