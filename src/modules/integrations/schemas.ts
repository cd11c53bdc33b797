import { Type } from '@fastify/type-provider-typebox';
import { PageQuery } from '../../platform/http.ts';
import { WEBHOOK_EVENT_TYPES } from './webhook-events.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const MessageId = Type.String({ pattern: '^msg_[0-9a-f-]{36}$', description: 'The `webhook-id` of a message' });

export const WebhookEventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)),
  { description: 'A webhook event type' },
);

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL that receives the POSTs' }),
    events: Type.Array(WebhookEventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const WebhookCreated = Type.Object({
  id: Uuid,
  secret: Type.String({ description: '`whsec_…`: shown once, never again' }),
});

export const Webhook = Type.Object({
  id: Uuid,
  organizationId: Type.Union([Uuid, Type.Null()]),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  updatedAt: DateTime,
  activeSecrets: Type.Integer({ description: 'Secrets signing now (2 during a rotation)' }),
  version: Type.Integer(),
});

export const WebhookList = Type.Object({ items: Type.Array(Webhook), nextCursor: Type.Null() });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MessageParams = Type.Object({ id: Uuid, messageId: MessageId }, { additionalProperties: false });

export const DeliveriesQuery = Type.Object(
  { ...PageQuery, messageId: Type.Optional(MessageId) },
  { additionalProperties: false },
);

export const Delivery = Type.Object({
  messageId: Type.String(),
  eventType: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  attemptedAt: DateTime,
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  delivered: Type.Boolean(),
  latencyMs: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Type.Union([DateTime, Type.Null()]),
});

export const DeliveryPage = Type.Object({
  items: Type.Array(Delivery),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const SecretRotated = Type.Object({
  secret: Type.String({ description: 'The new `whsec_…` secret: shown once' }),
  previousSecretExpiresAt: DateTime,
});

export const Redelivery = Type.Object({ messageId: Type.String(), status: Type.Literal('pending') });

export const IntegrationStatus = Type.Object({
  webhooks: Type.Object({
    subscriptions: Type.Integer(),
    pending: Type.Integer(),
    delivered: Type.Integer(),
    failed: Type.Integer(),
    allowHosts: Type.Array(Type.String()),
  }),
  email: Type.Object({ transport: Type.Union([Type.Literal('smtp'), Type.Literal('file')]) }),
  metrics: Type.Object({ enabled: Type.Boolean() }),
  sso: Type.Object({ enabled: Type.Boolean(), issuer: Type.Union([Type.String(), Type.Null()]) }),
});
