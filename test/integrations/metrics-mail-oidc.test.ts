import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createUser } from '../factories.ts';
import { startOidcProvider } from '../helpers/oidc-provider.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { ensureNotificationMailStart, mailNotifications } from '../../src/modules/integrations/mail.ts';
import { notify } from '../../src/modules/notifications/index.ts';
import { drain } from './helpers.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

test('GET /metrics: 404 unset, 401 without or with a wrong token, Prometheus text with the route template', async (t) => {
  const off = await buildTestApp(t);
  assert.equal((await off.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);

  const ta = await buildTestApp(t, { env: { AIGOV_METRICS_TOKEN: TOKEN } });
  assert.equal((await ta.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
  const wrong = await ta.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.statusCode, 401);
  const user = await createUser(ta, { roles: ['reviewer'] });
  await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers });
  await ta.app.inject({
    method: 'GET',
    url: '/api/v1/filings/0190a000-0000-7000-8000-000000000000',
    headers: user.headers,
  });
  const scrape = await ta.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(scrape.statusCode, 200);
  assert.match(String(scrape.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const families = new Map(parsePrometheusTextFormat(scrape.body).map((f) => [f.name, f]));
  for (const name of [
    'aigov_http_requests_total',
    'aigov_http_request_duration_seconds',
    'aigov_filings',
    'aigov_overdue',
    'aigov_outbox_lag_seconds',
    'aigov_transparency_log_size',
    'aigov_webhook_messages',
    'aigov_outbox_retrying_events',
  ]) {
    assert.ok(families.has(name), `${name} is exposed`);
  }
  assert.equal(families.get('aigov_http_request_duration_seconds')!.type, 'HISTOGRAM');
  const requests = families.get('aigov_http_requests_total')!.metrics;
  assert.ok(
    requests.some(
      (m) => m.labels?.route === '/api/v1/filings/:id' && m.labels.status === '404' && m.labels.method === 'GET',
    ),
    'labelled with the route template, not the path',
  );
  assert.ok(!scrape.body.includes('0190a000-0000-7000-8000-000000000000'));
  assert.ok(families.get('aigov_filings')!.metrics.some((m) => m.labels?.status === 'submitted' && m.value === '0'));
});

async function smtpServer(t: TestContext) {
  const mails: Array<{ to: string[]; mail: ParsedMail }> = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

test('AIGOV_SMTP_URL: the password reset and every notification go to the user by SMTP, in both languages', async (t) => {
  const smtp = await smtpServer(t);
  const ta = await buildTestApp(t, { env: { AIGOV_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
  const user = await createUser(ta, { roles: ['reviewer'], email: 'reviewer.li@example.cn' });

  const reset = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset-requests',
    payload: { email: user.email },
  });
  assert.equal(reset.statusCode, 202);
  await drain(ta);
  assert.equal(smtp.mails.length, 1);
  const [resetMail] = smtp.mails;
  assert.deepEqual(resetMail!.to, [user.email]);
  assert.match(resetMail!.mail.subject ?? '', /密码重置 \/ aigov password reset/);
  assert.match(resetMail!.mail.text ?? '', /重置令牌：aigov_rst_\S+/);
  assert.match(resetMail!.mail.text ?? '', /Reset token: aigov_rst_\S+/);
  const event = await ta.db
    .selectFrom('outbox_events')
    .selectAll()
    .where('topic', '=', 'mail.password_reset')
    .executeTakeFirstOrThrow();
  assert.equal(event.payload.resetToken, undefined, 'the token left the outbox once sent');

  // Notifications from before SMTP was turned on are not mailed; later ones are, once.
  await ta.db
    .transaction()
    .execute((trx) =>
      notify(trx, ta.clock, [{ target: { userId: user.id }, kind: 'old', titleZh: '旧通知', titleEn: 'Old notice' }]),
    );
  ta.clock.advanceMs(1000);
  await ensureNotificationMailStart(ta.deps);
  await ta.db.transaction().execute((trx) =>
    notify(trx, ta.clock, [
      {
        target: { role: 'reviewer' },
        kind: 'filing.submitted',
        titleZh: '新的评估申请待审查',
        titleEn: 'New assessment to review',
        link: '/review',
      },
    ]),
  );
  assert.equal(await mailNotifications(ta.deps), 1);
  assert.equal(await mailNotifications(ta.deps), 0);
  assert.equal(smtp.mails.length, 2);
  const notice = smtp.mails[1]!;
  assert.deepEqual(notice.to, [user.email]);
  assert.equal(notice.mail.subject, '新的评估申请待审查 / New assessment to review');
  assert.match(notice.mail.text ?? '', /您好/);
  assert.match(notice.mail.text ?? '', /Hello/);
});

test('staff single sign-on: the OIDC round trip, a wrong state, a wrong nonce, an unknown e-mail', async (t) => {
  const provider = await startOidcProvider(t, {
    accounts: [
      { email: 'staff.wang@example.gov.cn', emailVerified: true },
      { email: 'stranger@example.gov.cn', emailVerified: true },
      { email: 'unverified@example.gov.cn', emailVerified: false },
    ],
  });
  const ta = await buildTestApp(t, {
    env: {
      AIGOV_PUBLIC_URL: 'http://127.0.0.1:3000',
      AIGOV_OIDC_ISSUER: provider.issuer,
      AIGOV_OIDC_CLIENT_ID: provider.clientId,
      AIGOV_OIDC_CLIENT_SECRET: provider.clientSecret,
    },
  });
  const staff = await createUser(ta, { roles: ['reviewer'], email: 'staff.wang@example.gov.cn' });
  await createUser(ta, { roles: ['reviewer'], email: 'unverified@example.gov.cn' });

  const start = async () => {
    const login = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    assert.equal(login.statusCode, 302, login.body);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    assert.match(String(login.headers['set-cookie']), /HttpOnly/i);
    return { location: String(login.headers.location), cookie };
  };
  const callback = (url: URL, cookie: string) =>
    ta.app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { cookie } });

  // The round trip.
  const ok = await start();
  const authorization = new URL(ok.location);
  assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
  const back = await provider.signIn(ok.location, staff.email);
  const signedIn = await callback(back, ok.cookie);
  assert.equal(signedIn.statusCode, 302, signedIn.body);
  assert.equal(signedIn.headers.location, '/');
  const session = [signedIn.headers['set-cookie']].flat().find((c) => String(c).startsWith('aigov_session='))!;
  const me = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { cookie: String(session).split(';')[0]! },
  });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json<{ user: { id: string } }>().user.id, staff.id);
  // The login is spent: the same callback again is refused.
  assert.equal((await callback(back, ok.cookie)).statusCode, 400);

  // A wrong state.
  const crossed = await start();
  const crossedBack = await provider.signIn(crossed.location, staff.email);
  crossedBack.searchParams.set('state', 'forged-state');
  const refusedState = await callback(crossedBack, crossed.cookie);
  assert.equal(refusedState.statusCode, 401);
  assert.equal(refusedState.json<{ code: string; reason: string }>().reason, 'state_mismatch');

  // A wrong nonce: the pending login's nonce is not the one the ID token carries.
  const replay = await start();
  await ta.db.updateTable('oidc_logins').set({ nonce: 'another-nonce-value' }).execute();
  const replayBack = await provider.signIn(replay.location, staff.email);
  const refusedNonce = await callback(replayBack, replay.cookie);
  assert.equal(refusedNonce.statusCode, 401);
  assert.equal(refusedNonce.json<{ reason: string }>().reason, 'nonce_mismatch');

  // An e-mail no staff account has.
  const unknown = await start();
  const unknownBack = await provider.signIn(unknown.location, 'stranger@example.gov.cn');
  const refusedUser = await callback(unknownBack, unknown.cookie);
  assert.equal(refusedUser.statusCode, 403);
  assert.equal(refusedUser.json<{ code: string }>().code, 'sso_user_unknown');

  // An address the provider did not verify.
  const unverified = await start();
  const unverifiedBack = await provider.signIn(unverified.location, 'unverified@example.gov.cn');
  const refusedUnverified = await callback(unverifiedBack, unverified.cookie);
  assert.equal(refusedUnverified.statusCode, 401);
  assert.equal(refusedUnverified.json<{ reason: string }>().reason, 'email_unverified');

  // Without the browser's cookie.
  const cookieless = await start();
  const cookielessBack = await provider.signIn(cookieless.location, staff.email);
  assert.equal((await callback(cookielessBack, '')).statusCode, 400);

  const off = await buildTestApp(t);
  assert.equal((await off.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })).statusCode, 404);
});
