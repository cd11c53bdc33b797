import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, TEST_PASSWORD } from '../factories.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { ensureFirstAdministrator, INITIAL_PASSWORD_FILE } from '../../src/modules/identity/bootstrap.ts';

async function loginCookie(ta: Awaited<ReturnType<typeof buildTestApp>>, email: string, password = TEST_PASSWORD) {
  const response = await ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  assert.equal(response.statusCode, 200);
  return response.json<{ token: string }>().token;
}

test('CSRF: cookie-authenticated writes must come from our own origin; Bearer is exempt', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  const token = await loginCookie(ta, admin.email);
  const staff = (email: string) => ({ email, name: '钱审查', roles: ['reviewer'], password: 'Longgang-district-2026' });
  const cookie = `aigov_session=${token}`;
  const crossSite = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    payload: staff('a@sz.gov.cn'),
  });
  assert.equal(crossSite.statusCode, 403);
  const noOrigin = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie },
    payload: staff('b@sz.gov.cn'),
  });
  assert.equal(noOrigin.statusCode, 403);
  const wrongOrigin = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie, origin: 'https://evil.example' },
    payload: staff('c@sz.gov.cn'),
  });
  assert.equal(wrongOrigin.statusCode, 403);
  const sameSite = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie, 'sec-fetch-site': 'same-origin' },
    payload: staff('d@sz.gov.cn'),
  });
  assert.equal(sameSite.statusCode, 201);
  const sameOrigin = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
    payload: staff('e@sz.gov.cn'),
  });
  assert.equal(sameOrigin.statusCode, 201);
  const bearer = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
    payload: staff('f@sz.gov.cn'),
  });
  assert.equal(bearer.statusCode, 201);
  const reads = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { cookie, origin: 'https://evil.example' },
  });
  assert.equal(reads.statusCode, 200, 'safe methods are not subject to the origin check');
  const rows = await ta.db
    .selectFrom('users')
    .select('email')
    .where('email', 'in', ['a@sz.gov.cn', 'b@sz.gov.cn', 'c@sz.gov.cn'])
    .execute();
  assert.equal(rows.length, 0);
});

test('personal API tokens: shown once, hashed at rest, scoped, revocable; cannot mint tokens', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const created = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers: user.headers,
    payload: { name: 'CI uploader', scopes: ['auth.me'], expiresInDays: 30 },
  });
  assert.equal(created.statusCode, 201);
  const token = created.json<{ id: string; token: string }>();
  assert.match(token.token, /^aigov_pat_/);
  const stored = await ta.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
  assert.notEqual(stored.token_hash, token.token);
  const list = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: user.headers });
  assert.equal(
    list.json<{ items: Array<{ id: string; token?: string }> }>().items[0]!.token,
    undefined,
    'never shown again',
  );

  const pat = { authorization: `Bearer ${token.token}` };
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: pat })).statusCode, 200);
  const outOfScope = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/organizations/${user.organizationId}`,
    headers: pat,
  });
  assert.equal(outOfScope.statusCode, 403, 'an action outside the token scopes is refused');
  const mint = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers: pat,
    payload: { name: 'x' },
  });
  assert.equal(mint.statusCode, 403);

  assert.equal(
    (await ta.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${token.id}`, headers: user.headers }))
      .statusCode,
    204,
  );
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: pat })).statusCode, 401);
  const bad = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { authorization: 'Bearer aigov_pat_nonsense' },
  });
  assert.equal(bad.statusCode, 401);
  const malformed = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { authorization: 'Basic Zm9vOmJhcg==' },
  });
  assert.equal(malformed.statusCode, 401);
});

/** Mints a personal API token with the user's session; returns its Bearer headers. */
async function mintApiToken(ta: Awaited<ReturnType<typeof buildTestApp>>, headers: { authorization: string }) {
  const created = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers,
    payload: { name: 'scripted uploader' },
  });
  assert.equal(created.statusCode, 201);
  const pat = { authorization: `Bearer ${created.json<{ token: string }>().token}` };
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: pat })).statusCode, 200);
  return pat;
}

/** The in-app notice that tells the user what the password change or reset revoked. */
async function passwordNotice(ta: Awaited<ReturnType<typeof buildTestApp>>, userId: string, kind: string) {
  return ta.db
    .selectFrom('notifications')
    .select(['title_zh', 'title_en'])
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

test('password change revokes every session and every personal API token; the new password works, the old does not', async (t) => {
  const ta = await buildTestApp(t);
  const user = await createUser(ta, { roles: ['statistician'] });
  // Issue #17, item 1: a token minted with a stolen password must die with the password.
  const pat = await mintApiToken(ta, user.headers);
  const secondPat = await mintApiToken(ta, user.headers);
  const weak = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: user.headers,
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
  });
  assert.equal(weak.statusCode, 422);
  const wrong = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: user.headers,
    payload: { currentPassword: 'not-it-at-all!', newPassword: 'Bao-an-district-2026' },
  });
  assert.equal(wrong.statusCode, 422);
  assert.equal(wrong.json<{ code: string }>().code, 'wrong_password');
  const changed = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: user.headers,
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'Bao-an-district-2026' },
  });
  assert.equal(changed.statusCode, 204);
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers })).statusCode, 401);
  for (const headers of [pat, secondPat]) {
    assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode, 401);
  }
  const live = await ta.db
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', user.id)
    .where('revoked_at', 'is', null)
    .execute();
  assert.deepEqual(live, []);
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('summary')
    .where('action', '=', 'user.password_changed')
    .executeTakeFirstOrThrow();
  assert.deepEqual(audit.summary, { sessionsRevoked: true, apiTokensRevoked: 2 });
  // The web app has no password page yet: the user learns it from a bilingual in-app notice.
  const notice = await passwordNotice(ta, user.id, 'user.password_changed');
  assert.ok(notice !== undefined, 'a notification tells the user what was revoked');
  assert.match(notice.title_zh, /API 令牌/);
  assert.match(notice.title_en, /2 personal API tokens/);
  const old = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  assert.equal(old.statusCode, 401);
  await loginCookie(ta, user.email, 'Bao-an-district-2026');
});

test('password reset: same answer for unknown email; one-time token through the outbox; revokes sessions and API tokens', async (t) => {
  const ta = await buildTestApp(t, { env: { AIGOV_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-mail-')) } });
  const user = await createUser(ta, { roles: ['data_steward'] });
  const pat = await mintApiToken(ta, user.headers);
  const unknown = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset-requests',
    payload: { email: 'nobody@example.cn' },
  });
  const known = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset-requests',
    payload: { email: user.email },
  });
  assert.equal(unknown.statusCode, 202);
  assert.equal(known.statusCode, 202);
  const event = await ta.db
    .selectFrom('outbox_events')
    .selectAll()
    .where('topic', '=', 'mail.password_reset')
    .executeTakeFirstOrThrow();
  const resetToken = String(event.payload.resetToken);
  // Delivery writes a mail file (0600) in the data dir and scrubs the token from the stored event.
  await drainOutbox(ta.db, ta.clock, outboxConsumers(ta.deps));
  const delivered = await ta.db
    .selectFrom('outbox_events')
    .selectAll()
    .where('id', '=', event.id)
    .executeTakeFirstOrThrow();
  assert.notEqual(delivered.processed_at, null);
  assert.equal(delivered.payload.resetToken, undefined);
  const mailDir = path.join(ta.config.dataDir, 'mail');
  const mail = fs.readdirSync(mailDir).find((name) => name.includes(event.id))!;
  assert.equal(fs.statSync(path.join(mailDir, mail)).mode & 0o777, 0o600);
  assert.ok(fs.readFileSync(path.join(mailDir, mail), 'utf8').includes(resetToken));
  const reset = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-resets',
    payload: { token: resetToken, newPassword: 'Yantian-port-2026!' },
  });
  assert.equal(reset.statusCode, 204);
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers })).statusCode, 401);
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: pat })).statusCode, 401);
  const notice = await passwordNotice(ta, user.id, 'user.password_reset');
  assert.ok(notice !== undefined, 'a notification tells the user what was revoked');
  assert.match(notice.title_en, /1 personal API token\b/);
  const reuse = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-resets',
    payload: { token: resetToken, newPassword: 'Yantian-port-2027!' },
  });
  assert.equal(reuse.statusCode, 422);
  await loginCookie(ta, user.email, 'Yantian-port-2026!');
});

test('sessions expire after the idle timeout', async (t) => {
  const ta = await buildTestApp(t);
  const user = await createUser(ta, { roles: ['reviewer'] });
  const token = await loginCookie(ta, user.email);
  ta.clock.advanceMs((ta.config.sessionIdleMinutes + 1) * 60_000);
  const me = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(me.statusCode, 401);
});

test('first start: a generated administrator password is written once with mode 0600', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bootstrap-'));
  const ta = await buildTestApp(t, { env: { AIGOV_DATA_DIR: dataDir } });
  const printed: string[] = [];
  const out = { write: (s: string) => printed.push(s) } as unknown as NodeJS.WritableStream;
  await ensureFirstAdministrator(ta.deps, ta.app.log, out);
  const file = path.join(dataDir, INITIAL_PASSWORD_FILE);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const [email, password] = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.ok(printed.join('').includes(password!));
  await loginCookie(ta, email!, password);
  await ensureFirstAdministrator(ta.deps, ta.app.log, out);
  const admins = await ta.db.selectFrom('users').select('id').execute();
  assert.equal(admins.length, 1, 'a second start creates nobody');
});

test('first start from AIGOV_ADMIN_EMAIL / AIGOV_ADMIN_PASSWORD writes no password file', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bootstrap-'));
  const ta = await buildTestApp(t, {
    env: { AIGOV_DATA_DIR: dataDir, AIGOV_ADMIN_EMAIL: 'chief@sz.gov.cn', AIGOV_ADMIN_PASSWORD: 'Shenzhen-bay-2026' },
  });
  await ensureFirstAdministrator(ta.deps, ta.app.log, { write: () => true } as unknown as NodeJS.WritableStream);
  assert.equal(fs.existsSync(path.join(dataDir, INITIAL_PASSWORD_FILE)), false);
  await loginCookie(ta, 'chief@sz.gov.cn', 'Shenzhen-bay-2026');
});
