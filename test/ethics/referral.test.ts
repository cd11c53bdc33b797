import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableCounts } from '../factories.ts';
import { answers } from '../products/fixtures.ts';
import { createDraft } from '../filings/helpers.ts';
import { ETHICS_TABLES, declareAndVote, ethicsWorld } from './helpers.ts';

test('each automatic trigger refers a high-risk assessment at submission, due in 15 working days', async (t) => {
  const world = await ethicsWorld(t, { members: 0 });
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ processesSensitivePersonalInfo: true }, ['sensitive_personal_info']],
    [{ profilesNaturalPersons: true }, ['profiling']],
    [{ annexIIIUses: ['employment_recruitment', 'emotion_recognition'] }, ['biometrics']],
    [{ domain: 'law_enforcement', annexIIIUses: ['law_enforcement_evidence_reliability'] }, ['law_enforcement']],
  ];
  for (const [extra, triggers] of cases) {
    const filingId = await world.submitAssessment(extra);
    const found = await world.casesOf(filingId);
    assert.equal(found.length, 1, JSON.stringify(extra));
    assert.deepEqual(found[0]!.triggers, triggers);
    assert.equal(found[0]!.status, 'open');
    // Referred Monday 2026-03-02 → the 15th working day after.
    assert.equal(found[0]!.dueDate, '2026-03-23');
    const detail = await world.inject(
      'GET',
      `/api/v1/ethics/cases/${found[0]!.id}`,
      world.members[0] ?? world.reviewer,
    );
    assert.equal(detail.statusCode, 200, detail.body);
    assert.equal(detail.json().referral, 'automatic');
    assert.equal(detail.json().subjectType, 'filing');
    assert.equal(detail.json().dueDateProvisional, false);
  }
});

test('non-triggers: a plain high-risk assessment and any disclosure are not referred', async (t) => {
  const world = await ethicsWorld(t, { members: 0 });
  const plain = await world.submitAssessment({});
  assert.deepEqual(await world.casesOf(plain), []);
  // A medium-risk disclosure that processes sensitive information: accepted, no case.
  const product = await world.createProduct('medium', {
    riskAnswers: answers({
      domain: 'consumer',
      interactsWithPeople: true,
      generatesSyntheticContent: true,
      processesSensitivePersonalInfo: true,
    }),
  });
  const draft = await createDraft(world, product.id, {
    kind: 'disclosure',
    summary: '客服机器人',
    transparencyMeasures: '对话开始时提示用户正在与人工智能交互',
  });
  const submitted = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
  assert.equal(submitted.statusCode, 200, submitted.body);
  assert.equal(submitted.json().status, 'accepted');
  assert.deepEqual(await world.casesOf(draft.id), []);
});

test('every healthcare trial is referred; a pilot is not', async (t) => {
  const world = await ethicsWorld(t, { members: 0 });
  const caseId = await world.trialCase('healthcare');
  assert.ok(caseId !== undefined);
  const detail = await world.inject('GET', `/api/v1/ethics/cases/${caseId}`, world.admin);
  assert.equal(detail.statusCode, 200, detail.body);
  assert.equal(detail.json().subjectType, 'trial');
  assert.deepEqual(detail.json().triggers, ['healthcare_trial']);
  assert.equal(await world.trialCase('pilot'), undefined);
});

test('a reviewer refers a filing: 401, 403, 404, 400 and 409 leave nothing behind', async (t) => {
  const world = await ethicsWorld(t, { members: 0 });
  const filingId = await world.submitAssessment({});
  const url = `/api/v1/filings/${filingId}/ethics-referral`;
  const before = await tableCounts(world.t, ETHICS_TABLES);
  const refused = [
    [await world.inject('POST', url, undefined, { reason: '涉及未成年人' }), 401],
    [await world.inject('POST', url, world.provider, { reason: '涉及未成年人' }), 403],
    [await world.inject('POST', url, world.secretary, { reason: '涉及未成年人' }), 403],
    [await world.inject('POST', url, world.reviewer, {}), 400],
    [await world.inject('POST', url, world.reviewer, { reason: '' }), 400],
    [await world.inject('POST', url, world.reviewer, { reason: 'x', extra: 1 }), 400],
    [await world.inject('POST', url, world.reviewer, { reason: 42 }), 400],
    [
      await world.inject(
        'POST',
        '/api/v1/filings/0190a000-0000-7000-8000-000000000000/ethics-referral',
        world.reviewer,
        {
          reason: 'x',
        },
      ),
      404,
    ],
  ] as const;
  for (const [response, status] of refused) {
    assert.equal(response.statusCode, status, response.body);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  }
  assert.deepEqual(await tableCounts(world.t, ETHICS_TABLES), before);

  const referred = await world.inject('POST', url, world.reviewer, { reason: '涉及未成年人的个人信息' });
  assert.equal(referred.statusCode, 201, referred.body);
  const body = referred.json();
  assert.equal(body.referral, 'reviewer');
  assert.equal(body.reason, '涉及未成年人的个人信息');
  assert.deepEqual(body.triggers, []);
  assert.equal(body.status, 'open');
  assert.equal(body.outcome, null);
  assert.equal(body.dueDate, '2026-03-23');
  assert.equal(body.dueDateProvisional, false);

  const again = await world.inject('POST', url, world.reviewer, { reason: '再次' });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'ethics_case_open');

  // A draft cannot be referred.
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: '草稿' });
  const fromDraft = await world.inject('POST', `/api/v1/filings/${draft.id}/ethics-referral`, world.reviewer, {
    reason: 'x',
  });
  assert.equal(fromDraft.statusCode, 409);
  assert.equal(fromDraft.json().code, 'ethics_referral_not_allowed');
});

test('the case list: by status, readable by the committee, reviewers and administrators only', async (t) => {
  const world = await ethicsWorld(t, { members: 3 });
  const decidedCase = (await world.trialCase())!;
  const openCase = (await world.trialCase())!;
  for (const member of world.members) await declareAndVote(world, member, decidedCase, 'favourable');
  assert.equal((await world.publish(decidedCase)).statusCode, 200);

  const open = await world.inject('GET', '/api/v1/ethics/cases?status=open', world.members[0]);
  assert.equal(open.statusCode, 200, open.body);
  assert.deepEqual(
    open.json<{ items: Array<{ id: string }> }>().items.map((c) => c.id),
    [openCase],
  );
  const decided = await world.inject('GET', '/api/v1/ethics/cases?status=decided', world.secretary);
  assert.deepEqual(
    decided.json<{ items: Array<{ id: string; votesCast: number }> }>().items.map((c) => [c.id, c.votesCast]),
    [[decidedCase, 3]],
  );
  const paged = await world.inject('GET', '/api/v1/ethics/cases?limit=1', world.admin);
  assert.equal(paged.json().items.length, 1);
  const next = await world.inject('GET', `/api/v1/ethics/cases?limit=1&cursor=${paged.json().nextCursor}`, world.admin);
  assert.equal(next.json().items.length, 1);
  assert.equal(next.json().nextCursor, null);
  assert.equal((await world.inject('GET', '/api/v1/ethics/cases?status=nope', world.admin)).statusCode, 400);
  assert.equal((await world.inject('GET', '/api/v1/ethics/cases?cursor=zzz', world.admin)).statusCode, 400);
  assert.equal((await world.inject('GET', '/api/v1/ethics/cases', world.provider)).statusCode, 403);
  assert.equal((await world.inject('GET', '/api/v1/ethics/cases')).statusCode, 401);
  assert.equal((await world.inject('GET', `/api/v1/ethics/cases/${openCase}`, world.provider)).statusCode, 403);
  assert.equal(
    (await world.inject('GET', '/api/v1/ethics/cases/0190a000-0000-7000-8000-000000000000', world.reviewer)).statusCode,
    404,
  );
});
