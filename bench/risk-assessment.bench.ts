/**
 * Throughput of the anonymous risk self-check (`POST /api/v1/risk/assessments`) against a
 * bare Fastify hello route, interleaved in the same run. Both servers run in their own
 * process with the same logger configuration (bench/lib/http.ts); the app is the real server
 * (`startServer`) with the self-check's rate limit off. The app's `/healthz` is measured the
 * same way, as the platform's floor, so the cost of the self-check itself is visible. The
 * rounds are spread over fresh pairs of server processes (BENCH_PROCESSES, default 10: a
 * pair per round). Target: ratio ≥ 0.5.
 */
import { compareAcrossProcesses, compareInterleaved, comparisonResult, load, spawnHelloAndApp } from './lib/http.ts';
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
  return [
    comparisonResult(selfCheck, {
      label: 'risk-assessment: self-check vs hello',
      name: 'POST /api/v1/risk/assessments vs hello (LOG_LEVEL=warn)',
      target: TARGET,
    }),
    comparisonResult(floor, {
      label: 'risk-assessment: /healthz vs hello',
      name: 'GET /healthz vs hello, same run (the platform floor)',
    }),
  ];
}
