/**
 * Documents on PGlite, two measures:
 *
 * 1. Storing and reading back one document at the contract's upload limit (20 MB) as bytea:
 *    the app's connection (src/db/connection.ts, bytea through Node's hex codec,
 *    src/db/pglite-bytea.ts) against PGlite's own type handlers, in the same run. Each round
 *    inserts the bytes into a table and selects them back; the median round time is reported.
 * 2. The server's resident memory after N uploads of 19 MB through the real API
 *    (BENCH_DOCUMENT_UPLOADS, default 20), each server in its own process on a fresh data
 *    directory: the file store (`AIGOV_DOCUMENT_STORE=files`, the default on PGlite) against
 *    bytea in PGlite (`database`, what every version before it did). RSS is read after a full
 *    garbage collection, before the uploads and 3 s after the last one. PGlite's WebAssembly
 *    memory can grow but never shrink, so whatever a bytea upload made it allocate stays.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../src/db/connection.ts';
import { createActors } from '../test/reliability/servers.ts';
import { createFiling, createProduct, expectStatus, fetchClient, multipartBody } from '../test/reliability/workflow.ts';
import { forkServer } from './lib/http.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'document-storage';
export const description =
  '20 MB bytea insert + select on PGlite (app codec vs PGlite default); RSS after N × 19 MB uploads (file store vs bytea)';

const MIB = 1024 * 1024;
const UPLOAD_BYTES = 19 * MIB;
// The reliability suite's first administrator, so its actor helpers sign in.
const ADMIN = { BENCH_ADMIN_EMAIL: 'admin@reliability.example.cn', BENCH_ADMIN_PASSWORD: 'Reliability-admin-2026!' };

interface Memory {
  /** Resident set size after a full GC. */
  rss: number;
  /** PGlite's WebAssembly memory. */
  wasm: number;
}

interface RssRun {
  before: Memory;
  /** After the uploads. */
  uploaded: Memory;
  /** After each document was also downloaded once (a reviewer reads what was filed). */
  after: Memory;
  uploadMs: number[];
}

/** One fresh server with the given store: RSS before and after `count` uploads of 19 MB. */
async function rssAfterUploads(store: 'files' | 'database', count: number): Promise<RssRun> {
  const forked = await forkServer(path.join(import.meta.dirname, 'lib', 'document-server.ts'), [], {
    ...ADMIN,
    BENCH_DOCUMENT_STORE: store,
  });
  const rss = () =>
    new Promise<Memory>((resolve) => {
      forked.child.once('message', (message: Memory) => resolve({ rss: message.rss / MIB, wasm: message.wasm / MIB }));
      forked.child.send('rss');
    });
  try {
    const client = fetchClient(forked.url, 300_000);
    const { providers } = await createActors(client, { reviewers: 0, providers: 1 });
    const provider = providers[0]!;
    const product = await createProduct(client, provider, 'high');
    const filing = await createFiling(client, provider, product.id, 'high');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const before = await rss();
    const uploadMs: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      // A PDF by its magic number, random after it: every upload is new content.
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(UPLOAD_BYTES - 9)]);
      const { boundary, body } = multipartBody(
        { documentType: 'test_report' },
        { name: `report-${i}.pdf`, contentType: 'application/pdf', bytes },
      );
      const started = performance.now();
      const response = await client.send({
        method: 'POST',
        url: `/api/v1/filings/${filing.id}/documents`,
        headers: { ...provider, 'content-type': `multipart/form-data; boundary=${boundary}` },
        raw: body,
      });
      ids.push(expectStatus(`upload ${i}`, response, 201).json<{ id: string }>().id);
      uploadMs.push(performance.now() - started);
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const uploaded = await rss();
    for (const id of ids) {
      const response = await fetch(`${forked.url}/api/v1/documents/${id}`, { headers: provider });
      if (response.status !== 200 || (await response.arrayBuffer()).byteLength !== UPLOAD_BYTES) {
        throw new Error(`download ${id}: ${response.status}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return { before, uploaded, after: await rss(), uploadMs };
  } finally {
    await forked.close();
  }
}

const SIZE = 20 * 1024 * 1024;

type Query = (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;

async function roundTrips(query: Query, bytes: Buffer, rounds: number): Promise<number[]> {
  await query('CREATE TABLE IF NOT EXISTS bench_documents (id int PRIMARY KEY, content bytea NOT NULL)');
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await query('INSERT INTO bench_documents VALUES ($1, $2)', [round, bytes]);
    const { rows } = await query('SELECT content FROM bench_documents WHERE id = $1', [round]);
    const content = (rows[0] as { content: Uint8Array }).content;
    times.push(performance.now() - started);
    if (!Buffer.from(content.buffer, content.byteOffset, content.byteLength).equals(bytes)) {
      throw new Error('bytes came back changed');
    }
  }
  return times;
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const bytes = crypto.randomBytes(SIZE);
  const rounds = Math.max(3, Math.min(options.rounds, 5));
  const app = await openDatabase({ dataDir: os.tmpdir(), inMemory: true });
  const plain = await PGlite.create();
  try {
    const appTimes = await roundTrips((text, params) => app.pglite!.query(text, params), bytes, rounds);
    const plainTimes = await roundTrips((text, params) => plain.query(text, params), bytes, rounds);
    const value = median(appTimes);
    const baseline = median(plainTimes);
    console.log(`document-storage: ${value.toFixed(0)} ms vs PGlite default ${baseline.toFixed(0)} ms per 20 MB`);
    const uploads = Number(process.env.BENCH_DOCUMENT_UPLOADS ?? 20);
    const bytea = await rssAfterUploads('database', uploads);
    const files = await rssAfterUploads('files', uploads);
    const line = (run: RssRun, key: keyof Memory) =>
      `${run.before[key].toFixed(0)} → ${run.uploaded[key].toFixed(0)} → ${run.after[key].toFixed(0)} MiB`;
    console.log(
      `document-storage: idle → after ${uploads} × 19 MB uploads → after downloading each: ` +
        `RSS file store ${line(files, 'rss')}, bytea ${line(bytea, 'rss')}; ` +
        `PGlite WASM memory file store ${line(files, 'wasm')}, bytea ${line(bytea, 'wasm')}`,
    );
    return [
      {
        name: `server RSS after ${uploads} × 19 MB uploads and downloads on PGlite (file store vs bytea)`,
        metric: 'MiB',
        value: files.after.rss,
        baseline: bytea.after.rss,
        ratio: bytea.after.rss / files.after.rss,
        details: {
          uploads,
          filesRssMiB: line(files, 'rss'),
          byteaRssMiB: line(bytea, 'rss'),
          filesWasmMiB: line(files, 'wasm'),
          byteaWasmMiB: line(bytea, 'wasm'),
          filesUploadMedianMs: median(files.uploadMs).toFixed(0),
          byteaUploadMedianMs: median(bytea.uploadMs).toFixed(0),
        },
      },
      {
        name: '20 MB document: insert + select on PGlite (app codec vs PGlite default)',
        metric: 'ms',
        value,
        baseline,
        ratio: baseline / value,
        details: {
          rounds,
          appMs: appTimes.map((t) => t.toFixed(0)).join(' '),
          defaultMs: plainTimes.map((t) => t.toFixed(0)).join(' '),
        },
      },
    ];
  } finally {
    await app.close();
    await plain.close();
  }
}
