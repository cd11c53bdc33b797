import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './deps.ts';
import { sendSerializedJson } from './http.ts';
import { buildProblem, sendProblem } from './problem.ts';

const Status = Type.Object({ status: Type.String() });

/** The liveness answer never changes: encoded once, sent from a synchronous handler. */
const LIVE = Buffer.from(JSON.stringify({ status: 'ok' }));

/** Liveness and readiness for load balancers and orchestrators (outside /api/v1 by contract). */
export function healthRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['health'],
          summary: 'Liveness: the process runs',
          description: 'Always `{"status":"ok"}` while the process serves requests; it reads nothing.',
          response: { 200: Status },
        },
      },
      (_request, reply) => {
        sendSerializedJson(reply, LIVE);
      },
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'Readiness: the database answers',
          description: '`{"status":"ready"}` once the database answers a query; 503 `database_unavailable` otherwise.',
          response: { 200: Status },
        },
      },
      async (request, reply) => {
        try {
          await sql`SELECT 1`.execute(deps.db);
          return { status: 'ready' };
        } catch (error) {
          request.log.warn({ err: error }, 'readiness check failed');
          return sendProblem(reply, buildProblem(request, 503, 'database_unavailable', undefined));
        }
      },
    );
  };
}
