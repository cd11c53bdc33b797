/**
 * What a first visit to the public pages transfers: index.html and every script and style
 * sheet it loads before the first render (the module script, its `modulepreload`s, the CSS),
 * fetched from the real server (dist/web must be built: `npm run build`) with a browser's
 * `Accept-Encoding: gzip, deflate, br` against no encoding (the baseline: what it sent before
 * issue #20). Also checks the caching headers. Target (issue #20): the initial JavaScript
 * ≤ 150 KB brotli on the wire.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WEB_DIST_DIR } from '../src/platform/web.ts';
import { spawnBenchServer } from './lib/http.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'web-transfer';
export const description = 'public pages: bytes on the wire for the first render, brotli vs none; target JS ≤ 150 KB';

const JS_BUDGET = 150 * 1024;

interface Fetched {
  status: number;
  bytes: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, bytes: body.length, headers: res.headers, body });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The assets index.html makes the browser load before the first render. */
export function initialAssets(html: string): string[] {
  const urls = [
    ...html.matchAll(/<script type="module"[^>]*\ssrc="([^"]+)"/g),
    ...html.matchAll(/<link rel="(?:modulepreload|stylesheet)"[^>]*\shref="([^"]+)"/g),
  ].map((match) => match[1]!);
  return [...new Set(urls)];
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  if (!fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'))) throw new Error('dist/web is not built: npm run build');
  const server = await spawnBenchServer('aigov', { logLevel: 'warn', databaseUrl: options.databaseUrl });
  try {
    const browser = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
    const page = await get(`${server.url}/`, browser);
    const html = (await get(`${server.url}/`, { accept: 'text/html' })).body.toString('utf8');
    const assets = initialAssets(html);
    const totals = { js: { wire: 0, raw: 0 }, css: { wire: 0, raw: 0 } };
    const cacheControl = new Set<string>();
    for (const asset of assets) {
      const compressed = await get(`${server.url}${asset}`, browser);
      const raw = await get(`${server.url}${asset}`, {});
      const kind = asset.endsWith('.css') ? 'css' : 'js';
      totals[kind].wire += compressed.bytes;
      totals[kind].raw += raw.bytes;
      cacheControl.add(
        `${String(compressed.headers['content-encoding'])}; ${String(compressed.headers['cache-control'])}`,
      );
    }
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(
      `web-transfer: ${assets.length} assets; JS ${kb(totals.js.wire)} on the wire (${kb(totals.js.raw)} raw), ` +
        `CSS ${kb(totals.css.wire)} (${kb(totals.css.raw)}); index.html ${page.bytes} B ` +
        `${String(page.headers['content-encoding'])}, cache-control ${String(page.headers['cache-control'])}, etag ${String(page.headers.etag)}; ` +
        `assets: ${[...cacheControl].join(' | ')}`,
    );
    return [
      {
        name: 'public pages: initial JavaScript on the wire (br) vs uncompressed',
        metric: 'bytes',
        value: totals.js.wire,
        baseline: totals.js.raw,
        ratio: totals.js.wire / totals.js.raw,
        target: '≤ 150 KB',
        pass: totals.js.wire <= JS_BUDGET,
        details: {
          files: assets.filter((a) => !a.endsWith('.css')).length,
          assetHeaders: [...cacheControl].join(' | '),
        },
      },
      {
        name: 'public pages: initial CSS on the wire (br) vs uncompressed',
        metric: 'bytes',
        value: totals.css.wire,
        baseline: totals.css.raw,
        ratio: totals.css.raw === 0 ? 1 : totals.css.wire / totals.css.raw,
      },
      {
        name: 'index.html: no-cache with an ETag',
        metric: 'bytes',
        value: page.bytes,
        target: 'no-cache + ETag',
        pass: page.headers['cache-control'] === 'no-cache' && typeof page.headers.etag === 'string',
        details: { encoding: String(page.headers['content-encoding']), etag: String(page.headers.etag) },
      },
    ];
  } finally {
    await server.close();
  }
}
