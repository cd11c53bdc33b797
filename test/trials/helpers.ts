/** Shared set-up for the trials tests: a provider, two medical-institution hosts, an enterprise, a reviewer. */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { TestApp } from '../helpers/test-app.ts';
import { createOrganization, createUser, tableCounts, type TestUser } from '../factories.ts';
import { RISK_ANSWERS, filingWorld, type Response, type Tier } from '../filings/helpers.ts';
import { productBody } from '../products/fixtures.ts';

export type { Response };

/** Every table a refused trial request must leave as it was. */
export const TRIAL_TABLES = [
  'trials',
  'trial_hosts',
  'trial_enrolments',
  'trial_adverse_events',
  'trial_reports',
  'notifications',
  'audit_events',
  'outbox_events',
] as const;

export interface Host {
  id: string;
  admin: TestUser;
  member: TestUser;
}

export interface TrialWorld {
  t: TestApp;
  provider: TestUser;
  providerOrg: string;
  hostA: Host;
  hostB: Host;
  /** A verified enterprise (a pilot may be hosted by one; a healthcare trial not). */
  enterprise: Host;
  reviewer: TestUser;
  stranger: TestUser;
  lowProduct: string;
  inject(
    method: string,
    url: string,
    user?: TestUser,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  createProduct(tier: Tier): Promise<string>;
  snapshot(): Promise<Record<string, number>>;
  travel(instant: string): Promise<void>;
  /** A draft (healthcare by default, hosted by A and B), 201 asserted. */
  draft(overrides?: Record<string, unknown>): Promise<{ id: string; [key: string]: unknown }>;
  /** A pilot approved by its one host (A). */
  approvedPilot(overrides?: Record<string, unknown>): Promise<string>;
}

async function host(t: TestApp, type: string): Promise<Host> {
  const org = await createOrganization(t, { type });
  return {
    id: org.id,
    admin: await createUser(t, { roles: ['org_admin'], organizationId: org.id }),
    member: await createUser(t, { roles: ['org_member'], organizationId: org.id }),
  };
}

/** The clock starts on Monday 2026-03-02 10:00 Shanghai. */
export async function trialWorld(t: Pick<TestContext, 'after'>): Promise<TrialWorld> {
  const world = await filingWorld(t);
  const app = world.t;
  const hostA = await host(app, 'medical_institution');
  const hostB = await host(app, 'medical_institution');
  const enterprise = await host(app, 'enterprise');
  const createProduct = async (tier: Tier) => (await world.createProduct(tier)).id;
  const lowProduct = await createProduct('low');
  const result: TrialWorld = {
    t: app,
    provider: world.provider,
    providerOrg: world.organizationId,
    hostA,
    hostB,
    enterprise,
    reviewer: world.reviewer,
    stranger: world.stranger,
    lowProduct,
    inject: (...args) => world.inject(...args),
    createProduct,
    snapshot: () => tableCounts(app, TRIAL_TABLES),
    travel: (instant) => world.travel(instant),
    async draft(overrides = {}) {
      const response = await world.inject('POST', '/api/v1/trials', world.provider, trialBody(result, overrides));
      assert.equal(response.statusCode, 201, response.body);
      return response.json();
    },
    async approvedPilot(overrides = {}) {
      const { id } = await result.draft({
        kind: 'pilot',
        hostOrganizationIds: [hostA.id],
        ...overrides,
      });
      const submitted = await world.inject('POST', `/api/v1/trials/${id}/submit`, world.provider);
      assert.equal(submitted.statusCode, 200, submitted.body);
      const reviewed = await world.inject('POST', `/api/v1/trials/${id}/site-reviews`, hostA.admin, {
        decision: 'approved',
        reasons: '场地与人员符合要求',
      });
      assert.equal(reviewed.statusCode, 200, reviewed.body);
      assert.ok(['approved', 'active'].includes(reviewed.json<{ status: string }>().status), reviewed.body);
      return id;
    },
  };
  return result;
}

export function trialBody(
  world: Pick<TrialWorld, 'lowProduct' | 'hostA' | 'hostB'>,
  overrides: Record<string, unknown> = {},
) {
  return {
    productId: world.lowProduct,
    kind: 'healthcare',
    title: '社区医院智能分诊小范围试用',
    titleEn: 'Small-scale trial of AI triage in community hospitals',
    protocolSummary: '在两家社区医院门诊试用智能分诊，医生复核每一条建议。',
    hostOrganizationIds: [world.hostA.id, world.hostB.id],
    maxParticipants: 200,
    startDate: '2026-04-01',
    endDate: '2026-09-30',
    internationalStandards: [{ code: 'ISO/IEC 42001:2023', title: 'AI management system' }],
    noApplicableNationalStandard: true,
    ...overrides,
  };
}

export { RISK_ANSWERS, productBody };

/** The `errors[]` of a problem response as `pointer code` strings. */
export function failures(response: Response): string[] {
  return (response.json<{ errors?: Array<{ pointer: string; code?: string }> }>().errors ?? []).map((error) =>
    `${error.pointer} ${error.code ?? ''}`.trim(),
  );
}

/** A low-risk product, a pilot hosted by one organisation, approved by it: public. */
export async function approvedPilot(ta: TestApp, headers: Record<string, string>): Promise<string> {
  const product = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers,
    payload: productBody({ riskAnswers: RISK_ANSWERS.low }),
  });
  const host = await createOrganization(ta);
  const hostAdmin = await createUser(ta, { roles: ['org_admin'], organizationId: host.id });
  const trial = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/trials',
    headers,
    payload: {
      productId: product.json<{ id: string }>().id,
      kind: 'pilot',
      title: '试点',
      protocolSummary: '试点方案',
      hostOrganizationIds: [host.id],
      maxParticipants: 10,
      startDate: '2026-04-01',
      endDate: '2026-06-30',
      internationalStandards: [{ code: 'ISO/IEC 42001:2023', title: 'AI management system' }],
      noApplicableNationalStandard: true,
    },
  });
  const id = trial.json<{ id: string }>().id;
  await ta.app.inject({ method: 'POST', url: `/api/v1/trials/${id}/submit`, headers });
  const approved = await ta.app.inject({
    method: 'POST',
    url: `/api/v1/trials/${id}/site-reviews`,
    headers: hostAdmin.headers,
    payload: { decision: 'approved', reasons: '同意' },
  });
  assert.equal(approved.statusCode, 200, approved.body);
  return id;
}
