import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StoredSecret, WebhookMessagesTable, WebhookMessageStatus, WebhookSubscriptionsTable } from './tables.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface WebhookSubscription {
  id: string;
  organizationId: string | null;
  url: string;
  events: string[];
  description: string | null;
  secrets: StoredSecret[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    organizationId: row.organization_id,
    url: row.url,
    events: row.events,
    description: row.description,
    secrets: row.secrets,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: row.version,
  };
}

export async function insertSubscription(trx: Transaction<Database>, s: WebhookSubscription): Promise<void> {
  await trx
    .insertInto('webhook_subscriptions')
    .values({
      id: s.id,
      organization_id: s.organizationId,
      url: s.url,
      events: JSON.stringify(s.events),
      description: s.description,
      secrets: JSON.stringify(s.secrets),
      created_by: s.createdBy,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      version: s.version,
    })
    .execute();
}

export async function findSubscription(db: Executor, id: string): Promise<WebhookSubscription | undefined> {
  const row = await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toSubscription(row);
}

export async function lockSubscription(
  trx: Transaction<Database>,
  id: string,
): Promise<WebhookSubscription | undefined> {
  const row = await trx
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row === undefined ? undefined : toSubscription(row);
}

/** The owner's subscriptions (an organisation's, or the regulator's when `organizationId` is null). */
export async function listSubscriptions(db: Executor, organizationId: string | null): Promise<WebhookSubscription[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('organization_id', organizationId === null ? 'is' : '=', organizationId)
    .orderBy('id')
    .execute();
  return rows.map((row) => toSubscription(row));
}

export async function updateSecrets(
  trx: Transaction<Database>,
  id: string,
  secrets: StoredSecret[],
  at: Date,
): Promise<void> {
  await trx
    .updateTable('webhook_subscriptions')
    .set((eb) => ({ secrets: JSON.stringify(secrets), updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteSubscription(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('webhook_attempts').where('subscription_id', '=', id).execute();
  await trx.deleteFrom('webhook_messages').where('subscription_id', '=', id).execute();
  await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
}

/**
 * Subscriptions that receive an event of `type` about `organizationId`: the organisation's own
 * and the regulator's (organisation null). An event about no organisation reaches only the
 * regulator's.
 */
export async function subscriptionsFor(
  trx: Transaction<Database>,
  type: string,
  organizationId: string | null,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('webhook_subscriptions')
    .select('id')
    .where((eb) =>
      organizationId === null
        ? eb('organization_id', 'is', null)
        : eb.or([eb('organization_id', 'is', null), eb('organization_id', '=', organizationId)]),
    )
    .where(sql<boolean>`events @> ${JSON.stringify([type])}::jsonb`)
    .execute();
  return rows.map((row) => row.id);
}

export async function insertMessages(
  trx: Transaction<Database>,
  rows: Insertable<WebhookMessagesTable>[],
): Promise<void> {
  await trx
    .insertInto('webhook_messages')
    .values(rows)
    .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
    .execute();
}

export interface DeliveryRow {
  messageId: string;
  eventType: string;
  attempt: number;
  attemptedAt: Date;
  latencyMs: number;
  responseStatus: number | null;
  error: string | null;
  delivered: boolean;
  nextAttemptAt: Date | null;
}

/** The delivery log, newest first, keyset-paged on the attempt id (UUIDv7). */
export async function listAttempts(
  db: Executor,
  subscriptionId: string,
  options: { limit: number; before?: string; messageId?: string },
): Promise<Array<DeliveryRow & { id: string }>> {
  let query = db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  if (options.messageId !== undefined) query = query.where('message_id', '=', options.messageId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    messageId: row.message_id,
    eventType: row.event_type,
    attempt: row.attempt,
    attemptedAt: new Date(row.attempted_at),
    latencyMs: row.latency_ms,
    responseStatus: row.response_status,
    error: row.error,
    delivered: row.delivered,
    nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at),
  }));
}

export interface MessageState {
  id: string;
  subscriptionId: string;
  status: WebhookMessageStatus;
  attempts: number;
}

export async function lockMessage(trx: Transaction<Database>, id: string): Promise<MessageState | undefined> {
  const row = await trx
    .selectFrom('webhook_messages')
    .select(['id', 'subscription_id', 'status', 'attempts'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, subscriptionId: row.subscription_id, status: row.status, attempts: row.attempts };
}

/** Sends a message again from the first step of the schedule. */
export async function rescheduleMessage(trx: Transaction<Database>, id: string, at: Date): Promise<void> {
  await trx
    .updateTable('webhook_messages')
    .set({ status: 'pending', attempts: 0, next_attempt_at: at, lease_until: null, lease_owner: null })
    .where('id', '=', id)
    .execute();
}

export async function messageCounts(db: Executor): Promise<Record<WebhookMessageStatus, number>> {
  const rows = await db
    .selectFrom('webhook_messages')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<WebhookMessageStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
