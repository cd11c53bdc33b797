import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/test-app.ts';
import { createOrganization, createUser } from '../factories.ts';

/**
 * Issue #17, item 11: an integer in a query string or path is written in decimal digits.
 * Query strings are coerced to numbers before validation, and `Number()` reads "1e2" as 100,
 * "0x10" as 16, " 1" and "+1" as 1, "-0" as 0 (which passes `minimum: 0`): each must be a 400
 * problem+json pointing at the parameter, on every route that has one.
 */

const NOT_DIGITS = ['1e2', '1.0', '%201', '%2B1', '0x10', '-0', '1%20', '', '1_000'];

interface Problem {
  code: string;
  errors?: Array<{ pointer: string; message: string }>;
}

test('transparency-log indexes and sizes: digits only', async (t) => {
  const ta = await buildTestApp(t);
  const routes = [
    (v: string) => ({ url: `/api/v1/transparency/proofs/inclusion?leafIndex=${v}&treeSize=1`, pointer: '/leafIndex' }),
    (v: string) => ({ url: `/api/v1/transparency/proofs/inclusion?leafIndex=0&treeSize=${v}`, pointer: '/treeSize' }),
    (v: string) => ({ url: `/api/v1/transparency/proofs/consistency?first=${v}&second=1`, pointer: '/first' }),
    (v: string) => ({ url: `/api/v1/transparency/proofs/consistency?first=0&second=${v}`, pointer: '/second' }),
    (v: string) => ({ url: `/api/v1/transparency/entries?start=${v}&end=1`, pointer: '/start' }),
    (v: string) => ({ url: `/api/v1/transparency/entries?start=0&end=${v}`, pointer: '/end' }),
  ];
  for (const route of routes) {
    for (const value of NOT_DIGITS) {
      const { url, pointer } = route(value);
      const response = await ta.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const problem = response.json<Problem>();
      assert.equal(problem.code, 'validation_failed', url);
      assert.deepEqual(
        problem.errors?.map((e) => e.pointer),
        [pointer],
        url,
      );
      assert.match(problem.errors[0]!.message, /digits/);
    }
  }
  // Plain decimal digits still work (here: a range beyond the empty log, a domain error).
  const fine = await ta.app.inject({ method: 'GET', url: '/api/v1/transparency/entries?start=0&end=100' });
  assert.equal(fine.json<Problem>().code, 'range_beyond_log');
  const leadingZeros = await ta.app.inject({ method: 'GET', url: '/api/v1/transparency/entries?start=00&end=0100' });
  assert.equal(leadingZeros.json<Problem>().code, 'range_beyond_log', 'digits are digits, leading zeros included');
});

test('page sizes and calendar days: digits only', async (t) => {
  const ta = await buildTestApp(t);
  for (const value of ['1e1', '+5', '5.0', '0x05']) {
    for (const [url, pointer] of [
      [`/api/v1/public/products?limit=${value}`, '/limit'],
      [`/api/v1/calendar/working-days/add?from=2026-03-02&days=${value}`, '/days'],
    ] as const) {
      const response = await ta.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.deepEqual(
        response.json<Problem>().errors?.map((e) => e.pointer),
        [pointer],
      );
    }
  }
  const page = await ta.app.inject({ method: 'GET', url: '/api/v1/public/products?limit=5' });
  assert.equal(page.statusCode, 200, page.body);
  const days = await ta.app.inject({ method: 'GET', url: '/api/v1/calendar/working-days/add?from=2026-03-02&days=5' });
  assert.equal(days.statusCode, 200, days.body);
});

test('every integer query or path parameter of the API refuses "1e2"', async (t) => {
  const ta = await buildTestApp(t);
  const organization = await createOrganization(ta);
  const principals = [
    {},
    (await createUser(ta, { roles: ['regulator_admin'] })).headers,
    (await createUser(ta, { roles: ['reviewer'] })).headers,
    (await createUser(ta, { roles: ['org_admin'], organizationId: organization.id })).headers,
  ];
  const document = ta.app.swagger() as {
    paths: Record<
      string,
      Record<string, { parameters?: Array<{ name: string; in: string; schema?: { type?: unknown } }> }>
    >;
  };
  const checked: string[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const url = template.replace(/\{(\w+)\}/g, (_match, name: string) =>
        name === 'year' ? '2026' : organization.id,
      );
      for (const parameter of parameters) {
        if (parameter.schema?.type !== 'integer' || !['query', 'path'].includes(parameter.in)) continue;
        const target = parameter.in === 'path' ? url.replace(organization.id, '1e2') : `${url}?${parameter.name}=1e2`;
        const answers = [];
        for (const headers of principals) {
          const response = await ta.app.inject({ method: method.toUpperCase() as 'GET', url: target, headers });
          answers.push(`${response.statusCode} ${response.body.slice(0, 200)}`);
          if (response.statusCode === 401 || response.statusCode === 403) continue;
          assert.equal(response.statusCode, 400, `${method} ${target}: ${response.body}`);
          assert.deepEqual(
            response.json<Problem>().errors?.map((e) => e.pointer),
            [`/${parameter.name}`],
            `${method} ${target}`,
          );
          checked.push(`${method.toUpperCase()} ${template} ${parameter.name}`);
          break;
        }
        assert.ok(
          checked.at(-1)?.endsWith(` ${parameter.name}`),
          `no principal reached ${target}: ${answers.join(' | ')}`,
        );
      }
    }
  }
  t.diagnostic(`checked: ${checked.join('; ')}`);
  assert.ok(checked.length >= 10, checked.join('\n'));
});
