import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { installCompression, negotiateEncoding } from './compression.ts';
import { installProblemHandlers } from './problem.ts';
import { registerWeb } from './web.ts';

const BIG = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `巡检机器人 ${i}` })) };
const SCRIPT = `export const x = ${JSON.stringify('a'.repeat(5000))};\n`;
const HTML = `<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body>${'<p>text</p>'.repeat(200)}</body></html>`;

/** A dist/web with a hashed script, its precompressed variants and index.html, as the build leaves them. */
function fakeDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  const script = path.join(dir, 'assets', 'index-AbC123.js');
  fs.writeFileSync(script, SCRIPT);
  fs.writeFileSync(`${script}.br`, zlib.brotliCompressSync(SCRIPT));
  fs.writeFileSync(`${script}.gz`, zlib.gzipSync(SCRIPT));
  fs.writeFileSync(path.join(dir, 'index.html'), HTML);
  fs.writeFileSync(path.join(dir, 'index.html.br'), zlib.brotliCompressSync(HTML));
  return dir;
}

async function appWithWeb() {
  const distDir = fakeDist();
  const app = Fastify({ logger: false });
  const problems = installProblemHandlers(app);
  installCompression(app);
  app.get('/api/v1/big', async () => BIG);
  app.get('/api/v1/small', async () => ({ ok: true }));
  app.get('/api/v1/secret', async (_request, reply) => reply.header('cache-control', 'no-store').send(BIG));
  await registerWeb(app, problems, { 'x-frame-options': 'DENY' }, distDir);
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      fs.rmSync(distDir, { recursive: true, force: true });
    },
  };
}

test('negotiation: brotli before gzip, q=0 refuses, identity otherwise', () => {
  assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(negotiateEncoding('gzip, deflate'), 'gzip');
  assert.equal(negotiateEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(negotiateEncoding('*'), 'br');
  assert.equal(negotiateEncoding('identity'), undefined);
  assert.equal(negotiateEncoding(undefined), undefined);
});

test('compression: JSON answers brotli, then gzip; small bodies and no-store ones go as they are', async (t) => {
  const { app, close } = await appWithWeb();
  t.after(close);
  const br = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers.vary), /accept-encoding/);
  assert.deepEqual(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString()), BIG);
  assert.ok(br.rawPayload.length < JSON.stringify(BIG).length / 3);

  const gz = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString()), BIG);

  const plain = await app.inject({ url: '/api/v1/big' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(plain.json(), BIG);

  const small = await app.inject({ url: '/api/v1/small', headers: { 'accept-encoding': 'br' } });
  assert.equal(small.headers['content-encoding'], undefined);

  const secret = await app.inject({ url: '/api/v1/secret', headers: { 'accept-encoding': 'br' } });
  assert.equal(secret.headers['content-encoding'], undefined, 'a credential is never compressed (BREACH)');
  assert.deepEqual(secret.json(), BIG);
});

test('static files: precompressed variants, immutable hashed assets, index.html revalidated by ETag', async (t) => {
  const { app, close } = await appWithWeb();
  t.after(close);
  const script = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(script.statusCode, 200);
  assert.equal(script.headers['content-encoding'], 'br');
  assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(String(script.headers['content-type']), /javascript/);
  assert.equal(zlib.brotliDecompressSync(script.rawPayload).toString(), SCRIPT);

  const gz = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), SCRIPT);

  const raw = await app.inject({ url: '/assets/index-AbC123.js' });
  assert.equal(raw.headers['content-encoding'], undefined);
  assert.equal(raw.payload, SCRIPT);

  for (const url of ['/', '/search?q=%E5%B7%A1%E6%A3%80']) {
    const page = await app.inject({ url, headers: { accept: 'text/html', 'accept-encoding': 'br' } });
    assert.equal(page.statusCode, 200, url);
    assert.equal(page.headers['cache-control'], 'no-cache', url);
    assert.equal(page.headers['content-encoding'], 'br', url);
    assert.equal(zlib.brotliDecompressSync(page.rawPayload).toString(), HTML, url);
    const etag = page.headers.etag;
    assert.equal(typeof etag, 'string', url);
    const again = await app.inject({
      url,
      headers: { accept: 'text/html', 'accept-encoding': 'br', 'if-none-match': String(etag) },
    });
    assert.equal(again.statusCode, 304, url);
    assert.equal(again.payload, '', url);
  }
});
