import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { AppError, found, notFound, unprocessable } from '../../platform/errors.ts';
import { isRegulatorRole } from '../../domain/identity.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { PasswordResetMail } from './events.ts';
import { newId } from '../../platform/ids.ts';
import { requireUser, type UserPrincipal } from '../../platform/principal.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { notify } from '../notifications/index.ts';
import { evictCredential, evictUser } from './authentication.ts';
import { API_TOKEN_PREFIX, hashToken, newSecretToken, RESET_PREFIX, SESSION_PREFIX } from './credentials.ts';
import { assertStrongPassword, decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import * as repo from './repo.ts';
import { assertNotThrottled, clearAccountFailures, recordLoginFailure } from './throttle.ts';

const BAD_CREDENTIALS = { zh: '邮箱或密码错误', en: 'Wrong email or password' };
const RESET_TTL_MS = 60 * 60_000;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: repo.User;
}

/**
 * Signs in with email and password. Unknown email and wrong password get the same answer
 * after the same argon2 work (no account enumeration); failures count toward throttling.
 */
export async function login(
  deps: AppDeps,
  context: RequestContext,
  input: { email: string; password: string },
): Promise<LoginResult> {
  const { email, password } = input;
  await assertNotThrottled(deps, email, context.ip);
  const user = await repo.findUserByEmail(deps.db, email);
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (user === undefined || !valid || user.status !== 'active') {
    await recordLoginFailure(deps, email, context.ip);
    throw new AppError(401, 'invalid_credentials', { detail: BAD_CREDENTIALS });
  }
  await clearAccountFailures(deps, email);
  return openSession(deps, context, user, {});
}

/** A new session for `user`, audited `session.created` with `summary`. */
async function openSession(
  deps: AppDeps,
  context: RequestContext,
  user: repo.UserWithSecret,
  summary: Record<string, unknown>,
): Promise<LoginResult> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlHours * 3_600_000);
  const { token, hash } = newSecretToken(SESSION_PREFIX);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({
        id: newId(),
        user_id: user.id,
        token_hash: hash,
        created_at: now,
        expires_at: expiresAt,
        last_seen_at: now,
      })
      .execute();
    const actor: UserPrincipal = {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      roles: user.roles,
      organizationId: user.organizationId,
      organizationStatus: null,
      via: 'bearer',
      credentialId: '',
    };
    await recordAudit(
      trx,
      { principal: actor, requestId: context.requestId, clock: deps.clock },
      {
        action: 'session.created',
        resourceType: 'user',
        resourceId: user.id,
        organizationId: user.organizationId,
        summary,
      },
    );
  });
  return { token, expiresAt, user: repo.withoutSecret(user) };
}

/**
 * Staff single sign-on (integrations module, API-CONTRACT-2 §7): the provider verified `email`;
 * only an existing, active regulator staff user with that address signs in. Anyone else —
 * unknown, disabled, or an organisation's user — is refused alike (403 `sso_user_unknown`).
 */
export async function startStaffSsoSession(
  deps: AppDeps,
  context: RequestContext,
  input: { email: string; issuer: string; subject: string },
): Promise<LoginResult> {
  const user = await repo.findUserByEmail(deps.db, input.email);
  if (
    user === undefined ||
    user.status !== 'active' ||
    user.organizationId !== null ||
    !user.roles.some((role) => isRegulatorRole(role))
  ) {
    throw new AppError(403, 'sso_user_unknown', {
      detail: {
        zh: '该单点登录账号没有对应的监管工作人员账户',
        en: 'No regulator staff account matches this single sign-on identity',
      },
    });
  }
  return openSession(deps, context, user, { via: 'oidc', issuer: input.issuer, subject: input.subject });
}

export async function logout(
  deps: AppDeps,
  context: RequestContext,
  input: { token: string | undefined },
): Promise<void> {
  const { token } = input;
  const principal = requireUser(context.principal);
  if (token === undefined || principal.via === 'api_token') return;
  const tokenHash = hashToken(token);
  evictCredential(tokenHash);
  await deps.db
    .updateTable('sessions')
    .set({ revoked_at: deps.clock.now() })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function currentUser(deps: AppDeps, context: RequestContext): Promise<repo.User> {
  assertCan(context.principal, 'auth.me', systemResource('user'));
  const principal = requireUser(context.principal);
  return {
    id: principal.userId,
    email: principal.email,
    name: principal.name,
    roles: [...principal.roles],
    organizationId: principal.organizationId,
    status: 'active',
    createdAt: new Date(0),
    version: 0,
  };
}

/**
 * After a password change or reset nothing issued under the old password may keep working:
 * every session AND every personal API token of the user is revoked (OWASP Session Management:
 * renew credentials on a password change). A token minted by someone who had stolen the
 * password would otherwise outlive it. Returns how many API tokens were revoked.
 */
async function revokeAllCredentials(deps: AppDeps, trx: Transaction<Database>, userId: string): Promise<number> {
  const now = deps.clock.now();
  await trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  const tokens = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  evictUser(userId);
  return tokens.length;
}

/**
 * The user is told what went with the old password, in both languages: the web app has no
 * password page yet, so the notice is where they read it (after signing in again).
 */
function credentialsRevokedNotice(userId: string, how: 'changed' | 'reset', apiTokensRevoked: number) {
  const tokensZh = apiTokensRevoked === 0 ? '' : `和 ${apiTokensRevoked} 个个人 API 令牌`;
  const tokensEn =
    apiTokensRevoked === 0
      ? 'every session was revoked'
      : `every session and ${apiTokensRevoked} personal API token${apiTokensRevoked === 1 ? '' : 's'} were revoked`;
  return {
    target: { userId },
    kind: `user.password_${how}`,
    titleZh:
      `密码已${how === 'changed' ? '修改' : '重置'}：所有登录会话${tokensZh}均已撤销。` +
      `${apiTokensRevoked === 0 ? '' : '如需继续使用 API，请重新创建令牌。'}如非本人操作，请立即重置密码并联系管理员。`,
    titleEn:
      `Your password was ${how}: ${tokensEn}.` +
      `${apiTokensRevoked === 0 ? '' : ' Create new tokens where you still need them.'}` +
      ' If this was not you, reset your password at once and tell your administrator.',
  };
}

/** Changing the password revokes every session (this one included) and API token; sign in again. */
export async function changePassword(
  deps: AppDeps,
  context: RequestContext,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const { currentPassword, newPassword } = input;
  assertCan(context.principal, 'auth.password.change', systemResource('user'));
  const principal: UserPrincipal = requireUser(context.principal);
  const user = found(await repo.findUserById(deps.db, principal.userId));
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw unprocessable('wrong_password', {
      detail: { zh: '当前密码不正确', en: 'The current password is wrong' },
      errors: [{ pointer: '/currentPassword', message: { zh: '当前密码不正确', en: 'wrong password' } }],
    });
  }
  assertStrongPassword(newPassword, { email: user.email, name: user.name }, '/newPassword', context.language);
  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateUserPassword(trx, user.id, passwordHash, deps.clock.now());
    const apiTokensRevoked = await revokeAllCredentials(deps, trx, user.id);
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: 'user.password_changed',
      resourceType: 'user',
      resourceId: user.id,
      organizationId: user.organizationId,
      summary: { sessionsRevoked: true, apiTokensRevoked },
    });
    await notify(trx, deps.clock, [credentialsRevokedNotice(user.id, 'changed', apiTokensRevoked)]);
  });
}

/**
 * Starts a password reset. Always answers the same (no enumeration); for a known account an
 * outbox event carries the one-time link to the mail adapter (logged in development).
 */
export async function requestPasswordReset(
  deps: AppDeps,
  context: RequestContext,
  input: { email: string },
): Promise<void> {
  const { email } = input;
  assertCan(context.principal, 'auth.password.reset', systemResource('user'));
  const user = await repo.findUserByEmail(deps.db, email);
  if (user === undefined || user.status !== 'active') return;
  const now = deps.clock.now();
  const { token, hash } = newSecretToken(RESET_PREFIX);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_resets')
      .values({
        id: newId(),
        user_id: user.id,
        token_hash: hash,
        created_at: now,
        expires_at: new Date(now.getTime() + RESET_TTL_MS),
      })
      .execute();
    await enqueueEvent(trx, deps.clock, PasswordResetMail, user.id, {
      to: user.email,
      name: user.name,
      resetToken: token,
      expiresInMinutes: RESET_TTL_MS / 60_000,
    });
  });
}

export async function completePasswordReset(
  deps: AppDeps,
  context: RequestContext,
  input: { token: string; newPassword: string },
): Promise<void> {
  const { token, newPassword } = input;
  assertCan(context.principal, 'auth.password.reset', systemResource('user'));
  const now = deps.clock.now();
  const invalid = () =>
    unprocessable('invalid_reset_token', {
      detail: { zh: '重置链接无效或已过期', en: 'The reset link is invalid or expired' },
      errors: [{ pointer: '/token', message: { zh: '重置令牌无效或已过期', en: 'invalid or expired' } }],
    });
  const reset = await deps.db
    .selectFrom('password_resets')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (reset === undefined || reset.used_at !== null || new Date(reset.expires_at).getTime() <= now.getTime())
    throw invalid();
  const user = found(await repo.findUserById(deps.db, reset.user_id));
  assertStrongPassword(newPassword, { email: user.email, name: user.name }, '/newPassword', context.language);
  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', reset.id)
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (used === undefined) throw invalid();
    await repo.updateUserPassword(trx, user.id, passwordHash, now);
    const apiTokensRevoked = await revokeAllCredentials(deps, trx, user.id);
    await recordAudit(
      trx,
      { principal: context.principal, requestId: context.requestId, clock: deps.clock },
      {
        action: 'user.password_reset',
        resourceType: 'user',
        resourceId: user.id,
        organizationId: user.organizationId,
        summary: { sessionsRevoked: true, apiTokensRevoked },
      },
    );
    await notify(trx, deps.clock, [credentialsRevokedNotice(user.id, 'reset', apiTokensRevoked)]);
  });
}

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** Personal API tokens for machine clients: shown once, stored hashed, scoped, revocable. */
export async function createApiToken(
  deps: AppDeps,
  context: RequestContext,
  input: { name: string; scopes?: string[]; expiresInDays?: number },
): Promise<ApiTokenView & { token: string }> {
  assertCan(context.principal, 'tokens.manage', systemResource('api_token'));
  const principal = requireUser(context.principal);
  if (principal.via === 'api_token') {
    throw unprocessable('token_cannot_mint_token', {
      detail: { zh: 'API 令牌不能再创建令牌', en: 'An API token cannot create tokens' },
    });
  }
  const now = deps.clock.now();
  const { token, hash } = newSecretToken(API_TOKEN_PREFIX);
  const view: ApiTokenView = {
    id: newId(),
    name: input.name.trim(),
    scopes: input.scopes ?? ['*'],
    createdAt: now,
    expiresAt: input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
    lastUsedAt: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_tokens')
      .values({
        id: view.id,
        user_id: principal.userId,
        name: view.name,
        token_hash: hash,
        scopes: JSON.stringify(view.scopes),
        created_at: now,
        expires_at: view.expiresAt,
      })
      .execute();
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: 'api_token.created',
      resourceType: 'api_token',
      resourceId: view.id,
      organizationId: principal.organizationId,
      summary: { name: view.name, scopes: view.scopes },
    });
  });
  return { ...view, token };
}

export async function listApiTokens(deps: AppDeps, context: RequestContext): Promise<ApiTokenView[]> {
  assertCan(context.principal, 'tokens.manage', systemResource('api_token'));
  const principal = requireUser(context.principal);
  const rows = await deps.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', principal.userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  }));
}

export async function revokeApiToken(deps: AppDeps, context: RequestContext, input: { id: string }): Promise<void> {
  const { id } = input;
  assertCan(context.principal, 'tokens.manage', systemResource('api_token'));
  const principal = requireUser(context.principal);
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: deps.clock.now() })
      .where('id', '=', id)
      .where('user_id', '=', principal.userId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'token_hash'])
      .executeTakeFirst();
    if (row === undefined) throw notFound();
    evictCredential(row.token_hash);
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: 'api_token.revoked',
      resourceType: 'api_token',
      resourceId: id,
      organizationId: principal.organizationId,
      summary: {},
    });
  });
}
