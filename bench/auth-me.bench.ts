/**
 * Authenticated GET /api/v1/auth/me (Bearer token from the login API) vs a bare Fastify hello
 * route, interleaved in the same run, both at LOG_LEVEL=warn. The request pays authentication
 * (token hash, the 2 s credential cache in src/modules/identity/authentication.ts — one
 * database lookup per token every 2 s), the route guard and one Cedar decision.
 *
 * Then the Cedar decision alone: 20 000 calls of isAllowed (src/platform/authz.ts) for a
 * mix of principals, actions and resources, in this process — through its memo as requests
 * ask, and with a Cedar evaluation each time.
 */
import { performance } from 'node:perf_hooks';
import { isAllowed, loadPolicies, systemResource, type ResourceRef } from '../src/platform/authz.ts';
import type { Principal } from '../src/platform/principal.ts';
import { compareInterleaved, comparisonResult, load, loginHeaders, spawnBenchServer } from './lib/http.ts';
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
    results.push(
      comparisonResult(comparison, {
        label: 'auth/me vs hello',
        name: 'GET /api/v1/auth/me (Bearer) vs hello (LOG_LEVEL=warn)',
        target: TARGET,
      }),
    );
  } finally {
    await app.close();
    await hello.close();
  }
  results.push(...cedarDecisionCost());
  return results;
}

/**
 * µs per isAllowed call (median of 5 batches of DECISIONS/5 after a warm-up), two ways:
 * as requests ask (a handful of shapes: the memo in src/platform/authz.ts answers), and a
 * Cedar evaluation every time (an extra, never-repeated role makes each memo key new; the
 * policies ignore unknown roles, so the decisions are the real ones).
 */
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
  const cases: Array<[string[], string | null, string, ResourceRef]> = [
    [['reviewer'], null, 'auth.me', systemResource('user')],
    [['regulator_admin'], null, 'organizations.list', systemResource('organization')],
    [['reviewer'], null, 'filings.decide', filing],
    [['org_member'], org, 'filings.read', filing],
    [['org_member'], '01a22136-0000-7000-8000-000000000002', 'filings.read', filing],
  ];
  const principals = cases.map(([roles, organizationId]) => user(roles, organizationId));
  let allowed = 0;
  let fresh = 0;
  const batch = (count: number, uncached: boolean) => {
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const index = i % cases.length;
      const [roles, organizationId, action, resource] = cases[index]!;
      fresh += 1;
      const principal = uncached ? user([...roles, `bench-${fresh}`], organizationId) : principals[index]!;
      if (isAllowed(principal, action, resource)) allowed += 1;
    }
    return ((performance.now() - started) * 1000) / count;
  };
  const measure = (uncached: boolean) => {
    batch(2000, uncached);
    return median(Array.from({ length: 5 }, () => batch(DECISIONS / 5, uncached)));
  };
  const memoised = measure(false);
  const evaluated = measure(true);
  console.log(
    `cedar: ${memoised.toFixed(2)} µs per isAllowed as requests ask (memo), ${evaluated.toFixed(1)} µs per Cedar evaluation`,
  );
  return [
    {
      name: `isAllowed as requests ask (${cases.length} request shapes, memoised)`,
      metric: 'µs/decision',
      value: memoised,
      details: { decisions: DECISIONS, allowedDecisions: allowed },
    },
    {
      name: 'Cedar evaluation per decision (memo bypassed)',
      metric: 'µs/decision',
      value: evaluated,
      details: { decisions: DECISIONS },
    },
  ];
}
