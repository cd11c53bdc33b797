import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableCounts } from '../factories.ts';
import { ETHICS_TABLES, declareAndVote, ethicsWorld } from './helpers.ts';

test('declaration before vote; a conflicted member is refused; one declaration and one vote each', async (t) => {
  const world = await ethicsWorld(t, { members: 3 });
  const caseId = (await world.trialCase())!;
  const [a, b, c] = world.members as [(typeof world.members)[0], (typeof world.members)[0], (typeof world.members)[0]];
  const before = await tableCounts(world.t, ETHICS_TABLES);

  const early = await world.vote(a, caseId, 'favourable');
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().code, 'declaration_required');
  // Bad bodies: 400, nothing stored.
  for (const body of [
    {},
    { conflictOfInterest: 'no', statement: 'x' },
    { conflictOfInterest: false, statement: '' },
    { conflictOfInterest: false, statement: 'x', extra: true },
  ]) {
    const response = await world.inject('POST', `/api/v1/ethics/cases/${caseId}/declarations`, a, body);
    assert.equal(response.statusCode, 400, JSON.stringify(body));
  }
  assert.equal(
    (await world.inject('POST', `/api/v1/ethics/cases/${caseId}/votes`, a, { vote: 'yes', comment: '' })).statusCode,
    400,
  );
  assert.equal(
    (await world.inject('POST', `/api/v1/ethics/cases/${caseId}/votes`, a, { vote: 'favourable' })).statusCode,
    400,
  );
  // Not a member: 403 (secretary, reviewer), 401 anonymous.
  assert.equal((await world.declare(world.secretary, caseId)).statusCode, 403);
  assert.equal((await world.vote(world.reviewer, caseId, 'favourable')).statusCode, 403);
  assert.equal((await world.vote(world.provider, caseId, 'favourable')).statusCode, 403);
  assert.equal(
    (await world.inject('POST', `/api/v1/ethics/cases/${caseId}/votes`, undefined, { vote: 'favourable', comment: '' }))
      .statusCode,
    401,
  );
  assert.equal((await world.declare(a, '0190a000-0000-7000-8000-000000000000')).statusCode, 404);
  assert.deepEqual(await tableCounts(world.t, ETHICS_TABLES), before);

  const declared = await world.declare(a, caseId);
  assert.equal(declared.statusCode, 201, declared.body);
  assert.equal(declared.json().conflictOfInterest, false);
  const twice = await world.declare(a, caseId, true);
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().code, 'already_declared');

  const voted = await world.vote(a, caseId, 'favourable_with_conditions', '须增加人工复核');
  assert.equal(voted.statusCode, 201, voted.body);
  assert.equal(voted.json().vote, 'favourable_with_conditions');
  const again = await world.vote(a, caseId, 'unfavourable');
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'already_voted');

  // A conflicted member cannot vote, and is not eligible.
  assert.equal((await world.declare(b, caseId, true)).statusCode, 201);
  const conflicted = await world.vote(b, caseId, 'favourable');
  assert.equal(conflicted.statusCode, 403);
  assert.equal(conflicted.json().code, 'conflict_of_interest');
  const view = await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, c);
  assert.equal(view.json().eligibleMembers, 2);
  assert.equal(view.json().votesCast, 1);

  // Concurrent second votes: exactly one is stored.
  assert.equal((await world.declare(c, caseId)).statusCode, 201);
  const racing = await Promise.all([world.vote(c, caseId, 'favourable'), world.vote(c, caseId, 'unfavourable')]);
  assert.deepEqual(racing.map((r) => r.statusCode).sort(), [201, 409]);
  const stored = await world.t.db.selectFrom('ethics_votes').select('id').where('case_id', '=', caseId).execute();
  assert.equal(stored.length, 2);
});

test('votes stay secret: no route shows another member how anyone voted before the opinion', async (t) => {
  const world = await ethicsWorld(t, { members: 4 });
  const caseId = (await world.trialCase())!;
  const [a, b, c, d] = world.members as [
    (typeof world.members)[0],
    (typeof world.members)[0],
    (typeof world.members)[0],
    (typeof world.members)[0],
  ];
  const secret = 'SECRET-COMMENT-7f3a';
  assert.equal((await world.declare(a, caseId)).statusCode, 201);
  assert.equal((await world.vote(a, caseId, 'unfavourable', secret)).statusCode, 201);
  assert.equal((await world.declare(d, caseId, true)).statusCode, 201);

  const readers = [
    ['member b', b],
    ['member c', c],
    ['conflicted d', d],
    ['secretary', world.secretary],
    ['reviewer', world.reviewer],
    ['admin', world.admin],
    ['provider', world.provider],
    ['anonymous', undefined],
  ] as const;
  const routes = [
    `/api/v1/ethics/cases/${caseId}`,
    '/api/v1/ethics/cases',
    `/api/v1/ethics/cases?subjectType=trial`,
    '/api/v1/public/ethics-opinions',
    '/api/v1/notifications',
    `/api/v1/ethics/members/${a.id}/declarations`,
  ];
  for (const [label, who] of readers) {
    for (const url of routes) {
      const response = await world.inject('GET', url, who);
      assert.ok(!response.body.includes(secret), `${label} reads the comment at ${url}`);
      assert.ok(!response.body.includes('"unfavourable"'), `${label} reads the vote at ${url}`);
      if (url === `/api/v1/ethics/cases/${caseId}` && response.statusCode === 200) {
        const view = response.json();
        assert.equal(view.ballots, null, label);
        assert.equal(view.votes, null, label);
      }
    }
  }
  // Members and the secretary see who voted, not how; reviewers see neither.
  const asB = (await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, b)).json<{
    voters: Array<{ memberId: string }>;
    me: unknown;
  }>();
  assert.deepEqual(
    asB.voters.map((v) => v.memberId),
    [a.id],
  );
  assert.deepEqual(asB.me, { declared: false, conflictOfInterest: null, voted: false, vote: null });
  const asSecretary = (await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, world.secretary)).json();
  assert.equal(asSecretary.voters.length, 1);
  assert.equal(asSecretary.me, null);
  assert.equal((await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, world.reviewer)).json().voters, null);
  // The voter sees their own vote.
  assert.equal((await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, a)).json().me.vote, 'unfavourable');
  // The audit trail records who voted, not how.
  const audit = await world.t.db
    .selectFrom('audit_events')
    .select('summary')
    .where('action', '=', 'ethics.vote_cast')
    .execute();
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes('unfavourable'));

  // After the opinion: the committee sees the ballots, a conflicted member does not.
  await declareAndVote(world, b, caseId, 'favourable');
  await declareAndVote(world, c, caseId, 'abstain');
  assert.equal((await world.publish(caseId)).statusCode, 200);
  const afterB = (await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, b)).json();
  assert.equal(afterB.ballots.length, 3);
  assert.ok(JSON.stringify(afterB).includes(secret));
  const afterD = await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, d);
  assert.equal(afterD.json().ballots, null);
  assert.ok(!afterD.body.includes(secret));
  assert.ok(!(await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, world.reviewer)).body.includes(secret));
});

test('quorum boundaries: 3 votes minimum, exactly two thirds is enough, abstentions count', async (t) => {
  const world = await ethicsWorld(t, { members: 9 });
  const m = world.members;
  // 9 eligible: 5 votes are not two thirds, 6 are.
  const nine = (await world.trialCase())!;
  for (const member of m.slice(0, 5)) await declareAndVote(world, member, nine, 'favourable');
  const five = await world.publish(nine);
  assert.equal(five.statusCode, 422);
  assert.equal(five.json().code, 'quorum_not_met');
  assert.equal(five.json().required, 6);
  assert.equal(
    (await world.t.db.selectFrom('ethics_cases').select('status').where('id', '=', nine).executeTakeFirst())?.status,
    'open',
  );
  await declareAndVote(world, m[5]!, nine, 'abstain');
  const six = await world.publish(nine);
  assert.equal(six.statusCode, 200, six.body);
  assert.equal(six.json().eligibleMembers, 9);
  assert.deepEqual(six.json().votes, { favourable: 5, favourableWithConditions: 0, unfavourable: 0, abstain: 1 });
  assert.equal(six.json().outcome, 'favourable');

  // 6 members conflicted: 3 eligible; 2 votes are two thirds but below the minimum of 3.
  const three = (await world.trialCase())!;
  for (const member of m.slice(3)) assert.equal((await world.declare(member, three, true)).statusCode, 201);
  await declareAndVote(world, m[0]!, three, 'unfavourable');
  await declareAndVote(world, m[1]!, three, 'abstain');
  const two = await world.publish(three);
  assert.equal(two.statusCode, 422);
  assert.equal(two.json().code, 'quorum_not_met');
  await declareAndVote(world, m[2]!, three, 'abstain');
  const all = await world.publish(three);
  assert.equal(all.statusCode, 200, all.body);
  assert.equal(all.json().eligibleMembers, 3);
  assert.equal(all.json().outcome, 'unfavourable');

  // Published once: a second opinion, a late declaration or vote → 409.
  const second = await world.publish(three);
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'ethics_case_decided');
  assert.equal((await world.declare(m[8]!, nine)).statusCode, 409);
  assert.equal((await world.vote(m[6]!, nine, 'favourable')).statusCode, 409);
});

/** Votes of a 5-member committee → the published outcome (the rule of §3). */
const OUTCOME_TABLE: Array<[string[], string]> = [
  [['favourable', 'favourable', 'favourable', 'favourable', 'favourable'], 'favourable'],
  [['favourable', 'favourable', 'unfavourable', 'abstain'], 'favourable'],
  [['favourable', 'favourable_with_conditions', 'unfavourable', 'abstain'], 'favourable_with_conditions'],
  [['favourable_with_conditions', 'unfavourable', 'abstain', 'abstain'], 'unfavourable'],
  [['favourable', 'unfavourable', 'abstain', 'abstain', 'abstain'], 'unfavourable'],
  [['abstain', 'abstain', 'abstain', 'abstain'], 'unfavourable'],
  [
    ['unfavourable', 'unfavourable', 'favourable', 'favourable_with_conditions', 'favourable'],
    'favourable_with_conditions',
  ],
  [['unfavourable', 'unfavourable', 'favourable', 'favourable', 'abstain'], 'unfavourable'],
  [['unfavourable', 'unfavourable', 'unfavourable', 'favourable', 'favourable'], 'unfavourable'],
  [
    ['favourable_with_conditions', 'favourable_with_conditions', 'abstain', 'abstain', 'abstain'],
    'favourable_with_conditions',
  ],
];

test('outcome table: the published outcome follows the votes, never the secretary', async (t) => {
  const world = await ethicsWorld(t, { members: 5 });
  for (const [votes, expected] of OUTCOME_TABLE) {
    const caseId = (await world.trialCase())!;
    for (const [i, vote] of votes.entries()) await declareAndVote(world, world.members[i]!, caseId, vote);
    const conditions = expected === 'favourable_with_conditions' ? ['每季度报告不良事件'] : undefined;
    if (conditions !== undefined) {
      const missing = await world.publish(caseId, { publicSummary: '意见' });
      assert.equal(missing.statusCode, 422);
      assert.equal(missing.json().code, 'conditions_required');
    }
    const published = await world.publish(caseId, { publicSummary: `意见 ${votes.join(',')}`, conditions });
    assert.equal(published.statusCode, 200, `${votes.join(',')}: ${published.body}`);
    assert.equal(published.json().outcome, expected, votes.join(','));
    assert.equal(published.json().status, 'decided');
    // The secretary cannot type an outcome in.
    assert.equal(
      (
        await world.inject('POST', `/api/v1/ethics/cases/${caseId}/opinion`, world.secretary, {
          publicSummary: 'x',
          outcome: 'favourable',
        })
      ).statusCode,
      400,
    );
  }
});

test('the opinion: bad bodies and the wrong roles leave the case open', async (t) => {
  const world = await ethicsWorld(t, { members: 3 });
  const caseId = (await world.trialCase())!;
  for (const member of world.members) await declareAndVote(world, member, caseId, 'favourable');
  const before = await tableCounts(world.t, ETHICS_TABLES);
  const url = `/api/v1/ethics/cases/${caseId}/opinion`;
  for (const body of [
    {},
    { publicSummary: '' },
    { publicSummary: 'x', conditions: [''] },
    { publicSummary: 'x', conditions: 'c' },
  ]) {
    assert.equal((await world.inject('POST', url, world.secretary, body)).statusCode, 400, JSON.stringify(body));
  }
  assert.equal((await world.inject('POST', url, world.members[0], { publicSummary: 'x' })).statusCode, 403);
  assert.equal((await world.inject('POST', url, world.admin, { publicSummary: 'x' })).statusCode, 403);
  assert.equal((await world.inject('POST', url, undefined, { publicSummary: 'x' })).statusCode, 401);
  assert.deepEqual(await tableCounts(world.t, ETHICS_TABLES), before);
  const key = { 'idempotency-key': 'opinion-1' };
  const first = await world.inject('POST', url, world.secretary, { publicSummary: '同意开展' }, key);
  assert.equal(first.statusCode, 200, first.body);
  const replay = await world.inject('POST', url, world.secretary, { publicSummary: '同意开展' }, key);
  assert.equal(replay.statusCode, 200);
  assert.deepEqual(replay.json(), first.json());
});
