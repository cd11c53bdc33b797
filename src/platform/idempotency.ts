import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { canonicalize } from '../lib/canonical-json.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { badRequest, unprocessable } from './errors.ts';

export interface StoredResponse<T = unknown> {
  status: number;
  body: T;
  headers?: Record<string, string>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw badRequest('invalid_idempotency_key', {
      detail: {
        zh: 'Idempotency-Key 须为 1–255 个可见 ASCII 字符',
        en: 'Idempotency-Key must be 1–255 visible ASCII characters',
      },
    });
  }
  return key;
}

/** A write's idempotency: the client's key (if it sent one), where keys are unique, and what the request asked. */
export interface IdempotentWrite {
  /** The `Idempotency-Key` header's value, read by the route (`idempotencyKeyOf`). */
  key: string | undefined;
  /** Keys are unique per scope: the action and the actor, e.g. `filings.submit:<user id>`. */
  scope: string;
  /** What the request asked (its target and body): the same key with another fingerprint → 422. */
  fingerprint: unknown;
}

/**
 * Runs a submitting/deciding write at most once per (scope, Idempotency-Key)
 * (draft-ietf-httpapi-idempotency-key-header). The key row is inserted in the SAME
 * transaction as the effect: a concurrent retry blocks on the key's unique index until the
 * first commits, then replays its stored response. Same key with another request → 422.
 * Without a key the write simply runs in a transaction.
 */
export async function runIdempotent<T>(
  db: Kysely<Database>,
  clock: Clock,
  write: IdempotentWrite,
  work: (trx: Transaction<Database>) => Promise<StoredResponse<T>>,
): Promise<StoredResponse<T>> {
  const { key, scope } = write;
  if (key === undefined) return db.transaction().execute(work);
  const requestHash = crypto
    .createHash('sha256')
    .update(canonicalize(write.fingerprint ?? null))
    .digest('hex');
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        request_hash: requestHash,
        status_code: 0,
        response_body: 'null',
        response_headers: '{}',
        created_at: clock.now(),
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (claimed === undefined) {
      const stored = await trx
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (stored.request_hash !== requestHash) {
        throw unprocessable('idempotency_key_reused', {
          detail: {
            zh: '该 Idempotency-Key 已用于内容不同的请求',
            en: 'This Idempotency-Key was already used with a different request',
          },
        });
      }
      return {
        status: stored.status_code,
        body: stored.response_body as T,
        headers: { ...stored.response_headers, 'idempotent-replayed': 'true' },
      };
    }
    const response = await work(trx);
    await trx
      .updateTable('idempotency_keys')
      .set({
        status_code: response.status,
        response_body: JSON.stringify(response.body),
        response_headers: JSON.stringify(response.headers ?? {}),
      })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return response;
  });
}
