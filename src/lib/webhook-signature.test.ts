import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  generateWebhookSecret,
  isWebhookSecret,
  MAX_WEBHOOK_SIGNATURES,
  signWebhook,
  WebhookSecretError,
  webhookSecretKey,
  webhookSignature,
} from './webhook-signature.ts';

// The example of the Standard Webhooks reference libraries' own tests.
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SPEC_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SPEC_TIMESTAMP = 1614265330;
const SPEC_BODY = '{"test": 2432232314}';
const SPEC_SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

const BODY = JSON.stringify({
  type: 'filing.decided',
  timestamp: '2026-03-02T02:00:00.000Z',
  data: { filingId: '0195f3a0-0000-7000-8000-000000000001', productId: 'p', organizationId: 'o' },
});
const MESSAGE_ID = '0195f3a0-0000-7000-8000-0000000000aa';

/** The reference verifier: it parses and returns the JSON body when a signature matches. */
function verify(secret: string, body: string | Uint8Array, headers: Record<string, string>): unknown {
  return new Webhook(secret).verify(body, headers);
}

test('the Standard Webhooks example signs to the reference value', () => {
  assert.equal(webhookSignature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY), SPEC_SIGNATURE);
  assert.equal(
    new Webhook(SPEC_SECRET).sign(SPEC_ID, new Date(SPEC_TIMESTAMP * 1000), SPEC_BODY),
    SPEC_SIGNATURE,
    'the reference library agrees',
  );
});

test('the reference library verifies what aigov signs, as text or as bytes', () => {
  const secret = generateWebhookSecret();
  const headers = signWebhook({ messageId: MESSAGE_ID, wallClock: new Date(), body: BODY, secrets: [secret] });
  assert.equal(headers['webhook-id'], MESSAGE_ID);
  assert.match(headers['webhook-timestamp'], /^\d{10}$/);
  assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
  assert.deepEqual(verify(secret, BODY, headers), JSON.parse(BODY));

  const bytes = new TextEncoder().encode('{"type":"warning.issued","note":"预警"}');
  const signed = signWebhook({ messageId: MESSAGE_ID, wallClock: new Date(), body: bytes, secrets: [secret] });
  assert.deepEqual(verify(secret, bytes, signed), { type: 'warning.issued', note: '预警' });
});

test('the timestamp is the wall clock given, in whole seconds', () => {
  const headers = signWebhook({
    messageId: MESSAGE_ID,
    wallClock: new Date('2026-03-02T02:00:00.999Z'),
    body: BODY,
    secrets: [SPEC_SECRET],
  });
  assert.equal(headers['webhook-timestamp'], String(Date.parse('2026-03-02T02:00:00Z') / 1000));
});

test('a tampered body, a changed id and a wrong secret are refused by the reference library', () => {
  const secret = generateWebhookSecret();
  const headers = signWebhook({ messageId: MESSAGE_ID, wallClock: new Date(), body: BODY, secrets: [secret] });
  assert.throws(() => verify(secret, BODY.replace('decided', 'Decided'), headers), WebhookVerificationError);
  assert.throws(() => verify(secret, BODY, { ...headers, 'webhook-id': `${MESSAGE_ID}b` }), WebhookVerificationError);
  assert.throws(() => verify(generateWebhookSecret(), BODY, headers), WebhookVerificationError);
});

test('a timestamp more than five minutes old (or ahead) is refused by the reference library', () => {
  const secret = generateWebhookSecret();
  for (const offsetSeconds of [-600, 600]) {
    const headers = signWebhook({
      messageId: MESSAGE_ID,
      wallClock: new Date(Date.now() + offsetSeconds * 1000),
      body: BODY,
      secrets: [secret],
    });
    assert.throws(() => verify(secret, BODY, headers), /timestamp too (old|new)/);
  }
});

test('during a rotation each live secret signs, so receivers holding either accept the message', () => {
  const current = generateWebhookSecret();
  const previous = generateWebhookSecret();
  const headers = signWebhook({
    messageId: MESSAGE_ID,
    wallClock: new Date(),
    body: BODY,
    secrets: [current, previous, current],
  });
  const entries = headers['webhook-signature'].split(' ');
  assert.equal(entries.length, 2, 'a repeated secret signs once');
  assert.ok(entries.every((entry) => entry.startsWith('v1,')));
  assert.deepEqual(verify(current, BODY, headers), JSON.parse(BODY));
  assert.deepEqual(verify(previous, BODY, headers), JSON.parse(BODY));
  assert.throws(() => verify(generateWebhookSecret(), BODY, headers), WebhookVerificationError);
});

test('generated secrets are whsec_ + base64 of 24 to 64 random bytes, from the injected source', () => {
  const secret = generateWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(webhookSecretKey(secret).length, 32);
  assert.notEqual(generateWebhookSecret(), secret);

  const fixed = generateWebhookSecret((size) => new Uint8Array(size).fill(7), 24);
  assert.equal(fixed, `whsec_${Buffer.alloc(24, 7).toString('base64')}`);
  assert.equal(webhookSecretKey(generateWebhookSecret(undefined, 64)).length, 64);
  assert.throws(() => generateWebhookSecret(undefined, 23), WebhookSecretError);
  assert.throws(() => generateWebhookSecret(undefined, 65), WebhookSecretError);
  assert.throws(() => generateWebhookSecret(() => new Uint8Array(3), 32), WebhookSecretError);
});

test('malformed secrets are refused, and the error does not repeat them', () => {
  const key = Buffer.alloc(32, 1).toString('base64');
  for (const bad of [
    key, // no prefix
    `whsec_${key.slice(0, -1)}`, // loose base64
    `whsec_${key} `,
    `whsec_${Buffer.alloc(16, 1).toString('base64')}`, // too short
    `whsec_${Buffer.alloc(65, 1).toString('base64')}`, // too long
    'whsec_',
  ]) {
    assert.equal(isWebhookSecret(bad), false, bad);
    assert.throws(
      () => signWebhook({ messageId: MESSAGE_ID, wallClock: new Date(), body: BODY, secrets: [bad] }),
      (error: Error) => error instanceof WebhookSecretError && !error.message.includes(key.slice(4, 20)),
    );
  }
  assert.equal(isWebhookSecret(`whsec_${key}`), true);
});

test('ids that could blur the signed "id.timestamp.body" or break a header are refused', () => {
  for (const id of ['', 'a.b', 'a b', 'a\r\nb', 'x'.repeat(256), '消息']) {
    assert.throws(() => webhookSignature(SPEC_SECRET, id, SPEC_TIMESTAMP, SPEC_BODY), RangeError, id);
  }
  assert.throws(() => webhookSignature(SPEC_SECRET, SPEC_ID, -1, SPEC_BODY), RangeError);
  assert.throws(() => webhookSignature(SPEC_SECRET, SPEC_ID, 1.5, SPEC_BODY), RangeError);
});

test('at least one and at most a handful of secrets sign', () => {
  const sign = (secrets: string[]) => signWebhook({ messageId: MESSAGE_ID, wallClock: new Date(), body: '', secrets });
  assert.throws(() => sign([]), WebhookSecretError);
  const many = Array.from({ length: MAX_WEBHOOK_SIGNATURES + 1 }, () => generateWebhookSecret());
  assert.throws(() => sign(many), WebhookSecretError);
  assert.equal(sign(many.slice(0, MAX_WEBHOOK_SIGNATURES))['webhook-signature'].split(' ').length, 5);
});
