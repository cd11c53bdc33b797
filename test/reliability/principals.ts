import { createOrganization, createOrgMember, createUser, type TestUser } from '../factories.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { REGULATOR_ROLES } from '../../src/domain/identity.ts';

export interface FuzzPrincipal {
  name: string;
  headers: Record<string, string>;
  user?: TestUser;
}

export interface PrincipalSet {
  all: FuzzPrincipal[];
  memberA: TestUser;
  adminA: TestUser;
  memberB: TestUser;
  reviewer: TestUser;
  admin: TestUser;
  orgA: { id: string; uscc: string };
  orgB: { id: string; uscc: string };
  pendingOrg: { id: string; uscc: string };
}

/**
 * Who the fuzzer and the security checks speak as: the anonymous public, a member and the
 * administrator of verified organisation A, a member of organisation B, and one user for
 * each regulator role.
 */
export async function createPrincipals(t: TestApp): Promise<PrincipalSet> {
  const { organization: orgA, user: memberA } = await createOrgMember(t, { role: 'org_member' });
  const adminA = await createUser(t, { roles: ['org_admin'], organizationId: orgA.id });
  const { organization: orgB, user: memberB } = await createOrgMember(t, { role: 'org_member' });
  const pendingOrg = await createOrganization(t, { status: 'pending' });
  const all: FuzzPrincipal[] = [
    { name: 'anonymous', headers: {} },
    { name: 'member(A)', headers: memberA.headers, user: memberA },
    { name: 'org_admin(A)', headers: adminA.headers, user: adminA },
    { name: 'member(B)', headers: memberB.headers, user: memberB },
  ];
  const byRole = new Map<string, TestUser>();
  for (const role of REGULATOR_ROLES) {
    const user = await createUser(t, { roles: [role] });
    byRole.set(role, user);
    all.push({ name: role, headers: user.headers, user });
  }
  return {
    all,
    memberA,
    adminA,
    memberB,
    reviewer: byRole.get('reviewer')!,
    admin: byRole.get('regulator_admin')!,
    orgA,
    orgB,
    pendingOrg,
  };
}
