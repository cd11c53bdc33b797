import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Compression of text responses, brotli first, then gzip, for any client that says it takes
 * them (`Accept-Encoding`). Static assets are compressed once at build time (web/vite.config.ts
 * writes `.br` and `.gz` beside each file, @fastify/static serves them: src/platform/web.ts),
 * so this hook compresses what is made per request: JSON, problem+json, the HTML fallback, the
 * OpenAPI document, any static file left without a precompressed sibling.
 *
 * Not compressed: bodies under {@link MIN_BYTES} (the framing costs more than it saves),
 * binary types (PDFs, images: already compressed), partial content, anything already encoded,
 * `no-transform`, and **`no-store` responses**: those carry a credential (a session token, an
 * API token shown once, a private document; src/platform/security-headers.ts marks them), and
 * compressing a secret next to text an attacker can choose (BREACH) would let its length leak
 * it byte by byte.
 */
export const MIN_BYTES = 1024;

/** Per-request brotli at quality 4: near gzip's speed, smaller output; build-time files get 11. */
const BROTLI_OPTIONS: zlib.BrotliOptions = {
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  },
};
const GZIP_OPTIONS: zlib.ZlibOptions = { level: 6 };

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const TEXT_TYPE =
  /^(?:text\/|application\/(?:json|javascript|xml|x-javascript|ecmascript|manifest\+json|[\w.-]+\+(?:json|xml))|image\/svg\+xml)/i;

export type Encoding = 'br' | 'gzip';

/** The encoding to use for an `Accept-Encoding` header: br over gzip, honouring `q=0`. */
export function negotiateEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined || header === '') return undefined;
  let br = false;
  let gz = false;
  let star = false;
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'br') br = accepted;
    else if (name === 'gzip' || name === 'x-gzip') gz = accepted;
    else if (name === '*') star = accepted;
  }
  if (br || (star && !/\bbr\b/i.test(header))) return 'br';
  if (gz || (star && !/gzip/i.test(header))) return 'gzip';
  return undefined;
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) void reply.header('vary', 'accept-encoding');
  else if (!/accept-encoding|\*/i.test(String(vary))) void reply.header('vary', `${String(vary)}, accept-encoding`);
}

function compressible(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method === 'HEAD') return false;
  if (reply.statusCode === 204 || reply.statusCode === 206 || reply.statusCode === 304) return false;
  if (reply.hasHeader('content-encoding')) return false;
  const type = reply.getHeader('content-type');
  if (typeof type !== 'string' || !TEXT_TYPE.test(type)) return false;
  const cacheControl = reply.getHeader('cache-control');
  if (typeof cacheControl === 'string' && /no-store|no-transform/i.test(cacheControl)) return false;
  return true;
}

/** Installs the compression hook on `app` (the root: every route registered afterwards). */
export function installCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload: unknown) => {
    if (payload === null || payload === undefined || !compressible(request, reply)) return payload;
    const isText = typeof payload === 'string';
    if (isText || Buffer.isBuffer(payload)) {
      const length = isText ? Buffer.byteLength(payload) : payload.length;
      // Varies by encoding whether compressed or not, as soon as the type could be.
      if (length < MIN_BYTES) return payload;
      addVary(reply);
      const encoding = negotiateEncoding(request.headers['accept-encoding']);
      if (encoding === undefined) return payload;
      const compressed =
        encoding === 'br'
          ? await brotli(payload, {
              ...BROTLI_OPTIONS,
              params: { ...BROTLI_OPTIONS.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: length },
            })
          : await gzip(payload, GZIP_OPTIONS);
      void reply.header('content-encoding', encoding).removeHeader('content-length');
      return compressed;
    }
    if (payload instanceof Readable) {
      addVary(reply);
      const encoding = negotiateEncoding(request.headers['accept-encoding']);
      if (encoding === undefined) return payload;
      const length = Number(reply.getHeader('content-length'));
      if (Number.isFinite(length) && length < MIN_BYTES) return payload;
      void reply.header('content-encoding', encoding).removeHeader('content-length');
      const compressor = encoding === 'br' ? zlib.createBrotliCompress(BROTLI_OPTIONS) : zlib.createGzip(GZIP_OPTIONS);
      // An error on either side destroys both: the reply ends instead of hanging.
      return pipeline(payload, compressor, () => undefined);
    }
    return payload;
  });
}
