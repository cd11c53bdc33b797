import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { outboxConsumers } from '../../src/modules/index.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createUser, randomUscc, tableCounts } from '../factories.ts';

const IDENTITY_TABLES = ['organizations', 'users', 'audit_events', 'outbox_events'] as const;

function registration(overrides: { uscc?: string; email?: string; password?: string } = {}) {
  return {
    organization: {
      name: '深圳市测试智能科技有限公司',
      nameEn: 'Shenzhen Test AI Co., Ltd.',
      uscc: overrides.uscc ?? randomUscc(),
      type: 'enterprise',
    },
    admin: {
      email: overrides.email ?? `admin-${Math.random().toString(36).slice(2)}@example.cn`,
      name: '王小明',
      password: overrides.password ?? 'Qianhai-bay-2026-strong',
    },
  };
}

async function register(ta: TestApp, body: unknown, language = 'zh-CN') {
  return ta.app.inject({
    method: 'POST',
    url: '/api/v1/registrations',
    payload: body as object,
    headers: { 'accept-language': language },
  });
}

test('registration creates a pending organisation and its org_admin, audited in the same transaction', async (t) => {
  const ta = await buildTestApp(t);
  const body = registration({ uscc: '914403001922038216' }); // Huawei Technologies Co., Ltd. (real code)
  const response = await register(ta, body);
  assert.equal(response.statusCode, 201);
  const { organizationId, status } = response.json<{ organizationId: string; status: string }>();
  assert.equal(status, 'pending');
  const org = await ta.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  assert.equal(org.uscc, '914403001922038216');
  const admin = await ta.db
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(admin.roles, ['org_admin']);
  assert.match(admin.password_hash, /^\$argon2id\$/);
  const audit = await ta.db.selectFrom('audit_events').selectAll().where('resource_id', '=', organizationId).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.action, 'organization.registered');
  // The pending organisation's admin may sign in but cannot file yet.
  const login = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: body.admin.email, password: body.admin.password },
  });
  assert.equal(login.statusCode, 200);
});

const badRegistrations: Array<{ name: string; body: () => unknown; status: number; code: string; pointer?: string }> = [
  {
    name: 'bad USCC check character',
    body: () => registration({ uscc: '914403001922038217' }),
    status: 422,
    code: 'invalid_uscc',
    pointer: '/organization/uscc',
  },
  {
    name: 'USCC with a forbidden letter',
    body: () => registration({ uscc: '91440300192203821I' }),
    status: 422,
    code: 'invalid_uscc',
    pointer: '/organization/uscc',
  },
  {
    name: 'USCC of 17 characters',
    body: () => registration({ uscc: '91440300192203821' }),
    status: 422,
    code: 'invalid_uscc',
    pointer: '/organization/uscc',
  },
  {
    name: 'password of 11 characters',
    body: () => registration({ password: 'Short-pw-11' }),
    status: 422,
    code: 'weak_password',
    pointer: '/admin/password',
  },
  {
    name: 'common password',
    body: () => registration({ password: 'qwerty123456' }),
    status: 422,
    code: 'weak_password',
    pointer: '/admin/password',
  },
  {
    name: 'missing admin email',
    body: () => ({ ...registration(), admin: { name: 'x', password: 'Qianhai-bay-2026-strong' } }),
    status: 400,
    code: 'validation_failed',
    pointer: '/admin/email',
  },
  {
    name: 'unknown organisation type',
    body: () => ({ ...registration(), organization: { ...registration().organization, type: 'ngo' } }),
    status: 400,
    code: 'validation_failed',
    pointer: '/organization/type',
  },
  {
    name: 'extra field',
    body: () => ({ ...registration(), organization: { ...registration().organization, capital: 1 } }),
    status: 400,
    code: 'validation_failed',
    pointer: '/organization/capital',
  },
];

for (const bad of badRegistrations) {
  test(`registration rejects ${bad.name} and changes nothing`, async (t) => {
    const ta = await buildTestApp(t);
    const before = await tableCounts(ta, IDENTITY_TABLES);
    const response = await register(ta, bad.body(), 'en');
    assert.equal(response.statusCode, bad.status);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    const problem = response.json<{ code: string; errors?: Array<{ pointer: string; message: string }> }>();
    assert.equal(problem.code, bad.code);
    if (bad.pointer !== undefined)
      assert.ok(
        problem.errors?.some((e) => e.pointer === bad.pointer),
        JSON.stringify(problem),
      );
    assert.deepEqual(await tableCounts(ta, IDENTITY_TABLES), before);
  });
}

test('duplicate USCC → 409 (a USCC is public), nothing written', async (t) => {
  const ta = await buildTestApp(t);
  const first = registration();
  assert.equal((await register(ta, first)).statusCode, 201);
  const before = await tableCounts(ta, IDENTITY_TABLES);
  const sameUscc = await register(ta, registration({ uscc: first.organization.uscc }));
  assert.equal(sameUscc.statusCode, 409);
  assert.equal(sameUscc.json<{ code: string }>().code, 'uscc_taken');
  // The USCC check comes first: a taken USCC with a taken email still says only "USCC taken".
  const both = await register(ta, registration({ uscc: first.organization.uscc, email: first.admin.email }));
  assert.equal(both.statusCode, 409);
  assert.equal(both.json<{ code: string }>().code, 'uscc_taken');
  assert.deepEqual(await tableCounts(ta, IDENTITY_TABLES), before);
});

/** The mail files the development mail drop wrote, by recipient line. */
function mailsTo(ta: TestApp, address: string): string[] {
  const dir = path.join(ta.config.dataDir, 'mail');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
    .filter((mail) => mail.startsWith(`To: ${address}\n`));
}

test('an already-registered email answers exactly like a new one; the owner is told by e-mail (no enumeration)', async (t) => {
  const ta = await buildTestApp(t);
  const first = registration();
  const created = await register(ta, first);
  assert.equal(created.statusCode, 201);
  const before = await tableCounts(ta, ['organizations', 'users', 'audit_events']);

  const attempt = registration({ email: first.admin.email.toUpperCase() });
  const taken = await register(ta, attempt);
  // Issue #17, item 3: same status, same content type, same shape as a real registration.
  assert.equal(taken.statusCode, 201, taken.body);
  assert.equal(taken.headers['content-type'], created.headers['content-type']);
  const body = taken.json<{ organizationId: string; status: string }>();
  assert.deepEqual(Object.keys(body).sort(), Object.keys(created.json<object>()).sort());
  assert.equal(body.status, 'pending');
  assert.match(body.organizationId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // Nothing half-written: no organisation, no user, no audit event for the refused registration.
  assert.deepEqual(await tableCounts(ta, ['organizations', 'users', 'audit_events']), before);
  const ghost = await ta.db.selectFrom('organizations').select('id').where('id', '=', body.organizationId).execute();
  assert.deepEqual(ghost, []);
  const usccRow = await ta.db
    .selectFrom('organizations')
    .select('id')
    .where('uscc', '=', attempt.organization.uscc)
    .execute();
  assert.deepEqual(usccRow, [], 'the USCC of the refused registration stays free');

  // Both registrants get one mail, through the outbox; the owner's says someone tried.
  await drainOutbox(ta.db, ta.clock, outboxConsumers(ta.deps));
  const toOwner = mailsTo(ta, first.admin.email);
  assert.equal(toOwner.length, 2, toOwner.join('\n---\n'));
  assert.ok(toOwner.some((mail) => /registration received/i.test(mail)));
  const notice = toOwner.find((mail) => /already has an account/.test(mail));
  assert.ok(notice !== undefined, toOwner.join('\n---\n'));
  assert.match(notice, /已有账户/);
  assert.ok(!notice.includes(attempt.organization.name), 'no text chosen by the other registrant is mailed');
  assert.ok(!notice.includes(attempt.admin.password));

  // The owner's account is untouched: the old password still signs in, the new one does not.
  const login = (password: string) =>
    ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: first.admin.email, password } });
  assert.equal((await login(first.admin.password)).statusCode, 200);
  assert.equal((await login('Qianhai-bay-2026-other')).statusCode, 401);
});

test('two registrations racing for one new email: both answered 201, one organisation created', async (t) => {
  const ta = await buildTestApp(t);
  const email = `race-${Math.random().toString(36).slice(2)}@example.cn`;
  const answers = await Promise.all([register(ta, registration({ email })), register(ta, registration({ email }))]);
  assert.deepEqual(
    answers.map((answer) => answer.statusCode),
    [201, 201],
  );
  const users = await ta.db.selectFrom('users').select('organization_id').where('email', '=', email).execute();
  assert.equal(users.length, 1);
  const organizations = await ta.db.selectFrom('organizations').select('id').execute();
  assert.equal(organizations.length, 1, 'no organisation without its administrator');
  const registered = answers.map((answer) => answer.json<{ organizationId: string }>().organizationId);
  assert.ok(registered.includes(users[0]!.organization_id!));
  // The loser — refused by the check or by the unique index — was answered like a taken address.
  const mails = await ta.db.selectFrom('outbox_events').select('topic').where('topic', 'like', 'mail.%').execute();
  assert.deepEqual(mails.map((mail) => mail.topic).sort(), [
    'mail.registration_email_taken',
    'mail.registration_received',
  ]);
});

test('regulator admin verifies; only then may members file; rejection needs a reason', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  const body = registration();
  const { organizationId } = (await register(ta, body)).json<{ organizationId: string }>();

  const pending = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/organizations?status=pending',
    headers: admin.headers,
  });
  assert.equal(pending.statusCode, 200);
  assert.ok(pending.json<{ items: Array<{ id: string }> }>().items.some((o) => o.id === organizationId));

  const byReviewer = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${organizationId}/verification`,
    headers: reviewer.headers,
    payload: { decision: 'verified' },
  });
  assert.equal(byReviewer.statusCode, 403);
  const anonymous = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${organizationId}/verification`,
    payload: { decision: 'verified' },
  });
  assert.equal(anonymous.statusCode, 401);
  const noReason = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${organizationId}/verification`,
    headers: admin.headers,
    payload: { decision: 'rejected' },
  });
  assert.equal(noReason.statusCode, 422);
  assert.equal(noReason.json<{ code: string }>().code, 'reason_required');

  const verified = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${organizationId}/verification`,
    headers: admin.headers,
    payload: { decision: 'verified' },
  });
  assert.equal(verified.statusCode, 200);
  assert.equal(verified.json<{ status: string }>().status, 'verified');
  const again = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${organizationId}/verification`,
    headers: admin.headers,
    payload: { decision: 'verified' },
  });
  assert.equal(again.statusCode, 409);

  const missing = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/organizations/0190a000-0000-7000-8000-000000000000/verification',
    headers: admin.headers,
    payload: { decision: 'verified' },
  });
  assert.equal(missing.statusCode, 404);
});

test('org admins add members to their own organisation only; regulator admins create staff', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  const bodyA = registration();
  const { organizationId: orgA } = (await register(ta, bodyA)).json<{ organizationId: string }>();
  const { organizationId: orgB } = (await register(ta, registration())).json<{ organizationId: string }>();
  const loginA = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: bodyA.admin.email, password: bodyA.admin.password },
  });
  const headersA = { authorization: `Bearer ${loginA.json<{ token: string }>().token}` };

  const member = { email: 'member-a@example.cn', name: '李四', role: 'org_member', password: 'Futian-district-2026' };
  const created = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${orgA}/users`,
    headers: headersA,
    payload: member,
  });
  assert.equal(created.statusCode, 201);
  assert.deepEqual(created.json<{ roles: string[]; organizationId: string }>().roles, ['org_member']);
  const other = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${orgB}/users`,
    headers: headersA,
    payload: { ...member, email: 'x@example.cn' },
  });
  assert.equal(other.statusCode, 404, 'another organisation is invisible');
  const dup = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${orgA}/users`,
    headers: headersA,
    payload: member,
  });
  assert.equal(dup.statusCode, 409);

  const staff = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin.headers,
    payload: { email: 'reviewer@sz.gov.cn', name: '赵审查', roles: ['reviewer'], password: 'Nanshan-district-2026' },
  });
  assert.equal(staff.statusCode, 201);
  assert.equal(staff.json<{ organizationId: null }>().organizationId, null);
  const staffByOrg = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: headersA,
    payload: { email: 'r2@sz.gov.cn', name: 'x', roles: ['reviewer'], password: 'Nanshan-district-2026' },
  });
  assert.equal(staffByOrg.statusCode, 403);
  const orgRoleAsStaff = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin.headers,
    payload: { email: 'r3@sz.gov.cn', name: 'x', roles: ['org_admin'], password: 'Nanshan-district-2026' },
  });
  assert.equal(orgRoleAsStaff.statusCode, 400);
});
