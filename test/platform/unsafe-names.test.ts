/**
 * Issue #17 item 4: names of people, organisations and products that carry control or
 * bidirectional-control characters are refused with a pointer (a reviewer must see the name
 * that is stored), through the one shared definition in src/platform/validation.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasUnsafeCharacters, stripUnsafeCharacters } from '../../src/platform/validation.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, randomUscc, tableCounts, TEST_PASSWORD } from '../factories.ts';
import { productBody } from '../products/fixtures.ts';

const UNSAFE = {
  'right-to-left override U+202E': '\u202e',
  'left-to-right embedding U+202A': '\u202a',
  'pop directional formatting U+202C': '\u202c',
  'first strong isolate U+2068': '\u2068',
  'pop directional isolate U+2069': '\u2069',
  'right-to-left mark U+200F': '\u200f',
  'Arabic letter mark U+061C': '\u061c',
  'C0 bell U+0007': '\u0007',
  'line feed U+000A': '\n',
  'DEL U+007F': '\u007f',
  'C1 next line U+0085': '\u0085',
  'C1 control U+009B': '\u009b',
  'line separator U+2028': '\u2028',
} as const;

test('one definition of unsafe characters: controls, bidi controls and line separators', () => {
  for (const [what, character] of Object.entries(UNSAFE)) {
    assert.equal(hasUnsafeCharacters(`name${character}x`), true, what);
    assert.equal(stripUnsafeCharacters(`a${character}b`), 'ab', what);
  }
  for (const name of [
    '深圳市人工智能科技有限公司',
    'Société Générale (Shenzhen) Ltd.',
    'شركة الذكاء',
    'O’Brien & Co. — R&D',
    '👩‍💻 Lab',
  ]) {
    assert.equal(hasUnsafeCharacters(name), false, name);
  }
  assert.equal(stripUnsafeCharacters('report\u202egpj.pdf'), 'reportgpj.pdf');
});

function registration(organization: Record<string, unknown>, admin: Record<string, unknown> = {}) {
  return {
    organization: { name: '深圳市测试智能科技有限公司', uscc: randomUscc(), type: 'enterprise', ...organization },
    admin: {
      email: `admin-${Math.random().toString(36).slice(2)}@example.cn`,
      name: '王小明',
      password: 'Qianhai-bay-2026-strong',
      ...admin,
    },
  };
}

async function post(ta: TestApp, url: string, payload: object, headers: Record<string, string> = {}) {
  return ta.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'en', ...headers } });
}

function assertRefusedAt(response: { statusCode: number; body: string }, pointer: string, why: string) {
  assert.equal(response.statusCode, 400, `${why}: ${response.body}`);
  const problem = JSON.parse(response.body) as { code: string; errors: Array<{ pointer: string; message: string }> };
  assert.equal(problem.code, 'validation_failed', why);
  assert.equal(problem.errors[0]!.pointer, pointer, why);
  assert.match(problem.errors[0]!.message, /bidirectional/, why);
}

test('registration: organisation and administrator names with unsafe characters → 400 at the field, nothing stored', async (t) => {
  const ta = await buildTestApp(t);
  const before = await tableCounts(ta, ['organizations', 'users', 'audit_events']);
  for (const [what, character] of Object.entries(UNSAFE)) {
    assertRefusedAt(
      await post(ta, '/api/v1/registrations', registration({ name: `深圳${character}科技有限公司` })),
      '/organization/name',
      what,
    );
  }
  assertRefusedAt(
    await post(ta, '/api/v1/registrations', registration({ nameEn: 'Acme\u202eoC' })),
    '/organization/nameEn',
    'nameEn',
  );
  assertRefusedAt(
    await post(ta, '/api/v1/registrations', registration({}, { name: '王\u2066小明' })),
    '/admin/name',
    'admin name',
  );
  // Chinese (zh-CN is the default language) says the same.
  const zh = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/registrations',
    payload: registration({ name: '深圳\u202e科技' }),
  });
  assert.equal(zh.statusCode, 400);
  assert.match(zh.json<{ errors: Array<{ message: string }> }>().errors[0]!.message, /双向文本控制字符/);
  assert.deepEqual(await tableCounts(ta, ['organizations', 'users', 'audit_events']), before);

  // Names from right-to-left scripts need no control characters and are accepted.
  const ok = await post(ta, '/api/v1/registrations', registration({ nameEn: 'شركة الذكاء Ltd.' }));
  assert.equal(ok.statusCode, 201, ok.body);
});

test('users, API tokens and products: unsafe names → 400 at the field, nothing stored', async (t) => {
  const ta = await buildTestApp(t);
  const { organization, user: orgAdmin } = await createOrgMember(ta, { role: 'org_admin' });
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  const tables = ['users', 'products', 'audit_events'];
  const before = await tableCounts(ta, tables);

  const member = { email: 'member@example.cn', role: 'org_member', password: TEST_PASSWORD };
  assertRefusedAt(
    await post(
      ta,
      `/api/v1/organizations/${organization.id}/users`,
      { ...member, name: '李\u202e四' },
      orgAdmin.headers,
    ),
    '/name',
    'organisation member',
  );
  assertRefusedAt(
    await post(
      ta,
      '/api/v1/users',
      { email: 'staff@example.cn', name: 'Reviewer\u0085', roles: ['reviewer'], password: TEST_PASSWORD },
      admin.headers,
    ),
    '/name',
    'regulator staff',
  );
  assertRefusedAt(await post(ta, '/api/v1/auth/tokens', { name: 'ci\u202etoken' }, orgAdmin.headers), '/name', 'token');
  assertRefusedAt(
    await post(ta, '/api/v1/products', productBody({ name: '智能\u202e客服' }), orgAdmin.headers),
    '/name',
    'product name',
  );
  assertRefusedAt(
    await post(ta, '/api/v1/products', productBody({ nameEn: 'Assistant\u2067' }), orgAdmin.headers),
    '/nameEn',
    'product nameEn',
  );
  assert.deepEqual(await tableCounts(ta, tables), before);

  const created = await post(ta, '/api/v1/products', productBody(), orgAdmin.headers);
  assert.equal(created.statusCode, 201, created.body);
  const product = created.json<{ id: string; revision?: number }>();
  const patch = await ta.app.inject({
    method: 'PATCH',
    url: `/api/v1/products/${product.id}`,
    payload: { nameEn: 'Assistant\u202e' },
    headers: { ...orgAdmin.headers, 'accept-language': 'en' },
  });
  assertRefusedAt(patch, '/nameEn', 'product rename');
});
