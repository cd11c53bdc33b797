/**
 * Webhook subscriptions (API-CONTRACT-2 §7): an organisation administrator subscribes to its
 * organisation's events, a regulator administrator to every organisation's. A subscription is
 * owned by its organisation (or by the regulator): anyone else gets the 404 a missing one gets.
 */
import { resolveWebhookTarget, type HostLookup } from '../../lib/ssrf-guard.ts';
import { WEBHOOK_MAX_ATTEMPTS } from '../../lib/webhook-retry.ts';
import { generateWebhookSecret } from '../../lib/webhook-signature.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, forbidden, found, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import { newId } from '../../platform/ids.ts';
import { hasRole, requireUser, type UserPrincipal } from '../../platform/principal.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import type { StoredSecret } from './tables.ts';
import { liveSecrets } from './webhook-worker.ts';
import * as repo from './webhook-repo.ts';

/** How long a rotated-out secret keeps signing beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

/** Subscriptions one owner may hold. */
export const MAX_SUBSCRIPTIONS_PER_OWNER = 20;

const REFUSALS = {
  invalid_url: { zh: '不是有效的网址', en: 'not a valid URL' },
  unsupported_scheme: { zh: '只支持 http 和 https', en: 'only http and https are supported' },
  credentials_in_url: { zh: '网址中不能包含用户名或密码', en: 'the URL must not contain a user name or password' },
  unresolvable: { zh: '主机名无法解析', en: 'the host name does not resolve' },
  forbidden_address: {
    zh: '目标地址属于本机、内网、链路本地或云元数据地址段，未在 AIGOV_WEBHOOK_ALLOW_HOSTS 中允许',
    en: 'the target is a loopback, private, link-local or metadata address not allowed by AIGOV_WEBHOOK_ALLOW_HOSTS',
  },
} as const;

export interface WebhookView {
  id: string;
  organizationId: string | null;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** Secrets signing now (two during a rotation's overlap). */
  activeSecrets: number;
  version: number;
}

function viewOf(s: repo.WebhookSubscription, now: Date): WebhookView {
  return {
    id: s.id,
    organizationId: s.organizationId,
    url: s.url,
    events: s.events,
    description: s.description,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    activeSecrets: liveSecrets(s.secrets, now).length,
    version: s.version,
  };
}

/** Whose subscriptions the actor manages: its organisation's, or (null) the regulator's. */
function ownerOf(actor: UserPrincipal): string | null {
  if (hasRole(actor, 'org_admin') && actor.organizationId !== null) return actor.organizationId;
  if (hasRole(actor, 'regulator_admin')) return null;
  throw forbidden({
    detail: {
      zh: '只有机构管理员或监管管理员可以管理 webhook',
      en: 'Only organisation or regulator administrators manage webhooks',
    },
  });
}

/** The subscription if the actor owns it; 404 otherwise. */
async function ownedSubscription(deps: AppDeps, ctx: RequestContext, id: string): Promise<repo.WebhookSubscription> {
  const actor = requireUser(ctx.principal);
  const subscription = found(await repo.findSubscription(deps.db, id));
  assertCan(actor, 'webhooks.manage', { type: 'webhook', id, organizationId: subscription.organizationId });
  if (subscription.organizationId !== ownerOf(actor)) throw notFound();
  return subscription;
}

export async function checkWebhookUrl(deps: AppDeps, url: string, lookup?: HostLookup): Promise<void> {
  const result = await resolveWebhookTarget(url, { allowHosts: deps.config.webhookAllowHosts, lookup });
  if (result.ok) return;
  const message = REFUSALS[result.reason];
  throw unprocessable('webhook_url_refused', {
    detail: { zh: `webhook 网址被拒绝：${message.zh}`, en: `Webhook URL refused: ${message.en}` },
    errors: [{ pointer: '/url', message }],
    extensions: { reason: result.reason },
  });
}

/** `POST /webhooks`: the secret is in this answer and never again. */
export async function createWebhook(
  deps: AppDeps,
  ctx: RequestContext,
  input: { url: string; events: string[]; description?: string; lookup?: HostLookup },
): Promise<{ id: string; secret: string }> {
  const actor = requireUser(ctx.principal);
  const owner = ownerOf(actor);
  assertCan(actor, 'webhooks.manage', { type: 'webhook', id: 'new', organizationId: owner });
  await checkWebhookUrl(deps, input.url, input.lookup);
  const now = deps.clock.now();
  const secret = generateWebhookSecret();
  const subscription: repo.WebhookSubscription = {
    id: newId(),
    organizationId: owner,
    url: input.url,
    events: [...new Set(input.events)],
    description: input.description ?? null,
    secrets: [{ secret, createdAt: now.toISOString(), expiresAt: null }],
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.db.transaction().execute(async (trx) => {
    const existing = await repo.listSubscriptions(trx, owner);
    if (existing.length >= MAX_SUBSCRIPTIONS_PER_OWNER) {
      throw unprocessable('webhook_limit_reached', {
        detail: {
          zh: `每个机构最多 ${MAX_SUBSCRIPTIONS_PER_OWNER} 个 webhook 订阅`,
          en: `At most ${MAX_SUBSCRIPTIONS_PER_OWNER} webhook subscriptions per owner`,
        },
      });
    }
    await repo.insertSubscription(trx, subscription);
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'webhook.created',
      resourceType: 'webhook',
      resourceId: subscription.id,
      organizationId: owner,
      summary: { url: subscription.url, events: subscription.events },
    });
  });
  return { id: subscription.id, secret };
}

export async function listWebhooks(
  deps: AppDeps,
  ctx: RequestContext,
): Promise<{ items: WebhookView[]; nextCursor: null }> {
  const actor = requireUser(ctx.principal);
  const owner = ownerOf(actor);
  assertCan(actor, 'webhooks.manage', { type: 'webhook', id: 'list', organizationId: owner });
  const now = deps.clock.now();
  return { items: (await repo.listSubscriptions(deps.db, owner)).map((s) => viewOf(s, now)), nextCursor: null };
}

export async function getWebhook(deps: AppDeps, ctx: RequestContext, input: { id: string }): Promise<WebhookView> {
  return viewOf(await ownedSubscription(deps, ctx, input.id), deps.clock.now());
}

export async function deleteWebhook(deps: AppDeps, ctx: RequestContext, input: { id: string }): Promise<void> {
  const subscription = await ownedSubscription(deps, ctx, input.id);
  await deps.db.transaction().execute(async (trx) => {
    found(await repo.lockSubscription(trx, subscription.id));
    await repo.deleteSubscription(trx, subscription.id);
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'webhook.deleted',
      resourceType: 'webhook',
      resourceId: subscription.id,
      organizationId: subscription.organizationId,
      summary: { url: subscription.url },
    });
  });
}

/**
 * `POST /webhooks/{id}/secret-rotations`: a new secret signs from now on; the previous one
 * keeps signing beside it for 24 hours, so receivers can switch without losing a message.
 */
export async function rotateWebhookSecret(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string },
): Promise<{ secret: string; previousSecretExpiresAt: string }> {
  const subscription = await ownedSubscription(deps, ctx, input.id);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString();
  const secret = generateWebhookSecret();
  await deps.db.transaction().execute(async (trx) => {
    const locked = found(await repo.lockSubscription(trx, subscription.id));
    const kept: StoredSecret[] = locked.secrets
      .filter((s) => s.expiresAt === null || new Date(s.expiresAt).getTime() > now.getTime())
      .map((s) => ({ ...s, expiresAt: s.expiresAt === null || s.expiresAt > expiresAt ? expiresAt : s.expiresAt }))
      .slice(0, 3);
    await repo.updateSecrets(trx, locked.id, [{ secret, createdAt: now.toISOString(), expiresAt: null }, ...kept], now);
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'webhook.secret_rotated',
      resourceType: 'webhook',
      resourceId: locked.id,
      organizationId: locked.organizationId,
      summary: { previousSecretExpiresAt: expiresAt },
    });
  });
  return { secret, previousSecretExpiresAt: expiresAt };
}

export interface DeliveryItem {
  messageId: string;
  eventType: string;
  attempt: number;
  attemptedAt: string;
  responseStatus: number | null;
  error: string | null;
  delivered: boolean;
  latencyMs: number;
  nextAttemptAt: string | null;
}

/** `GET /webhooks/{id}/deliveries`: one row per attempt, newest first. */
export async function listDeliveries(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; limit: number; cursor?: string; messageId?: string },
): Promise<{ items: DeliveryItem[]; nextCursor: string | null }> {
  const subscription = await ownedSubscription(deps, ctx, input.id);
  const rows = await repo.listAttempts(deps.db, subscription.id, {
    limit: input.limit + 1,
    before: decodeIdCursor(input.cursor),
    messageId: input.messageId,
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      messageId: row.messageId,
      eventType: row.eventType,
      attempt: row.attempt,
      attemptedAt: row.attemptedAt.toISOString(),
      responseStatus: row.responseStatus,
      error: row.error,
      delivered: row.delivered,
      latencyMs: row.latencyMs,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > input.limit ? encodeCursor([page.at(-1)!.id]) : null,
  };
}

/**
 * `POST /webhooks/{id}/messages/{messageId}/redeliveries`: a message that is waiting or whose
 * schedule is spent is sent now, and retried on the whole schedule again. A delivered message
 * is never sent again (§7): 409 `webhook_message_delivered`.
 */
export async function redeliverMessage(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; messageId: string },
): Promise<{ messageId: string; status: 'pending' }> {
  const subscription = await ownedSubscription(deps, ctx, input.id);
  await deps.db.transaction().execute(async (trx) => {
    const message = await repo.lockMessage(trx, input.messageId);
    if (message === undefined || message.subscriptionId !== subscription.id) throw notFound();
    if (message.status === 'delivered') {
      throw conflict('webhook_message_delivered', {
        detail: {
          zh: '该消息已送达（收到 2xx），不会再次发送',
          en: 'The message was delivered (a 2xx answer) and is never sent again',
        },
      });
    }
    await repo.rescheduleMessage(trx, message.id, deps.clock.now());
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'webhook.redelivery_requested',
      resourceType: 'webhook',
      resourceId: subscription.id,
      organizationId: subscription.organizationId,
      summary: { messageId: message.id, previousAttempts: message.attempts, maxAttempts: WEBHOOK_MAX_ATTEMPTS },
    });
  });
  return { messageId: input.messageId, status: 'pending' };
}
