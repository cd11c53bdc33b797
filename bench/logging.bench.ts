/**
 * What `LOG_LEVEL=info` (the production default) costs against `warn`, each server in its own
 * process, interleaved, on fresh pairs (compareAcrossProcesses): the app's `GET /healthz`
 * (health probes write no line at `info`, so the cost should be ≈ nothing: target ≥ 0.9), and
 * the bare hello route, whose two request lines per request (`incoming request`, `request
 * completed`) measure the log destination itself (stdout, asynchronous since issue #20; both
 * processes' stdout go to /dev/null, as in every bench).
 */
import type { LogLevel } from '../src/config.ts';
import { compareAcrossProcesses, compareInterleaved, comparisonResult, load, spawnBenchServer } from './lib/http.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'logging';
export const description = 'LOG_LEVEL=info vs warn: GET /healthz (target ≥ 0.9×) and a logged hello route';

const TARGET = 0.9;

async function spawnPair(kind: 'aigov' | 'hello', databaseUrl: string | undefined) {
  const spawn = (logLevel: LogLevel) => spawnBenchServer(kind, { logLevel, databaseUrl });
  const warn = await spawn('warn');
  const info = await spawn('info').catch(async (error: unknown) => {
    await warn.close();
    throw error;
  });
  return {
    warn,
    info,
    async close() {
      await info.close();
      await warn.close();
    },
  };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [kind, path] of [
    ['aigov', '/healthz'],
    ['hello', '/hello'],
  ] as const) {
    const [comparison] = await compareAcrossProcesses(
      () => spawnPair(kind, options.databaseUrl),
      async ({ warn, info }, rounds) => [
        await compareInterleaved(
          (duration) => load({ url: `${warn.url}${path}`, server: warn, duration, connections: options.connections }),
          (duration) => load({ url: `${info.url}${path}`, server: info, duration, connections: options.connections }),
          rounds,
        ),
      ],
      options,
    );
    results.push(
      comparisonResult(comparison, {
        label: `${kind} GET ${path} @info vs @warn`,
        name: `${kind === 'aigov' ? 'app' : 'hello'} GET ${path}: LOG_LEVEL=info vs warn`,
        ...(kind === 'aigov' ? { target: TARGET } : {}),
      }),
    );
  }
  return results;
}
