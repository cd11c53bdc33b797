import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessmentDraft, createDraft, filingWorld, underReview } from './helpers.ts';

const PARALLEL = 50;

async function countWhere(
  world: Awaited<ReturnType<typeof filingWorld>>,
  table: 'outbox_events' | 'audit_events',
  column: 'topic' | 'action',
  value: string,
) {
  const rows = await world.t.db
    .selectFrom(table as 'outbox_events')
    .select('id')
    .where(column as 'topic', '=', value)
    .execute();
  return rows.length;
}

test('50 parallel decisions on one filing: exactly one wins, the others get 409 or 412, one effect', async (t) => {
  const world = await filingWorld(t);
  const { filingId, version } = await underReview(world);
  const responses = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) =>
      world.inject(
        'POST',
        `/api/v1/filings/${filingId}/decision`,
        world.reviewer,
        { outcome: 'approved', reasons: `决定 ${i}` },
        { 'if-match': `"${version}"`, 'idempotency-key': `decision-${i}` },
      ),
    ),
  );
  const statuses = responses.map((response) => response.statusCode);
  assert.equal(statuses.filter((status) => status === 200).length, 1, JSON.stringify(statuses));
  assert.ok(
    statuses.every((status) => status === 200 || status === 409 || status === 412),
    JSON.stringify(statuses),
  );
  const decisions = await world.t.db
    .selectFrom('filing_decisions')
    .select('id')
    .where('filing_id', '=', filingId)
    .execute();
  assert.equal(decisions.length, 1);
  assert.equal(await countWhere(world, 'outbox_events', 'topic', 'filing.approved'), 1);
  assert.equal(await countWhere(world, 'outbox_events', 'topic', 'register.decision_published'), 1);
  assert.equal(await countWhere(world, 'audit_events', 'action', 'filing.approved'), 1);

  // Without If-Match the losers see the new status: 409 illegal_transition.
  const second = await underReview(world);
  const racing = await Promise.all(
    Array.from({ length: PARALLEL }, () =>
      world.inject('POST', `/api/v1/filings/${second.filingId}/decision`, world.reviewer, {
        outcome: 'rejected',
        reasons: 'r',
      }),
    ),
  );
  const codes = racing.map((response) => response.statusCode).sort();
  assert.equal(codes.filter((status) => status === 200).length, 1);
  assert.equal(codes.filter((status) => status === 409).length, PARALLEL - 1);
  assert.ok(racing.filter((r) => r.statusCode === 409).every((r) => r.json().currentStatus === 'rejected'));
});

test('50 parallel submits with one Idempotency-Key: one submission, identical responses', async (t) => {
  const world = await filingWorld(t);
  const { filingId } = await assessmentDraft(world);
  const responses = await Promise.all(
    Array.from({ length: PARALLEL }, () =>
      world.inject(
        'POST',
        `/api/v1/filings/${filingId}/submit`,
        world.provider,
        {},
        { 'idempotency-key': 'submit-once' },
      ),
    ),
  );
  assert.ok(
    responses.every((response) => response.statusCode === 200),
    JSON.stringify(responses.map((r) => r.statusCode)),
  );
  const bodies = new Set(responses.map((response) => response.body));
  assert.equal(bodies.size, 1);
  assert.equal(responses[0]!.json().status, 'submitted');
  assert.equal(new Set(responses.map((response) => response.headers.etag)).size, 1);
  assert.equal(responses.filter((response) => response.headers['idempotent-replayed'] === 'true').length, PARALLEL - 1);
  assert.equal(await countWhere(world, 'outbox_events', 'topic', 'filing.submitted'), 1);
  assert.equal(await countWhere(world, 'audit_events', 'action', 'filing.submitted'), 1);
  const notices = await world.t.db
    .selectFrom('notifications')
    .select('id')
    .where('kind', '=', 'filing.submitted')
    .execute();
  assert.equal(notices.length, 1);

  // The same key with another body is refused.
  const reused = await world.inject(
    'POST',
    `/api/v1/filings/${filingId}/withdraw`,
    world.provider,
    {},
    { 'idempotency-key': 'submit-once' },
  );
  assert.equal(reused.statusCode, 200, 'another route is another scope');
  const { filingId: other } = await underReview(world);
  const first = await world.inject(
    'POST',
    `/api/v1/filings/${other}/decision`,
    world.reviewer,
    { outcome: 'approved', reasons: 'a' },
    { 'idempotency-key': 'd' },
  );
  assert.equal(first.statusCode, 200);
  const changed = await world.inject(
    'POST',
    `/api/v1/filings/${other}/decision`,
    world.reviewer,
    { outcome: 'approved', reasons: 'b' },
    { 'idempotency-key': 'd' },
  );
  assert.equal(changed.statusCode, 422);
  assert.equal(changed.json().code, 'idempotency_key_reused');
  const replay = await world.inject(
    'POST',
    `/api/v1/filings/${other}/decision`,
    world.reviewer,
    { outcome: 'approved', reasons: 'a' },
    { 'idempotency-key': 'd' },
  );
  assert.equal(replay.statusCode, 200);
  assert.equal(replay.body, first.body);
});

test('50 parallel submits without a key: one submission, the rest 409', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('low');
  const draft = await createDraft(world, product.id, { kind: 'disclosure', summary: '低风险' });
  const responses = await Promise.all(
    Array.from({ length: PARALLEL }, () =>
      world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {}),
    ),
  );
  const statuses = responses.map((response) => response.statusCode);
  assert.equal(statuses.filter((status) => status === 200).length, 1);
  assert.equal(statuses.filter((status) => status === 409).length, PARALLEL - 1);
  assert.equal(await countWhere(world, 'outbox_events', 'topic', 'register.decision_published'), 1);
});
