/**
 * Child-process entry for bench/startup.bench.ts: the steps of `aigov serve` (src/server.ts)
 * one by one with a clock on each, so a slow start can be attributed. Prints one JSON line.
 * Environment as for `serve` (AIGOV_DATA_DIR, DATABASE_URL…); PORT is ignored (0).
 */
import { performance } from 'node:perf_hooks';

const phases: Record<string, number> = { processToScriptMs: performance.now() };
let mark = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  phases[name] = Math.round(now - mark);
  mark = now;
};

const { loadConfig } = await import('../../src/config.ts');
const { openDatabase } = await import('../../src/db/connection.ts');
const { migrateToLatest } = await import('../../src/db/migrate.ts');
const { buildApp } = await import('../../src/app.ts');
const { runStartupTasks } = await import('../../src/modules/index.ts');
const { systemClock } = await import('../../src/platform/clock.ts');
lap('importModulesMs');
const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
lap('openDatabaseMs');
await migrateToLatest(database.db);
lap('migrateMs');
const app = await buildApp({ config, database });
lap('buildAppMs');
await runStartupTasks({ config, db: database.db, dbKind: database.kind, clock: systemClock }, app.log);
lap('startupTasksMs');
await app.listen({ port: 0, host: '127.0.0.1' });
lap('listenMs');
phases.totalMs = Math.round(performance.now());
await app.close();
await database.close();
process.stdout.write(`PHASES ${JSON.stringify(phases)}\n`);
process.exit(0);
