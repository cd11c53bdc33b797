/**
 * 1,000 disclosures submitted at once against the real server (its own process) on a fresh
 * database — PostgreSQL with BENCH_DATABASE_URL (the figure that matters), else PGlite.
 *
 * 1. Set-up through the API: the bench administrator verifies BENCH_FILING_ORGS organisations,
 *    whose administrators register BENCH_FILINGS low-risk products and open a draft disclosure
 *    for each.
 * 2. The measured burst: every draft is submitted with its own Idempotency-Key, at most
 *    BENCH_FILING_CONCURRENCY requests in flight (default 200), over undici (fetch).
 * 3. Proof that nothing was lost or doubled: every answer is 200 `accepted`; the database
 *    holds exactly BENCH_FILINGS accepted filings, decisions, `filing.accepted` and
 *    `register.decision_published` outbox events (one per filing); then every submit is sent
 *    again with the same key (replayed, no second effect) and without a key (409) and the
 *    counts do not move.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/run.ts filings-submit
 */
import path from 'node:path';
import pg from 'pg';
import { randomUscc } from '../test/factories.ts';
import { productBody, answers } from '../test/products/fixtures.ts';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, createBenchDatabase, forkServer } from './lib/http.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'filings-submit';
export const description = '1,000 disclosures submitted concurrently: throughput, p95, none lost or doubled';

const FILINGS = Number(process.env.BENCH_FILINGS ?? 1000);
const ORGS = Number(process.env.BENCH_FILING_ORGS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_FILING_CONCURRENCY ?? 200);
const SETUP_CONCURRENCY = 20;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

async function call(
  base: string,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(`${base}${url}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), ms };
}

function expect(answer: Answer, status: number, what: string): Record<string, unknown> {
  if (answer.status !== status)
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The real server (`aigov serve` path) in its own process, on `databaseUrl` or a fresh PGlite dir. */
function spawnServer(databaseUrl: string | undefined) {
  return forkServer(path.join(import.meta.dirname, 'lib', 'serve.ts'), ['aigov', 'warn'], {
    BENCH_SERVER_DATABASE_URL: databaseUrl ?? '',
  });
}

async function setUp(base: string): Promise<{ drafts: Array<{ id: string; token: string }> }> {
  const admin = expect(
    await call(base, 'POST', '/api/v1/auth/login', {
      body: { email: BENCH_ADMIN_EMAIL, password: BENCH_ADMIN_PASSWORD },
    }),
    200,
    'admin login',
  );
  const adminToken = String(admin.token);
  const providers: string[] = [];
  for (let i = 0; i < ORGS; i += 1) {
    const email = `bench-provider-${i}-${Date.now()}@example.cn`;
    const password = 'Bench-provider-password-2026';
    const registered = expect(
      await call(base, 'POST', '/api/v1/registrations', {
        body: {
          organization: {
            name: `深圳市基准测试科技有限公司${i}`,
            nameEn: `Bench Technology ${i}`,
            uscc: randomUscc(),
            type: 'enterprise',
          },
          admin: { email, name: `基准管理员${i}`, password },
        },
      }),
      201,
      'registration',
    );
    expect(
      await call(base, 'POST', `/api/v1/organizations/${String(registered.organizationId)}/verification`, {
        token: adminToken,
        body: { decision: 'verified' },
      }),
      200,
      'verification',
    );
    const login = expect(
      await call(base, 'POST', '/api/v1/auth/login', { body: { email, password } }),
      200,
      'provider login',
    );
    providers.push(String(login.token));
  }
  const indexes = Array.from({ length: FILINGS }, (_, i) => i);
  const drafts = await pool(indexes, SETUP_CONCURRENCY, async (i) => {
    const token = providers[i % providers.length]!;
    const product = expect(
      await call(base, 'POST', '/api/v1/products', {
        token,
        body: productBody({
          name: `基准产品 ${i}`,
          nameEn: `Bench product ${i}`,
          riskAnswers: answers(),
        }),
      }),
      201,
      'product',
    );
    const filing = expect(
      await call(base, 'POST', `/api/v1/products/${String(product.id)}/filings`, {
        token,
        body: { kind: 'disclosure', summary: `基准披露 ${i}：工业质检模型，仅用于产线缺陷检测。` },
      }),
      201,
      'draft',
    );
    return { id: String(filing.id), token };
  });
  return { drafts };
}

async function counts(client: pg.Client): Promise<Record<string, number>> {
  const one = async (query: string) => Number((await client.query<{ n: string }>(query)).rows[0]!.n);
  return {
    acceptedFilings: await one(`SELECT count(*) AS n FROM filings WHERE status = 'accepted'`),
    decisions: await one(`SELECT count(*) AS n FROM filing_decisions WHERE outcome = 'accepted'`),
    acceptedEvents: await one(`SELECT count(*) AS n FROM outbox_events WHERE topic = 'filing.accepted'`),
    distinctAcceptedEvents: await one(
      `SELECT count(DISTINCT aggregate_id) AS n FROM outbox_events WHERE topic = 'filing.accepted'`,
    ),
    publishedEvents: await one(`SELECT count(*) AS n FROM outbox_events WHERE topic = 'register.decision_published'`),
    auditAccepted: await one(`SELECT count(*) AS n FROM audit_events WHERE action = 'filing.accepted'`),
  };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const database = options.databaseUrl === undefined ? undefined : await createBenchDatabase(options.databaseUrl);
  const server = await spawnServer(database?.url);
  const client = database === undefined ? undefined : new pg.Client({ connectionString: database.url });
  try {
    console.log(`filings-submit: set-up of ${FILINGS} drafts on ${database === undefined ? 'PGlite' : 'PostgreSQL'}…`);
    const { drafts } = await setUp(server.url);

    console.log(`filings-submit: submitting ${FILINGS} at once (≤ ${CONCURRENCY} in flight)…`);
    const started = performance.now();
    const answers = await pool(drafts, CONCURRENCY, (draft) =>
      call(server.url, 'POST', `/api/v1/filings/${draft.id}/submit`, {
        token: draft.token,
        body: {},
        headers: { 'idempotency-key': `bench-${draft.id}` },
      }),
    );
    const wallMs = performance.now() - started;
    const latencies = answers.map((answer) => answer.ms);
    const notAccepted = answers.filter((answer) => answer.status !== 200 || answer.body.status !== 'accepted').length;

    // Retries: the same key replays (200, no effect); without a key the filing is no longer a draft (409).
    const replays = await pool(drafts, CONCURRENCY, (draft) =>
      call(server.url, 'POST', `/api/v1/filings/${draft.id}/submit`, {
        token: draft.token,
        body: {},
        headers: { 'idempotency-key': `bench-${draft.id}` },
      }),
    );
    const badReplays = replays.filter((answer) => answer.status !== 200 || answer.body.status !== 'accepted').length;
    const unkeyed = await pool(drafts.slice(0, 100), CONCURRENCY, (draft) =>
      call(server.url, 'POST', `/api/v1/filings/${draft.id}/submit`, { token: draft.token, body: {} }),
    );
    const badUnkeyed = unkeyed.filter((answer) => answer.status !== 409).length;

    let stored: Record<string, number> = {};
    if (client !== undefined) {
      await client.connect();
      stored = await counts(client);
    } else {
      const stats = expect(
        await call(server.url, 'POST', '/api/v1/auth/login', {
          body: { email: BENCH_ADMIN_EMAIL, password: BENCH_ADMIN_PASSWORD },
        }),
        200,
        'admin login',
      );
      const byStatus = expect(
        await call(server.url, 'GET', '/api/v1/review/stats', { token: String(stats.token) }),
        200,
        'stats',
      ).byStatus as Record<string, number>;
      stored = { acceptedFilings: byStatus.accepted ?? 0 };
    }
    const exact = Object.values(stored).every((value) => value === FILINGS);
    const ok = notAccepted === 0 && badReplays === 0 && badUnkeyed === 0 && exact;
    const details = {
      filings: FILINGS,
      concurrency: CONCURRENCY,
      wallMs: Math.round(wallMs),
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(Math.max(...latencies)),
      notAccepted,
      badReplays,
      badUnkeyedRetries: badUnkeyed,
      database: database === undefined ? 'PGlite' : 'PostgreSQL',
      ...stored,
    };
    console.log(`filings-submit: ${JSON.stringify(details)}`);
    return [
      {
        name: `POST /filings/{id}/submit × ${FILINGS} (${details.database})`,
        metric: 'submits/s',
        value: (FILINGS / wallMs) * 1000,
        target: `all ${FILINGS} accepted once`,
        pass: ok,
        details,
      },
      {
        name: `submit latency p95 (${CONCURRENCY} in flight)`,
        metric: 'ms',
        value: percentile(latencies, 95),
        details: { p50Ms: details.p50Ms, p99Ms: details.p99Ms },
      },
    ];
  } finally {
    await client?.end().catch(() => undefined);
    await server.close();
    await database?.drop();
  }
}

// Run directly: `node --import tsx bench/filings-submit.bench.ts`.
if (process.argv[1] === import.meta.filename) {
  const { benchOptionsFromEnv } = await import('./lib/types.ts');
  const results = await run(benchOptionsFromEnv());
  console.log(JSON.stringify(results, null, 2));
  process.exit(results[0]?.pass === true ? 0 : 1);
}
