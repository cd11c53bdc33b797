/**
 * Publishing one statistics period through the module (issue #23 acceptance: ≤ 10 s on
 * PostgreSQL for aggregate, suppress, audit and store): 20,000 returns of generated
 * organisations (the generator of statistics-publication.bench.ts, seed 23) over 9 districts ×
 * 29 level-2 codes, written to a fresh database, then `POST …/publication`'s service timed from
 * reading the returns to the commit. BENCH_DATABASE_URL names the PostgreSQL server (a fresh
 * database per run, dropped after); without it, PGlite in memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { publishPeriod } from '../src/modules/statistics/publication.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { AppDeps } from '../src/platform/deps.ts';
import { newId } from '../src/platform/ids.ts';
import type { RequestContext } from '../src/platform/request-context.ts';
import { createBenchDatabase } from './lib/http.ts';
import { generateContributions } from './statistics-publication.bench.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'statistics-store';
export const description =
  'publish a period of 20,000 returns through the statistics module (read, aggregate, suppress, audit, store, commit); target ≤ 10 s on PostgreSQL';

const RETURNS = 20_000;

function levelTwoCodes(): string[] {
  const file = fileURLToPath(new URL('../data/reference/catalogue/v1.json', import.meta.url));
  const catalogue = JSON.parse(fs.readFileSync(file, 'utf8')) as { items: { code: string; level: number }[] };
  return catalogue.items.filter((item) => item.level === 2).map((item) => item.code);
}

export async function run(_options: BenchOptions): Promise<BenchResult[]> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const created = serverUrl === undefined ? undefined : await createBenchDatabase(serverUrl);
  const handle = await openDatabase({ databaseUrl: created?.url, dataDir: os.tmpdir(), inMemory: true });
  try {
    const clock = new ManualClock('2026-03-02T02:00:00Z');
    await migrateToLatest(handle.db);
    const version = (await handle.db.selectFrom('catalogue_versions').select('version').executeTakeFirstOrThrow())
      .version;
    const deps: AppDeps = {
      config: loadConfig({ LOG_LEVEL: 'silent', AIGOV_WEB_BUILD: 'never', AIGOV_DATA_DIR: os.tmpdir() }),
      db: handle.db,
      dbKind: handle.kind,
      clock,
    };
    const now = clock.now();
    await handle.db
      .insertInto('statistics_periods')
      .values({
        code: 'BENCH',
        title: '基准',
        title_en: 'Bench',
        opens_on: '2026-01-01',
        closes_on: '2026-12-31',
        due_date: '2026-06-30',
        catalogue_version: version,
        created_at: now,
        created_by: null,
        published_at: null,
        published_by: null,
        reminded_at: null,
        version: 1,
      })
      .execute();

    // Group the generated contributions into returns; organisations without AI revenue file too.
    const contributions = generateContributions(RETURNS, levelTwoCodes());
    const byOrg = new Map<string, { district: string; byCategory: { catalogueCode: string; aiRevenue: number }[] }>();
    for (const c of contributions) {
      const entry = byOrg.get(c.contributor) ?? { district: c.row, byCategory: [] };
      entry.byCategory.push({ catalogueCode: c.column, aiRevenue: c.amount });
      byOrg.set(c.contributor, entry);
    }
    const loadStarted = performance.now();
    for (let start = 0; start < RETURNS; start += 1000) {
      const organizations = [];
      const returns = [];
      for (let i = start; i < Math.min(RETURNS, start + 1000); i += 1) {
        const id = newId();
        const entry = byOrg.get(`org-${i}`) ?? { district: '440305', byCategory: [] };
        const aiRevenue = entry.byCategory.reduce((sum, c) => sum + c.aiRevenue, 0);
        organizations.push({
          id,
          name: `基准企业 ${i}`,
          name_en: null,
          uscc: `BENCH${String(i).padStart(13, '0')}`,
          type: 'enterprise',
          status: 'verified',
          status_reason: null,
          created_at: now,
          updated_at: now,
          version: 1,
        });
        returns.push({
          period_code: 'BENCH',
          organization_id: id,
          district: entry.district,
          employees: 100,
          ai_employees: 10,
          revenue: aiRevenue * 2,
          ai_revenue: aiRevenue,
          rd_expenditure: 0,
          by_category: JSON.stringify(entry.byCategory),
          version: 1,
          created_at: now,
          updated_at: now,
          updated_by: null,
        });
      }
      await handle.db.insertInto('organizations').values(organizations).execute();
      await handle.db.insertInto('statistics_returns').values(returns).execute();
    }
    const loadMs = performance.now() - loadStarted;

    const context: RequestContext = {
      principal: {
        kind: 'user',
        userId: newId(),
        email: 'statistician@example.cn',
        name: 'Bench',
        roles: ['statistician'],
        organizationId: null,
        organizationStatus: null,
        via: 'bearer',
        credentialId: 'bench',
      },
      requestId: null,
      language: 'en',
      ip: '127.0.0.1',
    };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const published = await publishPeriod(deps, context, { code: 'BENCH', preconditions: {} });
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - started;
    console.log(
      `statistics-store (${handle.kind}): ${RETURNS} returns loaded in ${loadMs.toFixed(0)} ms; publication ${wallMs.toFixed(0)} ms ` +
        `(cpu ${((used.user + used.system) / 1000).toFixed(0)} ms): ${published.body.primaryCount} primary, ${published.body.secondaryCount} secondary`,
    );
    return [
      {
        name: `publish 20,000 returns through the module on ${handle.kind} (read, aggregate, suppress, audit, store)`,
        metric: 'ms',
        value: wallMs,
        target: '≤ 10000 ms',
        pass: wallMs <= 10_000,
        details: {
          database: handle.kind,
          returns: published.body.returns,
          primary: published.body.primaryCount,
          secondary: published.body.secondaryCount,
          cpuMs: ((used.user + used.system) / 1000).toFixed(0),
        },
      },
    ];
  } finally {
    await handle.close();
    await created?.drop();
  }
}
