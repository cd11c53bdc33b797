import { sql, type Kysely } from 'kysely';

/**
 * Integrations (API-CONTRACT-2 §7): webhook subscriptions, the messages fanned out to them from
 * the outbox and every attempt to deliver one (the delivery log); pending staff sign-ons
 * (OpenID Connect); which notifications were mailed; and the integration settings an
 * administrator changes (staff must use single sign-on).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // null: the regulator's own subscription (every organisation's events).
    .addColumn('organization_id', 'uuid')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'text')
    // [{secret, createdAt, expiresAt | null}], newest first; signing keys, so kept readable.
    .addColumn('secrets', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_organization')
    .on('webhook_subscriptions')
    .columns(['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_messages')
    // `msg_<uuid>`: the `webhook-id`, the same on every attempt.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // The JSON body exactly as signed.
    .addColumn('body', 'text', (c) => c.notNull())
    // pending → delivered | failed (the schedule is spent)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    // A worker holds the message while it sends it; another one never takes it before this.
    .addColumn('lease_until', 'timestamptz')
    .addColumn('lease_owner', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .addUniqueConstraint('webhook_messages_event_once', ['subscription_id', 'event_id'])
    .addCheckConstraint('webhook_messages_status', sql`status IN ('pending', 'delivered', 'failed')`)
    .execute();
  await db.schema
    .createIndex('webhook_messages_due')
    .on('webhook_messages')
    .columns(['next_attempt_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('webhook_messages.id').onDelete('cascade'))
    .addColumn('subscription_id', 'uuid', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('delivered', 'boolean', (c) => c.notNull())
    .addColumn('next_attempt_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_subscription')
    .on('webhook_attempts')
    .columns(['subscription_id', 'id'])
    .execute();

  await db.schema
    .createTable('oidc_logins')
    // SHA-256 of the random id in the browser's short-lived cookie.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_mails')
    .addColumn('notification_id', 'uuid', (c) => c.primaryKey())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('mailed_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('integration_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'uuid')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'integration_settings',
    'notification_mails',
    'oidc_logins',
    'webhook_attempts',
    'webhook_messages',
    'webhook_subscriptions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
