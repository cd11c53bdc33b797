import type { User } from '../../api/types.ts';

/** Where a user starts after signing in: the work their role does most. */
export function landingPath(user: User): string {
  if (user.roles.includes('regulator_admin')) return '/admin/organizations';
  if (user.roles.includes('reviewer')) return '/review';
  if (user.roles.includes('org_admin') || user.roles.includes('org_member')) return '/provider';
  if (user.roles.includes('ethics_member') || user.roles.includes('ethics_secretary')) return '/ethics';
  return '/';
}

/** Only same-site paths: `?next=//evil.example` must not become an open redirect. */
export function safeNextPath(next: string | null): string | undefined {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  return next;
}
