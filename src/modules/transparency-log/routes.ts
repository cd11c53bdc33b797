import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { IMMUTABLE, contentEtag, isNotModified, publicMaxAge, sendPublicJson } from '../../platform/http.ts';
import { contextOf } from '../../platform/request-context.ts';
import {
  ConsistencyQuery,
  ConsistencyResponse,
  EntriesQuery,
  EntriesResponse,
  InclusionQuery,
  InclusionResponse,
  NotModified,
  PublicKeyResponse,
} from './schemas.ts';
import {
  checkpointPublicKey,
  currentCheckpoint,
  logConsistencyProof,
  logEntries,
  logInclusionProof,
} from './service.ts';

const TAGS = ['transparency'];

/** Cache lifetimes (seconds): the signed tree head moves with every decision; the key rarely. */
const CACHE_SECONDS = { checkpoint: 5, publicKey: 3600 } as const;
const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** The public, verifiable log of every public decision (RFC 6962 + C2SP checkpoints). */
export async function transparencyLogRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/transparency/checkpoint',
    {
      config: { action: 'transparency.read' },
      schema: {
        tags: TAGS,
        summary: 'Latest signed tree head (C2SP tlog-checkpoint in a signed note)',
        response: { 200: { content: { 'text/plain': { schema: Type.String() } } }, 304: NotModified },
      },
    },
    async (request, reply) => {
      const { note } = await currentCheckpoint(deps, contextOf(request));
      const etag = contentEtag(note);
      void reply.header('etag', etag).header('cache-control', publicMaxAge(CACHE_SECONDS.checkpoint));
      if (isNotModified(request, etag)) return reply.code(304).send(null);
      return reply.type('text/plain; charset=utf-8').send(note);
    },
  );

  app.get(
    '/api/v1/transparency/public-key',
    {
      config: { action: 'transparency.read' },
      schema: {
        tags: TAGS,
        summary: 'The Ed25519 key that signs checkpoints',
        response: { 200: PublicKeyResponse, 304: NotModified },
      },
    },
    async (request, reply) =>
      sendPublicJson(
        request,
        reply,
        await checkpointPublicKey(deps, contextOf(request)),
        publicMaxAge(CACHE_SECONDS.publicKey),
      ),
  );

  app.get(
    '/api/v1/transparency/entries',
    {
      config: { action: 'transparency.read' },
      schema: {
        tags: TAGS,
        summary: 'Leaves [start, end) of the log, at most 1000',
        querystring: EntriesQuery,
        response: { 200: EntriesResponse, 304: NotModified },
      },
    },
    async (request, reply) => {
      const leaves = await logEntries(deps, contextOf(request), request.query);
      const entries = leaves.map((entry) => ({ leafIndex: entry.leafIndex, leaf: base64(entry.leaf) }));
      return sendPublicJson(request, reply, { entries }, IMMUTABLE);
    },
  );

  app.get(
    '/api/v1/transparency/proofs/inclusion',
    {
      config: { action: 'transparency.read' },
      schema: {
        tags: TAGS,
        summary: 'RFC 6962 inclusion proof of a leaf in a tree size',
        querystring: InclusionQuery,
        response: { 200: InclusionResponse, 304: NotModified },
      },
    },
    async (request, reply) => {
      const { leafIndex, treeSize } = request.query;
      const hashes = await logInclusionProof(deps, contextOf(request), { leafIndex, treeSize });
      return sendPublicJson(request, reply, { leafIndex, treeSize, hashes: hashes.map(base64) }, IMMUTABLE);
    },
  );

  app.get(
    '/api/v1/transparency/proofs/consistency',
    {
      config: { action: 'transparency.read' },
      schema: {
        tags: TAGS,
        summary: 'RFC 6962 consistency proof between two tree sizes',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyResponse, 304: NotModified },
      },
    },
    async (request, reply) => {
      const { first, second } = request.query;
      const hashes = await logConsistencyProof(deps, contextOf(request), { first, second });
      return sendPublicJson(request, reply, { first, second, hashes: hashes.map(base64) }, IMMUTABLE);
    },
  );
}
