/**
 * Recovery figures an operator plans with (docs/operations.md): how long a killed server
 * takes to answer again, and how long a backup and a restore take, with their size, for a
 * database holding BENCH_RELIABILITY_PRODUCTS public decisions (default 100) — on PGlite, or
 * on PostgreSQL with BENCH_DATABASE_URL (a scratch database is created and dropped).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { backupDatabase, restoreDatabase } from '../src/cli/backup.ts';
import { loadConfig } from '../src/config.ts';
import { createActors, serverEnv, spawnServer, tempDir, waitFor, checkpointSize } from '../test/reliability/servers.ts';
import { fileToPublicDecision } from '../test/reliability/workflow.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'reliability';
export const description = 'kill -9 → ready again, backup and restore time and size (N public decisions)';

const ROOT = path.resolve(import.meta.dirname, '..');

async function scratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `aigov_bench_rel_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE "${dbName}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`) };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const products = Number(process.env.BENCH_RELIABILITY_PRODUCTS ?? 100);
  const source = options.databaseUrl === undefined ? undefined : await scratchDatabase(options.databaseUrl);
  const target = options.databaseUrl === undefined ? undefined : await scratchDatabase(options.databaseUrl);
  const dataDir = tempDir('bench-rel-src');
  const targetDir = tempDir('bench-rel-dst');
  const file = path.join(tempDir('bench-rel-file'), source === undefined ? 'aigov.tar.gz' : 'aigov.dump');
  const env = serverEnv({ AIGOV_DATA_DIR: dataDir, DATABASE_URL: source?.url });
  const kind = source === undefined ? 'PGlite' : 'PostgreSQL';
  try {
    let server = await spawnServer(env);
    const actors = await createActors(server.client, { reviewers: 1, providers: 2 });
    for (let i = 0; i < products; i += 1) {
      await fileToPublicDecision(
        server.client,
        actors.providers[i % 2]!,
        actors.reviewers[0]!,
        i % 4 === 0 ? 'high' : 'low',
      );
    }
    await waitFor(
      'every decision logged',
      () => checkpointSize(server.client),
      (n) => n >= products,
      120_000,
    );

    await server.kill('SIGKILL');
    const restartStarted = Date.now();
    server = await spawnServer(env);
    const readyMs = Date.now() - restartStarted;
    await server.kill('SIGTERM');

    const backupStarted = Date.now();
    const written = await backupDatabase(loadConfig(env, ROOT), file);
    const backupMs = Date.now() - backupStarted;
    const targetEnv = serverEnv({ AIGOV_DATA_DIR: targetDir, DATABASE_URL: target?.url });
    const restoreStarted = Date.now();
    const restored = await restoreDatabase(loadConfig(targetEnv, ROOT), file, false);
    const restoreMs = Date.now() - restoreStarted;
    if (!restored.auditChainOk) throw new Error('restored audit chain does not verify');

    const details = { products, auditEvents: restored.auditEvents, database: kind };
    console.log(
      `reliability (${kind}, ${products} decisions): ready ${readyMs} ms after kill -9; backup ${backupMs} ms, ` +
        `${(written.bytes / 1024).toFixed(0)} KiB; restore ${restoreMs} ms`,
    );
    return [
      {
        name: `kill -9 → restarted and ready (${kind})`,
        metric: 'ms',
        value: readyMs,
        target: '≤ 30000 ms',
        pass: readyMs <= 30_000,
        details,
      },
      { name: `aigov backup (${kind})`, metric: 'ms', value: backupMs, details },
      { name: `backup size (${kind})`, metric: 'KiB', value: Math.round(written.bytes / 1024), details },
      { name: `aigov restore (${kind})`, metric: 'ms', value: restoreMs, details },
    ];
  } finally {
    for (const dir of [dataDir, targetDir, path.dirname(file)]) fs.rmSync(dir, { recursive: true, force: true });
    await source?.drop();
    await target?.drop();
  }
}
