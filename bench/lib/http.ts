import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import helmet from 'helmet';
import pg from 'pg';
import { loadConfig, type LogLevel } from '../../src/config.ts';
import { newId } from '../../src/platform/ids.ts';
import { apiHeaders, appHelmetOptions, securityHeaders } from '../../src/platform/security-headers.ts';
import { loggerOptions } from '../../src/platform/logging.ts';
import { startServer } from '../../src/server.ts';
import { median, type BenchResult } from './types.ts';

export const BENCH_ADMIN_EMAIL = 'bench-admin@example.cn';
export const BENCH_ADMIN_PASSWORD = 'Bench-admin-password-2026';

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

/** A server in a child process: it also reports its own CPU time (user + system, µs). */
export interface SpawnedServer extends BenchServer {
  pid: number;
  cpuMicros(): Promise<number>;
}

/**
 * The hello baseline and, for attributing the app's overhead, the baseline plus one layer:
 * `helmet-per-request` (helmet's middleware run on every request, as @fastify/helmet did
 * until the app switched to precomputed headers), `document-headers` (helmet's whole set
 * computed once: what HTML pages carry), `api-headers` (the smaller set every JSON response
 * carries, src/platform/security-headers.ts), `uuid-ids` (the app's UUIDv7 request ids), and
 * `api-headers+uuid-ids`: what the app must send on /healthz, without the app.
 */
export const HELLO_VARIANTS = [
  'plain',
  'helmet-per-request',
  'document-headers',
  'api-headers',
  'uuid-ids',
  'api-headers+uuid-ids',
] as const;
export type HelloVariant = (typeof HELLO_VARIANTS)[number];

/** The app's own helmet options, served over plain http as in the benches. */
const APP_HELMET_OPTIONS = appHelmetOptions(undefined);

/**
 * The baseline: a bare Fastify route answering a small JSON object, with exactly the app's
 * logger configuration (pino, same level, same redaction, stdout) so that only the app's own
 * work differs.
 */
export async function startHelloServer(logLevel: LogLevel, variant: HelloVariant = 'plain'): Promise<BenchServer> {
  const app = Fastify({
    logger: loggerOptions(logLevel, true),
    ...(variant.includes('uuid-ids') ? { genReqId: () => newId() } : {}),
  });
  if (variant === 'helmet-per-request') {
    app.addHook('onRequest', (request, reply, done) => {
      helmet(APP_HELMET_OPTIONS)(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
    });
  }
  if (variant === 'document-headers' || variant.startsWith('api-headers')) {
    const documentHeaders = securityHeaders(APP_HELMET_OPTIONS);
    const headers = variant === 'document-headers' ? documentHeaders : apiHeaders(documentHeaders);
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  }
  app.get('/hello', async () => ({ status: 'ok' }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

/**
 * The real aigov server as `aigov serve` starts it (migrations, buildApp, first administrator,
 * background jobs) on PGlite in a fresh temporary directory, or on PostgreSQL.
 */
export async function startAigovServer(options: { logLevel: LogLevel; databaseUrl?: string }): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bench-'));
  const config = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      AIGOV_DATA_DIR: dataDir,
      AIGOV_WEB_BUILD: 'never',
      LOG_LEVEL: options.logLevel,
      AIGOV_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
      AIGOV_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      AIGOV_SELF_CHECK_RATE_LIMIT: '0',
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    },
    process.cwd(),
  );
  const server = await startServer(config);
  return {
    url: server.url,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ServerKind = 'aigov' | `hello:${HelloVariant}`;

/**
 * Runs a server in its own process (bench/lib/serve.ts) so the load generator never shares
 * its event loop. With `databaseUrl`, the app gets a fresh database on that PostgreSQL server,
 * dropped on close.
 */
export async function spawnBenchServer(
  kind: ServerKind | 'hello',
  options: { logLevel: LogLevel; databaseUrl?: string },
): Promise<SpawnedServer> {
  const database =
    kind === 'aigov' && options.databaseUrl !== undefined ? await createBenchDatabase(options.databaseUrl) : undefined;
  const forked = await forkServer(
    path.join(import.meta.dirname, 'serve.ts'),
    [kind === 'hello' ? 'hello:plain' : kind, options.logLevel],
    { BENCH_SERVER_DATABASE_URL: database?.url ?? '' },
  );
  const { child } = forked;
  const server: SpawnedServer = {
    url: forked.url,
    pid: child.pid!,
    cpuMicros: () =>
      new Promise<number>((resolve) => {
        child.once('message', (message: ServeMessage) => resolve(message.cpuMicros ?? Number.NaN));
        child.send('cpu');
      }),
    async close() {
      await forked.close();
      await database?.drop();
    },
  };
  await settled(server);
  return server;
}

/**
 * Waits until a freshly started server is quiet: at least `minMs` after it listens and then a
 * whole second under 5 % of a CPU (at most 30 s). A new app process keeps working after it
 * listens — the full-text dictionary warms up 2 s after start, V8 optimises PGlite's WASM on
 * background threads that share the server's pinned CPU — and that work would be billed to
 * its first measured rounds; hello has next to none of it.
 */
async function settled(server: SpawnedServer, minMs = 4000): Promise<void> {
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, minMs));
  while (performance.now() - started < 30_000) {
    const before = await server.cpuMicros();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if ((await server.cpuMicros()) - before < 50_000) return;
  }
}

/** The usual pair: a bare hello and the app, in their own processes, with one logger level. */
export async function spawnHelloAndApp(options: {
  logLevel: LogLevel;
  databaseUrl?: string;
}): Promise<{ hello: SpawnedServer; app: SpawnedServer; close(): Promise<void> }> {
  const hello = await spawnBenchServer('hello', options);
  const app = await spawnBenchServer('aigov', options).catch(async (error: unknown) => {
    await hello.close();
    throw error;
  });
  return {
    hello,
    app,
    async close() {
      await app.close();
      await hello.close();
    },
  };
}

/**
 * Forks `script` (run through tsx) as a server process that sends `{url}` over IPC once it
 * listens; killed with the bench process, stopped with SIGTERM by `close()`. Its stdout goes
 * to /dev/null: the cost of writing request logs stays, the noise goes. Pinned to the server
 * CPUs unless `pin: false` (a bench whose system under test is several servers and the
 * database, sharing the whole machine).
 */
export async function forkServer(
  script: string,
  args: string[],
  env: Record<string, string>,
  options: { pin?: boolean } = {},
): Promise<{ url: string; child: ChildProcess; close(): Promise<void> }> {
  const child = fork(script, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  if (options.pin !== false) pin(child.pid!, SERVER_CPUS);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${path.basename(script)} ${args.join(' ')} exited with ${code} before listening`));
    child.once('exit', onExit);
    child.once('message', (message: ServeMessage) => {
      child.removeListener('exit', onExit);
      if (message.url === undefined) reject(new Error(`${path.basename(script)} ${args.join(' ')} sent no URL`));
      else resolve(message.url);
    });
  });
  return {
    url,
    child,
    async close() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * CPU pinning (Linux `taskset`, with two CPUs or more): the load generator keeps CPU 0 and
 * every bench server gets the others. Left to the scheduler, client and server swap CPUs or
 * share one for seconds at a time, and two servers measured one after the other can land on
 * CPUs of different speed (on a shared VM a vCPU's speed depends on its neighbours): pinning
 * makes the baseline and the target run under the same conditions.
 */
const LOAD_CPU = '0';
const SERVER_CPUS = os.cpus().length >= 3 ? `1-${os.cpus().length - 1}` : '1';
const canPin = os.platform() === 'linux' && os.cpus().length >= 2 && fs.existsSync('/usr/bin/taskset');
let loadGeneratorPinned = false;

/** Pins this process (the one running autocannon) to its CPU; `load()` does it itself. */
export function pinLoadGenerator(): void {
  if (loadGeneratorPinned) return;
  pin(process.pid, LOAD_CPU);
  loadGeneratorPinned = true;
}

function pin(pid: number, cpus: string): void {
  // -a: every thread of the process (V8's and libuv's too); threads started later inherit it.
  if (canPin) execFileSync('/usr/bin/taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/** What bench/lib/serve.ts reports over IPC. */
export interface ServeMessage {
  url?: string;
  cpuMicros?: number;
  profiling?: boolean;
  /** Where the CPU profile asked for was written (undefined: it failed). */
  profile?: string;
}

/** A fresh database on the PostgreSQL server of `serverUrl`, for one bench run. */
export async function createBenchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aigov_bench_${crypto.randomBytes(5).toString('hex')}`;
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export interface LoadOptions {
  url: string;
  /** A fixed number of requests instead of `duration` (steadier CPU-per-request figures). */
  amount?: number;
  /** The server under load: its CPU time per request is measured too. */
  server?: Pick<SpawnedServer, 'cpuMicros'>;
  duration: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Mean requests per second over the run. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers: any of them voids the run. */
  failures: number;
  /**
   * The server's CPU time (user + system) per request, µs. Far steadier than req/s on a shared
   * machine: other processes steal wall time, not the server's own CPU time.
   */
  cpuUsPerRequest?: number;
}

/** One autocannon run against `url`; throws if any request failed (a fast error is not a fast route). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  pinLoadGenerator();
  const cpuBefore = await options.server?.cpuMicros();
  const result = await autocannon({
    url: options.url,
    duration: options.duration,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    connections: options.connections,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
  });
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0) {
    throw new Error(`${options.url}: ${failures} of ${result.requests.total} requests failed (non-2xx or errors)`);
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures,
    ...(cpuBefore === undefined
      ? {}
      : { cpuUsPerRequest: ((await options.server!.cpuMicros()) - cpuBefore) / result.requests.total }),
  };
}

export interface Comparison {
  baseline: LoadResult;
  target: LoadResult;
  /** Median of the per-round target/baseline req/s ratios: each pair ran back to back. */
  ratio: number;
  ratios: number[];
  /** Median of the per-round baseline/target CPU-per-request ratios (the same sense as `ratio`). */
  cpuRatio?: number;
  /** Every measured round, for merging comparisons made on different server processes. */
  rounds: Array<{ baseline: LoadResult; target: LoadResult }>;
  /** How many sets of server processes the rounds ran on (compareAcrossProcesses). */
  serverSets: number;
}

/**
 * Baseline and target alternate (ABBA…) for `rounds` rounds after a short warm-up of each,
 * so slow drifts of a shared machine hit both alike; medians are reported.
 */
export async function compareInterleaved(
  baseline: (duration: number) => Promise<LoadResult>,
  target: (duration: number) => Promise<LoadResult>,
  options: { rounds: number; duration: number },
): Promise<Comparison> {
  await baseline(Math.min(2, options.duration));
  await target(Math.min(2, options.duration));
  const rounds: Comparison['rounds'] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    if (round % 2 === 0) {
      const first = await baseline(options.duration);
      rounds.push({ baseline: first, target: await target(options.duration) });
    } else {
      const first = await target(options.duration);
      rounds.push({ baseline: await baseline(options.duration), target: first });
    }
  }
  return summarizeRounds(rounds, 1);
}

/**
 * Spreads the rounds of one or more comparisons over `processes` fresh sets of servers, one
 * set alive at a time, and merges each comparison's rounds. Within one run, two server
 * processes can differ for good (where the OS placed their memory, what the JIT made of their
 * first requests): measured 77.5 against 55.7 µs of CPU per identical request. With several
 * fresh pairs, no one process decides the median.
 */
// `| []` makes TypeScript infer a tuple for `measure`'s array, so callers destructure without `!`.
export async function compareAcrossProcesses<
  Servers extends { close(): Promise<void> },
  Comparisons extends Comparison[] | [],
>(
  start: () => Promise<Servers>,
  measure: (servers: Servers, options: { rounds: number; duration: number }) => Promise<Comparisons>,
  options: { rounds: number; duration: number; processes: number },
): Promise<Comparisons> {
  const processes = Math.max(1, Math.min(options.processes, options.rounds));
  const merged: Array<Comparison['rounds']> = [];
  for (let set = 0; set < processes; set += 1) {
    // The rounds are split as evenly as they go: 10 over 4 sets → 3, 3, 2, 2.
    const rounds = Math.floor(options.rounds / processes) + (set < options.rounds % processes ? 1 : 0);
    const servers = await start();
    try {
      const comparisons = await measure(servers, { rounds, duration: options.duration });
      comparisons.forEach((comparison, index) => (merged[index] ??= []).push(...comparison.rounds));
    } finally {
      await servers.close();
    }
  }
  return merged.map((rounds) => summarizeRounds(rounds, processes)) as Comparisons;
}

function summarizeRounds(rounds: Comparison['rounds'], serverSets: number): Comparison {
  const ratios = rounds.map((r) => r.target.rps / r.baseline.rps);
  const cpuRatios = rounds.flatMap(({ baseline, target }) =>
    target.cpuUsPerRequest === undefined || baseline.cpuUsPerRequest === undefined
      ? []
      : [baseline.cpuUsPerRequest / target.cpuUsPerRequest],
  );
  return {
    baseline: medianResult(rounds.map((r) => r.baseline)),
    target: medianResult(rounds.map((r) => r.target)),
    ratio: median(ratios),
    ratios,
    ...(cpuRatios.length === 0 ? {} : { cpuRatio: median(cpuRatios) }),
    rounds,
    serverSets,
  };
}

/**
 * A comparison as a bench reports it: one line on the console and the result row — medians of
 * both sides, the median per-round ratio (judged against `target` when there is one), the
 * latencies, every round's ratio and, where it was measured, the servers' CPU per request.
 */
export function comparisonResult(
  comparison: Comparison,
  report: { label: string; name: string; target?: number },
): BenchResult {
  const { target, baseline } = comparison;
  const cpu = target.cpuUsPerRequest !== undefined && baseline.cpuUsPerRequest !== undefined;
  console.log(
    `${report.label}: ${target.rps.toFixed(0)} vs ${baseline.rps.toFixed(0)} req/s; ` +
      `ratios ${comparison.ratios.map((r) => r.toFixed(2)).join(', ')}` +
      (cpu ? `; CPU ${target.cpuUsPerRequest!.toFixed(1)} vs ${baseline.cpuUsPerRequest!.toFixed(1)} µs/request` : ''),
  );
  const rounded = (value: number, digits = 1) => Number(value.toFixed(digits));
  return {
    name: report.name,
    metric: 'req/s',
    value: target.rps,
    baseline: baseline.rps,
    ratio: comparison.ratio,
    ...(report.target === undefined
      ? {}
      : { target: `ratio ≥ ${report.target}`, pass: comparison.ratio >= report.target }),
    details: {
      serverSets: comparison.serverSets,
      p50Ms: target.p50,
      p99Ms: target.p99,
      baselineP50Ms: baseline.p50,
      baselineP99Ms: baseline.p99,
      ratios: comparison.ratios.map((r) => r.toFixed(3)).join(' '),
      ...(cpu
        ? {
            cpuUsPerRequest: rounded(target.cpuUsPerRequest!),
            baselineCpuUsPerRequest: rounded(baseline.cpuUsPerRequest!),
            ...(comparison.cpuRatio === undefined ? {} : { cpuRatio: rounded(comparison.cpuRatio, 3) }),
          }
        : {}),
    },
  };
}

function medianResult(results: LoadResult[]): LoadResult {
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p90: median(results.map((r) => r.p90)),
    p99: median(results.map((r) => r.p99)),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
    ...(results.every((r) => r.cpuUsPerRequest !== undefined)
      ? { cpuUsPerRequest: median(results.map((r) => r.cpuUsPerRequest!)) }
      : {}),
  };
}

/** Signs in through the API and returns Bearer headers. */
export async function loginHeaders(
  baseUrl: string,
  email = BENCH_ADMIN_EMAIL,
  password = BENCH_ADMIN_PASSWORD,
): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}
