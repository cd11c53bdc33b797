import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { PageQuery, pageOf, stringEnum } from '../../platform/http.ts';
import { contextOf } from '../../platform/request-context.ts';
import { auditCsvRows, listAuditEvents, type AuditFilter } from './service.ts';

const AuditEvent = Type.Object({
  id: Type.String(),
  seq: Type.Union([Type.String(), Type.Null()], {
    description: 'Position in the hash chain; null while the event is pending (not chained yet)',
  }),
  occurredAt: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  resourceType: Type.String(),
  resourceId: Type.String(),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Record(Type.String(), Type.Unknown()),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 chain hash; null while pending' }),
  chainStatus: stringEnum(['chained', 'pending'] as const, {
    description:
      'pending: recorded with its change, not yet given its chain position and hash by the audit sequencer (normally within a fraction of a second)',
  }),
});

const Filters = {
  action: Type.Optional(Type.String({ maxLength: 100 })),
  resourceType: Type.Optional(Type.String({ maxLength: 100 })),
  resourceId: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Type.String({ format: 'uuid' })),
  organizationId: Type.Optional(Type.String({ format: 'uuid' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive lower bound (RFC 3339)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound (RFC 3339)' })),
};

function filterOf(query: { [K in keyof typeof Filters]?: string }): AuditFilter {
  return {
    action: query.action,
    resourceType: query.resourceType,
    resourceId: query.resourceId,
    actorId: query.actorId,
    organizationId: query.organizationId,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
  };
}

export async function auditRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/v1/audit',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first, with filters',
        querystring: Type.Object({ ...PageQuery, ...Filters }, { additionalProperties: false }),
        response: { 200: pageOf(AuditEvent) },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      return listAuditEvents(deps, contextOf(request), { filter: filterOf(filters), limit, cursor });
    },
  );

  app.get(
    '/api/v1/audit/export.csv',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The filtered audit trail as CSV (UTF-8 with BOM, for Excel)',
        querystring: Type.Object(Filters, { additionalProperties: false }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const rows = auditCsvRows(deps, contextOf(request), { filter: filterOf(request.query) });
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="aigov-audit.csv"');
      return reply.send(rows);
    },
  );
}
