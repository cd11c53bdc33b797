/**
 * Staff single sign-on with OpenID Connect (API-CONTRACT-2 §7): the authorization code flow
 * with PKCE (RFC 7636, S256), `state` against cross-site request forgery and `nonce` against
 * ID token replay (OpenID Connect Core 1.0 §3.1.2.1, §15.5.2), through openid-client, which
 * also checks the RFC 9207 `iss` response parameter, the ID token's signature, issuer,
 * audience and lifetime. This file does the protocol; the identity module decides who may
 * sign in (an existing staff user whose verified e-mail matches) and keeps the pending login
 * (state, nonce, verifier) between the redirect and the callback.
 */
import { timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';

export interface OidcSettings {
  /** `AIGOV_OIDC_ISSUER`: discovery is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** `AIGOV_OIDC_CLIENT_ID`. */
  clientId: string;
  /** `AIGOV_OIDC_CLIENT_SECRET` (sent with HTTP Basic, `client_secret_basic`). */
  clientSecret: string;
  /** The callback: `<AIGOV_PUBLIC_URL>/api/v1/auth/oidc/callback`. */
  redirectUri: string;
  /** Plain `http:` to the provider, for tests on 127.0.0.1 only. */
  allowInsecureRequests?: boolean;
  /** Seconds each request to the provider may take (openid-client's default is 30). */
  timeoutSeconds?: number;
}

/** What the callback needs and only the browser that started the login may present (kept server-side or in a sealed cookie). */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Who the provider says signed in. */
export interface OidcIdentity {
  issuer: string;
  /** The provider's stable id of the person (`sub`). */
  subject: string;
  /** The `email` claim, lower-cased; undefined when the provider did not release it. */
  email: string | undefined;
  /** `email_verified` is `true` (a missing claim counts as not verified). */
  emailVerified: boolean;
}

export type OidcLoginErrorCode =
  /** The callback's `state` is not the one this login sent: a forged or crossed callback. */
  | 'state_mismatch'
  /** The ID token's `nonce` is not the one this login sent: a replayed or injected token. */
  | 'nonce_mismatch'
  /** The provider answered with an OAuth error (`access_denied`, …). */
  | 'provider_error'
  /** Anything else the checks refused: a bad code, signature, issuer, audience, lifetime… */
  | 'invalid_response'
  /** The provider did not release an e-mail, or did not say it is verified. */
  | 'email_unverified';

export class OidcLoginError extends Error {
  readonly code: OidcLoginErrorCode;
  /** The provider's OAuth `error` code, when it sent one. */
  readonly providerError: string | undefined;

  constructor(code: OidcLoginErrorCode, message: string, options: { providerError?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OidcLoginError';
    this.code = code;
    this.providerError = options.providerError;
  }
}

export interface OidcStaffClient {
  readonly issuer: string;
  /** The provider's authorization URL for a new login, and what to keep for its callback. */
  startLogin(): Promise<{ url: URL; pending: PendingLogin }>;
  /** Checks the callback against the pending login and returns who signed in; throws {@link OidcLoginError}. */
  completeLogin(callbackUrl: URL, pending: PendingLogin): Promise<OidcIdentity>;
}

const SCOPE = 'openid email';

/** Discovers the provider (once) and returns a client for staff logins. */
export async function createOidcClient(settings: OidcSettings): Promise<OidcStaffClient> {
  const config = await oidc.discovery(
    new URL(settings.issuer),
    settings.clientId,
    undefined,
    oidc.ClientSecretBasic(settings.clientSecret),
    {
      execute: settings.allowInsecureRequests === true ? [oidc.allowInsecureRequests] : [],
      timeout: settings.timeoutSeconds ?? 10,
    },
  );
  const issuer = config.serverMetadata().issuer;

  return {
    issuer,
    async startLogin() {
      const pending: PendingLogin = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: SCOPE,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },

    async completeLogin(callbackUrl, pending) {
      // Checked here first, in constant time, so a crossed callback is named for what it is
      // and never reaches the token endpoint.
      const presentedState = callbackUrl.searchParams.get('state');
      if (presentedState === null || !sameText(presentedState, pending.state)) {
        throw new OidcLoginError('state_mismatch', 'the callback does not belong to this login (state)');
      }
      const providerError = callbackUrl.searchParams.get('error');
      if (providerError !== null) {
        throw new OidcLoginError('provider_error', `the provider refused the login: ${providerError}`, {
          providerError,
        });
      }
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw classify(error);
      }
      const claims = tokens.claims();
      if (claims === undefined) throw new OidcLoginError('invalid_response', 'the provider sent no ID token');
      let email = claims.email;
      let verified = claims.email_verified;
      if (email === undefined) {
        // Providers may release scope claims at the userinfo endpoint only (OIDC Core §5.4).
        try {
          const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
          email = userinfo.email;
          verified = userinfo.email_verified;
        } catch (error) {
          throw classify(error);
        }
      }
      return {
        issuer,
        subject: claims.sub,
        email: typeof email === 'string' ? email.trim().toLowerCase() : undefined,
        emailVerified: verified === true,
      };
    },
  };
}

/**
 * The e-mail to look the staff user up by — only a verified one: anyone can put an unverified
 * address in their profile at many providers.
 */
export function verifiedEmailOf(identity: OidcIdentity): string {
  if (identity.email === undefined || !identity.emailVerified) {
    throw new OidcLoginError('email_unverified', 'the provider did not vouch for an e-mail address');
  }
  return identity.email;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** openid-client's (oauth4webapi's) errors, sorted into ours. */
function classify(error: unknown): OidcLoginError {
  if (error instanceof OidcLoginError) return error;
  const details = error as { code?: unknown; error?: unknown; cause?: unknown; message?: unknown };
  const message = typeof details.message === 'string' ? details.message : 'the login could not be completed';
  if (typeof details.error === 'string') {
    // The token or userinfo endpoint refused (`invalid_grant`: a used, expired or foreign code, a wrong verifier).
    return new OidcLoginError('invalid_response', `the provider refused the code exchange: ${details.error}`, {
      providerError: details.error,
      cause: error,
    });
  }
  if (details.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && comparedClaim(error) === 'nonce') {
    return new OidcLoginError('nonce_mismatch', 'the ID token does not belong to this login (nonce)', {
      cause: error,
    });
  }
  return new OidcLoginError('invalid_response', message, { cause: error });
}

/** The claim a failed comparison was about: openid-client wraps oauth4webapi's error, whose cause names it. */
function comparedClaim(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { claim, cause } = current as { claim?: unknown; cause?: unknown };
    if (claim !== undefined) return claim;
    current = cause;
  }
  return undefined;
}
