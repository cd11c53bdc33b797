/**
 * Throughput of the anonymous risk self-check (`POST /api/v1/risk/assessments`) against a
 * bare Fastify hello route, interleaved in the same run. Both servers run in their own
 * process with the same logger configuration (bench/lib/http.ts); the app is the real server
 * (`startServer`) with the self-check's rate limit off. The app's `/healthz` is measured the
 * same way, as the platform's floor, so the cost of the self-check itself is visible. The
 * rounds are spread over fresh pairs of server processes (BENCH_PROCESSES, default 10: a
 * pair per round). Target: ratio ≥ 0.5.
 */
import { compareAcrossProcesses, compareInterleaved, load, spawnHelloAndApp } from './lib/http.ts';
import type { BenchOptions, BenchResult } from './lib/types.ts';

export const name = 'risk-assessment';
export const description = 'POST /api/v1/risk/assessments vs bare Fastify hello; target ≥ 0.5×';

const TARGET = 0.5;

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

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const [selfCheck, floor] = await compareAcrossProcesses(
    () => spawnHelloAndApp({ logLevel: 'warn', databaseUrl: options.databaseUrl }),
    async ({ hello, app }, rounds) => {
      const helloLoad = (duration: number) =>
        load({ url: `${hello.url}/hello`, server: hello, duration, connections: options.connections });
      return [
        await compareInterleaved(
          helloLoad,
          (duration) =>
            load({
              url: `${app.url}/api/v1/risk/assessments`,
              server: app,
              method: 'POST',
              headers: { 'content-type': 'application/json', 'accept-language': 'en' },
              body: JSON.stringify({ answers: ANSWERS }),
              duration,
              connections: options.connections,
            }),
          rounds,
        ),
        await compareInterleaved(
          helloLoad,
          (duration) => load({ url: `${app.url}/healthz`, server: app, duration, connections: options.connections }),
          rounds,
        ),
      ];
    },
    options,
  );
  console.log(
    `risk-assessment: self-check ${selfCheck.target.rps.toFixed(0)} vs hello ${selfCheck.baseline.rps.toFixed(0)} req/s; ` +
      `ratios ${selfCheck.ratios.map((r) => r.toFixed(2)).join(', ')}; /healthz ${floor.ratio.toFixed(2)}× of hello`,
  );
  return [
    {
      name: 'POST /api/v1/risk/assessments vs hello (LOG_LEVEL=warn)',
      metric: 'req/s',
      value: selfCheck.target.rps,
      baseline: selfCheck.baseline.rps,
      ratio: selfCheck.ratio,
      target: `ratio ≥ ${TARGET}`,
      pass: selfCheck.ratio >= TARGET,
      details: {
        serverPairs: options.processes,
        p99Ms: selfCheck.target.p99,
        ratios: selfCheck.ratios.map((r) => r.toFixed(3)).join(' '),
        cpuUsPerRequest: selfCheck.target.cpuUsPerRequest ?? '',
        baselineCpuUsPerRequest: selfCheck.baseline.cpuUsPerRequest ?? '',
      },
    },
    {
      name: 'GET /healthz vs hello, same run (the platform floor)',
      metric: 'req/s',
      value: floor.target.rps,
      baseline: floor.baseline.rps,
      ratio: floor.ratio,
    },
  ];
}
