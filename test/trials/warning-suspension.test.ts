// A red early warning on a product suspends its approved and running trials in the same
// transaction (API-CONTRACT-2 §2, wired from the monitoring module); an orange one does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrgMember, createUser } from '../factories.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { approvedPilot } from './helpers.ts';

test('a red warning suspends the product’s approved pilot; an orange one leaves it', async (t) => {
  const ta = await buildTestApp(t);
  const { user: provider } = await createOrgMember(ta);
  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  const trialId = await approvedPilot(ta, provider.headers);
  const trial = async () =>
    (await ta.app.inject({ method: 'GET', url: `/api/v1/trials/${trialId}`, headers: reviewer.headers })).json<{
      status: string;
      productId: string;
    }>();
  const before = await trial();
  assert.equal(before.status, 'approved');

  const warn = async (level: 'orange' | 'red') => {
    const response = await ta.app.inject({
      method: 'POST',
      url: `/api/v1/products/${before.productId}/warnings`,
      headers: reviewer.headers,
      payload: { level, reasons: '测试预警', measures: ['暂停使用'] },
    });
    assert.equal(response.statusCode, 201, response.body);
  };
  await warn('orange');
  assert.equal((await trial()).status, 'approved');
  await warn('red');
  assert.equal((await trial()).status, 'suspended');
});
