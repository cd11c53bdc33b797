/** Shared set-up for the ethics tests: the committee, cases opened by each route in. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { createUser, type TestUser } from '../factories.ts';
import { answers } from '../products/fixtures.ts';
import { createDraft, filingWorld, upload, SAMPLE_PDF, type FilingWorld, type Response } from '../filings/helpers.ts';
import { withWorkingDayCalendar } from '../../src/modules/calendar/index.ts';
import { referTrialIfTriggered } from '../../src/modules/ethics/index.ts';
import { newId } from '../../src/platform/ids.ts';

export const ETHICS_TABLES = [
  'ethics_cases',
  'ethics_declarations',
  'ethics_votes',
  'audit_events',
  'outbox_events',
  'notifications',
  'idempotency_keys',
] as const;

export interface EthicsWorld extends FilingWorld {
  members: TestUser[];
  secretary: TestUser;
  /** A healthcare trial's case, opened as the trials module does at submission. */
  trialCase(kind?: 'healthcare' | 'pilot'): Promise<string | undefined>;
  /** A high-risk product with `extra` answers, its assessment submitted: the filing's id. */
  submitAssessment(extra: Record<string, unknown>): Promise<string>;
  casesOf(filingId: string): Promise<Array<{ id: string; triggers: string[]; status: string; dueDate: string }>>;
  declare(member: TestUser, caseId: string, conflictOfInterest?: boolean): Promise<Response>;
  vote(member: TestUser, caseId: string, vote: string, comment?: string): Promise<Response>;
  publish(caseId: string, body?: Record<string, unknown>): Promise<Response>;
}

export const HIGH = answers({ domain: 'employment', annexIIIUses: ['employment_recruitment'] });

export async function ethicsWorld(
  t: Pick<TestContext, 'after'>,
  options: { members?: number; start?: string } = {},
): Promise<EthicsWorld> {
  const world = await filingWorld(t, { start: options.start ?? '2026-03-02T02:00:00Z' });
  const members: TestUser[] = [];
  for (let i = 0; i < (options.members ?? 5); i += 1) {
    members.push(
      await createUser(world.t, { roles: ['ethics_member'], name: `伦理委员 Member-${i}-${newId().slice(-6)}` }),
    );
  }
  const secretary = await createUser(world.t, {
    roles: ['ethics_secretary'],
    name: `秘书 Secretary-${newId().slice(-6)}`,
  });
  const ew: EthicsWorld = {
    ...world,
    members,
    secretary,
    async trialCase(kind = 'healthcare') {
      const { deps } = world.t;
      const opened = await withWorkingDayCalendar(deps, (calendar) =>
        deps.db.transaction().execute((trx) =>
          referTrialIfTriggered(
            { trx, calendar, clock: deps.clock, audit: { principal: { kind: 'anonymous' }, clock: deps.clock } },
            {
              id: newId(),
              organizationId: world.organizationId,
              kind,
              title: '小范围医疗试用',
              titleEn: 'Small trial',
            },
          ),
        ),
      );
      return opened?.id;
    },
    async submitAssessment(extra) {
      const product = await world.createProduct('high', { riskAnswers: { ...HIGH, ...extra } });
      const draft = await createDraft(world, product.id, { kind: 'assessment', summary: '高风险应用的评估申请' });
      const uploaded = await upload(world, draft.id, {
        name: 'r.pdf',
        contentType: 'application/pdf',
        data: SAMPLE_PDF,
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const submitted = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
      assert.equal(submitted.statusCode, 200, submitted.body);
      return draft.id;
    },
    async casesOf(filingId) {
      const response = await world.inject(
        'GET',
        `/api/v1/ethics/cases?subjectType=filing&subjectId=${filingId}`,
        world.reviewer,
      );
      assert.equal(response.statusCode, 200, response.body);
      return response.json<{ items: Array<{ id: string; triggers: string[]; status: string; dueDate: string }> }>()
        .items;
    },
    declare: (member, caseId, conflictOfInterest = false) =>
      world.inject('POST', `/api/v1/ethics/cases/${caseId}/declarations`, member, {
        conflictOfInterest,
        statement: conflictOfInterest ? '本人曾为该企业提供咨询' : '本人与该申请人无利益关系',
      }),
    vote: (member, caseId, vote, comment = `comment of ${member.id}`) =>
      world.inject('POST', `/api/v1/ethics/cases/${caseId}/votes`, member, { vote, comment }),
    publish: (caseId, body = { publicSummary: '委员会经审议认为……' }) =>
      world.inject('POST', `/api/v1/ethics/cases/${caseId}/opinion`, secretary, body),
  };
  return ew;
}

/** Declares (no conflict) and votes; asserts both succeed. */
export async function declareAndVote(world: EthicsWorld, member: TestUser, caseId: string, vote: string) {
  const declared = await world.declare(member, caseId);
  assert.equal(declared.statusCode, 201, declared.body);
  const voted = await world.vote(member, caseId, vote);
  assert.equal(voted.statusCode, 201, voted.body);
}
