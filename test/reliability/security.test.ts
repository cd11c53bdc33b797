/**
 * Security checks (issue #9): headers on API and HTML responses, session cookie flags,
 * bare errors (no stack, no SQL) even when the database is gone, the 20 MB upload limit,
 * rate limits with Retry-After, and no secret in the logs at LOG_LEVEL=debug.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { WEB_DIST_DIR } from '../../src/platform/web.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createTestDatabase } from '../helpers/test-db.ts';
import { createOrgMember, createUser, randomUscc, TEST_PASSWORD } from '../factories.ts';
import { createFiling, createProduct, injectClient, multipartBody, type HttpResponse } from './workflow.ts';

const STACK_OR_SQL =
  /at .*\.[cm]?[tj]s:\d+|node_modules\/|\bSELECT\b|\bINSERT INTO\b|syntax error|violates|relation "/i;

/** JSON, problem and health responses: OWASP's API set (nothing to render, frame or sniff), no document headers. */
function assertApiSecurityHeaders(res: HttpResponse, what: string): void {
  const h = res.headers;
  assert.equal(h['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", `${what}: CSP`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h['x-powered-by'], undefined, `${what}: no X-Powered-By`);
  for (const documentOnly of ['referrer-policy', 'cross-origin-resource-policy', 'cross-origin-opener-policy']) {
    assert.equal(h[documentOnly], undefined, `${what}: ${documentOnly} is for documents`);
  }
}

/** HTML documents: helmet's whole set with the app's CSP. */
function assertDocumentSecurityHeaders(res: HttpResponse, what: string): void {
  const h = res.headers;
  assert.match(h['content-security-policy'] ?? '', /default-src 'self'/, `${what}: CSP`);
  assert.match(h['content-security-policy'] ?? '', /frame-ancestors 'none'/, `${what}: no framing`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.ok(h['x-frame-options'] !== undefined, `${what}: X-Frame-Options`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h['cross-origin-resource-policy'], 'same-origin', `${what}: CORP`);
  assert.ok(h['cross-origin-opener-policy'] !== undefined, `${what}: COOP`);
  assert.ok(h['origin-agent-cluster'] !== undefined, `${what}: Origin-Agent-Cluster`);
  assert.equal(h['x-powered-by'], undefined, `${what}: no X-Powered-By`);
}

let checks = 0;
const counted = <T>(value: T): T => {
  checks += 1;
  return value;
};

test('security headers on API, problem, health and HTML responses; HSTS only over https', async (t) => {
  const ta = await buildTestApp(t);
  const client = injectClient(ta.app);
  for (const url of ['/api/v1/catalogue', '/api/v1/does-not-exist', '/healthz', '/api/v1/auth/me']) {
    const res = await client.send({ method: 'GET', url });
    assertApiSecurityHeaders(res, url);
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
    counted(url);
  }
  if (fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
    const page = await client.send({ method: 'GET', url: '/search?q=x', headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assertDocumentSecurityHeaders(page, 'HTML page');
    const root = await client.send({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    assert.equal(root.status, 200);
    assertDocumentSecurityHeaders(root, 'index.html from the static files');
    counted('html');
  } else {
    t.diagnostic('dist/web not built: HTML headers not checked');
  }
  const docs = await client.send({ method: 'GET', url: '/docs', headers: { accept: 'text/html' } });
  assert.equal(docs.status, 200);
  assert.ok(docs.headers['cross-origin-opener-policy'] !== undefined, '/docs is a document');
  assert.ok(docs.headers['content-security-policy'] !== undefined, '/docs has a CSP');
  counted('docs');
  const https = await buildTestApp(t, { env: { AIGOV_PUBLIC_URL: 'https://aigov.example.gov.cn' } });
  const secure = await injectClient(https.app).send({ method: 'GET', url: '/api/v1/catalogue' });
  assert.match(secure.headers['strict-transport-security'] ?? '', /max-age=\d+/);
  counted('hsts');
});

test('session cookie: HttpOnly, SameSite=Lax, Path=/; Secure when AIGOV_PUBLIC_URL is https', async (t) => {
  for (const [env, secure] of [
    [{}, false],
    [{ AIGOV_PUBLIC_URL: 'https://aigov.example.gov.cn' }, true],
  ] as const) {
    const ta = await buildTestApp(t, { env });
    const user = await createUser(ta, { roles: ['reviewer'] });
    const res = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^aigov_session=aigov_s_/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.equal(/; Secure/.test(cookie), secure, `Secure flag with ${JSON.stringify(env)}`);
    // A cookie-authenticated write from another site is refused (CSRF), a same-origin one is not.
    const token = /^aigov_session=([^;]+)/.exec(cookie)![1]!;
    const crossSite = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { cookie: `aigov_session=${token}`, origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: { name: 'x' },
    });
    assert.equal(crossSite.statusCode, 403);
    counted(cookie);
  }
});

test('errors are bare problem+json: no stack, no SQL — even when the database is gone', async (t) => {
  const ta = await buildTestApp(t);
  const member = await createOrgMember(ta);
  await ta.database.close();
  for (const [method, url] of [
    ['GET', '/api/v1/products'],
    ['GET', '/api/v1/catalogue'],
    ['GET', '/api/v1/public/products?q=x'],
    ['GET', '/readyz'],
  ] as const) {
    const res = await ta.app.inject({ method, url, headers: member.user.headers });
    assert.ok(res.statusCode >= 400, `${url} → ${res.statusCode}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.doesNotMatch(res.body, STACK_OR_SQL, `${url}: ${res.body}`);
    if (res.statusCode === 500) assert.equal(res.json<{ code: string }>().code, 'internal_error');
    counted(url);
  }
});

test('uploads over 20 MB → 413 problem; nothing stored', async (t) => {
  const ta = await buildTestApp(t);
  const client = injectClient(ta.app);
  const { user } = await createOrgMember(ta);
  const product = await createProduct(client, user.headers, 'high');
  const filing = await createFiling(client, user.headers, product.id, 'high');
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
  const { boundary, body } = multipartBody(
    { documentType: 'risk_assessment_report' },
    { name: 'big.txt', contentType: 'text/plain', bytes: big },
  );
  const res = await client.send({
    method: 'POST',
    url: `/api/v1/filings/${filing.id}/documents`,
    headers: { ...user.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    raw: body,
  });
  assert.equal(res.status, 413, res.text.slice(0, 300));
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  const stored = await ta.db.selectFrom('filing_documents').select('id').execute();
  assert.equal(stored.length, 0);
  const json = await client.send({
    method: 'POST',
    url: '/api/v1/registrations',
    raw: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(json.status, 413, 'JSON bodies are capped by AIGOV_BODY_LIMIT_BYTES (1 MiB)');
  counted('413');
});

test('rate limits: login 429 with Retry-After per address; anonymous self-check 429 with Retry-After', async (t) => {
  const ta = await buildTestApp(t, { env: { AIGOV_SELF_CHECK_RATE_LIMIT: '3' } });
  const client = injectClient(ta.app);
  let last: HttpResponse | undefined;
  // Twenty failures from one address on different accounts lock the address.
  for (let i = 0; i < 21; i += 1) {
    last = await client.send({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: `nobody-${i}@example.cn`, password: 'wrong-password-123' },
    });
  }
  assert.equal(last!.status, 429);
  assert.ok(Number(last!.headers['retry-after']) > 0);
  assert.match(last!.headers['content-type'] ?? '', /^application\/problem\+json/);
  counted('login 429');
  const answers = { domain: 'industrial' };
  const statuses: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const res = await client.send({ method: 'POST', url: '/api/v1/risk/assessments', body: { answers } });
    statuses.push(res.status);
    last = res;
  }
  assert.equal(statuses.filter((s) => s === 429).length, 2, statuses.join(','));
  assert.ok(Number(last!.headers['retry-after']) > 0);
  counted('self-check 429');
});

/** The real app with a capturing log stream at LOG_LEVEL=debug. */
async function appWithCapturedLogs(t: Parameters<typeof buildTestApp>[0]) {
  const created = await createTestDatabase();
  const config = loadConfig(
    {
      AIGOV_WEB_BUILD: 'never',
      LOG_LEVEL: 'debug',
      AIGOV_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-sec-')),
    },
    process.cwd(),
  );
  const clock = new ManualClock();
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const app = await buildApp({ config, database: created.handle, clock, logger: { stream } });
  t.after(async () => {
    await app.close();
    await created.drop();
  });
  const deps = { config, db: created.handle.db, dbKind: created.handle.kind, clock };
  const ta: TestApp = { app, database: created.handle, db: created.handle.db, clock, config, deps };
  return { ta, lines };
}

test('secrets never reach the logs (LOG_LEVEL=debug): passwords, tokens, cookies, Authorization', async (t) => {
  const { ta, lines } = await appWithCapturedLogs(t);
  const secrets: string[] = [];
  const password = 'Registration-secret-2026!';
  secrets.push(password);
  const registered = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/registrations',
    payload: {
      organization: { name: '日志测试科技有限公司', uscc: randomUscc(), type: 'enterprise' },
      admin: { email: 'log-admin@example.cn', name: '日志管理员', password },
    },
  });
  assert.equal(registered.statusCode, 201);
  // A failed login with a near-miss password, then a successful one.
  secrets.push('Registration-secret-2027!');
  await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'log-admin@example.cn', password: 'Registration-secret-2027!' },
  });
  const login = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'log-admin@example.cn', password },
  });
  assert.equal(login.statusCode, 200);
  const token = login.json<{ token: string }>().token;
  secrets.push(token);
  await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
  await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `aigov_session=${token}` } });
  const created = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: 'ci' },
  });
  assert.equal(created.statusCode, 201);
  const apiToken = created.json<{ token: string }>().token;
  secrets.push(apiToken);
  await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${apiToken}` } });
  // A bad Bearer token is an error that gets logged: its value must not be.
  const bogus = `aigov_s_${'Q'.repeat(43)}`;
  secrets.push(bogus);
  await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${bogus}` } });
  const staff = await createUser(ta, { roles: ['regulator_admin'] });
  secrets.push(staff.token);
  const newPassword = 'Staff-member-secret-2026!';
  secrets.push(newPassword);
  await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: staff.headers,
    payload: { email: 'staff-log@example.cn', name: '工作人员', roles: ['reviewer'], password: newPassword },
  });
  await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: { authorization: `Bearer ${token}` },
    payload: { currentPassword: password, newPassword: 'Changed-password-secret-2026!' },
  });
  secrets.push('Changed-password-secret-2026!');
  await ta.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${apiToken}` } });

  const log = lines.join('');
  assert.ok(lines.length > 10, `the app logged at debug (${lines.length} lines)`);
  for (const secret of secrets) {
    assert.equal(log.includes(secret), false, `secret ${secret.slice(0, 12)}… appears in the logs`);
    counted(secret);
  }
  assert.doesNotMatch(log, /aigov_(s|pat|rst)_[A-Za-z0-9_-]{20,}/, 'no token-shaped string in the logs');
  t.diagnostic(`secrets: ${secrets.length} secrets checked against ${lines.length} log lines`);
});

test('a password-reset token never reaches stdout, where production logs go', async (t) => {
  const { ta } = await appWithCapturedLogs(t);
  const user = await createUser(ta, { roles: ['reviewer'] });
  const res = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset-requests',
    payload: { email: user.email },
  });
  assert.equal(res.statusCode, 202);
  const written: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  };
  try {
    await drainOutbox(ta.db, ta.clock, outboxConsumers(ta.deps));
  } finally {
    process.stdout.write = original;
  }
  assert.doesNotMatch(written.join(''), /aigov_rst_/);
});

test('summary', () => {
  console.log(`security: ${checks} checks passed (headers, cookies, bare errors, 413, 429, secrets in logs)`);
});
