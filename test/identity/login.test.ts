import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/test-app.ts';
import { createUser, TEST_PASSWORD } from '../factories.ts';
import { ACCOUNT_LIMIT } from '../../src/modules/identity/throttle.ts';
import { carriesCredential } from '../../src/platform/security-headers.ts';

test('login → me → logout with cookie and Bearer token', async (t) => {
  const ta = await buildTestApp(t);
  const user = await createUser(ta, { roles: ['reviewer'] });
  const login = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  assert.equal(login.statusCode, 200);
  const body = login.json<{ token: string; expiresAt: string; user: { id: string; roles: string[] } }>();
  assert.equal(body.user.id, user.id);
  assert.deepEqual(body.user.roles, ['reviewer']);
  const cookie = String(login.headers['set-cookie']);
  assert.match(cookie, /^aigov_session=aigov_s_/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);

  const viaCookie = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { cookie: `aigov_session=${body.token}` },
  });
  assert.equal(viaCookie.statusCode, 200);
  assert.equal(viaCookie.json<{ user: { email: string } }>().user.email, user.email);
  const viaBearer = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { authorization: `Bearer ${body.token}` },
  });
  assert.equal(viaBearer.statusCode, 200);

  const logout = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: { authorization: `Bearer ${body.token}` },
  });
  assert.equal(logout.statusCode, 204);
  const after = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { authorization: `Bearer ${body.token}` },
  });
  assert.equal(after.statusCode, 401);
  const anonymous = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(anonymous.json<{ code: string }>().code, 'unauthenticated');
});

test('wrong password and unknown email get the same 401; repeated failures → 429 with Retry-After', async (t) => {
  const ta = await buildTestApp(t);
  const user = await createUser(ta, { roles: ['reviewer'] });
  const wrong = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: 'not-the-password-1' },
  });
  const unknown = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'nobody@example.cn', password: 'not-the-password-1' },
  });
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.statusCode, 401);
  assert.deepEqual(
    { ...wrong.json<Record<string, unknown>>(), instance: null },
    { ...unknown.json<Record<string, unknown>>(), instance: null },
  );
  for (let i = 1; i < ACCOUNT_LIMIT; i += 1) {
    await ta.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'not-the-password-1' },
    });
  }
  const throttled = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  assert.equal(throttled.statusCode, 429);
  assert.ok(Number(throttled.headers['retry-after']) > 0);
  ta.clock.advanceMs(16 * 60_000);
  const later = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  assert.equal(later.statusCode, 200);
});

test('a response that carries a credential is never stored by a cache (Cache-Control: no-store)', async (t) => {
  // Issue #17, item 6: the session token (login) and a new API token (shown once) must not
  // stay in a browser or proxy cache.
  const ta = await buildTestApp(t);
  const user = await createUser(ta, { roles: ['reviewer'] });
  const login = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  assert.equal(login.statusCode, 200);
  assert.equal(login.headers['cache-control'], 'no-store');
  const token = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers: user.headers,
    payload: { name: 'nightly export' },
  });
  assert.equal(token.statusCode, 201);
  assert.equal(token.headers['cache-control'], 'no-store');
});

test('the routes whose responses carry a credential are exactly the known ones', async (t) => {
  // What the no-store rule matched, so that a new one is a reviewed decision, not a surprise.
  const ta = await buildTestApp(t);
  const document = ta.app.swagger() as { paths: Record<string, Record<string, { responses?: unknown }>> };
  const matched = Object.entries(document.paths).flatMap(([url, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => carriesCredential(operation.responses))
      .map(([method]) => `${method.toUpperCase()} ${url}`),
  );
  assert.deepEqual(matched.sort(), [
    'POST /api/v1/auth/login',
    'POST /api/v1/auth/tokens',
    'POST /api/v1/webhooks',
    'POST /api/v1/webhooks/{id}/secret-rotations',
  ]);
});
