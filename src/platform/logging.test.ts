import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { LogLevel } from '../config.ts';
import { AppLogController, asyncStdout, lazyChildLoggerFactory, loggerOptions } from './logging.ts';

/** A real fastify app with the app's logger settings, writing JSON lines into an array. */
async function appLoggingAt(level: LogLevel) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  let id = 0;
  const app = Fastify({
    logger: loggerOptions(level, { stream }),
    genReqId: () => `req-${(id += 1)}`,
    childLoggerFactory: lazyChildLoggerFactory,
    logController: new AppLogController(),
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => reply.code(503).send({ status: 'unavailable' }));
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/warns', async (request) => {
    request.log.warn({ detail: 'something odd' }, 'odd request');
    request.log.info('not at warn');
    request.log.child({ step: 'inner' }).error('inner failure');
    return { ok: true };
  });
  app.get('/verbose', { logLevel: 'debug' }, async (request) => {
    request.log.debug('a route may log more than the app');
    return { ok: true };
  });
  await app.ready();
  return { app, lines };
}

test('request loggers: at warn, a quiet request writes nothing; its warnings carry the request id', async (t) => {
  const { app, lines } = await appLoggingAt('warn');
  t.after(() => app.close());
  assert.equal((await app.inject({ method: 'GET', url: '/quiet' })).statusCode, 200);
  assert.deepEqual(lines, []);

  assert.equal((await app.inject({ method: 'GET', url: '/warns' })).statusCode, 200);
  assert.deepEqual(
    lines.map(({ msg, reqId, level, step, detail }) => ({ msg, reqId, level, step, detail })),
    [
      { msg: 'odd request', reqId: 'req-2', level: 40, step: undefined, detail: 'something odd' },
      { msg: 'inner failure', reqId: 'req-2', level: 50, step: 'inner', detail: undefined },
    ],
  );
});

test('request loggers: at info, fastify logs each request with its id and no credentials', async (t) => {
  const { app, lines } = await appLoggingAt('info');
  t.after(() => app.close());
  await app.inject({ method: 'GET', url: '/quiet', headers: { authorization: 'Bearer secret-token-value' } });
  assert.deepEqual(
    lines.map(({ msg, reqId }) => ({ msg, reqId })),
    [
      { msg: 'incoming request', reqId: 'req-1' },
      { msg: 'request completed', reqId: 'req-1' },
    ],
  );
  assert.doesNotMatch(JSON.stringify(lines), /secret-token-value/);
});

test('request loggers: a route with its own log level gets it (fastify then logs its requests too)', async (t) => {
  const { app, lines } = await appLoggingAt('warn');
  t.after(() => app.close());
  await app.inject({ method: 'GET', url: '/verbose' });
  assert.deepEqual(
    lines.map(({ msg, reqId }) => ({ msg, reqId })),
    [
      { msg: 'incoming request', reqId: 'req-1' },
      { msg: 'a route may log more than the app', reqId: 'req-1' },
      { msg: 'request completed', reqId: 'req-1' },
    ],
  );
});

test('request loggers: health probes log nothing at info unless they fail', async (t) => {
  const { app, lines } = await appLoggingAt('info');
  t.after(() => app.close());
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/healthz?probe=1' })).statusCode, 200);
  assert.deepEqual(lines, []);
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
  assert.deepEqual(
    lines.map(({ msg, reqId, res }) => ({ msg, reqId, statusCode: (res as { statusCode?: number })?.statusCode })),
    [{ msg: 'request completed', reqId: 'req-3', statusCode: 503 }],
  );
  await app.inject({ method: 'GET', url: '/quiet' });
  assert.deepEqual(
    lines.slice(1).map(({ msg }) => msg),
    ['incoming request', 'request completed'],
  );
});

test('logger: the server writes standard output through one asynchronous destination', () => {
  const options = loggerOptions('info', true) as { stream: unknown };
  assert.equal(options.stream, asyncStdout());
  assert.equal((loggerOptions('info', true) as { stream: unknown }).stream, options.stream);
  assert.equal((asyncStdout() as unknown as { sync: boolean }).sync, false);
});
