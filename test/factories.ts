import crypto from 'node:crypto';
import { sql } from 'kysely';
import { organizationCodeCheckDigit, usccCheckCharacter } from '../src/lib/uscc.ts';
import { newId } from '../src/platform/ids.ts';
import type { OrganizationStatus, Role } from '../src/platform/principal.ts';
import { hashToken, newSecretToken, SESSION_PREFIX } from '../src/modules/identity/credentials.ts';
import { hashPassword } from '../src/modules/identity/passwords.ts';
import type { TestApp } from './helpers/test-app.ts';

/** A valid unified social credit code for an enterprise in Shenzhen (9 1 440300 …), random each call. */
export function randomUscc(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '';
  for (let i = 0; i < 8; i += 1) body += alphabet[crypto.randomInt(10)];
  const orgCode = body + organizationCodeCheckDigit(body);
  const first17 = `91440300${orgCode}`;
  return first17 + usccCheckCharacter(first17);
}

export const TEST_PASSWORD = 'Shenzhen-AI-governance-2026!';
let passwordHash: Promise<string> | undefined;

export interface TestOrganization {
  id: string;
  uscc: string;
  name: string;
}

/** An organisation straight in the database (verified unless told otherwise). */
export async function createOrganization(
  t: TestApp,
  options: { status?: OrganizationStatus; name?: string; type?: string } = {},
): Promise<TestOrganization> {
  const id = newId();
  const now = t.clock.now();
  const org = { id, uscc: randomUscc(), name: options.name ?? `测试科技有限公司 ${id.slice(-6)}` };
  await t.db
    .insertInto('organizations')
    .values({
      id,
      name: org.name,
      name_en: `Test Technology Co., Ltd. ${id.slice(-6)}`,
      uscc: org.uscc,
      type: options.type ?? 'enterprise',
      status: options.status ?? 'verified',
      status_reason: null,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  return org;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  headers: { authorization: string };
  organizationId: string | null;
  roles: Role[];
}

/** A user with a live session; `headers` authenticate as that user (Bearer). */
export async function createUser(
  t: TestApp,
  options: { roles: Role[]; organizationId?: string; email?: string; name?: string },
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  const now = t.clock.now();
  const email = options.email ?? `user-${id.slice(-12)}@example.cn`;
  await t.db
    .insertInto('users')
    .values({
      id,
      email,
      name: options.name ?? `测试用户 ${id.slice(-4)}`,
      password_hash: await passwordHash,
      roles: JSON.stringify(options.roles),
      organization_id: options.organizationId ?? null,
      status: 'active',
      created_at: now,
      updated_at: now,
      password_changed_at: now,
      version: 1,
    })
    .execute();
  const { token } = newSecretToken(SESSION_PREFIX);
  await t.db
    .insertInto('sessions')
    .values({
      id: newId(),
      user_id: id,
      token_hash: hashToken(token),
      created_at: now,
      expires_at: new Date(now.getTime() + 365 * 86_400_000),
      last_seen_at: now,
    })
    .execute();
  return {
    id,
    email,
    password: TEST_PASSWORD,
    token,
    headers: { authorization: `Bearer ${token}` },
    organizationId: options.organizationId ?? null,
    roles: options.roles,
  };
}

/** A verified organisation with one member (role org_member unless told). */
export async function createOrgMember(
  t: TestApp,
  options: { role?: 'org_admin' | 'org_member'; status?: OrganizationStatus } = {},
) {
  const organization = await createOrganization(t, { status: options.status });
  const user = await createUser(t, { roles: [options.role ?? 'org_member'], organizationId: organization.id });
  return { organization, user };
}

/** Row counts of the given tables: assert "nothing changed" after a rejected request. */
export async function tableCounts(t: TestApp, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db);
    counts[table] = Number(result.rows[0]!.n);
  }
  return counts;
}
