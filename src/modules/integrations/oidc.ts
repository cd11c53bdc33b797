/**
 * Staff single sign-on with OpenID Connect (API-CONTRACT-2 §7): authorization code + PKCE with
 * the provider at `AIGOV_OIDC_ISSUER`. `GET /auth/oidc/login` keeps the login's state, nonce
 * and PKCE verifier server-side (`oidc_logins`), under the hash of a random id held by the
 * browser in a short-lived `HttpOnly`, `SameSite=Lax` cookie, and redirects to the provider.
 * The callback takes that login (once), lets openid-client check the answer, and signs in the
 * existing staff user whose address the provider verified; unknown users are refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createOidcClient, OidcLoginError, verifiedEmailOf, type OidcStaffClient } from '../../lib/oidc-client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { startStaffSsoSession, type LoginResult } from '../identity/index.ts';

export const OIDC_LOGIN_COOKIE = 'aigov_oidc';
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
/** How long a started sign-on may take at the provider. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

const clients = new WeakMap<AppDeps['config'], Promise<OidcStaffClient>>();

export function oidcRedirectUri(deps: AppDeps): string {
  const base = deps.config.publicUrl ?? `http://127.0.0.1:${deps.config.port}`;
  return `${base.replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`;
}

function notConfigured(): AppError {
  return notFound({
    detail: { zh: '未配置单点登录', en: 'Single sign-on is not configured' },
  });
}

/** The client, discovered once (a failed discovery is tried again at the next login). */
function clientOf(deps: AppDeps): Promise<OidcStaffClient> {
  const oidc = deps.config.oidc;
  if (oidc === undefined) throw notConfigured();
  let client = clients.get(deps.config);
  if (client === undefined) {
    const issuer = new URL(oidc.issuer);
    client = createOidcClient({
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      redirectUri: oidcRedirectUri(deps),
      // Plain http only to a provider on this machine (tests, a local development provider).
      allowInsecureRequests:
        issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname),
    });
    clients.set(deps.config, client);
    client.catch(() => clients.delete(deps.config));
  }
  return client;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/** `GET /auth/oidc/login`: where to send the browser, and the cookie that ties the callback to it. */
export async function startOidcLogin(
  deps: AppDeps,
  _ctx: RequestContext,
): Promise<{ location: string; loginId: string; maxAgeSeconds: number }> {
  const client = await clientOf(deps);
  const { url, pending } = await client.startLogin();
  const loginId = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
  await deps.db
    .insertInto('oidc_logins')
    .values({
      id_hash: hashOf(loginId),
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.codeVerifier,
      created_at: now,
      expires_at: new Date(now.getTime() + OIDC_LOGIN_TTL_MS),
    })
    .execute();
  return { location: url.href, loginId, maxAgeSeconds: OIDC_LOGIN_TTL_MS / 1000 };
}

const FAILURES: Record<OidcLoginError['code'], { zh: string; en: string }> = {
  state_mismatch: { zh: '登录回调与本次登录不符（state）', en: 'The callback does not belong to this sign-in (state)' },
  nonce_mismatch: { zh: '身份令牌与本次登录不符（nonce）', en: 'The ID token does not belong to this sign-in (nonce)' },
  provider_error: { zh: '身份提供方拒绝了登录', en: 'The identity provider refused the sign-in' },
  invalid_response: { zh: '身份提供方的应答未通过校验', en: 'The identity provider’s answer failed the checks' },
  email_unverified: { zh: '身份提供方未确认邮箱地址', en: 'The identity provider did not verify an e-mail address' },
};

/** `GET /auth/oidc/callback`: the staff user's new session. */
export async function completeOidcLogin(
  deps: AppDeps,
  ctx: RequestContext,
  input: { loginId: string | undefined; query: string },
): Promise<LoginResult> {
  const client = await clientOf(deps);
  const expired = () =>
    badRequest('sso_login_expired', {
      detail: {
        zh: '单点登录已过期或不是从本浏览器发起，请重新登录',
        en: 'The sign-on expired or was not started in this browser: sign in again',
      },
    });
  if (input.loginId === undefined || input.loginId === '') throw expired();
  const row = await deps.db
    .deleteFrom('oidc_logins')
    .where('id_hash', '=', hashOf(input.loginId))
    .returningAll()
    .executeTakeFirst();
  if (row === undefined || new Date(row.expires_at).getTime() <= deps.clock.now().getTime()) throw expired();
  const callbackUrl = new URL(`${oidcRedirectUri(deps)}${input.query}`);
  let email: string;
  let identity: Awaited<ReturnType<OidcStaffClient['completeLogin']>>;
  try {
    identity = await client.completeLogin(callbackUrl, {
      state: row.state,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
    });
    email = verifiedEmailOf(identity);
  } catch (error) {
    if (error instanceof OidcLoginError) {
      throw new AppError(401, 'sso_failed', {
        detail: FAILURES[error.code],
        extensions: { reason: error.code },
        cause: error,
      });
    }
    throw error;
  }
  return startStaffSsoSession(deps, ctx, { email, issuer: identity.issuer, subject: identity.subject });
}
