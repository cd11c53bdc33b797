/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, spec "Signature scheme"),
 * as API-CONTRACT-2 §7 fixes them:
 *
 *     webhook-id:        <message id, the same on every attempt>
 *     webhook-timestamp: <wall-clock Unix seconds of this attempt>
 *     webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>
 *
 * with the secret `whsec_<base64 key>`. During a secret rotation the header carries one
 * `v1,…` entry per live secret, space-separated, so receivers holding either secret accept
 * the message. Pure functions over node:crypto; randomness is injected.
 */
import { createHmac, randomBytes as systemRandomBytes } from 'node:crypto';

/** Standard Webhooks: symmetric secrets are written `whsec_` + base64 of the key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Standard Webhooks: keys SHOULD be between 24 bytes (192 bits) and 64 bytes (512 bits). */
export const WEBHOOK_SECRET_MIN_BYTES = 24;
export const WEBHOOK_SECRET_MAX_BYTES = 64;
/** The size aigov generates. */
export const WEBHOOK_SECRET_BYTES = 32;
/**
 * Live secrets signed with at once: the current one and the ones being rotated out. A cap
 * keeps the header small; a rotation needs two.
 */
export const MAX_WEBHOOK_SIGNATURES = 5;

// Standard Webhooks leaves the id's alphabet open; it is part of the signed content
// "<id>.<timestamp>.<body>", so aigov keeps it to characters that cannot be confused with the
// separator or break a header (ids are UUIDs or `msg_…`).
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,255}$/;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

/** The three headers of one delivery attempt (a type, so it is a plain header record too). */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A new secret, `whsec_` + base64 of `bytes` random bytes (shown to the subscriber once). */
export function generateWebhookSecret(
  randomBytes: (size: number) => Uint8Array = systemRandomBytes,
  bytes = WEBHOOK_SECRET_BYTES,
): string {
  if (!Number.isInteger(bytes) || bytes < WEBHOOK_SECRET_MIN_BYTES || bytes > WEBHOOK_SECRET_MAX_BYTES) {
    throw new WebhookSecretError(
      `a webhook secret has ${WEBHOOK_SECRET_MIN_BYTES} to ${WEBHOOK_SECRET_MAX_BYTES} bytes (asked for ${bytes})`,
    );
  }
  const key = randomBytes(bytes);
  if (key.length !== bytes) throw new WebhookSecretError('the random source returned the wrong number of bytes');
  return WEBHOOK_SECRET_PREFIX + Buffer.from(key).toString('base64');
}

/**
 * The HMAC key of a `whsec_…` secret. Refuses anything else (a missing prefix, loose base64,
 * a key outside 24–64 bytes) rather than signing with a key the subscriber was never shown.
 * The message never repeats the secret.
 */
export function webhookSecretKey(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new WebhookSecretError(`a webhook secret starts with ${WEBHOOK_SECRET_PREFIX}`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!STRICT_BASE64.test(encoded)) throw new WebhookSecretError('a webhook secret is base64 after its prefix');
  const key = Buffer.from(encoded, 'base64');
  if (key.length < WEBHOOK_SECRET_MIN_BYTES || key.length > WEBHOOK_SECRET_MAX_BYTES) {
    throw new WebhookSecretError(
      `a webhook secret holds ${WEBHOOK_SECRET_MIN_BYTES} to ${WEBHOOK_SECRET_MAX_BYTES} bytes (got ${key.length})`,
    );
  }
  return key;
}

/** Whether `secret` is a well-formed `whsec_…` secret. */
export function isWebhookSecret(secret: string): boolean {
  try {
    webhookSecretKey(secret);
    return true;
  } catch {
    return false;
  }
}

/** Unix seconds, as `webhook-timestamp` carries them. */
export function webhookTimestamp(wallClock: Date): number {
  const ms = wallClock.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('webhook timestamp: invalid date');
  return Math.floor(ms / 1000);
}

/** One `v1,<base64>` signature of `body` for a message id and timestamp. */
export function webhookSignature(secret: string, messageId: string, timestamp: number, body: string | Uint8Array) {
  assertMessageId(messageId);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('webhook timestamp: not Unix seconds');
  const hmac = createHmac('sha256', webhookSecretKey(secret));
  hmac.update(`${messageId}.${timestamp}.`);
  hmac.update(body);
  return `v1,${hmac.digest('base64')}`;
}

/**
 * The headers of one attempt: `secrets` are the subscription's live secrets, newest first (two
 * during a rotation); each signs the same content. `wallClock` is the real time of the attempt
 * — §7: "wall-clock seconds, even under the test clock" — since receivers reject stale
 * timestamps against their own clocks.
 */
export function signWebhook(input: {
  messageId: string;
  wallClock: Date;
  body: string | Uint8Array;
  secrets: readonly string[];
}): WebhookSignatureHeaders {
  const { messageId, body, secrets } = input;
  if (secrets.length === 0) throw new WebhookSecretError('a webhook is signed with at least one secret');
  if (secrets.length > MAX_WEBHOOK_SIGNATURES) {
    throw new WebhookSecretError(`a webhook is signed with at most ${MAX_WEBHOOK_SIGNATURES} secrets`);
  }
  const timestamp = webhookTimestamp(input.wallClock);
  const signatures = [...new Set(secrets)].map((secret) => webhookSignature(secret, messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

function assertMessageId(messageId: string): void {
  if (!MESSAGE_ID.test(messageId)) {
    throw new RangeError('webhook-id: 1 to 255 characters of A–Z, a–z, 0–9, "_" and "-"');
  }
}
