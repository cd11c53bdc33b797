import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import Fastify from 'fastify';
import { frameworkErrorHandler } from '../../src/platform/problem.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createUser, randomUscc } from '../factories.ts';

/**
 * Issue #3, item 1: every malformed request gets RFC 9457 problem+json with the right status
 * and our stable `code` — never a 5xx, never a stack trace (API contract, "errors").
 */

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: Array<{ pointer: string; message: string }>;
  [member: string]: unknown;
}

const HAN = /\p{Script=Han}/u;

function validRegistration() {
  const suffix = Math.random().toString(36).slice(2, 10);
  return {
    organization: { name: `深圳市错误测试科技有限公司${suffix}`, uscc: randomUscc(), type: 'enterprise' },
    admin: { email: `errors-${suffix}@example.cn`, name: '李测试', password: 'Futian-river-2026-strong' },
  };
}

const json = (body: string): Pick<InjectOptions, 'headers' | 'payload'> => ({
  headers: { 'content-type': 'application/json' },
  payload: body,
});

/** Asserts the shape every error answer shares, whatever the case. */
function assertProblem(response: LightMyRequestResponse, status: number, code: string): ProblemBody {
  const where = `${response.statusCode} ${response.body.slice(0, 300)}`;
  assert.equal(response.statusCode, status, where);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/, where);
  const problem = response.json<ProblemBody>();
  assert.equal(problem.status, status);
  assert.equal(problem.code, code, where);
  assert.equal(problem.type, `https://aigov.dev/problems/${code.replace(/_/g, '-')}`);
  for (const member of ['title', 'detail', 'instance'] as const) assert.equal(typeof problem[member], 'string');
  assertNoInternals(response.body);
  assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/, 'x-request-id');
  return problem;
}

/** No stack trace, file path or driver message reaches the client. */
function assertNoInternals(body: string): void {
  assert.doesNotMatch(body, /"stack"|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|FST_ERR|SQLSTATE|syntax for type/, body);
}

interface Case {
  name: string;
  request: InjectOptions;
  /** Sent with the regulator administrator's Bearer token. */
  asAdmin?: boolean;
  status: number;
  code: string;
  /** Pointers that must appear in `errors[]`. */
  pointers?: string[];
  allow?: string;
}

const registrations = '/api/v1/registrations';
const withoutAdminEmail = () => {
  const body = validRegistration();
  const { email: _email, ...admin } = body.admin;
  return { ...body, admin };
};

const cases: Case[] = [
  {
    name: 'unknown API route',
    request: { method: 'GET', url: '/api/v1/no-such-thing' },
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'unknown path outside the API',
    request: { method: 'POST', url: '/no-such-page' },
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'wrong method on a known API path',
    request: { method: 'DELETE', url: registrations },
    status: 405,
    code: 'method_not_allowed',
    allow: 'POST',
  },
  {
    name: 'wrong method on /healthz',
    request: { method: 'PUT', url: '/healthz' },
    status: 405,
    code: 'method_not_allowed',
    allow: 'GET',
  },
  {
    name: 'malformed JSON',
    request: { method: 'POST', url: registrations, ...json('{"organization": {') },
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'JSON with a trailing comma',
    request: { method: 'POST', url: '/api/v1/auth/login', ...json('{"email":"a@b.cn",}') },
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'prototype poisoning (__proto__ key)',
    request: { method: 'POST', url: '/api/v1/auth/login', ...json('{"__proto__":{"isAdmin":true}}') },
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'empty body with content-type application/json',
    request: { method: 'POST', url: registrations, ...json('') },
    status: 400,
    code: 'empty_body',
  },
  {
    name: 'JSON null instead of an object',
    request: { method: 'POST', url: registrations, ...json('null') },
    status: 400,
    code: 'validation_failed',
    pointers: ['/'],
  },
  {
    name: 'schema: missing /admin/email',
    request: { method: 'POST', url: registrations, payload: withoutAdminEmail() },
    status: 400,
    code: 'validation_failed',
    pointers: ['/admin/email'],
  },
  {
    name: 'schema: wrong type at /organization/name',
    request: {
      method: 'POST',
      url: registrations,
      payload: { ...validRegistration(), organization: { ...validRegistration().organization, name: 42 } },
    },
    status: 400,
    code: 'validation_failed',
    pointers: ['/organization/name'],
  },
  {
    name: 'schema: extra field /organization/foo',
    request: {
      method: 'POST',
      url: registrations,
      payload: { ...validRegistration(), organization: { ...validRegistration().organization, foo: 'bar' } },
    },
    status: 400,
    code: 'validation_failed',
    pointers: ['/organization/foo'],
  },
  {
    name: 'schema: a number where a string is expected (bodies are never coerced)',
    request: { method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@example.cn', password: 123456789012 } },
    status: 400,
    code: 'validation_failed',
    pointers: ['/password'],
  },
  {
    name: 'body over the 1 MiB limit',
    request: { method: 'POST', url: registrations, ...json(JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) })) },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'unsupported media type text/xml',
    request: {
      method: 'POST',
      url: registrations,
      headers: { 'content-type': 'text/xml' },
      payload: '<registration/>',
    },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'content-length larger than the body',
    request: {
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', 'content-length': '50' },
      payload: '{}',
    },
    status: 400,
    code: 'invalid_content_length',
  },
  {
    name: 'path parameter that is not a UUID',
    request: { method: 'GET', url: '/api/v1/organizations/not-a-uuid' },
    asAdmin: true,
    status: 400,
    code: 'validation_failed',
    pointers: ['/id'],
  },
  {
    name: 'limit out of range',
    request: { method: 'GET', url: '/api/v1/organizations?limit=0' },
    asAdmin: true,
    status: 400,
    code: 'validation_failed',
    pointers: ['/limit'],
  },
  {
    name: 'unknown query parameter',
    request: { method: 'GET', url: '/api/v1/organizations?sort=name' },
    asAdmin: true,
    status: 400,
    code: 'validation_failed',
    pointers: ['/sort'],
  },
  {
    name: 'cursor that is not base64url JSON',
    request: { method: 'GET', url: '/api/v1/organizations?cursor=%21%21not-a-cursor' },
    asAdmin: true,
    status: 400,
    code: 'invalid_cursor',
    pointers: ['/cursor'],
  },
  {
    name: 'cursor with the wrong number of keys',
    request: { method: 'GET', url: `/api/v1/organizations?cursor=${Buffer.from('[1,2]').toString('base64url')}` },
    asAdmin: true,
    status: 400,
    code: 'invalid_cursor',
  },
  {
    // Was a 500: the cursor decoded fine but its value reached a uuid column (SQLSTATE 22P02).
    name: 'well-formed cursor holding a non-UUID key',
    request: {
      method: 'GET',
      url: `/api/v1/organizations?cursor=${Buffer.from(JSON.stringify(["x'; DROP TABLE users; --"])).toString('base64url')}`,
    },
    asAdmin: true,
    status: 400,
    code: 'invalid_cursor',
  },
  {
    // Was a 500: PostgreSQL text cannot hold U+0000 (SQLSTATE 22021), and JSON may escape it.
    name: 'U+0000 in a text field',
    request: {
      method: 'POST',
      url: registrations,
      payload: {
        ...validRegistration(),
        organization: { ...validRegistration().organization, name: '深圳\u0000测试' },
      },
    },
    status: 400,
    code: 'validation_failed',
    pointers: ['/organization/name'],
  },
  {
    // Was a 500: the audit chain's RFC 8785 canonical JSON refuses a lone surrogate.
    name: 'lone UTF-16 surrogate in a text field',
    request: {
      method: 'POST',
      url: registrations,
      ...json(
        JSON.stringify({
          ...validRegistration(),
          organization: { ...validRegistration().organization, name: 'SURROGATE' },
        }).replace('SURROGATE', '\\udfff\\ud800'),
      ),
    },
    status: 400,
    code: 'validation_failed',
    pointers: ['/organization/name'],
  },
  {
    name: 'lone surrogate in an array item',
    request: {
      method: 'POST',
      url: '/api/v1/risk/assessments',
      ...json('{"answers":{"annexIIIUses":["employment","\\ud800"]}}'),
    },
    status: 400,
    code: 'validation_failed',
    pointers: ['/answers/annexIIIUses/1'],
  },
  {
    // The key itself is the bad text; `/` and `~` in it are escaped as RFC 6901 says.
    name: 'U+0000 in an object key',
    request: { method: 'POST', url: '/api/v1/risk/assessments', ...json('{"answers":{"a/b~\\u0000":true}}') },
    status: 400,
    code: 'validation_failed',
    pointers: ['/answers/a~1b~0\u0000'],
  },
  {
    // A surrogate pair is one valid code point: the text check lets it through to the rules engine.
    name: 'emoji (a surrogate pair) is storable text',
    request: { method: 'POST', url: '/api/v1/risk/assessments', ...json('{"answers":{"domain":"\\ud83e\\udd16"}}') },
    status: 422,
    code: 'invalid_risk_answers',
    pointers: ['/answers/domain'],
  },
  {
    name: 'U+0000 in a query-string value',
    request: { method: 'GET', url: '/api/v1/organizations?cursor=%00' },
    asAdmin: true,
    status: 400,
    code: 'validation_failed',
    pointers: ['/cursor'],
  },
  {
    name: 'malformed Authorization header',
    request: { method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } },
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'unknown Bearer token',
    request: { method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer aigov_s_not-a-real-token' } },
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'anonymous on a protected route',
    request: { method: 'GET', url: '/api/v1/organizations' },
    status: 401,
    code: 'unauthenticated',
  },
];

test('malformed requests get problem+json with the right status and code', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  for (const c of cases) {
    await t.test(c.name, async () => {
      const headers = {
        ...(c.request.headers as Record<string, string>),
        ...(c.asAdmin === true ? admin.headers : {}),
      };
      const response = await ta.app.inject({ ...c.request, headers });
      const problem = assertProblem(response, c.status, c.code);
      for (const pointer of c.pointers ?? []) {
        assert.ok(
          problem.errors?.some((e) => e.pointer === pointer && e.message !== ''),
          JSON.stringify(problem),
        );
      }
      if (c.allow !== undefined) assert.equal(response.headers.allow, c.allow);
      assertSecurityHeaders(response);
    });
  }
});

function assertSecurityHeaders(response: LightMyRequestResponse): void {
  const csp = String(response.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/, csp);
  assert.match(csp, /frame-ancestors 'none'/, csp);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.ok(response.headers['x-frame-options'] !== undefined, 'x-frame-options');
  assert.equal(response.headers['x-powered-by'], undefined);
}

test('titles are Chinese by default and English with Accept-Language: en', async (t) => {
  const ta = await buildTestApp(t);
  const ask = (language?: string) =>
    ta.app.inject({
      method: 'POST',
      url: registrations,
      payload: withoutAdminEmail(),
      headers: language === undefined ? {} : { 'accept-language': language },
    });
  const byDefault = assertProblem(await ask(), 400, 'validation_failed');
  const chinese = assertProblem(await ask('zh-CN,zh;q=0.9'), 400, 'validation_failed');
  const english = assertProblem(await ask('en-GB,en;q=0.9'), 400, 'validation_failed');
  const preferred = assertProblem(await ask('fr;q=1, en;q=0.5'), 400, 'validation_failed');

  assert.match(byDefault.title, HAN);
  assert.match(byDefault.detail, HAN);
  assert.match(byDefault.errors![0]!.message, HAN);
  assert.equal(chinese.title, byDefault.title);
  assert.notEqual(english.title, byDefault.title);
  assert.doesNotMatch(english.title, HAN);
  assert.doesNotMatch(english.detail, HAN);
  assert.doesNotMatch(english.errors![0]!.message, HAN);
  assert.equal(english.title, 'Request validation failed');
  assert.equal(preferred.title, english.title);
  // Same problem, same machine-readable parts, whatever the language.
  assert.equal(english.code, byDefault.code);
  assert.deepEqual(
    english.errors!.map((e) => e.pointer),
    byDefault.errors!.map((e) => e.pointer),
  );

  const notFoundZh = assertProblem(await ta.app.inject({ method: 'GET', url: '/api/v1/nope' }), 404, 'route_not_found');
  const notFoundEn = assertProblem(
    await ta.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'accept-language': 'en' } }),
    404,
    'route_not_found',
  );
  assert.match(notFoundZh.title, HAN);
  assert.equal(notFoundEn.title, 'No such endpoint');
});

test('every response carries x-request-id and the security headers, successes included', async (t) => {
  const ta = await buildTestApp(t);
  const ids = new Set<string>();
  for (const request of [
    { method: 'GET', url: '/healthz' },
    { method: 'GET', url: '/readyz' },
    { method: 'GET', url: '/api/v1/openapi.json' },
    { method: 'GET', url: '/api/v1/nope' },
    {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.cn', password: 'not-the-password' },
    },
  ] as const) {
    const response = await ta.app.inject(request);
    assert.ok(response.statusCode < 500, `${request.url}: ${response.statusCode}`);
    const id = String(response.headers['x-request-id']);
    assert.match(id, /^[0-9a-f-]{36}$/);
    ids.add(id);
    assertSecurityHeaders(response);
  }
  assert.equal(ids.size, 5, 'each request gets its own id');
});

/**
 * Router-level errors (bad %-encoding, over-long path parameter) bypass the error handler;
 * src/app.ts passes `frameworkErrors: frameworkErrorHandler` to Fastify. The handler alone:
 */
test('frameworkErrorHandler turns router errors into problem+json', async (t) => {
  const app = Fastify({ frameworkErrors: frameworkErrorHandler, routerOptions: { maxParamLength: 20 } });
  app.get('/items/:id', async () => ({ ok: true }));
  t.after(() => app.close());
  const badUrl = await app.inject({ method: 'GET', url: '/items/%E0%A4%A' });
  assert.equal(badUrl.statusCode, 400);
  assert.match(String(badUrl.headers['content-type']), /^application\/problem\+json/);
  assert.equal(badUrl.json<ProblemBody>().code, 'bad_url');
  assert.ok(badUrl.headers['x-request-id'] !== undefined);
  const longParam = await app.inject({ method: 'GET', url: `/items/${'a'.repeat(21)}` });
  assert.equal(longParam.statusCode, 414);
  assert.equal(longParam.json<ProblemBody>().code, 'uri_too_long');
  assertNoInternals(badUrl.body + longParam.body);
});

test('the real app answers bad URLs and over-long path parameters with problem+json', async (t) => {
  const ta = await buildTestApp(t);
  assertProblem(await ta.app.inject({ method: 'GET', url: '/api/v1/organizations/%E0%A4%A' }), 400, 'bad_url');
  assertProblem(
    await ta.app.inject({ method: 'GET', url: `/api/v1/organizations/${'a'.repeat(300)}` }),
    414,
    'uri_too_long',
  );
});

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0007\u001b[31m',
  "'; DROP TABLE users; --",
  '%00%ff',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '9'.repeat(400),
  '深'.repeat(300),
  '😀'.repeat(120),
  '1e309',
  'NaN',
];

function randomJunk(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, -0][Math.floor(random() * 7)];
    case 3:
    case 4:
      return HOSTILE_STRINGS[Math.floor(random() * HOSTILE_STRINGS.length)];
    case 5:
      return Math.random()
        .toString(36)
        .repeat(Math.floor(random() * 5));
    case 6:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomJunk(random, depth + 1));
    default: {
      const keys = ['email', 'password', 'organization', 'admin', 'name', 'uscc', 'type', '__proto__', 'constructor'];
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i > 0; i -= 1) {
        object[keys[Math.floor(random() * keys.length)]!] = randomJunk(random, depth + 1);
      }
      return object;
    }
  }
}

/** A valid body with one leaf replaced by junk: gets past the parser, often past the schema. */
function mutated(random: () => number, base: Record<string, unknown>): unknown {
  const copy = structuredClone(base);
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else paths.push(path);
  };
  walk(copy, []);
  const path = paths[Math.floor(random() * paths.length)]!;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const leaf = path[path.length - 1]!;
  const original = target[leaf];
  // Mostly splice hostile text into the real value: the schema still passes and the value
  // travels on to the password policy, argon2 and the database.
  target[leaf] =
    typeof original === 'string' && random() < 0.6
      ? `${original}${HOSTILE_STRINGS[Math.floor(random() * HOSTILE_STRINGS.length)]!}`
      : randomJunk(random);
  return copy;
}

function randomBody(random: () => number, url: string): { payload: string | Buffer; contentType: string } {
  const kind = Math.floor(random() * 4);
  if (kind === 0) {
    const bytes = Buffer.alloc(Math.floor(random() * 200));
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
    return { payload: bytes, contentType: 'application/json' };
  }
  if (kind === 1) return { payload: JSON.stringify(randomJunk(random)) ?? 'null', contentType: 'application/json' };
  const base =
    url === registrations ? validRegistration() : { email: 'fuzz@example.cn', password: 'Nanshan-fuzz-2026-pass' };
  const content = JSON.stringify(mutated(random, base));
  // Sometimes a lying content type, to exercise the parser selection as well.
  const contentType = kind === 3 && random() < 0.3 ? 'text/plain' : 'application/json; charset=utf-8';
  return { payload: content, contentType };
}

test('fuzz: 200 junk bodies to login and registration never produce a 5xx', async (t) => {
  const ta: TestApp = await buildTestApp(t);
  const seed = Number(process.env.AIGOV_FUZZ_SEED ?? Date.now() % 1_000_000);
  const random = prng(seed);
  const statuses = new Map<number, number>();
  const codes = new Map<string, number>();
  for (let i = 0; i < 200; i += 1) {
    const url = i % 2 === 0 ? '/api/v1/auth/login' : registrations;
    const { payload, contentType } = randomBody(random, url);
    const response = await ta.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': contentType, 'accept-language': random() < 0.5 ? 'en' : 'zh-CN' },
    });
    const context = `seed ${seed}, case ${i}: ${url} ${String(payload).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`;
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    assert.ok(response.statusCode < 500, context);
    if (response.statusCode >= 400) {
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/, context);
      const { code } = response.json<ProblemBody>();
      assert.equal(typeof code, 'string', context);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      assertNoInternals(response.body);
    } else {
      // A mutation can still be a valid registration (e.g. an odd but legal name): that is fine.
      assert.equal(url, registrations, context);
      assert.equal(response.statusCode, 201, context);
    }
  }
  // The database is still healthy and the application still serves afterwards.
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  const list = await ta.app.inject({ method: 'GET', url: '/api/v1/organizations?limit=200', headers: admin.headers });
  assert.equal(list.statusCode, 200);
  t.diagnostic(`fuzz seed ${seed}: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  t.diagnostic(`problem codes: ${JSON.stringify(Object.fromEntries([...codes].sort()))}`);
  const fourXx = [...statuses].filter(([status]) => status >= 400).reduce((sum, [, n]) => sum + n, 0);
  assert.ok(fourXx >= 150, `most junk is rejected (${fourXx}/200)`);
});
