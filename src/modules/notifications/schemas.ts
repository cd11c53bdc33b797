import { Type } from '@fastify/type-provider-typebox';
import { PageQuery, pageOf } from '../../platform/http.ts';

export const NotificationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: 'e.g. filing.information_requested, filing.approved' }),
  titleZh: Type.String(),
  titleEn: Type.String(),
  link: Type.Union([Type.String(), Type.Null()], { description: 'Web path of the object, e.g. /filings/{id}' }),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When you read it' }),
});

export const NotificationPage = pageOf(NotificationView);

export const NotificationListQuery = Type.Object(
  {
    ...PageQuery,
    unread: Type.Optional(Type.Boolean({ description: 'Only notifications you have not read' })),
  },
  { additionalProperties: false },
);

export const NotificationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
