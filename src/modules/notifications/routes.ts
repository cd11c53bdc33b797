import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { contextOf } from '../../platform/request-context.ts';
import { NotificationListQuery, NotificationPage, NotificationParams } from './schemas.ts';
import { listMyNotifications, markNotificationRead } from './service.ts';

export async function notificationRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/notifications',
    {
      config: { action: 'notifications.read' },
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications (personal, your organisation’s and your role’s), newest first',
        querystring: NotificationListQuery,
        response: { 200: NotificationPage },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'private, no-store');
      return listMyNotifications(deps, contextOf(request), request.query);
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      config: { action: 'notifications.read' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark a notification read (idempotent)',
        params: NotificationParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await markNotificationRead(deps, contextOf(request), request.params);
      return reply.code(204).send(null);
    },
  );
}
