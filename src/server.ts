import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { clockOf, type Clock } from './platform/clock.ts';
import { runStartupTasks, startBackgroundJobs } from './modules/index.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  /** Milliseconds of each start-up step; `beforeStartMs` is from process start to startServer. */
  startupPhases: StartupPhases;
  close(): Promise<void>;
}

export interface StartupPhases {
  beforeStartMs: number;
  openDatabaseMs: number;
  migrateMs: number;
  buildAppMs: number;
  startupTasksMs: number;
  listenMs: number;
}

/** Opens the database, migrates, runs start-up tasks (first admin…), listens, starts jobs. */
export async function startServer(config: Config, options: { clock?: Clock } = {}): Promise<RunningServer> {
  // While the start awaits WebAssembly compilation (PGlite, Cedar) no libuv handle is active,
  // so the event loop runs dry, and then Node blocks until every V8 background task is done
  // — including the optimising recompilation of hot WASM code, ≈ 0.3–1 s on two cores. A
  // timer keeps the loop alive until the server listens (bench/README.md, "Start-up").
  const keepLoopAlive = setInterval(() => undefined, 60_000);
  try {
    return await startServerInner(config, options);
  } finally {
    clearInterval(keepLoopAlive);
  }
}

async function startServerInner(config: Config, options: { clock?: Clock }): Promise<RunningServer> {
  const clock = options.clock ?? clockOf(config);
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = Math.round(now - mark);
    mark = now;
    return elapsed;
  };
  const beforeStartMs = Math.round(mark);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const openDatabaseMs = lap();
  let app: FastifyInstance | undefined;
  try {
    await migrateToLatest(database.db);
    const migrateMs = lap();
    const built = await buildApp({ config, database, clock });
    app = built;
    const buildAppMs = lap();
    if (config.clockStart !== undefined && options.clock === undefined) {
      built.log.warn(
        { clockStart: config.clockStart.toISOString(), now: clock.now().toISOString() },
        'AIGOV_CLOCK_START is on: this server runs on a rehearsal clock, and every deadline and status follows it. Never in production.',
      );
    }
    const deps = { config, db: database.db, dbKind: database.kind, clock };
    await runStartupTasks(deps, app.log);
    const startupTasksMs = lap();
    const address = await app.listen({ port: config.port, host: config.host });
    const startupPhases = { beforeStartMs, openDatabaseMs, migrateMs, buildAppMs, startupTasksMs, listenMs: lap() };
    app.log.info({ startupPhases }, 'listening');
    const stopJobs = startBackgroundJobs(deps, app.log);
    let closing: Promise<void> | undefined;
    return {
      app: built,
      database,
      url: address,
      startupPhases,
      close() {
        closing ??= (async () => {
          await stopJobs();
          await built.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}
