/**
 * The transparency log at scale, on PostgreSQL (BENCH_DATABASE_URL):
 *
 * 1. Batched append: BENCH_LOG_LEAVES (default 1,000,000) realistic decision leaves (RFC
 *    8785 JSON, ~450 bytes) through the one sequencer (`appendLeaves`: advisory lock, leaves,
 *    perfect-subtree nodes, a re-signed checkpoint per batch of BENCH_LOG_BATCH, default
 *    10,000). Target ≥ 5,000 leaves/s. Stops early at BENCH_LOG_SECONDS (default 300) of
 *    appending and reports the size it reached.
 * 2. Inclusion and consistency proofs at that size: service time (the one indexed query and
 *    the fold, in process) and HTTP round trips to the real server in its own process.
 *    Target: inclusion ≤ 2 ms server time.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/run.ts transparency-log
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { canonicalBytes } from '../src/lib/canonical-json.ts';
import { exportSigningKeyPkcs8, generateSigningKey, parseCheckpoint } from '../src/lib/checkpoint.ts';
import { leafHash, verifyInclusion } from '../src/lib/merkle.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { appendLeaves } from '../src/modules/transparency-log/index.ts';
import { logConsistencyProof, logInclusionProof } from '../src/modules/transparency-log/service.ts';
import { systemContext } from '../src/platform/request-context.ts';
import { systemClock } from '../src/platform/clock.ts';
import { newId } from '../src/platform/ids.ts';
import { createBenchDatabase, forkServer } from './lib/http.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'transparency-log';
export const description = 'log at 1M leaves: batched append ≥ 5,000 leaves/s; inclusion proof ≤ 2 ms server time';

const SELF = fileURLToPath(import.meta.url);
const APPEND_TARGET = 5000;
const PROOF_TARGET_MS = 2;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A decision leaf as the register writes it (the content only affects the byte count). */
function leaves(start: number, count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    canonicalBytes({
      type: 'aigov.decision/v1',
      productId: newId(),
      productName: `深圳市鹏城智能医疗影像辅助诊断系统 V${(start + i) % 10}`,
      providerUscc: '91440300MA5FXXXX0X',
      providerName: '深圳市鹏城智能科技有限公司',
      tier: 'high',
      outcome: 'approved',
      decidedAt: new Date(Date.UTC(2024, 0, 1) + (start + i) * 1000).toISOString(),
      filingId: newId(),
      rulesetVersion: 'v1',
      catalogueVersion: '2024.1',
    }),
  );
}

function spawnServer(databaseUrl: string, signingKey: string) {
  return forkServer(SELF, ['--serve'], { BENCH_SERVE_DATABASE_URL: databaseUrl, BENCH_SERVE_KEY: signingKey });
}

async function serve(): Promise<void> {
  const { startServer } = await import('../src/server.ts');
  const config = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      AIGOV_WEB_BUILD: 'never',
      LOG_LEVEL: 'warn',
      DATABASE_URL: process.env.BENCH_SERVE_DATABASE_URL!,
      AIGOV_LOG_SIGNING_KEY: process.env.BENCH_SERVE_KEY!,
      AIGOV_ADMIN_EMAIL: 'bench-admin@example.cn',
      AIGOV_ADMIN_PASSWORD: 'Bench-admin-password-2026',
    },
    process.cwd(),
  );
  const server = await startServer(config);
  process.send!({ url: server.url });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.once('disconnect', () => void server.close().then(() => process.exit(0)));
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  if (options.databaseUrl === undefined) {
    console.log('transparency-log bench: needs PostgreSQL (BENCH_DATABASE_URL) — skipped');
    return [];
  }
  const wanted = Number(process.env.BENCH_LOG_LEAVES ?? 1_000_000);
  const batch = Number(process.env.BENCH_LOG_BATCH ?? 10_000);
  const budgetSeconds = Number(process.env.BENCH_LOG_SECONDS ?? 300);
  const signingKey = exportSigningKeyPkcs8(generateSigningKey('bench.aigov'));
  const created = await createBenchDatabase(options.databaseUrl);
  const results: BenchResult[] = [];
  try {
    const database = await openDatabase({ databaseUrl: created.url, dataDir: process.cwd(), poolSize: 4 });
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: created.url,
      AIGOV_LOG_SIGNING_KEY: signingKey,
      AIGOV_LOG_KEY_NAME: 'bench.aigov',
    });
    const deps = { config, db: database.db, dbKind: database.kind, clock: systemClock };
    await migrateToLatest(database.db);

    // 1. Batched append through the sequencer.
    let size = 0;
    let appendSeconds = 0;
    const batchRates: number[] = [];
    while (size < wanted && appendSeconds < budgetSeconds) {
      const count = Math.min(batch, wanted - size);
      const data = leaves(size, count);
      const started = performance.now();
      await database.db.transaction().execute((trx) => appendLeaves(trx, deps, data));
      const seconds = (performance.now() - started) / 1000;
      appendSeconds += seconds;
      batchRates.push(count / seconds);
      size += count;
      if (size % 100_000 === 0)
        console.log(`transparency-log bench: ${size} leaves, ${(size / appendSeconds).toFixed(0)} leaves/s so far`);
    }
    const rate = size / appendSeconds;
    console.log(
      `transparency-log bench: ${size} leaves appended in ${appendSeconds.toFixed(1)} s (${rate.toFixed(0)} leaves/s)`,
    );
    results.push({
      name: `batched append, ${batch} leaves a batch, to ${size} leaves`,
      metric: 'leaves/s',
      value: rate,
      target: `≥ ${APPEND_TARGET} leaves/s`,
      pass: rate >= APPEND_TARGET,
      details: {
        leaves: size,
        seconds: Number(appendSeconds.toFixed(1)),
        medianBatchRate: Math.round(median(batchRates)),
        firstBatchRate: Math.round(batchRates[0] ?? 0),
        lastBatchRate: Math.round(batchRates[batchRates.length - 1] ?? 0),
      },
    });
    await sql`VACUUM ANALYZE log_nodes`.execute(database.db);
    await sql`VACUUM ANALYZE log_checkpoints`.execute(database.db);

    // 2a. Service time of proofs at the full size: the reads and the fold, in process.
    const samples = Number(process.env.BENCH_PROOF_SAMPLES ?? 2000);
    const inclusionMs: number[] = [];
    const consistencyMs: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const leafIndex = Math.floor(Math.random() * size);
      let started = performance.now();
      await logInclusionProof(database, systemContext(), { leafIndex, treeSize: size });
      inclusionMs.push(performance.now() - started);
      const first = 1 + Math.floor(Math.random() * (size - 1));
      started = performance.now();
      await logConsistencyProof(database, systemContext(), { first, second: size });
      consistencyMs.push(performance.now() - started);
    }
    await database.close();
    const inclusionP95 = percentile(inclusionMs.slice(100), 95);
    console.log(
      `transparency-log bench: inclusion proof service time p50 ${percentile(inclusionMs.slice(100), 50).toFixed(2)} ms, p95 ${inclusionP95.toFixed(2)} ms; consistency p95 ${percentile(consistencyMs.slice(100), 95).toFixed(2)} ms`,
    );
    results.push({
      name: `inclusion proof service time at ${size} leaves (one indexed query + fold)`,
      metric: 'ms (p95)',
      value: inclusionP95,
      target: `≤ ${PROOF_TARGET_MS} ms`,
      pass: inclusionP95 <= PROOF_TARGET_MS,
      details: {
        p50Ms: Number(percentile(inclusionMs.slice(100), 50).toFixed(3)),
        p99Ms: Number(percentile(inclusionMs.slice(100), 99).toFixed(3)),
        consistencyP50Ms: Number(percentile(consistencyMs.slice(100), 50).toFixed(3)),
        consistencyP95Ms: Number(percentile(consistencyMs.slice(100), 95).toFixed(3)),
        samples,
      },
    });

    // 2b. The same over HTTP, against the real server in its own process.
    const server = await spawnServer(created.url, signingKey);
    try {
      const note = await (await fetch(`${server.url}/api/v1/transparency/checkpoint`)).text();
      const checkpoint = parseCheckpoint(note).checkpoint;
      const httpMs: number[] = [];
      for (let i = 0; i < Math.min(samples, 1000); i += 1) {
        const leafIndex = Math.floor(Math.random() * size);
        const started = performance.now();
        const response = await fetch(
          `${server.url}/api/v1/transparency/proofs/inclusion?leafIndex=${leafIndex}&treeSize=${size}`,
        );
        const proof = (await response.json()) as { hashes: string[] };
        httpMs.push(performance.now() - started);
        if (i < 20) {
          const entries = (await (
            await fetch(`${server.url}/api/v1/transparency/entries?start=${leafIndex}&end=${leafIndex + 1}`)
          ).json()) as { entries: { leaf: string }[] };
          const hash = leafHash(new Uint8Array(Buffer.from(entries.entries[0]!.leaf, 'base64')));
          const path = proof.hashes.map((h) => new Uint8Array(Buffer.from(h, 'base64')));
          if (!verifyInclusion(hash, leafIndex, size, path, checkpoint.root))
            throw new Error(`proof ${leafIndex} does not verify`);
        }
      }
      const p95 = percentile(httpMs.slice(50), 95);
      console.log(
        `transparency-log bench: GET inclusion proof over HTTP p50 ${percentile(httpMs.slice(50), 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
      );
      results.push({
        name: `GET /transparency/proofs/inclusion round trip at ${size} leaves`,
        metric: 'ms (p95)',
        value: p95,
        details: {
          p50Ms: Number(percentile(httpMs.slice(50), 50).toFixed(3)),
          p99Ms: Number(percentile(httpMs.slice(50), 99).toFixed(3)),
        },
      });
    } finally {
      await server.close();
    }
  } finally {
    await created.drop();
  }
  return results;
}

if (process.argv.includes('--serve')) await serve();
