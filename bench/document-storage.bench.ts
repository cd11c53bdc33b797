/**
 * Storing and reading back one document at the contract's upload limit (20 MB) as bytea on
 * PGlite: the app's connection (src/db/connection.ts, bytea through Node's hex codec,
 * src/db/pglite-bytea.ts) against PGlite's own type handlers, in the same run. Each round
 * inserts the bytes into a table and selects them back; the median round time is reported.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../src/db/connection.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'document-storage';
export const description = '20 MB bytea insert + select on PGlite: app codec vs PGlite default';

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
    return [
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
