/**
 * GET /healthz of the real app vs a bare Fastify hello route, interleaved in the same run.
 * Both servers run in their own process with the same pino configuration (src/platform/
 * logging.ts) writing to /dev/null, so only the app's own per-request work differs: helmet
 * headers, request id, the principal and authentication hooks, schema serialisation.
 *
 * Two logger settings: `warn` (per-request logs off — the app's own overhead, the strict
 * comparison, judged against the target) and `info` (the production default: fastify logs
 * every request twice, which both servers pay).
 *
 * The rounds are spread over fresh pairs of server processes (BENCH_PROCESSES, default 10: a
 * pair per round), so that no one process's luck decides the figure. Then an attribution:
 * server CPU time per request of hello plus one app layer at a time, which says where the
 * gap comes from.
 */
import type { LogLevel } from '../src/config.ts';
import {
  compareAcrossProcesses,
  compareInterleaved,
  comparisonResult,
  HELLO_VARIANTS,
  load,
  spawnBenchServer,
  spawnHelloAndApp,
  type SpawnedServer,
} from './lib/http.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'healthz';
export const description = 'GET /healthz vs bare Fastify hello, same logger; target ≥ 0.9×';

const TARGET = 0.9;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const logLevel of ['warn', 'info'] as const satisfies readonly LogLevel[]) {
    const [comparison] = await compareAcrossProcesses(
      () => spawnHelloAndApp({ logLevel, databaseUrl: options.databaseUrl }),
      async ({ hello, app }, rounds) => [
        await compareInterleaved(
          (duration) => load({ url: `${hello.url}/hello`, server: hello, duration, connections: options.connections }),
          (duration) => load({ url: `${app.url}/healthz`, server: app, duration, connections: options.connections }),
          rounds,
        ),
      ],
      options,
    );
    results.push(
      comparisonResult(comparison, {
        label: `healthz @${logLevel} (vs hello)`,
        name: `GET /healthz vs hello (LOG_LEVEL=${logLevel})`,
        // Judged without per-request logs: the app's own overhead, the strict comparison.
        ...(logLevel === 'warn' ? { target: TARGET } : {}),
      }),
    );
  }
  results.push(...(await attribution(options)));
  return results;
}

/**
 * Server CPU µs per request (LOG_LEVEL=warn) of hello, hello + one app layer, and the app.
 * `ratio` = hello's CPU ÷ this one's: the throughput ratio a CPU-bound server would reach.
 */
async function attribution(options: BenchOptions): Promise<BenchResult[]> {
  const servers: Array<{ label: string; path: string; server: SpawnedServer }> = [];
  try {
    for (const variant of HELLO_VARIANTS) {
      servers.push({
        label: variant === 'plain' ? 'hello' : `hello + ${variant}`,
        path: '/hello',
        server: await spawnBenchServer(`hello:${variant}`, { logLevel: 'warn' }),
      });
    }
    servers.push({
      label: 'app GET /healthz',
      path: '/healthz',
      server: await spawnBenchServer('aigov', { logLevel: 'warn', databaseUrl: options.databaseUrl }),
    });
    const samples = new Map<string, number[]>(servers.map((s) => [s.label, []]));
    // A fixed number of requests per sample: CPU per request steadies with the sample size.
    const amount = 20_000;
    for (let round = 0; round <= Math.max(3, options.rounds); round += 1) {
      for (const { label, path, server } of round % 2 === 0 ? servers : [...servers].reverse()) {
        const result = await load({
          url: `${server.url}${path}`,
          server,
          duration: options.duration,
          amount: round === 0 ? 5000 : amount,
          connections: options.connections,
        });
        // Round 0 is the warm-up.
        if (round > 0) samples.get(label)!.push(result.cpuUsPerRequest!);
      }
    }
    const baseline = median(samples.get('hello')!);
    return servers.map(({ label }) => {
      const value = median(samples.get(label)!);
      console.log(`attribution: ${label.padEnd(24)} ${value.toFixed(1)} µs CPU/request`);
      return {
        name: `CPU per request: ${label}`,
        metric: 'µs CPU/req',
        value,
        baseline,
        ratio: baseline / value,
        details: {
          samples: samples
            .get(label)!
            .map((v) => v.toFixed(1))
            .join(' '),
        },
      };
    });
  } finally {
    for (const { server } of servers) await server.close();
  }
}
