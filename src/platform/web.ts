import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ProblemHandlers } from './problem.ts';
import { documentHeadersHook } from './security-headers.ts';

export const WEB_DIST_DIR = path.resolve(import.meta.dirname, '../../dist/web');

/**
 * Serves the built React app from dist/web. Browser navigations to client-side routes
 * (`/search?q=…`, `/products/…`) get index.html; API paths never do.
 */
export async function registerWeb(
  app: FastifyInstance,
  problems: ProblemHandlers,
  documentHeaders: Record<string, string>,
  distDir = WEB_DIST_DIR,
): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  if (!fs.existsSync(indexFile)) return;
  // Its own context, so that the document headers apply to the static files only.
  await app.register(async (web) => {
    web.addHook('onRequest', documentHeadersHook(documentHeaders));
    await web.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // `file.br` / `file.gz` written beside each text file at build time (web/vite.config.ts).
      preCompressed: true,
      // Ours below, not send's `public, max-age=0`, which would overwrite setHeaders' value.
      cacheControl: false,
      // Hashed asset names never change content, so browsers and CDNs may keep them;
      // index.html (and the other unhashed files) is revalidated with its ETag every time.
      setHeaders(res, filePath) {
        res.setHeader(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  });
  problems.setNavigationFallback((request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const urlPath = request.url.split('?')[0] ?? '/';
    if (urlPath.startsWith('/api/') || urlPath.startsWith('/docs') || path.extname(urlPath) !== '') return undefined;
    if (!(request.headers.accept ?? '').includes('text/html')) return undefined;
    // Read per navigation (a few kB, rare next to API calls): a rebuilt UI is served at once.
    const html = fs.readFileSync(indexFile);
    const etag = `"${crypto.createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
    void reply.headers(documentHeaders).header('cache-control', 'no-cache').header('etag', etag);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('text/html; charset=utf-8').send(html);
  });
}

/** `If-None-Match` against a strong ETag, weak comparison (RFC 9110 §13.1.2). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
