// Mail through a real SMTP server (smtp-server) on 127.0.0.1, parsed back with mailparser.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { notificationMail, passwordResetMail } from './email-templates.ts';
import {
  createMailSender,
  createSmtpMailSender,
  defaultMailFrom,
  MailDeliveryError,
  type MailMessage,
  parseSmtpUrl,
} from './email-transport.ts';
import { createFileDropMailSender } from './mail-drop-files.ts';

const FROM = '深圳市人工智能监管 <no-reply@aigov.example.gov.cn>';

interface Delivery {
  from: string | undefined;
  to: string[];
  secure: boolean;
  user: string | undefined;
  mail: ParsedMail;
}

/** An SMTP server on 127.0.0.1 that parses what it receives; `options` shape its behaviour. */
async function smtpServer(t: TestContext, options: SMTPServerOptions = {}) {
  const deliveries: Delivery[] = [];
  const logins: Array<{ username: string | undefined; password: string | undefined }> = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username, password: auth.password ?? undefined });
      if (auth.username === 'aigov' && auth.password === 'p@ss:w/rd 密') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          deliveries.push({
            from: session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
            mail,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    ...options,
  });
  // A client that drops a TLS handshake (the untrusted-certificate case) is an 'error' here.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.server.address() as AddressInfo).port;
  return { port, deliveries, logins };
}

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    id: '0195f3a0-0000-7000-8000-0000000000aa',
    to: 'reviewer@example.cn',
    date: new Date('2026-03-02T02:00:00Z'),
    ...notificationMail(
      {
        titleZh: '新的评估申请待审查：医疗影像辅助诊断系统',
        titleEn: 'New assessment to review: imaging assistant',
        link: '/filings/0195f3a0-0000-7000-8000-000000000001',
      },
      { publicUrl: 'https://aigov.example.gov.cn' },
    ),
    ...overrides,
  };
}

test('a notification reaches the SMTP server over smtp:// without STARTTLS, bilingual, with stable headers', async (t) => {
  const server = await smtpServer(t);
  const sender = createSmtpMailSender(`smtp://127.0.0.1:${server.port}`, { from: FROM });
  t.after(() => sender.close());
  const sent = await sender.send(message());
  assert.equal(sent.messageId, '<0195f3a0-0000-7000-8000-0000000000aa@aigov.example.gov.cn>');

  assert.equal(server.deliveries.length, 1);
  const [delivery] = server.deliveries;
  assert.equal(delivery!.from, 'no-reply@aigov.example.gov.cn');
  assert.deepEqual(delivery!.to, ['reviewer@example.cn']);
  assert.equal(delivery!.secure, false);
  const mail = delivery!.mail;
  assert.equal(mail.subject, '新的评估申请待审查：医疗影像辅助诊断系统 / New assessment to review: imaging assistant');
  assert.equal(mail.messageId, sent.messageId);
  assert.deepEqual(mail.from?.value, [{ address: 'no-reply@aigov.example.gov.cn', name: '深圳市人工智能监管' }]);
  assert.equal(mail.date?.toISOString(), '2026-03-02T02:00:00.000Z');
  assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
  assert.equal(mail.headers.get('content-language'), 'zh-CN, en');
  for (const part of [mail.text ?? '', typeof mail.html === 'string' ? mail.html : '']) {
    assert.ok(part.includes('新的评估申请待审查：医疗影像辅助诊断系统'), 'Chinese');
    assert.ok(part.includes('New assessment to review: imaging assistant'), 'English');
    assert.ok(part.includes('https://aigov.example.gov.cn/filings/0195f3a0-0000-7000-8000-000000000001'));
  }
});

test('credentials are not sent over a connection without STARTTLS unless the URL says requireTLS=false', async (t) => {
  const server = await smtpServer(t, { allowInsecureAuth: true, authOptional: false });
  const credentials = `${encodeURIComponent('aigov')}:${encodeURIComponent('p@ss:w/rd 密')}`;
  const strict = createSmtpMailSender(`smtp://${credentials}@127.0.0.1:${server.port}`, { from: FROM });
  t.after(() => strict.close());
  await assert.rejects(strict.send(message()), (error: unknown) => {
    assert.ok(error instanceof MailDeliveryError);
    assert.match(error.message, /STARTTLS/);
    assert.ok(!error.message.includes('p@ss'), error.message);
    return true;
  });
  assert.deepEqual(server.logins, [], 'the password never left the client');
  assert.equal(server.deliveries.length, 0);

  const relaxed = createSmtpMailSender(`smtp://${credentials}@127.0.0.1:${server.port}?requireTLS=false`, {
    from: FROM,
  });
  t.after(() => relaxed.close());
  await relaxed.send(message());
  assert.deepEqual(server.logins, [{ username: 'aigov', password: 'p@ss:w/rd 密' }]);
  assert.equal(server.deliveries[0]?.user, 'aigov');
});

test('a wrong password is a mail error that does not repeat the password', async (t) => {
  const server = await smtpServer(t, { allowInsecureAuth: true, authOptional: false });
  const sender = createSmtpMailSender(`smtp://aigov:wrong-secret-pw@127.0.0.1:${server.port}?requireTLS=false`, {
    from: FROM,
  });
  t.after(() => sender.close());
  await assert.rejects(sender.send(message()), (error: unknown) => {
    assert.ok(error instanceof MailDeliveryError);
    assert.equal(error.permanent, true);
    assert.equal(error.responseCode, 535);
    assert.match(error.message, /^EAUTH: /);
    assert.ok(!error.message.includes('wrong-secret-pw'));
    return true;
  });
});

test('a recipient the server refuses is a permanent error (5xx), a deferral a transient one (4xx)', async (t) => {
  const server = await smtpServer(t, {
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone@')) {
        callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      } else if (address.address.startsWith('busy@')) {
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      } else callback();
    },
  });
  const sender = createSmtpMailSender(`smtp://127.0.0.1:${server.port}`, { from: FROM });
  t.after(() => sender.close());
  await assert.rejects(sender.send(message({ to: 'gone@example.cn' })), (error: unknown) => {
    assert.ok(error instanceof MailDeliveryError);
    assert.equal(error.permanent, true);
    assert.equal(error.responseCode, 550);
    assert.match(error.message, /No such user/);
    return true;
  });
  await assert.rejects(sender.send(message({ to: 'busy@example.cn' })), (error: unknown) => {
    assert.ok(error instanceof MailDeliveryError);
    assert.equal(error.permanent, false);
    assert.equal(error.responseCode, 451);
    return true;
  });
  assert.equal(server.deliveries.length, 0);
});

test('a server that is not there is a transient error', async (t) => {
  // A port that was just free: nothing answers on it any more.
  const probe = new SMTPServer({ logger: false });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const freePort = (probe.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const sender = createSmtpMailSender(`smtp://127.0.0.1:${freePort}`, { from: FROM });
  t.after(() => sender.close());
  await assert.rejects(sender.send(message()), (error: unknown) => {
    assert.ok(error instanceof MailDeliveryError);
    assert.equal(error.permanent, false);
    assert.match(error.message, /ECONNECTION|ECONNREFUSED/);
    return true;
  });
});

/** A throw-away certificate for `name` from the openssl command line, or undefined without it. */
function selfSignedCertificate(t: TestContext, name: string): { key: string; cert: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-smtp-tls-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'],
        ...['-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`],
        ...['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return {
    key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
    cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
  };
}

test('with STARTTLS offered, credentials go over TLS; smtps:// is TLS from the start', async (t) => {
  const pair = selfSignedCertificate(t, 'localhost');
  if (pair === undefined) {
    t.skip('openssl is not installed');
    return;
  }
  const starttls = await smtpServer(t, { disabledCommands: [], authOptional: false, ...pair });
  const upgraded = createSmtpMailSender(
    `smtp://aigov:${encodeURIComponent('p@ss:w/rd 密')}@localhost:${starttls.port}`,
    {
      from: FROM,
      ca: pair.cert,
    },
  );
  t.after(() => upgraded.close());
  await upgraded.send(message());
  assert.equal(starttls.deliveries[0]?.secure, true);
  assert.equal(starttls.deliveries[0]?.user, 'aigov');

  const implicit = await smtpServer(t, { secure: true, ...pair });
  const smtps = createSmtpMailSender(`smtps://localhost:${implicit.port}`, { from: FROM, ca: pair.cert });
  t.after(() => smtps.close());
  await smtps.send(
    message({
      ...passwordResetMail({ name: '李四', resetToken: 'tok', expiresInMinutes: 60 }, { publicUrl: undefined }),
    }),
  );
  assert.equal(implicit.deliveries[0]?.secure, true);
  assert.equal(implicit.deliveries[0]?.mail.subject, 'aigov 密码重置 / aigov password reset');

  // An untrusted certificate is refused, not silently accepted.
  const untrusted = createSmtpMailSender(`smtps://localhost:${implicit.port}`, { from: FROM });
  t.after(() => untrusted.close());
  await assert.rejects(untrusted.send(message()), MailDeliveryError);
});

test('AIGOV_SMTP_URL: smtp or smtps only, known parameters only, credentials decoded', () => {
  const parsed = parseSmtpUrl(
    'smtp://user%40corp:p%3Ass@mail.example.cn:2525?name=aigov.example&tls.rejectUnauthorized=false',
  );
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.settings, {
    host: 'mail.example.cn',
    port: 2525,
    secure: false,
    auth: { user: 'user@corp', pass: 'p:ss' },
    requireTLS: true,
    ignoreTLS: false,
    name: 'aigov.example',
    tls: { rejectUnauthorized: false },
  });
  const smtps = parseSmtpUrl('smtps://mail.example.cn');
  assert.ok(smtps.ok);
  assert.equal(smtps.settings.port, 465);
  assert.equal(smtps.settings.secure, true);
  assert.equal(smtps.settings.requireTLS, false, 'already TLS');
  const plain = parseSmtpUrl('smtp://relay.internal');
  assert.ok(plain.ok);
  assert.equal(plain.settings.port, 587);
  assert.equal(plain.settings.requireTLS, false, 'no credentials to protect');

  const problem = (url: string) => {
    const result = parseSmtpUrl(url);
    assert.ok(!result.ok, url);
    return result.problem;
  };
  assert.match(problem('mail.example.cn'), /not a URL/);
  assert.match(problem('http://mail.example.cn'), /smtp:\/\/ or smtps:\/\//);
  assert.match(problem('smtp://mail.example.cn?sendmail=true'), /sendmail is not supported/);
  assert.match(problem('smtp://mail.example.cn?path=/usr/sbin/sendmail'), /path is not supported/);
  assert.match(problem('smtp://mail.example.cn?constructor=x'), /constructor is not supported/);
  assert.match(problem('smtp://mail.example.cn?requireTLS=yes'), /true or false/);
  assert.match(problem('smtp://mail.example.cn/x'), /has a path/);
  assert.match(problem('smtp://u:pw@mail.example.cn?ignoreTLS=true'), /both require and ignore/);
  assert.ok(!problem('smtp://u:secret-pw@mail.example.cn?bogus=1').includes('secret-pw'));
  assert.throws(() => createSmtpMailSender('smtp://mail.example.cn?sendmail=true', { from: FROM }), /not supported/);
});

test('without AIGOV_SMTP_URL mail goes to the file drop, one 0600 file per message', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-mail-drop-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mailDir = path.join(dir, 'mail');
  const clock = { now: () => new Date('2026-03-02T02:00:00Z') };
  const sender = createMailSender({
    smtpUrl: undefined,
    from: FROM,
    fallback: () => createFileDropMailSender(mailDir, clock),
  });
  assert.equal(sender.kind, 'file');
  await sender.send(message({ date: undefined, to: 'a@example.cn\r\nBcc: b@example.cn' }));
  const [name] = fs.readdirSync(mailDir);
  assert.equal(name, '2026-03-02T02-00-00-000Z-0195f3a0-0000-7000-8000-0000000000aa.txt');
  assert.equal(fs.statSync(path.join(mailDir, name)).mode & 0o777, 0o600);
  assert.equal(fs.statSync(mailDir).mode & 0o777, 0o700);
  const content = fs.readFileSync(path.join(mailDir, name), 'utf8');
  assert.ok(content.startsWith('To: a@example.cn Bcc: b@example.cn\nSubject: 新的评估申请待审查'));
  assert.ok(content.includes('New assessment to review'));
  await assert.rejects(sender.send(message({ id: '../escape' })), RangeError);

  assert.equal(createMailSender({ smtpUrl: 'smtp://127.0.0.1:1', from: FROM, fallback: () => sender }).kind, 'smtp');
});

test('the default sender address uses the public URL host', () => {
  assert.equal(defaultMailFrom('https://aigov.example.gov.cn/x'), 'aigov <no-reply@aigov.example.gov.cn>');
  assert.equal(defaultMailFrom(undefined), 'aigov <no-reply@localhost>');
});
