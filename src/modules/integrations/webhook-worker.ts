/**
 * The webhook delivery worker. Each poll claims due messages with `FOR UPDATE SKIP LOCKED` and a
 * lease (`lease_until`, `lease_owner`) in one short transaction, sends them outside any
 * transaction, and records every attempt as it finishes. Two workers — in one process or in
 * two servers on one PostgreSQL — never hold one message at the same time: a message is only
 * claimed when it has no live lease, and the lease (60 s) outlasts an attempt (10 s). A worker
 * killed mid-send leaves its lease to expire; the message is then sent again with the same
 * `webhook-id` (at least once — receivers de-duplicate on it). Once a 2xx is recorded the
 * message is `delivered` and never claimed again.
 */
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { resolveWebhookTarget, type HostLookup } from '../../lib/ssrf-guard.ts';
import { deliverWebhook, type DeliveryAttempt } from '../../lib/webhook-delivery.ts';
import { deliveryLogEntry, type DeliveryLogEntry } from '../../lib/webhook-retry.ts';
import { signWebhook } from '../../lib/webhook-signature.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { newId } from '../../platform/ids.ts';
import { startPoller, type PollerTiming } from '../../platform/poller.ts';
import type { StoredSecret } from './tables.ts';
import { onWebhookMessages } from './webhook-events.ts';

export interface WebhookWorkerOptions {
  /** Names this worker's leases; random by default. */
  workerId?: string;
  batchSize?: number;
  /** Attempts in flight at once. */
  concurrency?: number;
  leaseMs?: number;
  /** DNS for the SSRF guard (tests inject one); the system resolver by default. */
  lookup?: HostLookup;
  timeoutMs?: number;
  /** `webhook-timestamp` is wall-clock time even under the test clock (§7). */
  wallClock?: () => Date;
  ca?: string | Buffer;
  log?: FastifyBaseLogger;
}

export const DEFAULT_LEASE_MS = 60_000;

interface Claimed {
  id: string;
  event_type: string;
  body: string;
  attempts: number;
  subscription_id: string;
  url: string;
  secrets: StoredSecret[];
}

interface Result {
  message: Claimed;
  entry: DeliveryLogEntry;
}

/** The secrets that sign now, newest first: the current one and rotated-out ones not yet expired. */
export function liveSecrets(secrets: readonly StoredSecret[], now: Date): string[] {
  return secrets
    .filter((s) => s.expiresAt === null || new Date(s.expiresAt).getTime() > now.getTime())
    .map((s) => s.secret);
}

async function claim(deps: AppDeps, owner: string, limit: number, leaseMs: number): Promise<Claimed[]> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<Claimed>`
    UPDATE webhook_messages AS m
       SET lease_until = ${leaseUntil}, lease_owner = ${owner}
      FROM webhook_subscriptions AS s
     WHERE s.id = m.subscription_id
       AND m.id IN (
         SELECT id FROM webhook_messages
          WHERE status = 'pending' AND next_attempt_at <= ${now}
            AND (lease_until IS NULL OR lease_until <= ${now})
          ORDER BY next_attempt_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
    RETURNING m.id, m.event_type, m.body, m.attempts, m.subscription_id, s.url, s.secrets`.execute(deps.db);
  return result.rows.map((row) => ({
    ...row,
    secrets: typeof row.secrets === 'string' ? (JSON.parse(row.secrets) as StoredSecret[]) : row.secrets,
  }));
}

async function attempt(deps: AppDeps, message: Claimed, options: WebhookWorkerOptions): Promise<Result> {
  const attemptNo = message.attempts + 1;
  const attemptedAt = deps.clock.now();
  const secrets = liveSecrets(message.secrets, attemptedAt);
  let outcome: DeliveryAttempt;
  const target = await resolveWebhookTarget(message.url, {
    allowHosts: deps.config.webhookAllowHosts,
    lookup: options.lookup,
  });
  if (!target.ok) {
    outcome = { outcome: { kind: 'failed', error: `target refused: ${target.detail}` }, latencyMs: 0 };
  } else {
    const headers = signWebhook({
      messageId: message.id,
      wallClock: (options.wallClock ?? (() => new Date()))(),
      body: message.body,
      secrets: secrets.slice(0, 5),
    });
    outcome = await deliverWebhook(
      target.target,
      { body: message.body, headers },
      { timeoutMs: options.timeoutMs, ca: options.ca },
    );
  }
  const entry = deliveryLogEntry({
    messageId: message.id,
    eventType: message.event_type,
    attempt: attemptNo,
    attemptedAt,
    latencyMs: outcome.latencyMs,
    outcome: outcome.outcome,
    secrets,
  });
  return { message, entry };
}

/** Records finished attempts in one transaction; a message whose lease was lost is left alone. */
async function record(deps: AppDeps, owner: string, results: readonly Result[]): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values(
        results.map(({ message, entry }) => ({
          id: newId(),
          message_id: message.id,
          subscription_id: message.subscription_id,
          event_type: entry.eventType,
          attempt: entry.attempt,
          attempted_at: entry.attemptedAt,
          latency_ms: entry.latencyMs,
          response_status: entry.responseStatus,
          error: entry.error,
          delivered: entry.delivered,
          next_attempt_at: entry.nextAttemptAt,
        })),
      )
      .execute();
    for (const { message, entry } of results) {
      await trx
        .updateTable('webhook_messages')
        .set({
          status: entry.delivered ? 'delivered' : entry.gaveUp ? 'failed' : 'pending',
          attempts: entry.attempt,
          next_attempt_at: entry.nextAttemptAt ?? entry.attemptedAt,
          delivered_at: entry.delivered ? new Date(entry.attemptedAt.getTime() + entry.latencyMs) : null,
          lease_until: null,
          lease_owner: null,
        })
        .where('id', '=', message.id)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'pending')
        .execute();
    }
  });
}

/**
 * One round: claims up to `batchSize` due messages, sends them (`concurrency` at a time) and
 * records each attempt as it finishes. Returns how many were claimed.
 */
export async function processWebhookBatch(deps: AppDeps, options: WebhookWorkerOptions = {}): Promise<number> {
  const owner = options.workerId ?? `worker-${newId()}`;
  const claimed = await claim(deps, owner, options.batchSize ?? 200, options.leaseMs ?? DEFAULT_LEASE_MS);
  if (claimed.length === 0) return 0;
  const pending: Result[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      const take = pending.splice(0);
      if (take.length === 0) return;
      try {
        await record(deps, owner, take);
      } catch (error) {
        // The leases run out and the messages are sent again: at least once.
        options.log?.error({ err: error }, 'recording webhook attempts failed');
      }
    });
    return flushing;
  };
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const message = claimed[next++]!;
      pending.push(await attempt(deps, message, options));
      void flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 64, claimed.length) }, lane));
  await flush();
  return claimed.length;
}

/** Rounds until nothing is due (tests, and each poll of the background worker). */
export async function drainWebhooks(deps: AppDeps, options: WebhookWorkerOptions = {}): Promise<number> {
  const workerId = options.workerId ?? `worker-${newId()}`;
  let total = 0;
  for (;;) {
    const n = await processWebhookBatch(deps, { ...options, workerId });
    total += n;
    if (n === 0) return total;
  }
}

export const WEBHOOK_POLLER_TIMING: PollerTiming = { busyMs: 100, idleMs: 1000, wakeMs: 25 };

/** The background worker: polls while idle, wakes when this process fans out messages. */
export function startWebhookWorker(
  deps: AppDeps,
  log: FastifyBaseLogger,
  options: WebhookWorkerOptions = {},
): () => Promise<void> {
  const workerId = options.workerId ?? `worker-${newId()}`;
  return startPoller({
    poll: () => drainWebhooks(deps, { ...options, workerId, log }),
    subscribe: onWebhookMessages,
    timing: WEBHOOK_POLLER_TIMING,
    log,
    failure: 'webhook delivery poll failed',
  });
}
