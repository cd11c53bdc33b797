import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildTestApp } from '../helpers/test-app.ts';

/**
 * Issue #17, item 9: requests that Node's HTTP parser rejects before fastify sees them —
 * oversized headers or URL (431), a malformed request (400) — answer RFC 9457 problem+json
 * like every other error. `inject` bypasses the parser, so these go over a real socket.
 */

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HAN = /\p{Script=Han}/u;

async function listening(t: TestContext): Promise<number> {
  const ta = await buildTestApp(t);
  await ta.app.listen({ port: 0, host: '127.0.0.1' });
  return (ta.app.server.address() as net.AddressInfo).port;
}

/** Writes raw bytes and reads the answer until the server closes the connection. */
function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset a connection it refused while we were still writing.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(raw.toString('latin1'))}`));
        return;
      }
      const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = raw.subarray(split + 4);
      assert.equal(Number(headers['content-length']), body.length, 'Content-Length counts bytes');
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: body.toString('utf8') });
    });
    socket.write(request);
  });
}

function assertProblem(response: RawResponse, status: number, code: string) {
  assert.equal(response.status, status, response.body);
  assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.match(response.headers['content-security-policy'] ?? '', /default-src 'none'/);
  assert.equal(response.headers.connection, 'close');
  const problem = JSON.parse(response.body) as Record<string, unknown>;
  assert.equal(problem.status, status);
  assert.equal(problem.code, code);
  assert.equal(problem.type, `https://aigov.dev/problems/${code.replace(/_/g, '-')}`);
  for (const member of ['title', 'detail', 'instance']) assert.equal(typeof problem[member], 'string', member);
  return problem as { title: string; detail: string; instance: string };
}

test('oversized headers and URLs answer 431 problem+json, in the language asked for', async (t) => {
  const port = await listening(t);
  const bigHeader = await rawRequest(
    port,
    `GET /api/v1/catalogue HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
  );
  const english = assertProblem(bigHeader, 431, 'request_header_fields_too_large');
  assert.doesNotMatch(english.title, HAN);
  assert.equal(english.instance, '/api/v1/catalogue');

  const bigUrl = await rawRequest(
    port,
    `GET /api/v1/public/products?q=${'%E6%B7%B1'.repeat(3_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
  );
  const chinese = assertProblem(bigUrl, 431, 'request_header_fields_too_large');
  assert.match(chinese.title, HAN, 'Chinese by default');
  assert.equal(chinese.instance, '/api/v1/public/products', 'no query string, never the oversized text');
});

test('a request the HTTP parser cannot read answers 400 problem+json', async (t) => {
  const port = await listening(t);
  const badHeader = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n');
  assertProblem(badHeader, 400, 'malformed_request');
  const badRequestLine = await rawRequest(port, 'NOT AN HTTP REQUEST\r\n\r\n');
  const problem = assertProblem(badRequestLine, 400, 'malformed_request');
  assert.equal(problem.instance, '/');
});
