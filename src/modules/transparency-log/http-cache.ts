import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendSerializedJson } from '../../platform/http.ts';

/** Cache lifetimes of public reads (seconds); a CDN or reverse proxy may keep them that long. */
export const CACHE_SECONDS = {
  /** Register search and entries: a decision shows up within a minute. */
  register: 60,
  /** Bulk exports of the whole register. */
  export: 300,
  /** The signed tree head moves with every decision. */
  checkpoint: 5,
  publicKey: 3600,
} as const;

/** Leaves and proofs for a size that exists never change: the log is append-only. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Strong validator of a response body: a truncated SHA-256, so every instance agrees. */
export function contentEtag(body: string | Uint8Array): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 §13.1.2: If-None-Match (weak comparison) matches `etag`, or is `*`. */
export function isNotModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === bare;
  });
}

/**
 * Sends a public JSON body with `ETag` and `Cache-Control`, or 304 when the client already has
 * it. The body is serialised once here (to hash it); fastify sends the string as is.
 */
export function sendPublicJson(
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  cacheControl: string,
): FastifyReply {
  const json = JSON.stringify(body);
  const etag = contentEtag(json);
  void reply.header('etag', etag).header('cache-control', cacheControl);
  if (isNotModified(request, etag)) return reply.code(304).send();
  return sendSerializedJson(reply, json);
}

export function publicMaxAge(seconds: number): string {
  return `public, max-age=${seconds}`;
}
