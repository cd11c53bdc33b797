import { unauthorized } from './errors.ts';

import {
  REGULATOR_ROLES,
  type OrganizationRole,
  type OrganizationStatus,
  type RegulatorRole,
  type Role,
} from '../domain/identity.ts';

export type { OrganizationRole, OrganizationStatus, RegulatorRole, Role };

/** Who is asking: resolved once per request from the session cookie or a Bearer token. */
export type Principal = AnonymousPrincipal | UserPrincipal;

export interface AnonymousPrincipal {
  readonly kind: 'anonymous';
}

export interface UserPrincipal {
  readonly kind: 'user';
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly organizationId: string | null;
  readonly organizationStatus: OrganizationStatus | null;
  /** How the request authenticated: cookie sessions are subject to the CSRF origin check. */
  readonly via: 'cookie' | 'bearer' | 'api_token';
  readonly credentialId: string;
  /** Scopes of a personal API token; undefined for sessions (full rights of the user). */
  readonly scopes?: readonly string[];
}

export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ kind: 'anonymous' });

export function isRegulator(principal: Principal): boolean {
  return (
    principal.kind === 'user' && principal.roles.some((role) => (REGULATOR_ROLES as readonly string[]).includes(role))
  );
}

/** Whether the principal is a user holding `role` (for what a role sees, not what it may do: that is Cedar's). */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.kind === 'user' && principal.roles.includes(role);
}

/** The authenticated user or a 401. */
export function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw unauthorized();
  return principal;
}

/** A short actor label for audit rows and logs: never a secret, never the full email. */
export function actorLabel(principal: Principal): string {
  return principal.kind === 'user' ? `${principal.name} <${principal.userId}>` : 'anonymous';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /**
     * The authorization action this route performs (a Cedar action id, e.g. `products.create`).
     * Every /api/v1 route declares one (route-guard.ts); routes outside it (health) and
     * hidden ones (the OpenAPI document) are public and declare none.
     */
    action?: string;
  }
}
