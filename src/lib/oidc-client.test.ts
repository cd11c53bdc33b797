// The staff sign-in round trip against a real OpenID provider (oidc-provider) on 127.0.0.1.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startOidcProvider } from '../../test/helpers/oidc-provider.ts';
import { createOidcClient, OidcLoginError, type OidcLoginErrorCode, verifiedEmailOf } from './oidc-client.ts';

const ACCOUNTS = [
  { email: 'Wang.Reviewer@sz.gov.cn', emailVerified: true },
  { email: 'unverified@sz.gov.cn', emailVerified: false },
  { email: 'stranger@example.cn', emailVerified: true },
];
/** The staff directory of the identity module, as far as this test is concerned. */
const STAFF = new Set(['wang.reviewer@sz.gov.cn', 'unverified@sz.gov.cn']);

async function setUp(t: TestContext) {
  const op = await startOidcProvider(t, { accounts: ACCOUNTS });
  const client = await createOidcClient({
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecret: op.clientSecret,
    redirectUri: op.redirectUri,
    allowInsecureRequests: true,
  });
  return { op, client };
}

function refusedWith(code: OidcLoginErrorCode) {
  return (error: unknown) => {
    assert.ok(error instanceof OidcLoginError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  };
}

test('a staff member signs in: code + PKCE S256, state and nonce checked, verified e-mail returned', async (t) => {
  const { op, client } = await setUp(t);
  assert.equal(client.issuer, op.issuer);
  const { url, pending } = await client.startLogin();
  assert.equal(url.origin, op.issuer);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('client_id'), op.clientId);
  assert.equal(url.searchParams.get('redirect_uri'), op.redirectUri);
  assert.equal(url.searchParams.get('scope'), 'openid email');
  assert.equal(url.searchParams.get('state'), pending.state);
  assert.equal(url.searchParams.get('nonce'), pending.nonce);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.notEqual(url.searchParams.get('code_challenge'), pending.codeVerifier);

  const callback = await op.signIn(url, 'wang.reviewer@sz.gov.cn');
  assert.ok(callback.searchParams.has('code'));
  assert.equal(callback.searchParams.get('iss'), op.issuer, 'RFC 9207 issuer parameter');
  const identity = await client.completeLogin(callback, pending);
  assert.deepEqual(identity, {
    issuer: op.issuer,
    subject: 'account-1',
    email: 'wang.reviewer@sz.gov.cn',
    emailVerified: true,
  });
  assert.equal(verifiedEmailOf(identity), 'wang.reviewer@sz.gov.cn');
  assert.ok(STAFF.has(verifiedEmailOf(identity)));

  // The code works once.
  await assert.rejects(client.completeLogin(callback, pending), refusedWith('invalid_response'));
});

test("a callback with another login's state is refused before the code is spent", async (t) => {
  const { op, client } = await setUp(t);
  const mine = await client.startLogin();
  const callback = await op.signIn(mine.url, 'wang.reviewer@sz.gov.cn');
  const other = await client.startLogin();
  await assert.rejects(client.completeLogin(callback, other.pending), refusedWith('state_mismatch'));
  const noState = new URL(callback);
  noState.searchParams.delete('state');
  await assert.rejects(client.completeLogin(noState, mine.pending), refusedWith('state_mismatch'));
  // The code was not exchanged: the rightful login still completes.
  assert.equal((await client.completeLogin(callback, mine.pending)).email, 'wang.reviewer@sz.gov.cn');
});

test('an ID token minted for another nonce is refused', async (t) => {
  const { op, client } = await setUp(t);
  const { url, pending } = await client.startLogin();
  const callback = await op.signIn(url, 'wang.reviewer@sz.gov.cn');
  await assert.rejects(
    client.completeLogin(callback, { ...pending, nonce: 'a-nonce-this-login-never-sent' }),
    refusedWith('nonce_mismatch'),
  );
});

test('a wrong PKCE verifier is refused by the provider', async (t) => {
  const { op, client } = await setUp(t);
  const { url, pending } = await client.startLogin();
  const callback = await op.signIn(url, 'wang.reviewer@sz.gov.cn');
  const other = await client.startLogin();
  await assert.rejects(
    client.completeLogin(callback, { ...pending, codeVerifier: other.pending.codeVerifier }),
    (error: unknown) => {
      assert.ok(error instanceof OidcLoginError);
      assert.equal(error.code, 'invalid_response');
      assert.equal(error.providerError, 'invalid_grant');
      return true;
    },
  );
});

test('an unverified e-mail is reported as such, and no e-mail is taken from it', async (t) => {
  const { op, client } = await setUp(t);
  const { url, pending } = await client.startLogin();
  const identity = await client.completeLogin(await op.signIn(url, 'unverified@sz.gov.cn'), pending);
  assert.equal(identity.email, 'unverified@sz.gov.cn');
  assert.equal(identity.emailVerified, false);
  assert.throws(() => verifiedEmailOf(identity), refusedWith('email_unverified'));
  assert.throws(
    () => verifiedEmailOf({ ...identity, email: undefined, emailVerified: true }),
    refusedWith('email_unverified'),
  );
});

test('an e-mail the provider vouches for but no staff user has is reported for the module to refuse', async (t) => {
  const { op, client } = await setUp(t);
  const { url, pending } = await client.startLogin();
  const identity = await client.completeLogin(await op.signIn(url, 'stranger@example.cn'), pending);
  assert.equal(identity.emailVerified, true);
  assert.equal(verifiedEmailOf(identity), 'stranger@example.cn');
  assert.equal(STAFF.has(verifiedEmailOf(identity)), false, 'unknown to aigov: the module refuses');
});

test('a login the provider refuses comes back as a provider error', async (t) => {
  const { op, client } = await setUp(t);
  const { url, pending } = await client.startLogin();
  const callback = await op.signIn(url, 'nobody@example.cn');
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  await assert.rejects(client.completeLogin(callback, pending), (error: unknown) => {
    assert.ok(error instanceof OidcLoginError);
    assert.equal(error.code, 'provider_error');
    assert.equal(error.providerError, 'access_denied');
    return true;
  });
});

test('a plain-http issuer is refused unless explicitly allowed', async (t) => {
  const op = await startOidcProvider(t, { accounts: ACCOUNTS });
  await assert.rejects(
    createOidcClient({
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
      redirectUri: op.redirectUri,
    }),
  );
});
