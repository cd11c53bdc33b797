/**
 * When a webhook is tried again, and what its delivery log says about an attempt.
 * API-CONTRACT-2 §7: "A failed attempt (non-2xx, timeout 10 s) is retried after 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h, with the same `webhook-id` and a fresh timestamp and
 * signature" — the schedule of the Standard Webhooks reference service. Attempts are counted
 * from 1 (the first delivery); times come from the application clock, so a test moves them.
 * Pure functions, no I/O.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait after failed attempt n (index n − 1): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
]);

/** The first delivery and its seven retries. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** §7: "timeout 10 s". */
export const WEBHOOK_TIMEOUT_MS = 10 * SECOND;

/** The longest error text a delivery log row keeps. */
export const DELIVERY_ERROR_MAX_LENGTH = 300;

function assertAttempt(attempt: number): void {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`webhook attempt: ${attempt} is not 1, 2, …`);
}

/** Whether failed attempt `attempt` is the last: nothing is scheduled after it. */
export function isGivingUp(attempt: number): boolean {
  assertAttempt(attempt);
  return attempt >= WEBHOOK_MAX_ATTEMPTS;
}

/**
 * When to try again after attempt `attempt` failed, or `null` once the schedule is spent.
 * `lastAttemptAt` is when that attempt ended (it failed then): the wait counts from the
 * failure, so an attempt that ran into the 10 s timeout is still followed by a 5 s pause.
 */
export function nextAttemptAt(attempt: number, lastAttemptAt: Date): Date | null {
  assertAttempt(attempt);
  const delay = WEBHOOK_RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return null;
  return new Date(lastAttemptAt.getTime() + delay);
}

/** What one attempt came to, as the delivery code reports it. */
export type DeliveryOutcome =
  /** The receiver answered 2xx: delivered, never sent again. */
  | { readonly kind: 'delivered'; readonly status: number }
  /** It answered something else; a 3xx is a failure too, its `Location` never followed. */
  | { readonly kind: 'rejected'; readonly status: number }
  /** No answer: refused target, connection error, timeout, oversized answer… */
  | { readonly kind: 'failed'; readonly error: string };

/** One row of a subscription's delivery log (§7 `GET /webhooks/{id}/deliveries` items, plus latency and schedule). */
export interface DeliveryLogEntry {
  messageId: string;
  eventType: string;
  attempt: number;
  attemptedAt: Date;
  /** Wall time from sending to the answer (or the failure), in milliseconds. */
  latencyMs: number;
  responseStatus: number | null;
  /** A short, secret-free reason; `null` when delivered. */
  error: string | null;
  delivered: boolean;
  /** When the message is tried again (the delay counts from the attempt's end); `null` when delivered or given up. */
  nextAttemptAt: Date | null;
  /** The last attempt failed and the schedule is spent. */
  gaveUp: boolean;
}

/**
 * The delivery log row of an attempt. `secrets` (the subscription's live secrets) are blotted
 * out of the error text along with anything shaped like a `whsec_` secret, a URL's user
 * information, query string, or an `Authorization` value, and the text is cut to
 * {@link DELIVERY_ERROR_MAX_LENGTH} characters: the log is shown to the organisation and
 * kept.
 */
export function deliveryLogEntry(input: {
  messageId: string;
  eventType: string;
  attempt: number;
  attemptedAt: Date;
  latencyMs: number;
  outcome: DeliveryOutcome;
  secrets?: readonly string[];
}): DeliveryLogEntry {
  const { outcome } = input;
  assertAttempt(input.attempt);
  const delivered = outcome.kind === 'delivered';
  let error: string | null;
  switch (outcome.kind) {
    case 'delivered':
      error = null;
      break;
    case 'rejected':
      error =
        outcome.status >= 300 && outcome.status < 400
          ? `redirect ${outcome.status} not followed`
          : `HTTP ${outcome.status}`;
      break;
    case 'failed':
      error = safeErrorText(outcome.error, input.secrets ?? []);
      break;
  }
  const latencyMs = Math.max(0, Math.round(input.latencyMs));
  const endedAt = new Date(input.attemptedAt.getTime() + latencyMs);
  const next = delivered ? null : nextAttemptAt(input.attempt, endedAt);
  return {
    messageId: input.messageId,
    eventType: input.eventType,
    attempt: input.attempt,
    attemptedAt: input.attemptedAt,
    latencyMs,
    responseStatus: outcome.kind === 'failed' ? null : outcome.status,
    error,
    delivered,
    nextAttemptAt: next,
    gaveUp: !delivered && next === null,
  };
}

const REDACTED = '[redacted]';

/** An error message fit for the delivery log: no secrets, no control characters, bounded. */
export function safeErrorText(message: string, secrets: readonly string[] = []): string {
  let text = message;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const forms = [secret, secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : ''];
    for (const form of forms) if (form.length >= 8) text = text.split(form).join(REDACTED);
  }
  text = text
    .replace(/whsec_[A-Za-z0-9+/=]*/g, REDACTED)
    // scheme://user:password@host → scheme://[redacted]@host
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, `$1${REDACTED}@`)
    // Query strings often carry tokens.
    .replace(/(https?:\/\/[^\s?#]*)\?[^\s#]*/gi, `$1?${REDACTED}`)
    .replace(/\b(authorization)\s*[:=]\s*(?:(?:bearer|basic)\s+)?\S+/gi, `$1: ${REDACTED}`)
    .replace(/\b(Bearer|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`)
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim();
  if (text.length === 0) text = 'delivery failed';
  const chars = [...text];
  return chars.length > DELIVERY_ERROR_MAX_LENGTH ? `${chars.slice(0, DELIVERY_ERROR_MAX_LENGTH - 1).join('')}…` : text;
}
