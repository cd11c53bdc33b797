import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../factories.ts';
import { filingWorld, SAMPLE_PNG, underReview, upload } from './helpers.ts';

test('every refused request on a filing under review leaves the database and the version unchanged', async (t) => {
  const world = await filingWorld(t);
  const { filingId, version } = await underReview(world);
  const otherReviewer = await createUser(world.t, { roles: ['reviewer'] });
  const decision = { outcome: 'approved', reasons: '风险可控' };
  const attempts: Array<[string, () => ReturnType<typeof world.inject>, number, string]> = [
    [
      'anonymous decision',
      () => world.inject('POST', `/api/v1/filings/${filingId}/decision`, undefined, decision),
      401,
      'unauthenticated',
    ],
    [
      'provider decides',
      () => world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.provider, decision),
      403,
      'forbidden',
    ],
    [
      'administrator decides',
      () => world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.admin, decision),
      403,
      'forbidden',
    ],
    [
      'stranger answers',
      () => world.inject('POST', `/api/v1/filings/${filingId}/information-responses`, world.stranger, { message: 'x' }),
      404,
      'not_found',
    ],
    [
      'unassigned reviewer decides',
      () => world.inject('POST', `/api/v1/filings/${filingId}/decision`, otherReviewer, decision),
      403,
      'not_assignee',
    ],
    [
      'unassigned reviewer asks',
      () => world.inject('POST', `/api/v1/filings/${filingId}/information-requests`, otherReviewer, { message: 'x' }),
      403,
      'not_assignee',
    ],
    [
      'stale version',
      () =>
        world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.reviewer, decision, {
          'if-match': `"${version - 1}"`,
        }),
      412,
      'precondition_failed',
    ],
    [
      'answer without a request',
      () => world.inject('POST', `/api/v1/filings/${filingId}/information-responses`, world.provider, { message: 'x' }),
      409,
      'illegal_transition',
    ],
    [
      'submit again',
      () => world.inject('POST', `/api/v1/filings/${filingId}/submit`, world.provider, {}),
      409,
      'illegal_transition',
    ],
    [
      'edit after submission',
      () => world.inject('PATCH', `/api/v1/filings/${filingId}`, world.provider, { summary: 'x' }),
      409,
      'illegal_transition',
    ],
    [
      'claim again',
      () => world.inject('POST', `/api/v1/filings/${filingId}/assignment`, world.reviewer, {}),
      409,
      'illegal_transition',
    ],
    [
      'unknown outcome',
      () =>
        world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.reviewer, {
          outcome: 'maybe',
          reasons: 'r',
        }),
      400,
      'validation_failed',
    ],
    [
      'empty reasons',
      () =>
        world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.reviewer, {
          outcome: 'approved',
          reasons: '',
        }),
      400,
      'validation_failed',
    ],
    [
      'empty message',
      () => world.inject('POST', `/api/v1/filings/${filingId}/information-requests`, world.reviewer, { message: '' }),
      400,
      'validation_failed',
    ],
    [
      'bad Idempotency-Key',
      () =>
        world.inject('POST', `/api/v1/filings/${filingId}/decision`, world.reviewer, decision, {
          'idempotency-key': 'ä',
        }),
      400,
      'invalid_idempotency_key',
    ],
    [
      'document on a filing under review',
      () => upload(world, filingId, { name: 'x.png', contentType: 'image/png', data: SAMPLE_PNG }),
      409,
      'illegal_transition',
    ],
  ];
  const before = await world.snapshot();
  for (const [why, attempt, status, code] of attempts) {
    const response = await attempt();
    assert.equal(response.statusCode, status, `${why}: ${response.body}`);
    assert.equal(response.json().code, code, why);
    assert.deepEqual(await world.snapshot(), before, why);
  }
  const filing = await world.inject('GET', `/api/v1/filings/${filingId}`, world.reviewer);
  assert.equal(filing.json().version, version);
  assert.equal(filing.json().status, 'under_review');
});
