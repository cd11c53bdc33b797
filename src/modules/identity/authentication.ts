import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseCookie } from 'cookie';
import { sql } from 'kysely';
import type { AppDeps } from '../../platform/deps.ts';
import { forbidden, unauthorized } from '../../platform/errors.ts';
import type { OrganizationStatus, Role, UserPrincipal } from '../../platform/principal.ts';
import { API_TOKEN_PREFIX, hashToken, SESSION_PREFIX } from './credentials.ts';

export const SESSION_COOKIE = 'aigov_session';

/**
 * Recently resolved credentials, per instance. A revoked session stays usable on OTHER
 * instances for at most this long; on this instance logout evicts it at once. The cache
 * keeps authenticated reads off the database (see bench/README.md).
 */
const CACHE_TTL_MS = 2000;
const LAST_SEEN_RESOLUTION_MS = 60_000;
const cache = new Map<string, { principal: UserPrincipal; until: number }>();

export function evictCredential(tokenHash: string): void {
  cache.delete(tokenHash);
}

export function evictUser(userId: string): void {
  for (const [key, entry] of cache) if (entry.principal.userId === userId) cache.delete(key);
}

interface Presented {
  token: string;
  via: 'cookie' | 'bearer';
}

export function presentedCredential(request: FastifyRequest): Presented | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (match === null)
      throw unauthorized({ detail: { zh: 'Authorization 头格式错误', en: 'Malformed Authorization header' } });
    return { token: match[1]!, via: 'bearer' };
  }
  const cookieHeader = request.headers.cookie;
  if (cookieHeader === undefined) return undefined;
  const token = parseCookie(cookieHeader)[SESSION_COOKIE];
  return token === undefined || token === '' ? undefined : { token, via: 'cookie' };
}

/** Resolves a session or API token to a principal; undefined when unknown, expired or revoked. */
async function resolve(deps: AppDeps, presented: Presented): Promise<UserPrincipal | undefined> {
  const tokenHash = hashToken(presented.token);
  const now = deps.clock.now();
  const cached = cache.get(tokenHash);
  if (cached !== undefined && cached.until > now.getTime()) {
    return cached.principal.via === 'api_token' ? cached.principal : { ...cached.principal, via: presented.via };
  }
  let principal: UserPrincipal | undefined;
  if (presented.token.startsWith(SESSION_PREFIX)) principal = await resolveSession(deps, tokenHash, now, presented.via);
  else if (presented.token.startsWith(API_TOKEN_PREFIX)) principal = await resolveApiToken(deps, tokenHash, now);
  if (principal === undefined) {
    cache.delete(tokenHash);
    return undefined;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(tokenHash, { principal, until: now.getTime() + CACHE_TTL_MS });
  return principal;
}

interface UserRow {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  organization_id: string | null;
  organization_status: string | null;
}

function toPrincipal(row: UserRow, via: UserPrincipal['via'], credentialId: string, scopes?: string[]): UserPrincipal {
  return {
    kind: 'user',
    userId: row.user_id,
    email: row.email,
    name: row.name,
    roles: row.roles as Role[],
    organizationId: row.organization_id,
    organizationStatus: row.organization_status as OrganizationStatus | null,
    via,
    credentialId,
    ...(scopes === undefined ? {} : { scopes }),
  };
}

/** What toPrincipal reads of the credential's user (`u`) and organisation (`o`). */
const PRINCIPAL_COLUMNS = [
  'u.id as user_id',
  'u.email',
  'u.name',
  'u.roles',
  'u.status as user_status',
  'u.organization_id',
  'o.status as organization_status',
] as const;

async function resolveSession(deps: AppDeps, tokenHash: string, now: Date, via: 'cookie' | 'bearer') {
  const row = await deps.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(['s.id as session_id', 's.expires_at', 's.last_seen_at', 's.revoked_at', ...PRINCIPAL_COLUMNS])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null || row.user_status !== 'active') return undefined;
  const idleLimit = deps.config.sessionIdleMinutes * 60_000;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (new Date(row.expires_at).getTime() <= now.getTime() || now.getTime() - lastSeen > idleLimit) return undefined;
  if (now.getTime() - lastSeen > LAST_SEEN_RESOLUTION_MS) {
    await deps.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.session_id).execute();
  }
  return toPrincipal(row, via, row.session_id);
}

async function resolveApiToken(deps: AppDeps, tokenHash: string, now: Date) {
  const row = await deps.db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(['t.id as token_id', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at', ...PRINCIPAL_COLUMNS])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null || row.user_status !== 'active') return undefined;
  if (row.expires_at !== null && new Date(row.expires_at).getTime() <= now.getTime()) return undefined;
  if (row.last_used_at === null || now.getTime() - new Date(row.last_used_at).getTime() > LAST_SEEN_RESOLUTION_MS) {
    await deps.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return toPrincipal(row, 'api_token', row.token_id, row.scopes);
}

/** The principal a session or API token stands for, as a request carrying it would get it. */
export async function principalOfToken(deps: AppDeps, token: string): Promise<UserPrincipal | undefined> {
  return resolve(deps, { token, via: 'bearer' });
}

/**
 * The installation's first active regulator administrator, for the CLI acting on the
 * operator's behalf (`aigov demo` creates its demo staff so): no credential, no session.
 */
export async function firstRegulatorAdministrator(deps: AppDeps): Promise<UserPrincipal | undefined> {
  const row = await deps.db
    .selectFrom('users as u')
    .leftJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(PRINCIPAL_COLUMNS)
    .where(sql<boolean>`u.roles @> '["regulator_admin"]'::jsonb`)
    .where('u.status', '=', 'active')
    .orderBy('u.created_at')
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toPrincipal(row, 'bearer', '');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie sessions (OWASP: verify the origin with standard headers):
 * an unsafe request must say it comes from our own origin. Bearer tokens are never sent
 * automatically by browsers, so they are exempt.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined) {
    if (fetchSite === 'same-origin') return;
    throw csrfRejected();
  }
  const origin = request.headers.origin;
  if (origin === undefined) throw csrfRejected();
  const expected = publicUrl !== undefined ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;
  if (origin !== expected) throw csrfRejected();
}

function csrfRejected() {
  return forbidden({
    detail: { zh: '跨站请求被拒绝：请从本站页面提交', en: 'Cross-site request refused: submit from this site' },
  });
}

/** Authenticates every request once: a valid session or token becomes `request.principal`. */
export function installAuthentication(app: FastifyInstance, deps: AppDeps): void {
  // Callback style: a request without credentials (most public traffic) passes synchronously.
  app.addHook('onRequest', (request, _reply, done) => {
    // The Prometheus scrape carries its own bearer token (AIGOV_METRICS_TOKEN), checked by its route.
    if (request.routeOptions.url === '/metrics') {
      done();
      return;
    }
    const presented = presentedCredential(request);
    if (presented === undefined) {
      done();
      return;
    }
    authenticate(deps, request, presented).then(() => done(), done);
  });
}

async function authenticate(deps: AppDeps, request: FastifyRequest, presented: Presented): Promise<void> {
  const principal = await resolve(deps, presented);
  if (principal === undefined) {
    // A stale cookie just means "signed out"; a bad Bearer token is an error the client must see.
    if (presented.via === 'bearer')
      throw unauthorized({ detail: { zh: '令牌无效或已过期', en: 'Invalid or expired token' } });
    return;
  }
  if (presented.via === 'cookie' && !SAFE_METHODS.has(request.method)) assertSameOrigin(request, deps.config.publicUrl);
  request.principal = principal;
}
