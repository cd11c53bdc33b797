import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { badRequest, preconditionFailed } from './errors.ts';
import { isUuid } from './ids.ts';

/** `?limit=&cursor=` as the contract defines them. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200)' }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from nextCursor' })),
};

export function pageOf<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Opaque keyset cursor: base64url JSON of the sort key of the last row returned. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The values of a cursor this API issued, or the one `invalid_cursor` problem: for a cursor
 * that is not ours, of the wrong length, or whose values `isValid` refuses.
 */
export function decodeCursor(
  cursor: string | undefined,
  arity: number,
  isValid: (values: (string | number | null)[]) => boolean = () => true,
): (string | number | null)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) &&
      isValid(values as (string | number | null)[])
    ) {
      return values as (string | number | null)[];
    }
  } catch {
    // fall through to the uniform error
  }
  throw invalidCursor();
}

/** A cursor made of one row id (keyset paging by UUIDv7): the id, or 400 `invalid_cursor`. */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  const values = decodeCursor(cursor, 1, ([id]) => typeof id === 'string' && isUuid(id));
  return values === undefined ? undefined : String(values[0]);
}

/** 400 `invalid_cursor`: the one answer to a cursor this API did not issue (or no longer reads). */
export function invalidCursor() {
  return badRequest('invalid_cursor', {
    detail: {
      zh: 'cursor 无效，请使用上一页返回的 nextCursor',
      en: 'Invalid cursor: use the nextCursor of the previous page',
    },
    errors: [{ pointer: '/cursor', message: 'invalid cursor' }],
  });
}

/** Strong ETag of a versioned resource. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** `If-Match` present and not the current version → 412 (RFC 9110 §13.1.1). */
export function assertIfMatch(request: FastifyRequest, currentVersion: number): void {
  assertVersionMatches(request.headers['if-match'], currentVersion);
}

/**
 * The same check on the header's value, for services (they take `ifMatch` as an input and
 * never see the request): absent → no precondition; otherwise one of the tags (or `*`) must
 * name the current version, else 412.
 */
export function assertVersionMatches(ifMatch: string | undefined, currentVersion: number): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(etagOf(currentVersion))) return;
  throw preconditionFailed({
    detail: {
      zh: `资源已被修改（当前版本 ${currentVersion}），请刷新后重试`,
      en: `The resource has changed (current version ${currentVersion}); reload and retry`,
    },
    extensions: { currentVersion },
  });
}

/** The `version` an If-Match header names, if exactly one strong tag is given. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  const match = header === undefined ? null : /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  return match === null ? undefined : Number(match[1]);
}

/** A string enum schema (`{type: 'string', enum}`) typed as the union of its values. */
export function stringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends JSON that is already serialised (cached, or hashed before sending): fastify sends it
 * as is. A cached body is best kept as UTF-8 bytes: a string is measured and encoded again on
 * every send.
 */
export function sendSerializedJson(reply: FastifyReply, json: string | Buffer): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(json);
}

// ----- public reads: cache validators a CDN or reverse proxy can use -----

/** Leaves, proofs and hashed assets never change: cache them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export function publicMaxAge(seconds: number): string {
  return `public, max-age=${seconds}`;
}

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
