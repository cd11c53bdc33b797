import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { AppDeps } from '../../src/platform/deps.ts';
import { watchDocumentedStatuses, type StatusWatch } from './documented-statuses.ts';
import { createTestDatabase } from './test-db.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  db: DatabaseHandle['db'];
  clock: ManualClock;
  config: Config;
  deps: AppDeps;
  /** PostgreSQL only: the URL of this test's database (CLI tests open their own connection). */
  databaseUrl?: string;
}

/**
 * The real application on a fresh migrated database, closed after the test.
 * `env` overrides configuration as the environment would.
 */
export async function buildTestApp(
  t: Pick<TestContext, 'after'>,
  options: { env?: Record<string, string>; clock?: ManualClock } = {},
): Promise<TestApp> {
  const created = await createTestDatabase();
  // A private data dir per test: generated keys and dev mail never land in the checkout.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-test-data-'));
  const config = loadConfig(
    { AIGOV_WEB_BUILD: 'never', LOG_LEVEL: 'silent', AIGOV_DATA_DIR: dataDir, ...options.env },
    process.cwd(),
  );
  const clock = options.clock ?? new ManualClock();
  // Registered before building, so a failing build still drops its database.
  const built: { app?: FastifyInstance; statuses?: StatusWatch } = {};
  t.after(async () => {
    const undocumented = built.statuses?.undocumented() ?? [];
    await built.app?.close();
    await created.drop();
    if (undocumented.length > 0) {
      throw new Error(`answers the OpenAPI document does not list:\n  ${undocumented.join('\n  ')}`);
    }
  });
  const app = await buildApp({ config, database: created.handle, clock, logger: false });
  built.app = app;
  built.statuses = watchDocumentedStatuses(app);
  const deps: AppDeps = { config, db: created.handle.db, dbKind: created.handle.kind, clock };
  return {
    app,
    database: created.handle,
    db: created.handle.db,
    clock,
    config,
    deps,
    databaseUrl: created.databaseUrl,
  };
}
