import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { JSON_CONTENT_TYPE, isNotModified, publicMaxAge, sendPublicJson } from '../../platform/http.ts';
import { contextOf } from '../../platform/request-context.ts';
import { registerCsvStream, registerExportEtag, registerJsonStream } from './export.ts';
import { EntryParams, ExportDocument, NotModified, RegisterEntry, SearchQuery, SearchResponse } from './schemas.ts';
import { getRegisterEntry, searchPublicRegister } from './service.ts';

const TAGS = ['register'];

/** Cache lifetimes (seconds): a decision shows up in search within a minute; exports within five. */
const CACHE_SECONDS = { register: 60, export: 300 } as const;

/** The public register: anonymous search, entries with their decision history, bulk exports. */
export async function registerRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const cacheControl = publicMaxAge(CACHE_SECONDS.register);

  app.get(
    '/api/v1/public/products',
    {
      config: { action: 'register.read' },
      schema: {
        tags: TAGS,
        summary: 'Search the public register (Chinese and English, partial names, typos)',
        querystring: SearchQuery,
        response: { 200: SearchResponse, 304: NotModified },
      },
    },
    async (request, reply) => {
      const page = await searchPublicRegister(deps, contextOf(request), request.query);
      return sendPublicJson(request, reply, page, cacheControl);
    },
  );

  app.get(
    '/api/v1/public/products/:id',
    {
      config: { action: 'register.read' },
      schema: {
        tags: TAGS,
        summary: 'A register entry with its public decision history',
        params: EntryParams,
        response: { 200: RegisterEntry, 304: NotModified },
      },
    },
    async (request, reply) =>
      sendPublicJson(
        request,
        reply,
        await getRegisterEntry(deps, contextOf(request), { productId: request.params.id }),
        cacheControl,
      ),
  );

  // Streams are sent as they are: these two routes use the plain instance (no typed reply).
  const exportRoute = (format: 'csv' | 'json') =>
    plain.get(
      `/api/v1/public/products.${format}`,
      {
        config: { action: 'register.read' },
        schema: {
          tags: TAGS,
          summary:
            format === 'csv'
              ? 'The whole public register as CSV (UTF-8 with BOM, RFC 4180)'
              : 'The whole public register as JSON {items}',
          response: {
            200: {
              content:
                format === 'csv'
                  ? { 'text/csv': { schema: Type.String({ description: 'RFC 4180 CSV with a header row' }) } }
                  : { 'application/json': { schema: ExportDocument } },
            },
            304: NotModified,
          },
        },
      },
      async (request, reply) => {
        const etag = await registerExportEtag(deps.db);
        void reply.header('etag', etag).header('cache-control', publicMaxAge(CACHE_SECONDS.export));
        if (isNotModified(request, etag)) return reply.code(304).send();
        if (format === 'csv') {
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="aigov-register.csv"')
            .send(registerCsvStream(deps.db));
        }
        return reply
          .type(JSON_CONTENT_TYPE)
          .header('content-disposition', 'attachment; filename="aigov-register.json"')
          .send(registerJsonStream(deps.db));
      },
    );
  exportRoute('csv');
  exportRoute('json');
}
