import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Catalogue } from '../../lib/catalogue-files.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { contextOf } from '../../platform/request-context.ts';
import type { CatalogueVersion } from './repo.ts';
import {
  CatalogueQuery,
  CatalogueResponse,
  CatalogueVersionList,
  CatalogueVersionSchema,
  PublishCatalogueBody,
} from './schemas.ts';
import { listVersions, publishCatalogueVersion, readCatalogue } from './service.ts';

function versionView(version: CatalogueVersion & { isCurrent: boolean }) {
  return {
    version: version.version,
    titleZh: version.titleZh,
    titleEn: version.titleEn,
    previousVersion: version.previousVersion,
    mapping: version.mapping,
    origin: version.origin,
    itemCount: version.itemCount,
    publishedAt: version.publishedAt.toISOString(),
    isCurrent: version.isCurrent,
  };
}

export async function catalogueRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/catalogue',
    {
      config: { action: 'catalogue.read' },
      schema: {
        tags: ['catalogue'],
        summary: 'The AI industry classification catalogue (current version, or ?version=)',
        querystring: CatalogueQuery,
        response: { 200: CatalogueResponse },
      },
    },
    async (request) => readCatalogue(deps.db, request.query.version),
  );

  app.get(
    '/api/v1/catalogue/versions',
    {
      config: { action: 'catalogue.read' },
      schema: {
        tags: ['catalogue'],
        summary: 'Every catalogue version, newest first, with its mapping from the previous one',
        response: { 200: CatalogueVersionList },
      },
    },
    async () => ({ items: (await listVersions(deps.db)).map(versionView), nextCursor: null }),
  );

  app.post(
    '/api/v1/catalogue/versions',
    {
      config: { action: 'catalogue.publish' },
      schema: {
        tags: ['catalogue'],
        summary: 'Publish a new catalogue version with a mapping from the codes it drops',
        body: PublishCatalogueBody,
        response: { 201: CatalogueVersionSchema },
      },
    },
    async (request, reply) => {
      const { source, ...rest } = request.body;
      const published = await publishCatalogueVersion(deps, contextOf(request), {
        ...rest,
        // The citations are checked field by field by validateCatalogue.
        ...(source === undefined ? {} : { source: source as unknown as Catalogue['source'] }),
      });
      return reply.code(201).send(versionView(published));
    },
  );
}
