import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { etagOf } from '../../platform/http.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { contextOf, preconditionsOf } from '../../platform/request-context.ts';
import {
  createAccessRequest,
  decideRequest,
  grantExtract,
  listGrantsFor,
  listRequests,
  readAccessRequest,
} from './access-service.ts';
import {
  createDataset,
  listAllDatasets,
  listPublicDatasets,
  openDatasetCsv,
  publicCatalogue,
  readDataset,
  readPublicDataset,
  uploadDatasetData,
} from './dataset-service.ts';
import {
  AccessRequest,
  AccessRequestListQuery,
  AccessRequestPage,
  CreateAccessRequestBody,
  CreateDatasetBody,
  Dataset,
  DatasetListQuery,
  DatasetPage,
  DecisionBody,
  GrantListQuery,
  GrantPage,
  IdParams,
  UploadResult,
} from './schemas.ts';

function send<T>(reply: FastifyReply, response: StoredResponse<T>) {
  return reply
    .code(response.status)
    .headers(response.headers ?? {})
    .send(response.body);
}

function baseUrlOf(deps: AppDeps, request: FastifyRequest): string {
  return deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<encoded>` for a download. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function dataAccessRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['data-access'];

  app.post(
    '/api/v1/datasets',
    {
      config: { action: 'datasets.manage' },
      schema: {
        tags,
        summary: 'Describe a dataset: bilingual metadata, openness and field-level classification (data steward)',
        description:
          'An open dataset with a direct identifier, quasi-identifier or sensitive field → 422 open_dataset_personal_fields; two fields with one name → 422 duplicate_field_name.',
        body: CreateDatasetBody,
        response: { 201: Dataset },
      },
    },
    async (request, reply) => {
      const dataset = await createDataset(deps, contextOf(request), request.body);
      return reply
        .code(201)
        .header('etag', etagOf(dataset.version))
        .header('location', `/api/v1/datasets/${dataset.id}`)
        .send(dataset);
    },
  );

  app.get(
    '/api/v1/datasets',
    {
      config: { action: 'datasets.manage' },
      schema: {
        tags,
        summary: 'Every dataset, closed ones too, newest first (data steward)',
        querystring: DatasetListQuery,
        response: { 200: DatasetPage },
      },
    },
    async (request) => listAllDatasets(deps, contextOf(request), request.query),
  );

  app.get(
    '/api/v1/datasets/:id',
    {
      config: { action: 'datasets.manage' },
      schema: { tags, summary: 'One dataset (data steward)', params: IdParams, response: { 200: Dataset } },
    },
    async (request, reply) => {
      const dataset = await readDataset(deps, contextOf(request), request.params.id);
      return reply.header('etag', etagOf(dataset.version)).send(dataset);
    },
  );

  // The upload is read as a stream: the JSON body limit does not apply (the reader stops at 256 MiB).
  await app.register(async (scoped) => {
    // Only text/csv: any other body type is a 415 before the handler runs.
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
    scoped.withTypeProvider<TypeBoxTypeProvider>().put(
      '/api/v1/datasets/:id/data',
      {
        config: { action: 'datasets.manage' },
        schema: {
          tags,
          summary: 'Upload a new data version as CSV (text/csv, UTF-8, header = field names; ≤ 1,000,000 rows)',
          description:
            'Streamed and validated completely before anything is stored. A bad header, type or row → 422 dataset_csv_invalid with `errors[].pointer` = `/rows/<1-based data row>/<column>` or `/header/<column>`, and `problems[]` with each problem’s code; nothing stored.',
          params: IdParams,
          consumes: ['text/csv'],
          response: { 200: UploadResult },
        },
      },
      async (request) => {
        // No body at all reads as an empty file (422 csv_empty), never a crash.
        const body = (request.body ?? []) as AsyncIterable<Uint8Array>;
        return uploadDatasetData(deps, contextOf(request), { id: request.params.id, body });
      },
    );
  });

  app.get(
    '/api/v1/public/datasets',
    {
      config: { action: 'datasets.public' },
      schema: {
        tags,
        summary: 'The public data catalogue: open and conditional datasets, with search and filters',
        querystring: DatasetListQuery,
        response: { 200: DatasetPage },
      },
    },
    async (request) => listPublicDatasets(deps, request.query),
  );

  app.get(
    '/api/v1/public/datasets/catalog.jsonld',
    {
      config: { action: 'datasets.public' },
      schema: {
        tags,
        summary: 'The public data catalogue as DCAT-AP 3.0 JSON-LD',
        response: {
          200: {
            content: {
              'application/ld+json': {
                schema: Type.Object(
                  { '@context': Type.Object({}), '@type': Type.Literal('dcat:Catalog') },
                  {
                    additionalProperties: true,
                    description: 'One dcat:Catalog listing its datasets with dcat:dataset',
                  },
                ),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const document = await publicCatalogue(deps, baseUrlOf(deps, request));
      return reply
        .header('content-type', 'application/ld+json; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(JSON.stringify(document) as never);
    },
  );

  app.get(
    '/api/v1/public/datasets/:id',
    {
      config: { action: 'datasets.public' },
      schema: { tags, summary: 'One open or conditional dataset', params: IdParams, response: { 200: Dataset } },
    },
    async (request) => readPublicDataset(deps, request.params.id),
  );

  app.get(
    '/api/v1/public/datasets/:id/data.csv',
    {
      config: { action: 'datasets.public' },
      schema: {
        tags,
        summary: 'The current data of an open dataset as CSV (any other → 404 dataset_not_open)',
        params: IdParams,
        response: {
          200: { content: { 'text/csv': { schema: Type.String({ description: 'RFC 4180 CSV with a header row' }) } } },
        },
      },
    },
    async (request, reply) => {
      const { dataset, stream } = await openDatasetCsv(deps, request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`${dataset.titleEn}.csv`))
        .header('x-data-version', String(dataset.dataVersion))
        .send(stream as never);
    },
  );

  app.post(
    '/api/v1/datasets/:id/access-requests',
    {
      config: { action: 'accessRequests.create' },
      schema: {
        tags,
        summary: 'Ask for access to fields of a dataset (member of a verified organisation)',
        description:
          'Due 10 working days after the submission date. A closed dataset → 422 dataset_closed; a direct identifier → 422 direct_identifier_not_grantable; a name that is no field → 422 unknown_field. Idempotency-Key honoured.',
        params: IdParams,
        body: CreateAccessRequestBody,
        response: { 201: AccessRequest },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await createAccessRequest(deps, contextOf(request), {
          datasetId: request.params.id,
          ...request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/access-requests',
    {
      config: { action: 'accessRequests.read' },
      schema: {
        tags,
        summary:
          "Access requests: the data steward's (all; `status=pending` is the queue, earliest due first) or the own organisation's",
        querystring: AccessRequestListQuery,
        response: { 200: AccessRequestPage },
      },
    },
    async (request) => listRequests(deps, contextOf(request), request.query),
  );

  app.get(
    '/api/v1/access-requests/:id',
    {
      config: { action: 'accessRequests.read' },
      schema: {
        tags,
        summary: 'One access request with its grant (requesting organisation and data stewards)',
        params: IdParams,
        response: { 200: AccessRequest },
      },
    },
    async (request, reply) => {
      const view = await readAccessRequest(deps, contextOf(request), request.params.id);
      return reply.header('etag', etagOf(view.version)).send(view);
    },
  );

  app.post(
    '/api/v1/access-requests/:id/decision',
    {
      config: { action: 'accessRequests.decide' },
      schema: {
        tags,
        summary: 'Grant (with k, default 5) or refuse a pending access request, with reasons (data steward)',
        description:
          'A grant expires `durationDays` × 24 h after the decision. A decided request → 409 access_request_decided. Idempotency-Key honoured.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: AccessRequest },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await decideRequest(deps, contextOf(request), {
          id: request.params.id,
          ...request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/access-grants',
    {
      config: { action: 'accessRequests.read' },
      schema: {
        tags,
        summary: "Grants: the own organisation's (data stewards: all), newest first",
        querystring: GrantListQuery,
        response: { 200: GrantPage },
      },
    },
    async (request) => listGrantsFor(deps, contextOf(request), request.query),
  );

  app.get(
    '/api/v1/access-grants/:id/extract.csv',
    {
      config: { action: 'accessGrants.download' },
      schema: {
        tags,
        summary: 'The anonymised extract of a grant (members of the grantee organisation)',
        description:
          'Exactly the granted fields of the current data version, k-anonymous over the granted quasi-identifiers (Mondrian generalisation; suppression only as the last resort). `X-Suppressed-Rows` always sent; rows sent + suppressed = rows of the version. Expired → 403 grant_expired; another organisation’s → 404. Each download is audited.',
        params: IdParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const extract = await grantExtract(deps, contextOf(request), request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`extract-${request.params.id}.csv`))
        .header('cache-control', 'no-store')
        .header('x-suppressed-rows', String(extract.stats.suppressed))
        .header('x-k-anonymity', String(extract.k))
        .header('x-equivalence-classes', String(extract.stats.equivalenceClasses))
        .header('x-average-class-size', extract.stats.averageClassSize.toFixed(2))
        .send(extract.stream);
    },
  );
}
