/**
 * Which outbox events become webhooks (API-CONTRACT-2 §7), and what a delivery says. The
 * consumer runs in the outbox transaction that marks the event processed, so each event is
 * fanned out to the matching subscriptions exactly once: one `webhook_messages` row per
 * subscription, whose id is the stable `webhook-id`. Sending is the delivery worker's job.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DeliveredEvent, OutboxConsumer } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { insertMessages, subscriptionsFor } from './webhook-repo.ts';

/** The webhook event types a subscription may ask for (§7 "Events at least"). */
export const WEBHOOK_EVENT_TYPES = [
  'filing.submitted',
  'filing.information_requested',
  'filing.decided',
  'tracking_report.due',
  'incident.reported',
  'warning.issued',
  'warning.lifted',
  'trial.status_changed',
  'ethics.opinion_published',
  'access_request.decided',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Outbox topic → webhook event type. The filing topics are the filings module's
 * `filing.<status>` events; a decision is any of the four decided statuses. The other topics
 * are those of the modules that produce them (monitoring, trials, ethics, data-access), named
 * as the contract names the webhook events.
 */
export const WEBHOOK_SOURCES: Readonly<Record<string, WebhookEventType>> = {
  'filing.submitted': 'filing.submitted',
  'filing.information_requested': 'filing.information_requested',
  'filing.accepted': 'filing.decided',
  'filing.approved': 'filing.decided',
  'filing.approved_with_conditions': 'filing.decided',
  'filing.rejected': 'filing.decided',
  'tracking_report.due': 'tracking_report.due',
  'incident.reported': 'incident.reported',
  'warning.issued': 'warning.issued',
  'warning.lifted': 'warning.lifted',
  'trial.status_changed': 'trial.status_changed',
  'ethics.opinion_published': 'ethics.opinion_published',
  'access_request.decided': 'access_request.decided',
};

const ID_FIELD = /^[a-z][A-Za-z]*Id$/;

/**
 * `data`: the ids of the object and its product and organisation — never texts (a webhook
 * leaves the platform). Every `…Id` member of the payload that is a string is kept, plus the
 * object's type and id, and the status the object reached when the event says so.
 */
export function webhookData(event: DeliveredEvent): Record<string, string | null> {
  const payload = event.payload;
  const data: Record<string, string | null> = {
    objectType: event.aggregateType,
    objectId: event.aggregateId,
    productId: null,
    organizationId: null,
  };
  for (const [key, value] of Object.entries(payload)) {
    if (ID_FIELD.test(key) && typeof value === 'string') data[key] = value;
  }
  if (typeof payload.to === 'string') data.status = payload.to;
  else if (typeof payload.status === 'string') data.status = payload.status;
  return data;
}

/** `msg_<uuid>`: Standard Webhooks ids are opaque; this one also names the message row. */
export function newMessageId(): string {
  return `msg_${newId()}`;
}

/** The body of a delivery: `{type, timestamp, data}`, serialised once and signed as is. */
export function webhookBody(type: WebhookEventType, event: DeliveredEvent): string {
  return JSON.stringify({ type, timestamp: event.createdAt.toISOString(), data: webhookData(event) });
}

const wakeListeners = new Set<() => void>();

/** Wakes this process's delivery worker when messages were written (it polls otherwise). */
export function onWebhookMessages(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

async function fanOut(trx: Transaction<Database>, type: WebhookEventType, event: DeliveredEvent): Promise<void> {
  const organizationId = typeof event.payload.organizationId === 'string' ? event.payload.organizationId : null;
  const subscriptions = await subscriptionsFor(trx, type, organizationId);
  if (subscriptions.length === 0) return;
  const body = webhookBody(type, event);
  await insertMessages(
    trx,
    subscriptions.map((subscriptionId) => ({
      id: newMessageId(),
      subscription_id: subscriptionId,
      event_id: event.id,
      event_type: type,
      body,
      status: 'pending' as const,
      next_attempt_at: event.createdAt,
      lease_until: null,
      lease_owner: null,
      created_at: event.createdAt,
      delivered_at: null,
    })),
  );
  for (const listener of wakeListeners) listener();
}

/** One consumer per source topic. */
export function webhookConsumers(): Record<string, OutboxConsumer> {
  return Object.fromEntries(
    Object.entries(WEBHOOK_SOURCES).map(([topic, type]) => [
      topic,
      (trx: Transaction<Database>, event: DeliveredEvent) => fanOut(trx, type, event),
    ]),
  );
}
