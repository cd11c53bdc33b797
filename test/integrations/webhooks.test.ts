import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { createOrgMember, createUser } from '../factories.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createWebhook } from '../../src/modules/integrations/webhook-service.ts';
import { drainWebhooks, processWebhookBatch } from '../../src/modules/integrations/webhook-worker.ts';
import { WEBHOOK_RETRY_DELAYS_MS } from '../../src/lib/webhook-retry.ts';
import { contextOf } from '../../src/platform/request-context.ts';
import { ALLOW_LOOPBACK, drain, filingEvent, startReceiver } from './helpers.ts';

async function subscribe(ta: TestApp, headers: Record<string, string>, body: Record<string, unknown>) {
  return ta.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: body });
}

async function world(t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = ALLOW_LOOPBACK) {
  const ta = await buildTestApp(t, { env });
  const { organization, user: admin } = await createOrgMember(ta, { role: 'org_admin' });
  const regulator = await createUser(ta, { roles: ['regulator_admin'] });
  return { ta, organization, admin, regulator };
}

test('POST /webhooks: who may subscribe, what is checked, the secret shown once', async (t) => {
  const { ta, organization, admin, regulator } = await world(t);
  const { user: member } = await createOrgMember(ta, { role: 'org_member' });
  const body = { url: 'http://127.0.0.1:9/hooks', events: ['filing.submitted', 'filing.decided'] };

  assert.equal((await subscribe(ta, {}, body)).statusCode, 401);
  const forbidden = await subscribe(ta, member.headers, body);
  assert.equal(forbidden.statusCode, 403);
  const unknownEvent = await subscribe(ta, admin.headers, { ...body, events: ['filing.eaten'] });
  assert.equal(unknownEvent.statusCode, 400);
  const extra = await subscribe(ta, admin.headers, { ...body, secret: 'mine' });
  assert.equal(extra.statusCode, 400);
  assert.equal((await subscribe(ta, admin.headers, { ...body, events: [] })).statusCode, 400);

  const created = await subscribe(ta, admin.headers, { ...body, description: '案件管理系统' });
  assert.equal(created.statusCode, 201, created.body);
  const { id, secret } = created.json<{ id: string; secret: string }>();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);

  const got = await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: admin.headers });
  assert.equal(got.statusCode, 200);
  assert.equal(got.json<{ organizationId: string }>().organizationId, organization.id);
  assert.ok(!got.body.includes(secret), 'the secret is never shown again');
  const list = await ta.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin.headers });
  assert.deepEqual(
    list.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id),
    [id],
  );

  // Another organisation's administrator, and the regulator, do not see it.
  const { user: otherAdmin } = await createOrgMember(ta, { role: 'org_admin' });
  for (const headers of [otherAdmin.headers, regulator.headers]) {
    assert.equal((await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers })).statusCode, 404);
    const deliveries = await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers });
    assert.equal(deliveries.statusCode, 404);
  }
  const regulatorList = await ta.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: regulator.headers });
  assert.deepEqual(regulatorList.json<{ items: unknown[] }>().items, []);

  const audit = await ta.db.selectFrom('audit_events').select('action').where('resource_id', '=', id).execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['webhook.created'],
  );

  const deleted = await ta.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: admin.headers });
  assert.equal(deleted.statusCode, 204);
  assert.equal(
    (await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: admin.headers })).statusCode,
    404,
  );
});

test('SSRF: loopback, private, link-local, metadata and mapped addresses are refused without allow-listing', async (t) => {
  const { ta, admin } = await world(t, {});
  const refused = [
    'http://127.0.0.1/hooks',
    'http://[::1]/hooks',
    'http://10.1.2.3/hooks',
    'http://172.16.5.4/hooks',
    'http://172.31.255.1/hooks',
    'http://192.168.1.10/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://[::ffff:10.0.0.1]/hooks',
    'http://2130706433/hooks',
  ];
  for (const url of refused) {
    const answer = await subscribe(ta, admin.headers, { url, events: ['filing.submitted'] });
    assert.equal(answer.statusCode, 422, url);
    const problem = answer.json<{ code: string; reason: string; errors: Array<{ pointer: string }> }>();
    assert.equal(problem.code, 'webhook_url_refused', url);
    assert.equal(problem.reason, 'forbidden_address', url);
    assert.equal(problem.errors[0]!.pointer, '/url');
  }
  for (const url of ['ftp://example.com/x', 'http://user:pw@example.com/x', 'not a url']) {
    const answer = await subscribe(ta, admin.headers, { url, events: ['filing.submitted'] });
    assert.equal(answer.statusCode, 422, url);
  }
  // A host name that resolves to loopback (DNS injected: nothing leaves the machine).
  const request = { principal: await principalOf(ta, admin.headers) } as never;
  await assert.rejects(
    createWebhook(ta.deps, contextOf(request), {
      url: 'http://hooks.example.cn/x',
      events: ['filing.submitted'],
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    }),
    (error: { code?: string }) => error.code === 'webhook_url_refused',
  );
  assert.equal((await ta.db.selectFrom('webhook_subscriptions').select('id').execute()).length, 0);
});

/** The principal a request with these headers carries (for service calls that take an injected DNS lookup). */
async function principalOf(ta: TestApp, headers: Record<string, string>) {
  const me = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const user = me.json<{
    user: { id: string; email: string; name: string; roles: string[]; organizationId: string | null };
  }>().user;
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    organizationId: user.organizationId,
    organizationStatus: 'verified',
    via: 'bearer',
    credentialId: '',
  };
}

test('a delivery is signed (verified by the standardwebhooks reference library) and scoped to its organisation', async (t) => {
  const { ta, organization, admin, regulator } = await world(t);
  const receiver = await startReceiver(t);
  const own = (
    await subscribe(ta, admin.headers, { url: receiver.url, events: ['filing.submitted', 'filing.decided'] })
  ).json<{ id: string; secret: string }>();
  const reg = (
    await subscribe(ta, regulator.headers, { url: `${receiver.url}?who=regulator`, events: ['filing.decided'] })
  ).json<{ id: string; secret: string }>();

  const mine = await filingEvent(ta, 'submitted', organization.id);
  const other = await createOrgMember(ta, { role: 'org_admin' });
  await filingEvent(ta, 'submitted', other.organization.id);
  const decided = await filingEvent(ta, 'approved', other.organization.id);
  await drain(ta);
  assert.equal(await drainWebhooks(ta.deps), 2);

  assert.equal(receiver.received.length, 2);
  const [first, second] = receiver.received.sort((a, b) => a.body.localeCompare(b.body));
  const bodies = [first!, second!].map(
    (r) => JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, string> },
  );
  const submitted = bodies.find((b) => b.type === 'filing.submitted')!;
  assert.deepEqual(submitted.data, {
    objectType: 'filing',
    objectId: mine.filingId,
    filingId: mine.filingId,
    productId: mine.productId,
    organizationId: organization.id,
    status: 'submitted',
  });
  const decision = bodies.find((b) => b.type === 'filing.decided')!;
  assert.equal(decision.data.filingId, decided.filingId);
  assert.equal(decision.data.status, 'approved');

  for (const r of receiver.received) {
    const secret = JSON.parse(r.body).type === 'filing.submitted' ? own.secret : reg.secret;
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    // The reference library checks the signature and that the timestamp is within 5 minutes
    // of the wall clock — the test clock stands in 2026 or wherever, the header does not.
    assert.doesNotThrow(() => new Webhook(secret).verify(r.body, headers));
    assert.match(headers['webhook-id'], /^msg_[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000) < 60);
    assert.throws(() => new Webhook(secret === own.secret ? reg.secret : own.secret).verify(r.body, headers));
  }

  const log = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/webhooks/${own.id}/deliveries`,
    headers: admin.headers,
  });
  assert.equal(log.statusCode, 200);
  const items = log.json<{ items: Array<Record<string, unknown>> }>().items;
  assert.equal(items.length, 1);
  assert.equal(items[0]!.eventType, 'filing.submitted');
  assert.equal(items[0]!.attempt, 1);
  assert.equal(items[0]!.responseStatus, 200);
  assert.equal(items[0]!.error, null);
  assert.equal(items[0]!.delivered, true);
  assert.equal(typeof items[0]!.latencyMs, 'number');
  assert.equal(items[0]!.attemptedAt, ta.clock.now().toISOString());

  // Never sent again after a 2xx: the outbox event fanned out once, the message is delivered.
  await drain(ta);
  assert.equal(await drainWebhooks(ta.deps), 0);
  assert.equal(receiver.received.length, 2);
});

test('a failed delivery is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with the same webhook-id; then redelivered on request', async (t) => {
  const { ta, organization, admin } = await world(t);
  let status = 503;
  const receiver = await startReceiver(t, () => status);
  const { id, secret } = (
    await subscribe(ta, admin.headers, { url: receiver.url, events: ['filing.information_requested'] })
  ).json<{ id: string; secret: string }>();
  await filingEvent(ta, 'information_requested', organization.id);
  await drain(ta);

  assert.equal(await drainWebhooks(ta.deps), 1);
  for (const [index, delay] of WEBHOOK_RETRY_DELAYS_MS.entries()) {
    // Not a millisecond early.
    ta.clock.advanceMs(delay - 1);
    assert.equal(await drainWebhooks(ta.deps), 0, `attempt ${index + 2} waits`);
    ta.clock.advanceMs(1000); // the wait counts from the end of the attempt (its latency, well under 1 s here)
    assert.equal(await drainWebhooks(ta.deps), 1, `attempt ${index + 2} goes out`);
  }
  ta.clock.advanceMs(48 * 3_600_000);
  assert.equal(await drainWebhooks(ta.deps), 0, 'eight attempts, then the message is given up');
  assert.equal(receiver.received.length, 8);
  const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
  assert.equal(ids.size, 1, 'the same webhook-id on every attempt');
  for (const r of receiver.received) {
    assert.doesNotThrow(() =>
      new Webhook(secret).verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }),
    );
  }

  // Sessions idle out while the clock runs two days ahead: sign in again.
  Object.assign(admin, await createUser(ta, { roles: ['org_admin'], organizationId: organization.id }));
  const log = (
    await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries?limit=5`, headers: admin.headers })
  ).json<{
    items: Array<{
      attempt: number;
      responseStatus: number;
      error: string;
      delivered: boolean;
      nextAttemptAt: string | null;
      messageId: string;
    }>;
    nextCursor: string;
  }>();
  assert.deepEqual(
    log.items.map((i) => i.attempt),
    [8, 7, 6, 5, 4],
  );
  assert.equal(log.items[0]!.nextAttemptAt, null);
  assert.equal(log.items[0]!.error, 'HTTP 503');
  assert.equal(log.items[0]!.responseStatus, 503);
  const rest = (
    await ta.app.inject({
      method: 'GET',
      url: `/api/v1/webhooks/${id}/deliveries?limit=5&cursor=${log.nextCursor}`,
      headers: admin.headers,
    })
  ).json<{ items: Array<{ attempt: number }>; nextCursor: string | null }>();
  assert.deepEqual(
    rest.items.map((i) => i.attempt),
    [3, 2, 1],
  );
  assert.equal(rest.nextCursor, null);
  const message = await ta.db.selectFrom('webhook_messages').selectAll().executeTakeFirstOrThrow();
  assert.equal(message.status, 'failed');

  // Redelivery: sent now; once delivered it is never sent again.
  status = 200;
  const messageId = log.items[0]!.messageId;
  const redeliver = () =>
    ta.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${id}/messages/${messageId}/redeliveries`,
      headers: admin.headers,
    });
  const again = await redeliver();
  assert.equal(again.statusCode, 202, again.body);
  assert.equal(await drainWebhooks(ta.deps), 1);
  assert.equal(receiver.received.at(-1)!.headers['webhook-id'], messageId);
  const twice = await redeliver();
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json<{ code: string }>().code, 'webhook_message_delivered');
  assert.equal(await drainWebhooks(ta.deps), 0);
  const unknown = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/${id}/messages/msg_00000000-0000-7000-8000-000000000000/redeliveries`,
    headers: admin.headers,
  });
  assert.equal(unknown.statusCode, 404);
});

test('two workers never deliver one message at the same time; a held lease is respected until it runs out', async (t) => {
  const { ta, organization, admin } = await world(t);
  const receiver = await startReceiver(t);
  await subscribe(ta, admin.headers, { url: receiver.url, events: ['filing.submitted'] });
  for (let i = 0; i < 60; i++) await filingEvent(ta, 'submitted', organization.id);
  await drain(ta);
  const [a, b] = await Promise.all([
    drainWebhooks(ta.deps, { workerId: 'a', batchSize: 7, concurrency: 3 }),
    drainWebhooks(ta.deps, { workerId: 'b', batchSize: 7, concurrency: 3 }),
  ]);
  assert.equal(a + b, 60);
  const perId = new Map<string, number>();
  for (const r of receiver.received)
    perId.set(String(r.headers['webhook-id']), (perId.get(String(r.headers['webhook-id'])) ?? 0) + 1);
  assert.equal(perId.size, 60);
  assert.ok([...perId.values()].every((n) => n === 1));

  // A worker that died holding a lease: nobody sends the message until the lease runs out,
  // then it goes out with the same webhook-id (at least once; receivers de-duplicate on it).
  await filingEvent(ta, 'submitted', organization.id);
  await drain(ta);
  const leaseUntil = new Date(ta.clock.now().getTime() + 60_000);
  await ta.db
    .updateTable('webhook_messages')
    .set({ lease_owner: 'dead', lease_until: leaseUntil })
    .where('status', '=', 'pending')
    .execute();
  assert.equal(await processWebhookBatch(ta.deps, { workerId: 'c' }), 0);
  ta.clock.advanceMs(60_000);
  assert.equal(await processWebhookBatch(ta.deps, { workerId: 'c' }), 1);
  assert.equal(receiver.received.length, 61);
});

test('secret rotation: both secrets sign for 24 hours, then only the new one', async (t) => {
  const { ta, organization, admin } = await world(t);
  const receiver = await startReceiver(t);
  const { id, secret: old } = (
    await subscribe(ta, admin.headers, { url: receiver.url, events: ['filing.submitted'] })
  ).json<{ id: string; secret: string }>();
  const rotated = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/${id}/secret-rotations`,
    headers: admin.headers,
  });
  assert.equal(rotated.statusCode, 201);
  const { secret: fresh, previousSecretExpiresAt } = rotated.json<{
    secret: string;
    previousSecretExpiresAt: string;
  }>();
  assert.notEqual(fresh, old);
  assert.equal(previousSecretExpiresAt, new Date(ta.clock.now().getTime() + 24 * 3_600_000).toISOString());

  const verify = (secret: string, index: number) => {
    const r = receiver.received[index]!;
    new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    });
  };
  await filingEvent(ta, 'submitted', organization.id);
  await drain(ta);
  await drainWebhooks(ta.deps);
  verify(old, 0);
  verify(fresh, 0);
  assert.equal(String(receiver.received[0]!.headers['webhook-signature']).split(' ').length, 2);

  ta.clock.advanceMs(24 * 3_600_000 + 1);
  await filingEvent(ta, 'submitted', organization.id);
  await drain(ta);
  await drainWebhooks(ta.deps);
  verify(fresh, 1);
  assert.throws(() => verify(old, 1));
  Object.assign(admin, await createUser(ta, { roles: ['org_admin'], organizationId: organization.id }));
  const view = await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: admin.headers });
  assert.equal(view.json<{ activeSecrets: number }>().activeSecrets, 1);
});

test('a target that stops being allowed is refused at send time and logged as a failed attempt', async (t) => {
  const { ta, organization, admin } = await world(t);
  const receiver = await startReceiver(t);
  const { id } = (await subscribe(ta, admin.headers, { url: receiver.url, events: ['filing.submitted'] })).json<{
    id: string;
  }>();
  // The allow-list changes (a restart without it): the guard runs again before every attempt.
  const strict = { ...ta.deps, config: { ...ta.deps.config, webhookAllowHosts: new Set<string>() } };
  await filingEvent(ta, 'submitted', organization.id);
  await drain(ta);
  assert.equal(await drainWebhooks(strict), 1);
  assert.equal(receiver.received.length, 0, 'nothing was sent');
  const log = (
    await ta.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: admin.headers })
  ).json<{ items: Array<{ error: string; responseStatus: null; delivered: boolean }> }>();
  assert.match(log.items[0]!.error, /target refused/);
  assert.equal(log.items[0]!.responseStatus, null);
  assert.equal(log.items[0]!.delivered, false);
});
