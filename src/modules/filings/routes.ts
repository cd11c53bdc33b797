import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { etagOf } from '../../platform/http.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { contentDisposition } from './content-sniffer.ts';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, type DocumentType } from '../../domain/filings.ts';
import { contextOf, preconditionsOf } from '../../platform/request-context.ts';
import { downloadDocument, removeDocument, uploadDocument, type Upload } from './document-service.ts';
import { createFiling, getFiling, listProductFilings, updateDraft } from './draft-service.ts';
import { reviewQueue, reviewStats } from './queue-service.ts';
import { assignFiling, decideFiling, requestInformation } from './review-service.ts';
import { respondToInformationRequest, submitFiling, withdrawFiling } from './submission-service.ts';
import {
  AssignmentBody,
  CreateFilingBody,
  DecisionBody,
  DocumentView,
  EmptyBody,
  FilingDetailView,
  FilingPage,
  IdParams,
  ListQuery,
  MessageBody,
  QueuePage,
  QueueQuery,
  ReviewStatsView,
  UpdateFilingBody,
} from './schemas.ts';

/** Submit and withdraw carry no data: an absent body counts as `{}` (anything else must be `{}`). */
async function absentBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

function send<T>(reply: FastifyReply, response: StoredResponse<T>) {
  return reply
    .code(response.status)
    .headers(response.headers ?? {})
    .send(response.body);
}

const idempotencyHeader = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Same key + same body → the same response, no second effect (1–255 visible ASCII)' }),
  ),
});
const ifMatchHeader = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the filing as you saw it; stale → 412' })),
});
const writeHeaders = Type.Object({ ...idempotencyHeader.properties, ...ifMatchHeader.properties });

/** Multipart overhead allowed above the document itself (boundaries, part headers, the type field). */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Reads `file` and `documentType` from a multipart body; the file is limited to 20 MB. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', {
      detail: { zh: '请以 multipart/form-data 上传文件', en: 'Upload the file as multipart/form-data' },
    });
  }
  const declaredLength = Number(request.headers['content-length'] ?? 0);
  if (declaredLength > MAX_DOCUMENT_BYTES + MULTIPART_OVERHEAD) {
    throw new AppError(413, 'payload_too_large', {
      detail: { zh: '文件不能超过 20 MB', en: 'A document may be at most 20 MB' },
    });
  }
  let documentType: string | undefined;
  let file: { fileName: string; mimetype: string; bytes: Buffer } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || file !== undefined) {
        throw badRequest('validation_failed', {
          errors: [
            {
              pointer: `/${part.fieldname}`,
              message: { zh: '只能上传一个文件，字段名为 file', en: 'exactly one file, in the field "file"' },
            },
          ],
        });
      }
      file = { fileName: part.filename, mimetype: part.mimetype, bytes: await part.toBuffer() };
    } else if (part.fieldname === 'documentType' && documentType === undefined) {
      documentType = String(part.value);
    } else {
      throw badRequest('validation_failed', {
        errors: [{ pointer: `/${part.fieldname}`, message: { zh: '不允许的字段', en: 'is not an allowed field' } }],
      });
    }
  }
  if (documentType === undefined || !(DOCUMENT_TYPES as readonly string[]).includes(documentType)) {
    throw badRequest('validation_failed', {
      errors: [
        {
          pointer: '/documentType',
          message: { zh: '请选择材料类型', en: `must be one of ${DOCUMENT_TYPES.join(', ')}` },
        },
      ],
    });
  }
  if (file === undefined) {
    throw badRequest('validation_failed', {
      errors: [{ pointer: '/file', message: { zh: '请选择要上传的文件', en: 'a file is required' } }],
    });
  }
  return {
    documentType: documentType as DocumentType,
    fileName: file.fileName,
    declaredContentType: file.mimetype,
    bytes: file.bytes,
  };
}

export async function filingRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/products/:id/filings',
    {
      config: { action: 'filings.create' },
      schema: {
        tags: ['filings'],
        summary: 'Start a filing (draft) for a product: disclosure for low/medium risk, assessment for high risk',
        params: IdParams,
        headers: idempotencyHeader,
        body: CreateFilingBody,
        response: { 201: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await createFiling(deps, contextOf(request), {
          productId: request.params.id,
          body: request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/products/:id/filings',
    {
      config: { action: 'filings.read' },
      schema: {
        tags: ['filings'],
        summary: 'Filings of a product, newest first',
        params: IdParams,
        querystring: ListQuery,
        response: { 200: FilingPage },
      },
    },
    async (request) => listProductFilings(deps, contextOf(request), { productId: request.params.id, ...request.query }),
  );

  app.get(
    '/api/v1/filings/:id',
    {
      config: { action: 'filings.read' },
      schema: {
        tags: ['filings'],
        summary: 'A filing with its documents, information requests and decision',
        params: IdParams,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) => {
      const filing = await getFiling(deps, contextOf(request), { id: request.params.id });
      void reply.header('etag', etagOf(filing.version)).header('cache-control', 'private, no-cache');
      return filing;
    },
  );

  app.patch(
    '/api/v1/filings/:id',
    {
      config: { action: 'filings.update' },
      schema: {
        tags: ['filings'],
        summary: 'Edit a draft filing’s texts',
        params: IdParams,
        headers: ifMatchHeader,
        body: UpdateFilingBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await updateDraft(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          ifMatch: preconditionsOf(request).ifMatch,
        }),
      ),
  );

  // Multipart is parsed only on this route, in its own encapsulated context.
  await app.register(async (scoped) => {
    await scoped.register(multipart, {
      throwFileSizeLimit: true,
      limits: {
        fileSize: MAX_DOCUMENT_BYTES,
        files: 1,
        fields: 2,
        parts: 3,
        fieldSize: 1024,
        headerPairs: 50,
      },
    });
    scoped.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/filings/:id/documents',
      {
        config: { action: 'documents.upload' },
        bodyLimit: MAX_DOCUMENT_BYTES + MULTIPART_OVERHEAD,
        schema: {
          tags: ['filings'],
          summary: 'Attach a document (multipart: documentType, then file; ≤ 20 MB)',
          description:
            'PDF, PNG, JPEG, DOCX, XLSX or UTF-8 plain text, identified by content. A declared type or extension that contradicts the content → 422 document_type_mismatch; other content → 415; a DOCX/XLSX that expands far beyond its size (zip bomb) → 422 unsafe_document_archive. Only in draft or information_requested filings. Quotas (configuration): documents per filing → 409 too_many_documents; bytes per filing or per organisation → 413 filing_document_quota_exceeded / organization_document_quota_exceeded. Control and bidirectional characters are removed from the file name.',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: DocumentView },
        },
      },
      async (request, reply) => {
        const stored = await uploadDocument(deps, contextOf(request), {
          id: request.params.id,
          readUpload: () => readUpload(request),
        });
        const { version, ...document } = stored.body;
        return reply.code(201).header('x-filing-version', String(version)).send(document);
      },
    );
  });

  app.delete(
    '/api/v1/filings/:id/documents/:documentId',
    {
      config: { action: 'documents.delete' },
      schema: {
        tags: ['filings'],
        summary: 'Remove a document not yet submitted (a draft’s, or one added since the information request)',
        description:
          'Only in draft or information_requested filings; a document submitted with the filing is part of the review record → 409 document_not_removable.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), documentId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null({ description: 'Removed' }) },
      },
    },
    async (request, reply) => {
      await removeDocument(deps, contextOf(request), {
        filingId: request.params.id,
        documentId: request.params.documentId,
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/documents/:id',
    {
      config: { action: 'documents.read' },
      schema: {
        tags: ['filings'],
        summary: 'Download a document (owner organisation and regulator staff)',
        params: IdParams,
        response: {
          200: Type.Unsafe<Buffer | Readable>({
            type: 'string',
            format: 'binary',
            description: 'The bytes, with the sniffed type',
          }),
        },
      },
    },
    async (request, reply) => {
      const document = await downloadDocument(deps, contextOf(request), { id: request.params.id });
      return reply
        .header('content-type', document.contentType)
        .header('content-disposition', contentDisposition(document.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('etag', `"${document.sha256}"`)
        .header('content-length', String(document.size))
        .send(document.content);
    },
  );

  app.post(
    '/api/v1/filings/:id/submit',
    {
      config: { action: 'filings.submit' },
      preValidation: absentBodyIsEmpty,
      schema: {
        tags: ['filings'],
        summary: 'Submit: completeness check; a disclosure is accepted at once, an assessment starts the clock',
        params: IdParams,
        headers: idempotencyHeader,
        body: EmptyBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await submitFiling(deps, contextOf(request), {
          id: request.params.id,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.post(
    '/api/v1/filings/:id/withdraw',
    {
      config: { action: 'filings.withdraw' },
      preValidation: absentBodyIsEmpty,
      schema: {
        tags: ['filings'],
        summary: 'Withdraw an open filing before any decision (it is kept)',
        params: IdParams,
        headers: writeHeaders,
        body: EmptyBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await withdrawFiling(deps, contextOf(request), { id: request.params.id, ...preconditionsOf(request) }),
      ),
  );

  app.post(
    '/api/v1/filings/:id/information-responses',
    {
      config: { action: 'filings.respond' },
      schema: {
        tags: ['filings'],
        summary: 'Answer the open information request; the clock runs again and dueDate moves',
        params: IdParams,
        headers: idempotencyHeader,
        body: MessageBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await respondToInformationRequest(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/review/queue',
    {
      config: { action: 'review.queue' },
      schema: {
        tags: ['review'],
        summary: 'Assessments to review: overdue first, then by due date',
        querystring: QueueQuery,
        response: { 200: QueuePage },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'private, no-store');
      return reviewQueue(deps, contextOf(request), request.query);
    },
  );

  app.get(
    '/api/v1/review/stats',
    {
      config: { action: 'review.stats' },
      schema: { tags: ['review'], summary: 'Review statistics', response: { 200: ReviewStatsView } },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'private, no-store');
      return reviewStats(deps, contextOf(request));
    },
  );

  app.post(
    '/api/v1/filings/:id/assignment',
    {
      config: { action: 'filings.assignment' },
      schema: {
        tags: ['review'],
        summary: 'Claim a submitted filing (reviewer, `{}`) or assign it (regulator_admin, `{reviewerId}`)',
        description: 'Permission: `filings.claim` for `{}`, `filings.assign` with `reviewerId`.',
        params: IdParams,
        headers: writeHeaders,
        body: AssignmentBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await assignFiling(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          ...preconditionsOf(request),
        }),
      ),
  );

  app.post(
    '/api/v1/filings/:id/information-requests',
    {
      config: { action: 'filings.requestInformation' },
      schema: {
        tags: ['review'],
        summary: 'Request information from the provider; the clock stops',
        params: IdParams,
        headers: writeHeaders,
        body: MessageBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await requestInformation(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          ...preconditionsOf(request),
        }),
      ),
  );

  app.post(
    '/api/v1/filings/:id/decision',
    {
      config: { action: 'filings.decide' },
      schema: {
        tags: ['review'],
        summary: 'Decide an assessment: approved, approved_with_conditions (with conditions) or rejected',
        params: IdParams,
        headers: writeHeaders,
        body: DecisionBody,
        response: { 200: FilingDetailView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await decideFiling(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          ...preconditionsOf(request),
        }),
      ),
  );
}
