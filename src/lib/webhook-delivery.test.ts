// Real HTTP(S) deliveries to receivers on 127.0.0.1 — the only address these tests talk to.
// Names are resolved by an injected lookup and the target is allow-listed, as an operator
// would allow-list an internal receiver.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { type HostLookup, resolveWebhookTarget, type WebhookTarget } from './ssrf-guard.ts';
import { deliverWebhook } from './webhook-delivery.ts';
import { generateWebhookSecret, signWebhook } from './webhook-signature.ts';

const loopbackDns: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(t: TestContext, server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

/** A receiver that records each request and answers with `answer`. */
async function receiver(
  t: TestContext,
  answer: (req: Received, res: http.ServerResponse) => void,
): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      answer(entry, res);
    });
  });
  return { port: await listen(t, server), received };
}

async function allowListedTarget(url: string, host = 'hooks.test'): Promise<WebhookTarget> {
  const result = await resolveWebhookTarget(url, { allowHosts: new Set([host]), lookup: loopbackDns });
  assert.ok(result.ok, JSON.stringify(result));
  return result.target;
}

function signedRequest(secret: string, body: string) {
  return { body, headers: signWebhook({ messageId: 'msg_1', wallClock: new Date(), body, secrets: [secret] }) };
}

const BODY = JSON.stringify({
  type: 'filing.decided',
  timestamp: '2026-03-02T02:00:00.000Z',
  data: { filingId: 'f1' },
});

test('a signed webhook reaches an allow-listed receiver on its pinned address, verified by the reference library', async (t) => {
  const secret = generateWebhookSecret();
  const verified: unknown[] = [];
  const { port, received } = await receiver(t, (req, res) => {
    verified.push(new Webhook(secret).verify(req.body, req.headers as Record<string, string>));
    res.writeHead(204).end();
  });
  // hooks.test exists only in the injected lookup: had the request been resolved again, it
  // would have failed, so its arrival proves the pinned address was used.
  const target = await allowListedTarget(`http://hooks.test:${port}/aigov/hook?tenant=7`);
  const attempt = await deliverWebhook(target, signedRequest(secret, BODY));
  assert.deepEqual(attempt.outcome, { kind: 'delivered', status: 204 });
  assert.ok(attempt.latencyMs >= 0);
  assert.equal(received.length, 1);
  const [request] = received;
  assert.equal(request!.method, 'POST');
  assert.equal(request!.url, '/aigov/hook?tenant=7');
  assert.equal(request!.headers.host, `hooks.test:${port}`);
  assert.equal(request!.headers['content-type'], 'application/json');
  assert.equal(request!.headers['webhook-id'], 'msg_1');
  assert.equal(request!.body, BODY);
  assert.deepEqual(verified, [JSON.parse(BODY)]);
});

test('a non-2xx answer is a rejected attempt with its status', async (t) => {
  const { port } = await receiver(t, (_req, res) => res.writeHead(503).end('busy'));
  const attempt = await deliverWebhook(await allowListedTarget(`http://hooks.test:${port}/`), {
    body: BODY,
    headers: {},
  });
  assert.deepEqual(attempt.outcome, { kind: 'rejected', status: 503 });
});

test('a redirect is a failed attempt and is never followed', async (t) => {
  const elsewhere = await receiver(t, (_req, res) => res.writeHead(200).end());
  const { port } = await receiver(t, (_req, res) =>
    res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/steal` }).end(),
  );
  const attempt = await deliverWebhook(await allowListedTarget(`http://hooks.test:${port}/`), {
    body: BODY,
    headers: {},
  });
  assert.deepEqual(attempt.outcome, { kind: 'rejected', status: 307 });
  assert.equal(elsewhere.received.length, 0);
});

test('no answer within the timeout is a failed attempt', async (t) => {
  const { port, received } = await receiver(t, () => undefined); // reads the request, never answers
  const attempt = await deliverWebhook(
    await allowListedTarget(`http://hooks.test:${port}/`),
    { body: BODY, headers: {} },
    { timeoutMs: 200 },
  );
  assert.deepEqual(attempt.outcome, { kind: 'failed', error: 'no answer within 200 ms' });
  assert.ok(attempt.latencyMs >= 190, String(attempt.latencyMs));
  assert.equal(received.length, 1);
});

test('a 2xx status line is a delivery even when the body then stalls', async (t) => {
  const { port } = await receiver(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('accepted, and then nothing more');
  });
  const attempt = await deliverWebhook(
    await allowListedTarget(`http://hooks.test:${port}/`),
    { body: BODY, headers: {} },
    { timeoutMs: 200 },
  );
  assert.deepEqual(attempt.outcome, { kind: 'delivered', status: 200 });
});

test('an endless answer is cut at the body cap', { timeout: 10_000 }, async (t) => {
  let written = 0;
  let closedByClient: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (closedByClient = resolve));
  const server = http.createServer((_req, res) => {
    res.writeHead(500);
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) written += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => closedByClient());
    pump();
  });
  const port = await listen(t, server);
  const attempt = await deliverWebhook(
    await allowListedTarget(`http://hooks.test:${port}/`),
    { body: BODY, headers: {} },
    { timeoutMs: 60_000, responseBodyCap: 64 * 1024 },
  );
  assert.deepEqual(attempt.outcome, { kind: 'rejected', status: 500 });
  await closed; // the receiver sees the connection closed while it still has more to send
  assert.ok(written < 64 * 1024 * 1024, `${written} bytes written before the cut`);
});

test('a closed port is a failed attempt naming the host', async (t) => {
  const server = http.createServer();
  const port = await listen(t, server);
  await new Promise((resolve) => server.close(resolve));
  const attempt = await deliverWebhook(await allowListedTarget(`http://hooks.test:${port}/`), {
    body: BODY,
    headers: {},
  });
  assert.deepEqual(attempt.outcome, {
    kind: 'failed',
    error: `connection refused by hooks.test (127.0.0.1):${port}`,
  });
});

test('a header value that cannot be sent is a failed attempt, not an exception', async (t) => {
  const { port, received } = await receiver(t, (_req, res) => res.writeHead(204).end());
  const attempt = await deliverWebhook(await allowListedTarget(`http://hooks.test:${port}/`), {
    body: BODY,
    headers: { 'webhook-id': 'a\r\nx-injected: 1' },
  });
  assert.equal(attempt.outcome.kind, 'failed');
  assert.equal(received.length, 0);
});

/** A throw-away certificate for `name` from the openssl command line, or undefined without it. */
function selfSignedCertificate(t: TestContext, name: string): { key: string; cert: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-webhook-tls-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
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

test('over https the pinned connection still presents and checks the host name', async (t) => {
  const pair = selfSignedCertificate(t, 'hooks.test');
  if (pair === undefined) {
    t.skip('openssl is not installed');
    return;
  }
  const servernames: Array<string | false | null> = [];
  const server = https.createServer(pair, (_req, res) => res.writeHead(202).end());
  server.on('secureConnection', (socket) => servernames.push(socket.servername));
  const port = await listen(t, server);

  const good = await deliverWebhook(
    await allowListedTarget(`https://hooks.test:${port}/`),
    { body: BODY, headers: {} },
    { ca: pair.cert },
  );
  assert.deepEqual(good.outcome, { kind: 'delivered', status: 202 });
  assert.deepEqual(servernames, ['hooks.test']);

  // The same server reached under another name: its certificate does not match, so no delivery.
  const wrongName = await deliverWebhook(
    await allowListedTarget(`https://other.test:${port}/`, 'other.test'),
    { body: BODY, headers: {} },
    { ca: pair.cert },
  );
  assert.equal(wrongName.outcome.kind, 'failed');
  assert.match(wrongName.outcome.kind === 'failed' ? wrongName.outcome.error : '', /^TLS to other\.test failed: /);

  // Without the test CA the self-signed certificate is refused.
  const untrusted = await deliverWebhook(await allowListedTarget(`https://hooks.test:${port}/`), {
    body: BODY,
    headers: {},
  });
  assert.equal(untrusted.outcome.kind, 'failed');
});
