import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../factories.ts';
import { declareAndVote, ethicsWorld, type EthicsWorld } from './helpers.ts';
import { trialEthicsStanding } from '../../src/modules/ethics/index.ts';

async function claim(world: EthicsWorld, filingId: string): Promise<void> {
  const claimed = await world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.reviewer, {});
  assert.equal(claimed.statusCode, 200, claimed.body);
}

function decide(world: EthicsWorld, filingId: string, outcome: string) {
  return world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.reviewer, {
    outcome,
    reasons: '审查意见',
    ...(outcome === 'approved_with_conditions' ? { conditions: ['定期报告'] } : {}),
  });
}

async function decideCase(world: EthicsWorld, caseId: string, votes: string[], conditions?: string[]) {
  for (const [i, vote] of votes.entries()) await declareAndVote(world, world.members[i]!, caseId, vote);
  const published = await world.publish(caseId, { publicSummary: '委员会意见摘要', conditions });
  assert.equal(published.statusCode, 200, published.body);
  return published.json<{ outcome: string }>();
}

test('a filing cannot be approved while its case is open, nor after an unfavourable opinion; rejection always can', async (t) => {
  const world = await ethicsWorld(t, { members: 3 });

  // Pending: approval 422 (nothing changes), rejection goes through.
  const pending = await world.submitAssessment({ processesSensitivePersonalInfo: true });
  await claim(world, pending);
  for (const outcome of ['approved', 'approved_with_conditions']) {
    const refused = await decide(world, pending, outcome);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'ethics_opinion_pending');
    assert.equal(typeof refused.json().ethicsCaseId, 'string');
  }
  assert.equal((await world.inject('GET', `/api/v1/filings/${pending}`, world.reviewer)).json().status, 'under_review');
  const rejected = await decide(world, pending, 'rejected');
  assert.equal(rejected.statusCode, 200, rejected.body);

  // Unfavourable: approval 422 for good.
  const refusedFiling = await world.submitAssessment({ profilesNaturalPersons: true });
  await claim(world, refusedFiling);
  const [unfavourableCase] = await world.casesOf(refusedFiling);
  assert.equal(
    (await decideCase(world, unfavourableCase!.id, ['unfavourable', 'unfavourable', 'favourable'])).outcome,
    'unfavourable',
  );
  const barred = await decide(world, refusedFiling, 'approved');
  assert.equal(barred.statusCode, 422);
  assert.equal(barred.json().code, 'ethics_opinion_unfavourable');
  assert.equal((await decide(world, refusedFiling, 'rejected')).statusCode, 200);

  // Favourable: approval goes through.
  const favoured = await world.submitAssessment({
    annexIIIUses: ['employment_recruitment', 'biometric_categorisation'],
  });
  await claim(world, favoured);
  const [favourableCase] = await world.casesOf(favoured);
  await decideCase(world, favourableCase!.id, ['favourable', 'favourable_with_conditions', 'abstain'], ['人工复核']);
  const approved = await decide(world, favoured, 'approved');
  assert.equal(approved.statusCode, 200, approved.body);

  // A reviewer's referral holds an approval too.
  const plain = await world.submitAssessment({});
  await claim(world, plain);
  const referred = await world.inject('POST', `/api/v1/filings/${plain}/ethics-referral`, world.reviewer, {
    reason: '涉及未成年人',
  });
  assert.equal(referred.statusCode, 201, referred.body);
  assert.equal((await decide(world, plain, 'approved')).json().code, 'ethics_opinion_pending');
});

test('a healthcare trial stands pending, then favourable or unfavourable with the opinion', async (t) => {
  const world = await ethicsWorld(t, { members: 3 });
  const favourable = (await world.trialCase())!;
  const unfavourable = (await world.trialCase())!;
  const trialOf = async (caseId: string) =>
    (
      await world.t.db
        .selectFrom('ethics_cases')
        .select('subject_id')
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).subject_id;
  assert.equal(await trialEthicsStanding(world.t.db, await trialOf(favourable)), 'pending');
  await decideCase(world, favourable, ['favourable', 'favourable', 'abstain']);
  await decideCase(world, unfavourable, ['unfavourable', 'favourable', 'abstain']);
  assert.equal(await trialEthicsStanding(world.t.db, await trialOf(favourable)), 'favourable');
  assert.equal(await trialEthicsStanding(world.t.db, await trialOf(unfavourable)), 'unfavourable');
});

test('public opinions: summary, conditions, tally and provider; no member identity anywhere', async (t) => {
  const world = await ethicsWorld(t, { members: 4 });
  const caseId = (await world.trialCase())!;
  await decideCase(world, caseId, ['favourable_with_conditions', 'favourable', 'unfavourable'], ['每月报告不良事件']);
  const open = (await world.trialCase())!;
  await declareAndVote(world, world.members[3]!, open, 'favourable');

  const response = await world.inject('GET', '/api/v1/public/ethics-opinions');
  assert.equal(response.statusCode, 200, response.body);
  const items = response.json<{ items: Array<Record<string, unknown>> }>().items;
  assert.equal(items.length, 1);
  const [opinion] = items;
  assert.equal(opinion!.subjectType, 'trial');
  assert.equal(opinion!.subjectName, '小范围医疗试用');
  assert.equal(opinion!.outcome, 'favourable_with_conditions');
  assert.equal(opinion!.publicSummary, '委员会意见摘要');
  assert.deepEqual(opinion!.conditions, ['每月报告不良事件']);
  assert.deepEqual(opinion!.votes, { favourable: 1, favourableWithConditions: 1, unfavourable: 1, abstain: 0 });
  assert.equal(typeof opinion!.decidedAt, 'string');
  assert.equal(typeof (opinion!.provider as { uscc: string }).uscc, 'string');
  const users = await world.t.db.selectFrom('users').select(['id', 'name', 'email']).execute();
  const committee = new Set([...world.members.map((m) => m.id), world.secretary.id]);
  for (const user of users.filter((u) => committee.has(u.id))) {
    for (const value of [user.id, user.name, user.email]) {
      assert.ok(!response.body.includes(value), `public opinions name ${value}`);
    }
  }
  for (const key of ['memberId', 'voters', 'ballots', 'declarations', 'comment', 'decidedBy']) {
    assert.ok(!response.body.includes(`"${key}"`), key);
  }
  const page = await world.inject('GET', '/api/v1/public/ethics-opinions?limit=1&cursor=bad');
  assert.equal(page.statusCode, 400);
});

test('membership: the administrator gives and takes committee roles; a member’s declarations history', async (t) => {
  const world = await ethicsWorld(t, { members: 1 });
  const staff = await createUser(world.t, { roles: ['statistician'] });
  const given = await world.inject('PUT', `/api/v1/ethics/members/${staff.id}`, world.admin, {
    ethicsMember: true,
    ethicsSecretary: false,
  });
  assert.equal(given.statusCode, 200, given.body);
  assert.deepEqual(given.json().ethicsMember, true);
  const caseId = (await world.trialCase())!;
  assert.equal((await world.declare(staff, caseId, true)).statusCode, 201);

  const list = await world.inject('GET', '/api/v1/ethics/members', world.secretary);
  assert.equal(list.statusCode, 200, list.body);
  assert.ok(list.json<{ items: Array<{ id: string }> }>().items.some((m) => m.id === staff.id));
  const history = await world.inject('GET', `/api/v1/ethics/members/${staff.id}/declarations`, world.admin);
  assert.equal(history.statusCode, 200, history.body);
  assert.equal(history.json().items.length, 1);
  assert.equal(history.json().items[0].conflictOfInterest, true);
  assert.equal(history.json().items[0].caseId, caseId);

  const taken = await world.inject('PUT', `/api/v1/ethics/members/${staff.id}`, world.admin, {
    ethicsMember: false,
    ethicsSecretary: false,
  });
  assert.equal(taken.statusCode, 200);
  const roles = await world.t.db
    .selectFrom('users')
    .select('roles')
    .where('id', '=', staff.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(roles.roles, ['statistician']);
  assert.equal((await world.vote(staff, caseId, 'favourable')).statusCode, 403);

  const provider = await world.inject('PUT', `/api/v1/ethics/members/${world.provider.id}`, world.admin, {
    ethicsMember: true,
    ethicsSecretary: false,
  });
  assert.equal(provider.statusCode, 422);
  assert.equal(provider.json().code, 'not_regulator_staff');
  assert.equal(
    (await world.inject('PUT', `/api/v1/ethics/members/${staff.id}`, world.admin, { ethicsMember: true })).statusCode,
    400,
  );
  assert.equal(
    (
      await world.inject('PUT', `/api/v1/ethics/members/${staff.id}`, world.secretary, {
        ethicsMember: true,
        ethicsSecretary: true,
      })
    ).statusCode,
    403,
  );
  assert.equal((await world.inject('GET', '/api/v1/ethics/members', world.members[0])).statusCode, 403);
});
