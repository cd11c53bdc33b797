/**
 * A real OpenID provider for tests (oidc-provider, the certified Node implementation), on
 * 127.0.0.1. It has one confidential client, an account store with e-mail addresses (verified
 * or not) and a programmatic interaction in place of a login page: the test plays the browser
 * (`signIn`), follows the provider's redirects with a cookie jar, "types" an e-mail at the
 * login prompt and grants consent, and gets back the URL the provider sends to the client's
 * redirect URI. No developer interactions, no HTML.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  email: string;
  emailVerified: boolean;
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:<port>`: discovery lives under `/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** The provider object, for tests that need more (its events, its models). */
  readonly provider: Provider;
  /**
   * Plays the browser from the client's authorization URL: signs in as `email` at the login
   * prompt, consents, and returns the URL the provider redirects to (the client's redirect
   * URI with `code`, `state` and `iss`, or with `error`). `email` must be one of the accounts.
   */
  signIn(authorizationUrl: URL | string, email: string): Promise<URL>;
  close(): Promise<void>;
}

/** A minimal cookie jar: name=value pairs, enough for the provider's interaction and session cookies. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export async function startOidcProvider(
  t: TestContext,
  options: { accounts: readonly TestAccount[]; redirectUri?: string },
): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestAccount>(
    options.accounts.map((account, index) => [`account-${index + 1}`, account]),
  );
  const accountIdOf = (email: string) =>
    [...accounts].find(([, account]) => account.email.toLowerCase() === email.toLowerCase())?.[0];

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'aigov-staff';
  const clientSecret = randomBytes(32).toString('base64url');
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:3000/api/v1/auth/oidc/callback';

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // Every client must use PKCE (S256 is the only method the provider accepts).
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email'],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Seconds; set so the provider does not warn about its defaults. Its storage stays the
    // built-in in-memory adapter (it warns once per provider), which is what a test wants.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: account.emailVerified }),
      };
    },
    // The provider's own 500s would be swallowed into an HTML page: surface them in the test log.
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);

  /** The login page and the consent page, answered without a UI. */
  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const prompt = details.prompt;
    if (prompt.name === 'login') {
      const email = url.searchParams.get('login') ?? '';
      const accountId = accountIdOf(email);
      if (accountId === undefined) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no such account' });
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    if (prompt.name === 'consent') {
      const accountId = details.session?.accountId ?? '';
      const grant =
        details.grantId === undefined
          ? new provider.Grant({ accountId, clientId: String(details.params.client_id) })
          : await provider.Grant.find(details.grantId);
      if (grant === undefined) throw new Error('grant vanished');
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims !== undefined) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new Error(`unexpected prompt ${prompt.name}`);
  }

  const callback = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname.startsWith('/interaction/')) {
      interaction(req, res, url).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
      return;
    }
    void callback(req, res);
  });

  async function signIn(authorizationUrl: URL | string, email: string): Promise<URL> {
    const jar = new CookieJar();
    let next = new URL(authorizationUrl);
    for (let hop = 0; hop < 20; hop += 1) {
      if (next.href.startsWith(redirectUri)) return next;
      if (next.origin !== issuer) throw new Error(`the provider sent the browser elsewhere: ${next.href}`);
      if (next.pathname.startsWith('/interaction/')) next.searchParams.set('login', email);
      const response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        throw new Error(`the provider answered ${response.status}: ${await response.text()}`);
      }
      await response.arrayBuffer();
      next = new URL(location, next);
    }
    throw new Error('too many redirects');
  }

  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  t.after(close);
  return { issuer, clientId, clientSecret, redirectUri, provider, signIn, close };
}
