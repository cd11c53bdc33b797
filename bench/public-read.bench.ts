/**
 * Public register reads on PGlite (what `npm start` runs) against the floor of the stack: a
 * bare Fastify route doing one primary-key read on PGlite (issue #20's baseline). Both
 * servers get a copy of the same data directory (BENCH_PUBLIC_READ_PRODUCTS demo products,
 * default 2 000, published through `aigov demo`'s bulk path), run in their own process, and
 * are measured interleaved (compareInterleaved):
 *
 * - `GET /api/v1/public/products/{id}` (entry + decision history, one statement) ÷ baseline:
 *   target ≥ 0.7;
 * - `GET /api/v1/public/products?q=巡检` ÷ baseline: target ≥ 0.4.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { fillRegister } from '../src/cli/demo/register-fill.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loggerOptions } from '../src/platform/logging.ts';
import { compareInterleaved, comparisonResult, forkServer, load } from './lib/http.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'public-read';
export const description =
  'PGlite: public product read ≥ 0.7×, search q=巡检 ≥ 0.4× a bare Fastify + PGlite primary-key read';

const SELF = fileURLToPath(import.meta.url);
const SEARCH = `/api/v1/public/products?${new URLSearchParams({ q: '巡检', limit: '20' })}`;

async function serve(kind: string, dataDir: string): Promise<void> {
  if (kind === 'bare') {
    const database = await openDatabase({ dataDir });
    const app = Fastify({ logger: loggerOptions('warn', true) });
    app.get<{ Params: { id: string } }>('/products/:id', async (request) => {
      const { rows } = await sql<{ product_id: string; name: string }>`
        SELECT product_id, name FROM register_entries WHERE product_id = ${request.params.id}`.execute(database.db);
      return rows[0];
    });
    process.send!({ url: await app.listen({ host: '127.0.0.1', port: 0 }) });
    process.once('SIGTERM', () => void app.close().then(() => database.close().then(() => process.exit(0))));
    return;
  }
  const { startServer } = await import('../src/server.ts');
  const config = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      AIGOV_DATA_DIR: dataDir,
      AIGOV_WEB_BUILD: 'never',
      LOG_LEVEL: 'warn',
      AIGOV_ADMIN_EMAIL: 'bench-admin@example.cn',
      AIGOV_ADMIN_PASSWORD: 'Bench-admin-password-2026',
    },
    process.cwd(),
  );
  const server = await startServer(config);
  process.send!({ url: server.url });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const products = Number(process.env.BENCH_PUBLIC_READ_PRODUCTS ?? 2000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-public-read-'));
  const appDir = path.join(root, 'app');
  const bareDir = path.join(root, 'bare');
  try {
    const database = await openDatabase({ dataDir: appDir });
    await migrateToLatest(database.db);
    const config = loadConfig({ LOG_LEVEL: 'silent', AIGOV_DATA_DIR: appDir });
    await fillRegister(
      { config, db: database.db, dbKind: database.kind, clock: systemClock },
      { products, via: 'bulk' },
    );
    await sql`VACUUM ANALYZE`.execute(database.db);
    const { rows } = await sql<{ product_id: string }>`
      SELECT e.product_id FROM register_entries e
      WHERE EXISTS (SELECT 1 FROM register_decisions d WHERE d.product_id = e.product_id)
      ORDER BY e.product_id LIMIT 1`.execute(database.db);
    await database.close();
    const id = rows[0]!.product_id;
    fs.cpSync(appDir, bareDir, { recursive: true });

    const app = await forkServer(SELF, ['--serve', 'aigov', appDir], {});
    const bare = await forkServer(SELF, ['--serve', 'bare', bareDir], {});
    try {
      const measure = (url: string) => (duration: number) => load({ url, duration, connections: options.connections });
      const baseline = measure(`${bare.url}/products/${id}`);
      const read = await compareInterleaved(baseline, measure(`${app.url}/api/v1/public/products/${id}`), options);
      const search = await compareInterleaved(baseline, measure(`${app.url}${SEARCH}`), options);
      return [
        comparisonResult(read, {
          label: `product read vs PK read (${products} products)`,
          name: `PGlite: GET /api/v1/public/products/{id} vs bare Fastify + PGlite PK read (${products} products)`,
          target: 0.7,
        }),
        comparisonResult(search, {
          label: `search q=巡检 vs PK read`,
          name: `PGlite: GET /api/v1/public/products?q=巡检 vs bare Fastify + PGlite PK read (${products} products)`,
          target: 0.4,
        }),
      ];
    } finally {
      await app.close();
      await bare.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3]!, process.argv[4]!);
