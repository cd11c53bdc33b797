/**
 * The committee's work on a case: a reviewer's referral, the members' declarations and secret
 * votes, the secretary's opinion (quorum and outcome computed by the rules of
 * src/domain/ethics.ts, never typed in), and what each reader may see of it.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { outcome as outcomeOf, quorum, tallyVotes, type EthicsOutcome } from '../../domain/ethics.ts';
import type { WorkingDayCalendar } from '../../lib/calendar.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource, type ResourceRef } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, found, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, etagOf } from '../../platform/http.ts';
import { runIdempotent, type StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { hasRole, requireUser, type Principal } from '../../platform/principal.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { withWorkingDayCalendar } from '../calendar/index.ts';
import { notify, type NotificationInput } from '../notifications/index.ts';
import { EthicsOpinionPublished } from './events.ts';
import { caseLink, openCase, openCaseOf, type ReferralScope } from './referral.ts';
import {
  countEligibleMembers,
  findCase,
  findDeclaration,
  insertDeclaration,
  insertVote,
  listCases,
  listDeclarations,
  listDeclarationsOfMember,
  listMembers,
  listPublishedOpinions,
  listVotes,
  lockCase,
  updateCase,
  type CaseRecord,
  type DeclarationRecord,
  type Executor,
  type MemberRecord,
} from './repo.ts';
import type {
  CaseListQuery,
  CaseSummaryViewT,
  CaseViewT,
  DeclarationBody,
  DeclarationViewT,
  MemberViewT,
  MembershipBody,
  OpinionBody,
  PublicOpinionT,
  PublicQuery,
  ReferralBody,
  VoteBody,
  VoteViewT,
} from './schemas.ts';

const CASE_MISSING = { detail: { zh: '伦理审查案件不存在', en: 'No such ethics case' } };

function caseResource(id: string): ResourceRef {
  return { type: 'ethics_case', id, organizationId: null };
}

interface EthicsScope extends ReferralScope {
  ctx: RequestContext;
  actorId: string | null;
}

/** One transaction, replayed for a repeated Idempotency-Key, with the working-day calendar at hand. */
async function ethicsWrite<T>(
  deps: AppDeps,
  ctx: RequestContext,
  action: string,
  idempotency: { key: string | undefined; fingerprint: unknown },
  work: (scope: EthicsScope) => Promise<StoredResponse<T>>,
): Promise<StoredResponse<T>> {
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  const audit = auditContext(ctx, deps.clock);
  return withWorkingDayCalendar(deps, (calendar: WorkingDayCalendar) =>
    runIdempotent(
      deps.db,
      deps.clock,
      { key: idempotency.key, scope: `${action}:${actorId ?? 'anonymous'}`, fingerprint: idempotency.fingerprint },
      (trx) => work({ trx, calendar, audit, clock: deps.clock, ctx, actorId }),
    ),
  );
}

function caseDecided(c: CaseRecord): AppError {
  return conflict('ethics_case_decided', {
    detail: {
      zh: '该案件已出具意见，不能再申报或表决',
      en: 'The committee has given its opinion on this case: no more declarations or votes',
    },
    extensions: { caseId: c.id, outcome: c.outcome },
  });
}

// ----- views -----

function summaryView(c: CaseRecord, votesCast: number): CaseSummaryViewT {
  return {
    id: c.id,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    subject: { name: c.subjectName, nameEn: c.subjectNameEn, organizationId: c.organizationId },
    reason: c.reason,
    triggers: [...c.triggers],
    referral: c.referredBy === null ? 'automatic' : 'reviewer',
    referredAt: c.referredAt.toISOString(),
    dueDate: c.dueDate,
    dueDateProvisional: c.dueDateProvisional,
    status: c.status,
    outcome: c.outcome,
    votesCast,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    version: c.version,
  };
}

function declarationView(d: DeclarationRecord): DeclarationViewT {
  return {
    id: d.id,
    caseId: d.caseId,
    memberId: d.memberId,
    name: d.memberName,
    conflictOfInterest: d.conflictOfInterest,
    statement: d.statement,
    declaredAt: d.declaredAt.toISOString(),
  };
}

/**
 * The case as `principal` may see it. While open: committee roles see who voted, never how;
 * a member sees their own vote. After the opinion: the tally for every reader; each vote
 * with its comment for the committee, except members who declared a conflict. Declarations
 * (with statements): the secretary and the regulator administrator.
 */
export async function caseView(db: Executor, c: CaseRecord, principal: Principal): Promise<CaseViewT> {
  const votes = await listVotes(db, c.id);
  const member = hasRole(principal, 'ethics_member');
  const secretary = hasRole(principal, 'ethics_secretary');
  const administrator = hasRole(principal, 'regulator_admin');
  const userId = principal.kind === 'user' ? principal.userId : '';
  const mine = member ? await findDeclaration(db, c.id, userId) : undefined;
  const conflicted = mine?.conflictOfInterest === true;
  const myVote = votes.find((v) => v.memberId === userId);
  const decided = c.status === 'decided';
  return {
    ...summaryView(c, votes.length),
    publicSummary: c.publicSummary,
    conditions: c.conditions,
    votes: decided ? c.tally : null,
    eligibleMembers: decided ? (c.eligibleMembers ?? 0) : await countEligibleMembers(db, c.id),
    voters:
      member || secretary
        ? votes.map((v) => ({ memberId: v.memberId, name: v.memberName, votedAt: v.castAt.toISOString() }))
        : null,
    ballots:
      decided && (secretary || (member && !conflicted))
        ? votes.map((v) => ({
            memberId: v.memberId,
            name: v.memberName,
            vote: v.vote,
            comment: v.comment,
            castAt: v.castAt.toISOString(),
          }))
        : null,
    declarations: secretary || administrator ? (await listDeclarations(db, c.id)).map(declarationView) : null,
    me: member
      ? {
          declared: mine !== undefined,
          conflictOfInterest: mine?.conflictOfInterest ?? null,
          voted: myVote !== undefined,
          vote: myVote?.vote ?? null,
        }
      : null,
  };
}

function created<T extends { version?: number }>(body: T, status = 201): StoredResponse<T> {
  return { status, body, headers: body.version === undefined ? {} : { etag: etagOf(body.version) } };
}

// ----- referral -----

/** `POST /filings/{id}/ethics-referral`: a reviewer refers a submitted filing (one open case per filing). */
export async function referFiling(
  deps: AppDeps,
  ctx: RequestContext,
  input: { filingId: string; body: ReferralBody; idempotencyKey?: string },
): Promise<StoredResponse<CaseViewT>> {
  const { filingId, body } = input;
  return ethicsWrite(
    deps,
    ctx,
    'ethics.refer',
    { key: input.idempotencyKey, fingerprint: { filingId, body } },
    async (scope) => {
      const filing = found(
        await scope.trx
          .selectFrom('filings')
          .innerJoin('products', 'products.id', 'filings.product_id')
          .select(['filings.id', 'filings.organization_id', 'filings.status', 'products.name', 'products.name_en'])
          .where('filings.id', '=', filingId)
          .forUpdate('filings')
          .executeTakeFirst(),
        { detail: { zh: '备案不存在', en: 'No such filing' } },
      );
      assertCan(scope.ctx.principal, 'ethics.refer', {
        type: 'filing',
        id: filing.id,
        organizationId: filing.organization_id,
      });
      if (filing.status === 'draft' || filing.status === 'withdrawn') {
        throw conflict('ethics_referral_not_allowed', {
          detail: {
            zh: '只能将已提交的备案提交伦理委员会（草稿或已撤回的备案不行）',
            en: 'Only a submitted filing can be referred (not a draft or a withdrawn one)',
          },
          extensions: { currentStatus: filing.status },
        });
      }
      const open = await openCaseOf(scope.trx, 'filing', filing.id);
      if (open !== undefined) {
        throw conflict('ethics_case_open', {
          detail: { zh: '该备案已有未结的伦理审查案件', en: 'The filing already has an open ethics case' },
          extensions: { caseId: open.id },
        });
      }
      const opened = await openCase(scope, {
        subjectType: 'filing',
        subjectId: filing.id,
        organizationId: filing.organization_id,
        subjectName: filing.name,
        subjectNameEn: filing.name_en,
        reason: body.reason,
        triggers: [],
        referredBy: scope.actorId,
      });
      return created(await caseView(scope.trx, opened, scope.ctx.principal));
    },
  );
}

// ----- reads -----

export async function getCase(deps: AppDeps, ctx: RequestContext, input: { id: string }): Promise<CaseViewT> {
  assertCan(ctx.principal, 'ethics.cases.read', caseResource(input.id));
  const c = found(await findCase(deps.db, input.id), CASE_MISSING);
  return caseView(deps.db, c, ctx.principal);
}

/** `GET /ethics/cases`: by due date (the committee's work list), filtered by status or subject. */
export async function listCasesFor(
  deps: AppDeps,
  ctx: RequestContext,
  query: CaseListQuery,
): Promise<{ items: CaseSummaryViewT[]; nextCursor: string | null }> {
  assertCan(ctx.principal, 'ethics.cases.read', systemResource('ethics_case'));
  const cursor = decodeCursor(
    query.cursor,
    2,
    ([dueDate, id]) =>
      typeof dueDate === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(dueDate) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id),
  );
  const rows = await listCases(deps.db, {
    status: query.status,
    subjectType: query.subjectType,
    subjectId: query.subjectId,
    after: cursor === undefined ? undefined : { dueDate: String(cursor[0]), id: String(cursor[1]) },
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const counts = await voteCounts(
    deps.db,
    page.map((c) => c.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((c) => summaryView(c, counts.get(c.id) ?? 0)),
    nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.dueDate, last.id]) : null,
  };
}

async function voteCounts(db: Executor, caseIds: readonly string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('ethics_votes')
    .select(['case_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('case_id', 'in', caseIds)
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((row) => [row.case_id, Number(row.n)]));
}

// ----- declarations and votes -----

/** `POST /ethics/cases/{id}/declarations`: once per member and case, before the opinion. */
export async function declare(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: DeclarationBody; idempotencyKey?: string },
): Promise<StoredResponse<DeclarationViewT>> {
  const { id, body } = input;
  return ethicsWrite(
    deps,
    ctx,
    'ethics.declare',
    { key: input.idempotencyKey, fingerprint: { id, body } },
    async (s) => {
      assertCan(s.ctx.principal, 'ethics.declare', caseResource(id));
      const user = requireUser(s.ctx.principal);
      const c = found(await lockCase(s.trx, id), CASE_MISSING);
      if (c.status !== 'open') throw caseDecided(c);
      const declarationId = newId();
      const inserted = await insertDeclaration(s.trx, {
        id: declarationId,
        caseId: c.id,
        memberId: user.userId,
        conflictOfInterest: body.conflictOfInterest,
        statement: body.statement,
        declaredAt: s.clock.now(),
      });
      if (!inserted) {
        throw conflict('already_declared', {
          detail: { zh: '您已就该案件作出申报', en: 'You have already declared your interests on this case' },
        });
      }
      await recordAudit(s.trx, s.audit, {
        action: 'ethics.declaration_made',
        resourceType: 'ethics_case',
        resourceId: c.id,
        summary: { caseId: c.id, declarationId, memberId: user.userId, conflictOfInterest: body.conflictOfInterest },
      });
      const declaration = found(await findDeclaration(s.trx, c.id, user.userId));
      return { status: 201, body: declarationView(declaration) };
    },
  );
}

/**
 * `POST /ethics/cases/{id}/votes`: one vote per member, after a declaration without a
 * conflict. The vote's value is in no audit row, event or notification before the opinion.
 */
export async function castVote(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: VoteBody; idempotencyKey?: string },
): Promise<StoredResponse<VoteViewT>> {
  const { id, body } = input;
  return ethicsWrite(deps, ctx, 'ethics.vote', { key: input.idempotencyKey, fingerprint: { id, body } }, async (s) => {
    assertCan(s.ctx.principal, 'ethics.vote', caseResource(id));
    const user = requireUser(s.ctx.principal);
    const c = found(await lockCase(s.trx, id), CASE_MISSING);
    if (c.status !== 'open') throw caseDecided(c);
    const declaration = await findDeclaration(s.trx, c.id, user.userId);
    if (declaration === undefined) {
      throw conflict('declaration_required', {
        detail: {
          zh: '表决前须先申报是否存在利益冲突',
          en: 'Declare whether you have a conflict of interest before voting',
        },
      });
    }
    if (declaration.conflictOfInterest) {
      throw new AppError(403, 'conflict_of_interest', {
        detail: {
          zh: '您已申报存在利益冲突，不能就该案件表决',
          en: 'You declared a conflict of interest on this case and cannot vote',
        },
      });
    }
    const voteId = newId();
    const castAt = s.clock.now();
    const inserted = await insertVote(s.trx, {
      id: voteId,
      caseId: c.id,
      memberId: user.userId,
      vote: body.vote,
      comment: body.comment,
      castAt,
    });
    if (!inserted) {
      throw conflict('already_voted', {
        detail: { zh: '您已就该案件表决，不能再次表决', en: 'You have already voted on this case' },
      });
    }
    // Who voted, never how (the value joins the record with the opinion's tally).
    await recordAudit(s.trx, s.audit, {
      action: 'ethics.vote_cast',
      resourceType: 'ethics_case',
      resourceId: c.id,
      summary: { caseId: c.id, voteId, memberId: user.userId },
    });
    return {
      status: 201,
      body: { id: voteId, caseId: c.id, vote: body.vote, comment: body.comment, castAt: castAt.toISOString() },
    };
  });
}

// ----- the opinion -----

const OUTCOME_TEXT: Record<EthicsOutcome, { zh: string; en: string }> = {
  favourable: { zh: '赞成', en: 'favourable' },
  favourable_with_conditions: { zh: '附条件赞成', en: 'favourable with conditions' },
  unfavourable: { zh: '不赞成', en: 'unfavourable' },
};

/**
 * `POST /ethics/cases/{id}/opinion`: the secretary publishes once the quorum is met (at least
 * 3 votes and two thirds of the eligible members, abstentions included). The outcome follows
 * from the votes; a `favourable_with_conditions` outcome needs at least one condition.
 */
export async function publishOpinion(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: OpinionBody; idempotencyKey?: string },
): Promise<StoredResponse<CaseViewT>> {
  const { id, body } = input;
  return ethicsWrite(
    deps,
    ctx,
    'ethics.publish',
    { key: input.idempotencyKey, fingerprint: { id, body } },
    async (s) => {
      assertCan(s.ctx.principal, 'ethics.publish', caseResource(id));
      const c = found(await lockCase(s.trx, id), CASE_MISSING);
      if (c.status !== 'open') {
        throw conflict('ethics_case_decided', {
          detail: { zh: '该案件已出具意见', en: 'The opinion on this case is already published' },
          extensions: { caseId: c.id, outcome: c.outcome },
        });
      }
      const votes = await listVotes(s.trx, c.id);
      const eligibleMembers = await countEligibleMembers(s.trx, c.id);
      const tally = tallyVotes(votes.map((v) => v.vote));
      const check = quorum(eligibleMembers, tally);
      if (!check.met) {
        throw unprocessable('quorum_not_met', {
          detail: {
            zh: `未达到法定人数：已有 ${check.votesCast} 票，至少需要 ${check.required} 票（不少于 3 票且不少于符合资格委员的三分之二，共 ${eligibleMembers} 名）`,
            en: `Quorum not met: ${check.votesCast} votes cast, at least ${check.required} needed (3 or more and two thirds of the ${eligibleMembers} eligible members)`,
          },
          extensions: { votesCast: check.votesCast, required: check.required, eligibleMembers },
        });
      }
      const outcome = outcomeOf(tally);
      const conditions = body.conditions ?? [];
      if (outcome === 'favourable_with_conditions' && conditions.length === 0) {
        throw unprocessable('conditions_required', {
          detail: {
            zh: '表决结果为附条件赞成，须列明条件',
            en: 'The votes give a favourable opinion with conditions: list the conditions',
          },
          errors: [
            { pointer: '/conditions', message: { zh: '请至少列明一项条件', en: 'must list at least one condition' } },
          ],
        });
      }
      const now = s.clock.now();
      const decided = await updateCase(s.trx, c.id, {
        status: 'decided',
        outcome,
        public_summary: body.publicSummary,
        conditions: JSON.stringify(conditions),
        tally: JSON.stringify(tally),
        eligible_members: eligibleMembers,
        decided_at: now,
        decided_by: s.actorId,
        updated_at: now,
      });
      const facts = {
        caseId: c.id,
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        organizationId: c.organizationId,
        outcome,
        decidedAt: now.toISOString(),
        votes: { ...tally },
        eligibleMembers,
      };
      await recordAudit(s.trx, s.audit, {
        action: 'ethics.opinion_published',
        resourceType: 'ethics_case',
        resourceId: c.id,
        organizationId: c.organizationId,
        summary: facts,
      });
      await enqueueEvent(s.trx, s.clock, EthicsOpinionPublished, c.id, facts);
      const text = OUTCOME_TEXT[outcome];
      const subjectLink = c.subjectType === 'filing' ? `/filings/${c.subjectId}` : `/trials/${c.subjectId}`;
      const notifications: NotificationInput[] = [
        {
          target: { organizationId: c.organizationId },
          kind: 'ethics.opinion_published',
          titleZh: `伦理委员会意见（${text.zh}）：${c.subjectName}`,
          titleEn: `Ethics committee opinion (${text.en}): ${c.subjectNameEn ?? c.subjectName}`,
          link: subjectLink,
        },
        {
          target: { role: 'reviewer' },
          kind: 'ethics.opinion_published',
          titleZh: `伦理委员会已出具意见（${text.zh}）：${c.subjectName}`,
          titleEn: `The ethics committee gave its opinion (${text.en}): ${c.subjectNameEn ?? c.subjectName}`,
          link: subjectLink,
        },
        {
          target: { role: 'ethics_member' },
          kind: 'ethics.opinion_published',
          titleZh: `意见已公布（${text.zh}）：${c.subjectName}`,
          titleEn: `Opinion published (${text.en}): ${c.subjectNameEn ?? c.subjectName}`,
          link: caseLink(c.id),
        },
      ];
      await notify(s.trx, s.clock, notifications);
      const view = await caseView(s.trx, decided, s.ctx.principal);
      return { status: 200, body: view, headers: { etag: etagOf(view.version) } };
    },
  );
}

// ----- public -----

/** `GET /public/ethics-opinions`: published opinions, newest first; no member is named. */
export async function publicOpinions(
  deps: AppDeps,
  _ctx: RequestContext,
  query: PublicQuery,
): Promise<{ items: PublicOpinionT[]; nextCursor: string | null }> {
  const cursor = decodeCursor(
    query.cursor,
    2,
    ([decidedAt, id]) =>
      typeof decidedAt === 'string' &&
      !Number.isNaN(Date.parse(decidedAt)) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id),
  );
  const rows = await listPublishedOpinions(deps.db, {
    after: cursor === undefined ? undefined : { decidedAt: String(cursor[0]), id: String(cursor[1]) },
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      subjectType: row.subjectType,
      subjectName: row.subjectName,
      subjectNameEn: row.subjectNameEn,
      provider: { name: row.providerName, nameEn: row.providerNameEn, uscc: row.providerUscc },
      outcome: row.outcome ?? 'unfavourable',
      publicSummary: row.publicSummary ?? '',
      conditions: row.conditions ?? [],
      decidedAt: (row.decidedAt ?? row.updatedAt).toISOString(),
      votes: row.tally ?? { favourable: 0, favourableWithConditions: 0, unfavourable: 0, abstain: 0 },
    })),
    nextCursor:
      rows.length > query.limit && last !== undefined
        ? encodeCursor([(last.decidedAt ?? last.updatedAt).toISOString(), last.id])
        : null,
  };
}

// ----- membership -----

function memberView(m: MemberRecord): MemberViewT {
  return {
    id: m.id,
    name: m.name,
    email: m.email,
    ethicsMember: m.roles.includes('ethics_member'),
    ethicsSecretary: m.roles.includes('ethics_secretary'),
    active: m.active,
  };
}

export async function committeeMembers(deps: AppDeps, ctx: RequestContext): Promise<{ items: MemberViewT[] }> {
  assertCan(ctx.principal, 'ethics.members.read', systemResource('ethics_member'));
  return { items: (await listMembers(deps.db)).map(memberView) };
}

/** `GET /ethics/members/{id}/declarations`: a member's declarations on every case, newest first. */
export async function memberDeclarations(deps: AppDeps, ctx: RequestContext, input: { id: string }) {
  assertCan(ctx.principal, 'ethics.members.read', systemResource('ethics_member'));
  const member = (await listMembers(deps.db)).find((m) => m.id === input.id);
  if (member === undefined) throw notFound({ detail: { zh: '不是伦理委员会成员', en: 'Not a committee member' } });
  const items = await listDeclarationsOfMember(deps.db, input.id);
  return {
    member: memberView(member),
    items: items.map((d) => ({
      ...declarationView(d),
      subjectType: d.subjectType,
      subjectName: d.subjectName,
      caseStatus: d.caseStatus as 'open' | 'decided',
    })),
  };
}

/**
 * `PUT /ethics/members/{id}`: the regulator administrator gives or takes a regulator-side
 * user's committee roles. Declarations and votes already made stay.
 */
export async function setMembership(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: MembershipBody },
): Promise<MemberViewT> {
  assertCan(ctx.principal, 'ethics.members.manage', systemResource('ethics_member'));
  return deps.db.transaction().execute(async (trx: Transaction<Database>) => {
    const user = found(
      await trx
        .selectFrom('users')
        .select(['id', 'name', 'email', 'roles', 'status', 'organization_id'])
        .where('id', '=', input.id)
        .forUpdate()
        .executeTakeFirst(),
      { detail: { zh: '用户不存在', en: 'No such user' } },
    );
    if (user.organization_id !== null) {
      throw unprocessable('not_regulator_staff', {
        detail: {
          zh: '伦理委员会成员须为监管部门人员，不能是备案机构的用户',
          en: 'Committee members are regulator staff, not users of a filing organisation',
        },
      });
    }
    const before = user.roles;
    const after = [
      ...before.filter((role) => role !== 'ethics_member' && role !== 'ethics_secretary'),
      ...(input.body.ethicsMember ? ['ethics_member'] : []),
      ...(input.body.ethicsSecretary ? ['ethics_secretary'] : []),
    ];
    const now = deps.clock.now();
    await trx
      .updateTable('users')
      .set({ roles: JSON.stringify(after), updated_at: now, version: sql<number>`version + 1` })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'ethics.membership_changed',
      resourceType: 'user',
      resourceId: user.id,
      summary: { before, after },
    });
    return memberView({
      id: user.id,
      name: user.name,
      email: user.email,
      roles: after,
      active: user.status === 'active',
    });
  });
}
