import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parse as parseCookies, serialize } from 'cookie';
import type { AppDeps } from '../../platform/deps.ts';
import { contextOf } from '../../platform/request-context.ts';
import { SESSION_COOKIE } from '../identity/index.ts';
import { completeOidcLogin, OIDC_LOGIN_COOKIE, startOidcLogin } from './oidc.ts';
import * as schemas from './schemas.ts';
import { integrationStatus } from './status.ts';
import * as webhooks from './webhook-service.ts';

const NoContent = Type.Null({ description: 'No content' });
const Redirect = Type.Null({ description: 'Redirect (Location header)' });

export async function integrationRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['integrations'];
  const secureCookie = deps.config.publicUrl?.startsWith('https:') === true;

  app.post(
    '/api/v1/webhooks',
    {
      config: { action: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'Subscribe a URL to webhook events (the secret is shown once)',
        description:
          'An organisation administrator subscribes to its organisation’s events, a regulator administrator to every organisation’s. Targets on loopback, private, link-local or metadata addresses are refused (422 webhook_url_refused) unless their host is in AIGOV_WEBHOOK_ALLOW_HOSTS.',
        body: schemas.CreateWebhookBody,
        response: { 201: schemas.WebhookCreated },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await webhooks.createWebhook(deps, contextOf(request), request.body)),
  );

  app.get(
    '/api/v1/webhooks',
    {
      config: { action: 'webhooks.manage' },
      schema: { tags, summary: 'The caller’s webhook subscriptions', response: { 200: schemas.WebhookList } },
    },
    async (request) => webhooks.listWebhooks(deps, contextOf(request)),
  );

  app.get(
    '/api/v1/webhooks/:id',
    {
      config: { action: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'One webhook subscription',
        params: schemas.IdParams,
        response: { 200: schemas.Webhook },
      },
    },
    async (request) => webhooks.getWebhook(deps, contextOf(request), request.params),
  );

  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: { action: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'Delete a subscription with its messages and delivery log',
        params: schemas.IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await webhooks.deleteWebhook(deps, contextOf(request), request.params);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/webhooks/:id/secret-rotations',
    {
      config: { action: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'Rotate the signing secret (the previous one keeps signing for 24 hours)',
        params: schemas.IdParams,
        response: { 201: schemas.SecretRotated },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await webhooks.rotateWebhookSecret(deps, contextOf(request), request.params)),
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { action: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'The delivery log: one row per attempt, newest first',
        params: schemas.IdParams,
        querystring: schemas.DeliveriesQuery,
        response: { 200: schemas.DeliveryPage },
      },
    },
    async (request) => webhooks.listDeliveries(deps, contextOf(request), { ...request.params, ...request.query }),
  );

  app.post(
    '/api/v1/webhooks/:id/messages/:messageId/redeliveries',
    {
      config: { action: 'webhooks.manage' },
      schema: {
        tags,
        summary: 'Send a waiting or failed message now, on a fresh retry schedule',
        description: 'A delivered message (a 2xx answer) is never sent again: 409 webhook_message_delivered.',
        params: schemas.MessageParams,
        response: { 202: schemas.Redelivery },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await webhooks.redeliverMessage(deps, contextOf(request), request.params)),
  );

  app.get(
    '/api/v1/integrations/status',
    {
      config: { action: 'integrations.status' },
      schema: {
        tags,
        summary: 'Which integrations are configured, and how webhook deliveries stand',
        response: { 200: schemas.IntegrationStatus },
      },
    },
    async (request) => integrationStatus(deps, contextOf(request)),
  );

  app.get(
    '/api/v1/auth/oidc/login',
    {
      config: { action: 'auth.oidc' },
      schema: {
        // A browser redirect, not an API operation: outside the OpenAPI document (so, like
        // /metrics, outside the route guard — the action is public either way).
        hide: true,
        tags: ['identity'],
        summary: 'Staff single sign-on: redirects to the OpenID provider',
        description: '404 while AIGOV_OIDC_ISSUER is not set.',
        response: { 302: Redirect },
      },
    },
    async (request, reply) => {
      const started = await startOidcLogin(deps, contextOf(request));
      reply.header(
        'set-cookie',
        serialize(OIDC_LOGIN_COOKIE, started.loginId, {
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookie,
          path: '/api/v1/auth/oidc',
          maxAge: started.maxAgeSeconds,
        }),
      );
      return reply.code(302).header('location', started.location).header('cache-control', 'no-store').send(null);
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      config: { action: 'auth.oidc' },
      schema: {
        hide: true,
        tags: ['identity'],
        summary: 'Staff single sign-on: the provider’s callback; signs the staff user in and redirects to the app',
        description:
          'Only an existing, active regulator staff user whose e-mail the provider verified signs in (403 sso_user_unknown otherwise); a callback that does not match the sign-on started in this browser is 401 sso_failed (state, nonce) or 400 sso_login_expired.',
        response: { 302: Redirect },
      },
    },
    async (request, reply) => {
      const cookies = parseCookies(request.headers.cookie ?? '');
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const clear = serialize(OIDC_LOGIN_COOKIE, '', {
        httpOnly: true,
        sameSite: 'lax',
        path: '/api/v1/auth/oidc',
        maxAge: 0,
      });
      reply.header('set-cookie', clear);
      const result = await completeOidcLogin(deps, contextOf(request), { loginId: cookies[OIDC_LOGIN_COOKIE], query });
      const maxAge = Math.max(1, Math.ceil((result.expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
      reply.header('set-cookie', [
        clear,
        serialize(SESSION_COOKIE, result.token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookie,
          path: '/',
          maxAge,
        }),
      ]);
      return reply.code(302).header('location', '/').header('cache-control', 'no-store').send(null);
    },
  );
}
