import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/test-app.ts';
import { tableCounts } from '../factories.ts';
import { answers, messageAt, pointersOf, problemOf, WRITE_TABLES, type Assessment, type Question } from './fixtures.ts';

test('GET /api/v1/risk/questionnaire: the v1 questions with the contract fields, anonymously', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/api/v1/risk/questionnaire' });
  assert.equal(response.statusCode, 200);
  const body = response.json<{ rulesetVersion: string; questions: Question[] }>();
  assert.equal(body.rulesetVersion, 'v1');
  assert.deepEqual(
    body.questions.map((q) => q.key),
    [
      'domain',
      'annexIIIUses',
      'prohibitedPractices',
      'safetyComponent',
      'medicalDeviceClass',
      'profilesNaturalPersons',
      'narrowProceduralTask',
      'interactsWithPeople',
      'generatesSyntheticContent',
      'publicOpinionAttributes',
      'processesSensitivePersonalInfo',
      'usersScale',
    ],
  );
  for (const question of body.questions) {
    for (const field of ['key', 'type', 'labelZh', 'labelEn', 'helpZh', 'helpEn'] as const) {
      assert.equal(typeof question[field], 'string', `${question.key}.${field}`);
    }
    assert.equal(question.options === undefined, question.type === 'boolean', question.key);
  }
  const domain = body.questions.find((q) => q.key === 'domain');
  assert.ok(domain?.options?.some((o) => o.value === 'credit_scoring'));
});

const cases = [
  {
    name: 'customer-service chatbot',
    answers: answers({ domain: 'consumer', interactsWithPeople: true, generatesSyntheticContent: true }),
    tier: 'medium',
    ruleIds: ['medium.interacts_with_people', 'medium.synthetic_content'],
    obligations: ['disclosure', 'tracking_report'],
  },
  {
    name: 'credit scoring of consumers',
    answers: answers({ domain: 'finance', annexIIIUses: ['creditworthiness'], profilesNaturalPersons: true }),
    tier: 'high',
    ruleIds: ['high.annex3.creditworthiness'],
    obligations: ['ex_ante_assessment', 'risk_monitoring'],
  },
  {
    name: 'emotion recognition of employees',
    answers: answers({ domain: 'employment', prohibitedPractices: ['emotion_recognition_workplace_education'] }),
    tier: 'prohibited',
    ruleIds: ['prohibited.emotion_recognition_workplace_education'],
    obligations: ['cannot_be_filed'],
  },
  {
    name: 'wind-power forecast',
    answers: answers({ domain: 'industrial' }),
    tier: 'low',
    ruleIds: ['low.default'],
    obligations: ['disclosure', 'tracking_report'],
  },
];

for (const c of cases) {
  test(`POST /api/v1/risk/assessments: ${c.name} → ${c.tier}, and nothing is stored`, async (t) => {
    const testApp = await buildTestApp(t);
    const before = await tableCounts(testApp, WRITE_TABLES);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/risk/assessments',
      payload: { answers: c.answers },
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<Assessment>();
    assert.equal(body.tier, c.tier);
    assert.equal(body.rulesetVersion, 'v1');
    assert.deepEqual(
      body.reasons.map((r) => r.ruleId),
      c.ruleIds,
    );
    for (const reason of body.reasons)
      assert.deepEqual(Object.keys(reason).sort(), ['basis', 'ruleId', 'textEn', 'textZh']);
    assert.deepEqual(
      body.obligations.map((o) => o.code),
      c.obligations,
    );
    assert.deepEqual(await tableCounts(testApp, WRITE_TABLES), before);
  });
}

test('POST /api/v1/risk/assessments: repeated and interleaved self-checks each get their own answer (the JSON is cached per result)', async (t) => {
  const { app } = await buildTestApp(t);
  const first = new Map<string, string>();
  for (const round of [1, 2, 3]) {
    for (const c of round === 2 ? [...cases].reverse() : cases) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/risk/assessments',
        payload: { answers: c.answers },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      const body = response.json<Assessment>();
      assert.equal(body.tier, c.tier, `${c.name}, round ${round}`);
      assert.deepEqual(
        body.reasons.map((r) => r.ruleId),
        c.ruleIds,
      );
      if (round === 1) first.set(c.name, response.body);
      else assert.equal(response.body, first.get(c.name));
    }
  }
});

test('POST /api/v1/risk/assessments: unknown, missing and ill-typed answers → 422 with one pointer each, in the reader language', async (t) => {
  const { app } = await buildTestApp(t);
  const { usersScale: _dropped, ...withoutUsersScale } = answers();
  const bad = { ...withoutUsersScale, favouriteColour: 'red', safetyComponent: 'yes', domain: 'astrology' };

  const zh = await app.inject({ method: 'POST', url: '/api/v1/risk/assessments', payload: { answers: bad } });
  assert.equal(zh.statusCode, 422);
  assert.match(zh.headers['content-type'] as string, /application\/problem\+json/);
  const problem = problemOf(zh);
  assert.equal(problem.code, 'invalid_risk_answers');
  assert.deepEqual(pointersOf(zh).sort(), [
    '/answers/domain',
    '/answers/favouriteColour',
    '/answers/safetyComponent',
    '/answers/usersScale',
  ]);
  assert.match(messageAt(zh, '/answers/usersScale'), /缺少必答项/);
  assert.equal(problem.title, '风险自评答案无效');

  const en = await app.inject({
    method: 'POST',
    url: '/api/v1/risk/assessments',
    headers: { 'accept-language': 'en-GB,en;q=0.9' },
    payload: { answers: bad },
  });
  assert.equal(en.statusCode, 422);
  assert.match(messageAt(en, '/answers/favouriteColour'), /unknown answer key/);
  assert.match(messageAt(en, '/answers/safetyComponent'), /true or false/);
  assert.equal(problemOf(en).title, 'Invalid risk self-check answers');

  const item = await app.inject({
    method: 'POST',
    url: '/api/v1/risk/assessments',
    payload: { answers: answers({ annexIIIUses: ['creditworthiness', 'mind_reading'] }) },
  });
  assert.equal(item.statusCode, 422);
  assert.deepEqual(pointersOf(item), ['/answers/annexIIIUses/1']);
});

test('POST /api/v1/risk/assessments: a body that is not an object with an answers object → 400', async (t) => {
  const { app } = await buildTestApp(t);
  for (const payload of [[answers()], { answers: 'low' }, { answers: [] }, {}, { answers: answers(), extra: 1 }]) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/risk/assessments', payload });
    assert.equal(response.statusCode, 400, JSON.stringify(payload));
    assert.equal(response.json().code, 'validation_failed');
  }
});

test('POST /api/v1/risk/assessments: rate-limited per client address (429 + Retry-After), refilled with time', async (t) => {
  const { app, clock } = await buildTestApp(t, { env: { AIGOV_SELF_CHECK_RATE_LIMIT: '3' } });
  const assess = (remoteAddress = '203.0.113.7') =>
    app.inject({ method: 'POST', url: '/api/v1/risk/assessments', remoteAddress, payload: { answers: answers() } });
  for (let i = 0; i < 3; i += 1) assert.equal((await assess()).statusCode, 200);
  const limited = await assess();
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().code, 'too_many_requests');
  assert.equal(limited.headers['retry-after'], '20'); // 3 a minute: one token every 20 s
  // Invalid answers are limited too: the bucket is checked before the body is read.
  const limitedBad = await app.inject({
    method: 'POST',
    url: '/api/v1/risk/assessments',
    remoteAddress: '203.0.113.7',
    payload: { answers: {} },
  });
  assert.equal(limitedBad.statusCode, 429);
  assert.equal((await assess('198.51.100.1')).statusCode, 200, 'another address has its own bucket');
  // The questionnaire is not limited.
  const questionnaire = await app.inject({
    method: 'GET',
    url: '/api/v1/risk/questionnaire',
    remoteAddress: '203.0.113.7',
  });
  assert.equal(questionnaire.statusCode, 200);
  clock.advanceMs(20_000);
  assert.equal((await assess()).statusCode, 200);
  assert.equal((await assess()).statusCode, 429);
});

test('POST /api/v1/risk/assessments: AIGOV_SELF_CHECK_RATE_LIMIT=0 turns the limit off', async (t) => {
  const { app } = await buildTestApp(t, { env: { AIGOV_SELF_CHECK_RATE_LIMIT: '0' } });
  for (let i = 0; i < 150; i += 1) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/risk/assessments',
      payload: { answers: answers() },
    });
    assert.equal(response.statusCode, 200);
  }
});
