import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../platform/tables.ts';

export interface StoredSecret {
  secret: string;
  createdAt: string;
  /** When a rotated-out secret stops signing; null for the current one. */
  expiresAt: string | null;
}

export interface WebhookSubscriptionsTable {
  id: string;
  organization_id: string | null;
  url: string;
  events: Json<string[]>;
  description: string | null;
  secrets: Json<StoredSecret[]>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export type WebhookMessageStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookMessagesTable {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: WebhookMessageStatus;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  lease_owner: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface WebhookAttemptsTable {
  id: string;
  message_id: string;
  subscription_id: string;
  event_type: string;
  attempt: number;
  attempted_at: Timestamp;
  latency_ms: number;
  response_status: number | null;
  error: string | null;
  delivered: boolean;
  next_attempt_at: Timestamp | null;
}

export interface OidcLoginsTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface NotificationMailsTable {
  notification_id: string;
  recipients: number;
  mailed_at: Timestamp;
}

export interface IntegrationSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface IntegrationTables {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_attempts: WebhookAttemptsTable;
  oidc_logins: OidcLoginsTable;
  notification_mails: NotificationMailsTable;
  integration_settings: IntegrationSettingsTable;
}
