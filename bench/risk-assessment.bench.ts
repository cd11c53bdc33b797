/**
 * Throughput of the anonymous risk self-check (`POST /api/v1/risk/assessments`) against a
 * bare Fastify hello route, measured in the same run on the same machine so the ratio means
 * something across machines. Each server runs in its own child process (so the load
 * generator does not share its event loop) on 127.0.0.1 and a random port; the self-check's
 * rate limit is off (AIGOV_SELF_CHECK_RATE_LIMIT=0). Target: ratio ≥ 0.5.
 *
 *   node --import tsx bench/risk-assessment.bench.ts
 *   BENCH_DURATION=20 BENCH_CONNECTIONS=20 node --import tsx bench/risk-assessment.bench.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';

const SELF = fileURLToPath(import.meta.url);

/** A realistic request body: a customer-service chatbot (medium risk, two reasons). */
const ANSWERS = {
  domain: 'consumer',
  annexIIIUses: [],
  prohibitedPractices: [],
  safetyComponent: false,
  medicalDeviceClass: 'none',
  profilesNaturalPersons: false,
  narrowProceduralTask: false,
  interactsWithPeople: true,
  generatesSyntheticContent: true,
  publicOpinionAttributes: false,
  processesSensitivePersonalInfo: false,
  usersScale: '1k_100k',
};

async function serveApp(): Promise<string> {
  const { buildApp } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { openDatabase } = await import('../src/db/connection.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const database = await openDatabase({ dataDir: os.tmpdir(), inMemory: true });
  await migrateToLatest(database.db);
  const config = loadConfig(
    { AIGOV_WEB_BUILD: 'never', LOG_LEVEL: 'silent', AIGOV_SELF_CHECK_RATE_LIMIT: '0', HOST: '127.0.0.1', PORT: '0' },
    process.cwd(),
  );
  const app = await buildApp({ config, database, logger: false });
  return app.listen({ host: '127.0.0.1', port: 0 });
}

async function serveHello(): Promise<string> {
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
  return app.listen({ host: '127.0.0.1', port: 0 });
}

/** Starts `node bench/… --serve <kind>` and resolves with the URL it prints. */
function startServer(kind: 'app' | 'hello'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^LISTENING (\S+)$/m.exec(output);
      if (match) resolve({ url: match[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function measure(title: string, options: autocannon.Options): Promise<autocannon.Result> {
  // A short warm-up lets the JIT settle before the measured run.
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon(options);
  const failures = result.non2xx + result.errors + result.timeouts;
  console.log(
    `${title.padEnd(32)} ${result.requests.average.toFixed(0).padStart(7)} req/s  ` +
      `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  (${result.requests.total} requests, ${failures} failed)`,
  );
  if (failures > 0) throw new Error(`${title}: ${failures} requests failed`);
  return result;
}

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  console.log(
    `autocannon: ${connections} connections, ${duration} s per target, ${os.cpus().length} CPUs, Node ${process.version}`,
  );
  const hello = await startServer('hello');
  const app = await startServer('app');
  try {
    const baseline = await measure('GET /hello (bare Fastify)', { url: `${hello.url}/hello`, connections, duration });
    const selfCheck = await measure('POST /api/v1/risk/assessments', {
      url: `${app.url}/api/v1/risk/assessments`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ answers: ANSWERS }),
      connections,
      duration,
    });
    // The platform's own floor: the cheapest route of the full app (helmet headers, request
    // id, authentication hook, route guard), so the cost of the self-check itself is visible.
    const floor = await measure('GET /healthz (full app)', { url: `${app.url}/healthz`, connections, duration });
    const ratio = selfCheck.requests.average / baseline.requests.average;
    const verdict = ratio >= 0.5 ? 'OK' : 'BELOW TARGET';
    console.log(`self-check / bare hello:        ${ratio.toFixed(2)}× (target ≥ 0.50×) ${verdict}`);
    console.log(`full-app healthz / bare hello:  ${(floor.requests.average / baseline.requests.average).toFixed(2)}×`);
    console.log(`self-check / full-app healthz:  ${(selfCheck.requests.average / floor.requests.average).toFixed(2)}×`);
  } finally {
    hello.child.kill();
    app.child.kill();
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) {
  const kind = process.argv[serveAt + 1];
  const url = await (kind === 'app' ? serveApp() : serveHello());
  console.log(`LISTENING ${url}`);
} else {
  await main();
}
