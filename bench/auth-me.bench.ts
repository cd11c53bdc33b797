/**
 * Authenticated GET /api/v1/auth/me (Bearer token from the login API) vs a bare Fastify hello
 * route, interleaved in the same run, both at LOG_LEVEL=warn. The request pays authentication
 * (token hash, the 2 s credential cache in src/modules/identity/authentication.ts — one
 * database lookup per token every 2 s), the route guard and one Cedar decision.
 *
 * Then the Cedar decision alone: 20 000 calls of isAllowed (src/platform/authz.ts) for a
 * mix of principals, actions and resources, in this process.
 */
import { performance } from 'node:perf_hooks';
import { isAllowed, loadPolicies, systemResource, type ResourceRef } from '../src/platform/authz.ts';
import type { Principal } from '../src/platform/principal.ts';
import { compareInterleaved, load, loginHeaders, spawnBenchServer } from './lib/http.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'auth-me';
export const description = 'authenticated GET /api/v1/auth/me vs bare Fastify hello; target ≥ 0.5×; Cedar µs/decision';

const TARGET = 0.5;
const DECISIONS = 20_000;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const hello = await spawnBenchServer('hello', { logLevel: 'warn' });
  const app = await spawnBenchServer('aigov', { logLevel: 'warn', databaseUrl: options.databaseUrl });
  const results: BenchResult[] = [];
  try {
    const headers = await loginHeaders(app.url);
    const comparison = await compareInterleaved(
      (duration) => load({ url: `${hello.url}/hello`, server: hello, duration, connections: options.connections }),
      (duration) =>
        load({ url: `${app.url}/api/v1/auth/me`, server: app, headers, duration, connections: options.connections }),
      options,
    );
    console.log(
      `auth/me: ${comparison.target.rps.toFixed(0)} vs hello ${comparison.baseline.rps.toFixed(0)} req/s; ` +
        `ratios ${comparison.ratios.map((r) => r.toFixed(2)).join(', ')}; ` +
        `CPU ${comparison.target.cpuUsPerRequest?.toFixed(1)} vs ${comparison.baseline.cpuUsPerRequest?.toFixed(1)} µs/request`,
    );
    results.push({
      name: 'GET /api/v1/auth/me (Bearer) vs hello (LOG_LEVEL=warn)',
      metric: 'req/s',
      value: comparison.target.rps,
      baseline: comparison.baseline.rps,
      ratio: comparison.ratio,
      target: `ratio ≥ ${TARGET}`,
      pass: comparison.ratio >= TARGET,
      details: {
        p50Ms: comparison.target.p50,
        p99Ms: comparison.target.p99,
        baselineP50Ms: comparison.baseline.p50,
        baselineP99Ms: comparison.baseline.p99,
        ratios: comparison.ratios.map((r) => r.toFixed(3)).join(' '),
        cpuUsPerRequest: Number(comparison.target.cpuUsPerRequest?.toFixed(1)),
        baselineCpuUsPerRequest: Number(comparison.baseline.cpuUsPerRequest?.toFixed(1)),
        cpuRatio: Number(comparison.cpuRatio?.toFixed(3)),
      },
    });
  } finally {
    await app.close();
    await hello.close();
  }
  results.push(...cedarDecisionCost());
  return results;
}

/** µs per isAllowed call: median of 5 batches of DECISIONS/5 after a warm-up. */
function cedarDecisionCost(): BenchResult[] {
  loadPolicies();
  const org = '01a22136-0000-7000-8000-000000000001';
  const user = (roles: string[], organizationId: string | null): Principal =>
    ({
      kind: 'user',
      userId: '01a22136-0000-7000-8000-0000000000aa',
      email: 'bench@example.cn',
      name: 'bench',
      roles,
      organizationId,
      organizationStatus: organizationId === null ? null : 'verified',
      via: 'bearer',
      credentialId: 'bench',
    }) as Principal;
  const filing: ResourceRef = { type: 'filing', id: '01a22136-0000-7000-8000-0000000000f1', organizationId: org };
  // What requests ask in practice: own account, an admin list, a reviewer decision, a
  // provider on its own and on another organisation's filing (allow and deny paths alike).
  const cases: Array<[Principal, string, ResourceRef]> = [
    [user(['reviewer'], null), 'auth.me', systemResource('user')],
    [user(['regulator_admin'], null), 'organizations.list', systemResource('organization')],
    [user(['reviewer'], null), 'filings.decide', filing],
    [user(['org_member'], org), 'filings.read', filing],
    [user(['org_member'], '01a22136-0000-7000-8000-000000000002'), 'filings.read', filing],
  ];
  let allowed = 0;
  const batch = (count: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const [principal, action, resource] = cases[i % cases.length]!;
      if (isAllowed(principal, action, resource)) allowed += 1;
    }
    return ((performance.now() - started) * 1000) / count;
  };
  batch(2000);
  const perDecision = median(Array.from({ length: 5 }, () => batch(DECISIONS / 5)));
  console.log(`cedar: ${perDecision.toFixed(1)} µs per isAllowed (${DECISIONS} calls, ${cases.length} cases)`);

  // What a decision would cost behind a memo keyed by everything the policies can see
  // (action, principal attributes, resource type and organisation): a proposal, not the app.
  const memo = new Map<string, boolean>();
  const memoised = (principal: Principal, action: string, resource: ResourceRef) => {
    const key = JSON.stringify([action, principal, resource.type, resource.organizationId]);
    let decision = memo.get(key);
    if (decision === undefined) memo.set(key, (decision = isAllowed(principal, action, resource)));
    return decision;
  };
  const memoBatch = (count: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const [principal, action, resource] = cases[i % cases.length]!;
      if (memoised(principal, action, resource)) allowed += 1;
    }
    return ((performance.now() - started) * 1000) / count;
  };
  memoBatch(2000);
  const perMemoisedDecision = median(Array.from({ length: 5 }, () => memoBatch(DECISIONS / 5)));
  console.log(`cedar behind a memo: ${perMemoisedDecision.toFixed(2)} µs per decision`);
  return [
    {
      name: `Cedar isAllowed (${DECISIONS} calls, ${cases.length} request shapes)`,
      metric: 'µs/decision',
      value: perDecision,
      details: { decisions: DECISIONS, allowedDecisions: allowed },
    },
    {
      name: 'Cedar isAllowed behind a memo (proposal; cache hits)',
      metric: 'µs/decision',
      value: perMemoisedDecision,
      baseline: perDecision,
      ratio: perMemoisedDecision / perDecision,
    },
  ];
}
