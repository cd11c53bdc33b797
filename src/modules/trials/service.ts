/**
 * Writes to trials (API-CONTRACT-2 §2). Each runs in one transaction with the trial row locked
 * (SELECT … FOR UPDATE), checks the life cycle through the pure table in src/domain/trials.ts,
 * audits every change and announces it through the outbox.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { EthicsCaseState, EthicsOutcome } from '../../domain/ethics.ts';
import {
  IllegalTrialTransitionError,
  adverseEventReportDeadline,
  checkEligibility,
  checkEnrolment,
  checkExtension,
  finalReportDeadline,
  isAdverseEventReportedLate,
  nextTrialStatus,
  reviewConclusion,
  reviewEvent,
  siteReviewDeadline,
  trialStatusAt,
  type SiteReviewDecision,
  type TrialEvent,
  type TrialHostFacts,
  type TrialKind,
  type TrialRefusal,
  type TrialStatus,
} from '../../domain/trials.ts';
import type { WarningLevel } from '../../domain/warnings.ts';
import { shanghaiDate, type WorkingDayCalendar } from '../../lib/calendar.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import { assertCan } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { isRegulator } from '../../platform/principal.ts';
import { newId } from '../../platform/ids.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { auditContext, systemContext, type RequestContext } from '../../platform/request-context.ts';
import { confirmProvisional, withWorkingDayCalendar } from '../calendar/index.ts';
import { getOrganizationSummary } from '../identity/index.ts';
import { notify } from '../notifications/index.ts';
import { getProduct } from '../products/index.ts';
import { TrialAdverseEventReported, TrialStatusChanged, TrialSubmitted } from './events.ts';
import {
  addEnrolled,
  insertAdverseEvent,
  insertEnrolment,
  insertReport,
  insertTrial,
  listHosts,
  lockRunningTrialsOfProduct,
  lockTrial,
  recordSiteReview,
  setHostDueDates,
  updateTrial,
  type AdverseEventRow,
  type TrialChanges,
  type TrialReportRow,
  type TrialRow,
} from './repo.ts';
import { assertTrialAction, todayOf, trialMissing, trialView, type TrialParty, type TrialView } from './views.ts';

interface Scope {
  trx: Transaction<Database>;
  calendar: WorkingDayCalendar;
  ctx: RequestContext;
  audit: AuditContext;
  now: Date;
  today: string;
  actorId: string | null;
}

/**
 * The frame of every trial write: the working-day calendar at hand (reloaded and run again if
 * a year is missing from the cache), one transaction, replayed for a repeated
 * `Idempotency-Key` when the route passes one.
 */
async function trialWrite<T>(
  deps: AppDeps,
  ctx: RequestContext,
  action: string,
  idempotency: { key: string | undefined; fingerprint: unknown } | undefined,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  return withWorkingDayCalendar(deps, async (calendar) => {
    const run = async (trx: Transaction<Database>) => {
      const now = deps.clock.now();
      const body = await work({
        trx,
        calendar,
        ctx,
        audit: auditContext(ctx, deps.clock),
        now,
        today: todayOf(deps),
        actorId,
      });
      return { status: 200, body };
    };
    const result =
      idempotency === undefined
        ? await deps.db.transaction().execute(run)
        : await runIdempotent(
            deps.db,
            deps.clock,
            {
              key: idempotency.key,
              scope: `${action}:${actorId ?? 'anonymous'}`,
              fingerprint: idempotency.fingerprint,
            },
            run,
          );
    return result.body;
  });
}

function refusal(refused: TrialRefusal, extensions: Record<string, unknown> = {}): AppError {
  return new AppError(refused.status, refused.code, {
    detail: { zh: refused.messageZh, en: refused.message },
    ...(refused.pointer === undefined
      ? {}
      : { errors: [{ pointer: refused.pointer, message: { zh: refused.messageZh, en: refused.message } }] }),
    extensions,
  });
}

/** The next stored status, or the 409 the table calls for (`trial_not_active` for enrolment). */
function transition(current: TrialStatus, event: TrialEvent): ReturnType<typeof nextTrialStatus> {
  try {
    return nextTrialStatus(current, event);
  } catch (error) {
    if (!(error instanceof IllegalTrialTransitionError)) throw error;
    throw conflict(error.code, {
      detail:
        error.code === 'trial_not_active'
          ? {
              zh: '试验当前不在进行中，不能入组',
              en: `The trial is ${current}: enrolment is possible only while it is active`,
            }
          : {
              zh: `试验当前状态（${current}）不允许此操作`,
              en: `A trial in status ${current} does not allow ${event}`,
            },
      extensions: { currentStatus: current },
    });
  }
}

async function lockFor(
  scope: Scope,
  id: string,
  action: string,
  allowed: readonly TrialParty[] | 'regulator',
): Promise<{ trial: TrialRow; hostIds: string[] }> {
  const trial = await lockTrial(scope.trx, id);
  if (trial === undefined) throw trialMissing();
  const hosts = (await listHosts(scope.trx, [id])).get(id) ?? [];
  const hostIds = hosts.map((h) => h.organizationId);
  assertTrialAction(scope.ctx.principal, action, trial, hostIds, allowed);
  return { trial, hostIds };
}

/** Applies a change of stored status (and other columns), audits it and announces it. */
async function applyChange(
  scope: Pick<Scope, 'trx' | 'audit' | 'now'>,
  trial: TrialRow,
  from: TrialStatus,
  event: TrialEvent,
  changes: TrialChanges,
  summary: Record<string, unknown> = {},
): Promise<TrialRow> {
  const after = await updateTrial(scope.trx, trial.id, changes, scope.now);
  await recordAudit(scope.trx, scope.audit, {
    action: `trial.${event}`,
    resourceType: 'trial',
    resourceId: trial.id,
    organizationId: trial.organizationId,
    summary: { from, to: after.status, ...summary },
  });
  if (changes.status !== undefined && changes.status !== trial.status) {
    await enqueueEvent(scope.trx, scope.audit.clock, TrialStatusChanged, trial.id, {
      trialId: trial.id,
      productId: trial.productId,
      organizationId: trial.organizationId,
      from,
      to: after.status,
      event,
      version: after.version,
    });
  }
  return after;
}

async function viewOf(scope: Scope, trial: TrialRow): Promise<TrialView> {
  const hosts = (await listHosts(scope.trx, [trial.id])).get(trial.id) ?? [];
  return trialView(scope.trx, trial, hosts, scope.today, { details: true });
}

const trialLink = (id: string) => `/trials/${id}`;

// ---------------------------------------------------------------------------------------
// Application

export interface CreateTrialInput {
  productId: string;
  kind: TrialKind;
  title: string;
  titleEn?: string;
  protocolSummary: string;
  hostOrganizationIds: string[];
  maxParticipants: number;
  startDate: string;
  endDate: string;
  internationalStandards: { code: string; title: string }[];
  noApplicableNationalStandard: boolean;
}

/**
 * `POST /api/v1/trials`: a member of the verified provider organisation applies. Every
 * eligibility failure at once: 422 `trial_not_eligible`, one `errors[]` item `{pointer, code,
 * message}` per failure. Nothing is stored on a refusal.
 */
export async function createTrial(deps: AppDeps, ctx: RequestContext, input: CreateTrialInput): Promise<TrialView> {
  const product = await getProduct(deps.db, input.productId);
  const own = ctx.principal.kind === 'user' ? ctx.principal.organizationId : null;
  // Another organisation's product is as unknown as a missing one (its existence must not leak).
  if (product === undefined || (product.organizationId !== own && !isRegulator(ctx.principal))) {
    throw unprocessable('unknown_product', {
      detail: { zh: '产品不存在', en: 'No such product' },
      errors: [
        { pointer: '/productId', message: { zh: '本机构没有该产品', en: 'Your organisation has no such product' } },
      ],
    });
  }
  assertCan(ctx.principal, 'trials.create', {
    type: 'product',
    id: product.id,
    organizationId: product.organizationId,
  });
  const hosts: (TrialHostFacts | undefined)[] = [];
  for (const id of input.hostOrganizationIds) {
    const org = await getOrganizationSummary(deps.db, id);
    hosts.push(
      org === undefined
        ? undefined
        : { type: org.type as TrialHostFacts['type'], status: org.status as TrialHostFacts['status'] },
    );
  }
  const unknownHosts: FieldProblem[] = input.hostOrganizationIds.flatMap((_, i) =>
    hosts[i] === undefined
      ? [{ pointer: `/hostOrganizationIds/${i}`, message: { zh: '机构不存在', en: 'No such organisation' } }]
      : [],
  );
  if (unknownHosts.length > 0) {
    throw unprocessable('unknown_organization', {
      detail: { zh: '承担单位不存在', en: 'A host organisation does not exist' },
      errors: unknownHosts,
    });
  }
  const today = todayOf(deps);
  const failures = checkEligibility(input, { today, productTier: product.tier, hosts });
  if (failures.length > 0) {
    throw unprocessable('trial_not_eligible', {
      detail: {
        zh: `试验申请不符合 ${failures.length} 项条件：请查看标出的字段`,
        en: `The application fails ${failures.length} eligibility rule(s): see the fields listed`,
      },
      errors: failures.map((failure) => ({
        pointer: failure.pointer,
        code: failure.code,
        message: { zh: failure.messageZh, en: failure.message },
      })),
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const id = newId();
    const trial: TrialRow = {
      id,
      organizationId: product.organizationId,
      productId: product.id,
      kind: input.kind,
      status: 'draft',
      title: input.title,
      titleEn: input.titleEn ?? null,
      protocolSummary: input.protocolSummary,
      maxParticipants: input.maxParticipants,
      enrolled: 0,
      startDate: input.startDate,
      endDate: input.endDate,
      originalEndDate: input.endDate,
      extended: false,
      internationalStandards: input.internationalStandards,
      noApplicableNationalStandard: input.noApplicableNationalStandard,
      ethicsStatus: null,
      suspendedAt: null,
      suspensionReason: null,
      submittedAt: null,
      decidedAt: null,
      finalReportDueDate: null,
      finalReportDueDateProvisional: false,
      completedAt: null,
      outcomeSummary: null,
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await insertTrial(
      trx,
      trial,
      input.hostOrganizationIds,
      ctx.principal.kind === 'user' ? ctx.principal.userId : null,
    );
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'trial.created',
      resourceType: 'trial',
      resourceId: id,
      organizationId: product.organizationId,
      summary: {
        productId: product.id,
        kind: input.kind,
        hostOrganizationIds: input.hostOrganizationIds,
        maxParticipants: input.maxParticipants,
        startDate: input.startDate,
        endDate: input.endDate,
      },
    });
    const hostRows = input.hostOrganizationIds.map((organizationId, position) => ({
      organizationId,
      position,
      dueDate: null,
      dueDateProvisional: false,
      decision: null,
      reasons: null,
      reviewedAt: null,
    }));
    return trialView(trx, trial, hostRows, today);
  });
}

/**
 * `POST /api/v1/trials/{id}/submit`: a site review per host, each due 10 working days after
 * the submission date; a healthcare trial is referred to the ethics committee (`trial.submitted`
 * with `ethicsReferral: true`; its opinion is pending until `recordTrialEthicsOpinion`).
 */
export async function submitTrial(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; idempotencyKey?: string },
): Promise<TrialView> {
  return trialWrite(
    deps,
    ctx,
    'trials.submit',
    { key: input.idempotencyKey, fingerprint: { id: input.id } },
    async (scope) => {
      const { trial, hostIds } = await lockFor(scope, input.id, 'trials.submit', ['provider']);
      const from = trialStatusAt(trial, scope.today);
      const next = transition(from, 'submit');
      // The start date may have passed while the draft waited: a trial is approved before it starts.
      if (trial.startDate < scope.today) {
        throw unprocessable('trial_not_eligible', {
          detail: { zh: '开始日期已过，请重新申请', en: 'The start date has passed: apply again with a later one' },
          errors: [
            {
              pointer: '/startDate',
              code: 'start_in_past',
              message: { zh: '开始日期不能早于今天', en: 'The start date must be today or later' },
            } as FieldProblem,
          ],
        });
      }
      const due = scope.calendar.addWorkingDaysProvisional(
        siteReviewDeadline(scope.today).from,
        siteReviewDeadline(scope.today).workingDays,
      );
      if (due.provisional) await confirmProvisional(scope.trx, scope.calendar, scope.today, due.date);
      await setHostDueDates(scope.trx, trial.id, due.date, due.provisional);
      const ethicsReferral = trial.kind === 'healthcare';
      const after = await applyChange(
        scope,
        trial,
        from,
        'submit',
        {
          status: next,
          submitted_at: scope.now,
          ...(ethicsReferral ? { ethics_status: 'pending' } : {}),
          ...(await finalReportDue(scope, trial.endDate)),
        },
        { siteReviewDueDate: due.date, siteReviewDueDateProvisional: due.provisional, ethicsReferral },
      );
      await enqueueEvent(scope.trx, deps.clock, TrialSubmitted, trial.id, {
        trialId: trial.id,
        productId: trial.productId,
        organizationId: trial.organizationId,
        kind: trial.kind,
        hostOrganizationIds: hostIds,
        ethicsReferral,
        submittedAt: scope.now.toISOString(),
      });
      await notify(
        scope.trx,
        deps.clock,
        hostIds.map((organizationId) => ({
          target: { organizationId, role: 'org_admin' as const },
          kind: 'trial.site_review_requested',
          titleZh: `请在 ${due.date}${due.provisional ? '（暂定）' : ''} 前完成试验的机构审查：${trial.title}`,
          titleEn: `Site review due ${due.date}${due.provisional ? ' (provisional)' : ''}: ${trial.titleEn ?? trial.title}`,
          link: trialLink(trial.id),
        })),
      );
      return viewOf(scope, after);
    },
  );
}

function ethicsCasesOf(trial: TrialRow): EthicsCaseState[] {
  if (trial.ethicsStatus === null) return [];
  if (trial.ethicsStatus === 'pending') return [{ status: 'open', outcome: null }];
  return [{ status: 'decided', outcome: trial.ethicsStatus as EthicsOutcome }];
}

/** Moves a trial under review to approved / rejected when its reviews say so (in the caller's transaction). */
async function concludeReview(scope: Pick<Scope, 'trx' | 'audit' | 'now'>, trial: TrialRow, today: string) {
  const hosts = (await listHosts(scope.trx, [trial.id])).get(trial.id) ?? [];
  const conclusion = reviewConclusion({
    kind: trial.kind,
    hostOrganizationIds: hosts.map((h) => h.organizationId),
    siteReviews: hosts.flatMap((h) =>
      h.decision === null ? [] : [{ hostOrganizationId: h.organizationId, decision: h.decision }],
    ),
    ethicsCases: ethicsCasesOf(trial),
  });
  const event = reviewEvent(conclusion);
  const from = trialStatusAt(trial, today);
  const next = transition(from, event);
  if (conclusion === 'pending') return trial;
  const after = await applyChange(scope, trial, from, event, { status: next, decided_at: scope.now }, { conclusion });
  await notify(scope.trx, scope.audit.clock, [
    {
      target: { organizationId: trial.organizationId },
      kind: `trial.${next}`,
      titleZh: next === 'approved' ? `试验已获批准：${trial.title}` : `试验未获批准：${trial.title}`,
      titleEn:
        next === 'approved'
          ? `Trial approved: ${trial.titleEn ?? trial.title}`
          : `Trial rejected: ${trial.titleEn ?? trial.title}`,
      link: trialLink(trial.id),
    },
  ]);
  return after;
}

/**
 * `POST /api/v1/trials/{id}/site-reviews`: the org_admin of a host decides for its site, once.
 * Every host approved (and, for healthcare, a favourable ethics opinion) → `approved`; one
 * rejection → `rejected`.
 */
export async function reviewSite(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; decision: SiteReviewDecision; reasons: string; idempotencyKey?: string },
): Promise<TrialView> {
  const { id, decision, reasons } = input;
  return trialWrite(
    deps,
    ctx,
    'trials.siteReview',
    { key: input.idempotencyKey, fingerprint: { id, decision, reasons } },
    async (scope) => {
      const { trial } = await lockFor(scope, id, 'trials.siteReview', ['host']);
      const from = trialStatusAt(trial, scope.today);
      transition(from, 'record_site_review');
      const organizationId = ctx.principal.kind === 'user' ? ctx.principal.organizationId! : '';
      const host = ((await listHosts(scope.trx, [id])).get(id) ?? []).find((h) => h.organizationId === organizationId);
      if (host?.decision !== null) {
        throw conflict('site_review_given', {
          detail: { zh: '本机构已完成对该试验的审查', en: 'Your organisation has already reviewed this trial' },
        });
      }
      await recordSiteReview(scope.trx, id, organizationId, {
        decision,
        reasons,
        reviewedBy: scope.actorId,
        reviewedAt: scope.now,
      });
      await recordAudit(scope.trx, scope.audit, {
        action: 'trial.site_reviewed',
        resourceType: 'trial',
        resourceId: id,
        organizationId: trial.organizationId,
        summary: { hostOrganizationId: organizationId, decision },
      });
      const bumped = await updateTrial(scope.trx, id, {}, scope.now);
      const after = await concludeReview(scope, bumped, scope.today);
      return viewOf(scope, after);
    },
  );
}

/**
 * The ethics committee's opinion on a healthcare trial (API-CONTRACT-2 §3: "a healthcare trial
 * needs a favourable opinion"). For the ethics module to call in its opinion's transaction
 * (or from a consumer of its opinion event): records the outcome and concludes the review
 * when the hosts have all decided. An unfavourable opinion rejects the trial. Anything but
 * a healthcare trial under review is left alone (returns `undefined`).
 */
export async function recordTrialEthicsOpinion(
  trx: Transaction<Database>,
  audit: AuditContext,
  input: { trialId: string; outcome: EthicsOutcome; caseId?: string },
): Promise<TrialRow | undefined> {
  const trial = await lockTrial(trx, input.trialId);
  if (trial === undefined || trial.kind !== 'healthcare' || trial.status !== 'under_review') return undefined;
  const now = audit.clock.now();
  const recorded = await updateTrial(trx, trial.id, { ethics_status: input.outcome }, now);
  await recordAudit(trx, audit, {
    action: 'trial.ethics_opinion_recorded',
    resourceType: 'trial',
    resourceId: trial.id,
    organizationId: trial.organizationId,
    summary: { outcome: input.outcome, caseId: input.caseId ?? null },
  });
  return concludeReview({ trx, audit, now }, recorded, shanghaiDate(now));
}

// ---------------------------------------------------------------------------------------
// Running the trial

/**
 * `POST /api/v1/trials/{id}/enrolments` (a member of a host): only while `active` (409
 * `trial_not_active`); past the cap → 409 `participant_cap_reached`. The trial row is locked
 * and the counter added to in one conditional UPDATE, under a CHECK constraint: concurrent
 * enrolments from any number of processes never pass `maxParticipants`.
 */
export async function enrol(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; count: number; enrolledOn: string },
) {
  return trialWrite(deps, ctx, 'trials.enrol', undefined, async (scope) => {
    const { trial } = await lockFor(scope, input.id, 'trials.enrol', ['host']);
    const status = trialStatusAt(trial, scope.today);
    const refused = checkEnrolment(
      { status, enrolled: trial.enrolled, maxParticipants: trial.maxParticipants },
      input.count,
    );
    if (refused !== undefined) {
      throw refusal(refused, {
        currentStatus: status,
        enrolled: trial.enrolled,
        maxParticipants: trial.maxParticipants,
      });
    }
    if (input.enrolledOn > scope.today || input.enrolledOn < trial.startDate) {
      throw unprocessable('invalid_enrolment_date', {
        detail: {
          zh: `入组日期须在 ${trial.startDate} 至今天之间`,
          en: `The enrolment date must be between ${trial.startDate} and today`,
        },
        errors: [{ pointer: '/enrolledOn', message: { zh: '入组日期无效', en: 'Invalid enrolment date' } }],
      });
    }
    const after = await addEnrolled(scope.trx, trial.id, input.count, scope.now);
    if (after === undefined) throw new Error('enrolment passed the cap check but not the conditional update');
    const organizationId = ctx.principal.kind === 'user' ? ctx.principal.organizationId! : '';
    const enrolmentId = newId();
    await insertEnrolment(scope.trx, {
      id: enrolmentId,
      trialId: trial.id,
      hostOrganizationId: organizationId,
      count: input.count,
      enrolledOn: input.enrolledOn,
      createdBy: scope.actorId,
      createdAt: scope.now,
    });
    await recordAudit(scope.trx, scope.audit, {
      action: 'trial.enrolled',
      resourceType: 'trial',
      resourceId: trial.id,
      organizationId: trial.organizationId,
      summary: { hostOrganizationId: organizationId, count: input.count, enrolled: after.enrolled },
    });
    return {
      id: enrolmentId,
      trialId: trial.id,
      hostOrganizationId: organizationId,
      count: input.count,
      enrolledOn: input.enrolledOn,
      createdAt: scope.now.toISOString(),
      enrolled: after.enrolled,
      maxParticipants: after.maxParticipants,
    };
  });
}

/**
 * `POST /api/v1/trials/{id}/adverse-events` (provider or host member): `reportDeadline` =
 * `awareAt` + 24 h for a serious one, `reportedLate` when it arrives after it. A serious one
 * suspends the trial at once and notifies reviewers.
 */
export async function reportAdverseEvent(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; occurredAt: string; awareAt: string; serious: boolean; description: string },
) {
  return trialWrite(deps, ctx, 'trials.reportAdverseEvent', undefined, async (scope) => {
    const { trial } = await lockFor(scope, input.id, 'trials.reportAdverseEvent', ['provider', 'host']);
    const occurredAt = new Date(input.occurredAt);
    const awareAt = new Date(input.awareAt);
    const errors: FieldProblem[] = [];
    if (occurredAt.getTime() > scope.now.getTime())
      errors.push({
        pointer: '/occurredAt',
        message: { zh: '发生时间不能晚于现在', en: 'occurredAt is in the future' },
      });
    if (awareAt.getTime() > scope.now.getTime())
      errors.push({ pointer: '/awareAt', message: { zh: '知悉时间不能晚于现在', en: 'awareAt is in the future' } });
    else if (awareAt.getTime() < occurredAt.getTime())
      errors.push({
        pointer: '/awareAt',
        message: { zh: '知悉时间不能早于发生时间', en: 'awareAt is before occurredAt' },
      });
    if (errors.length > 0) {
      throw unprocessable('invalid_adverse_event', {
        detail: { zh: '不良事件的时间不正确', en: 'The adverse event’s times are not consistent' },
        errors,
      });
    }
    const from = trialStatusAt(trial, scope.today);
    const event: TrialEvent = input.serious ? 'report_serious_adverse_event' : 'report_adverse_event';
    const next = transition(from, event);
    const deadline = adverseEventReportDeadline({ serious: input.serious }, awareAt);
    const reportedLate = isAdverseEventReportedLate(deadline, scope.now);
    const organizationId = ctx.principal.kind === 'user' ? ctx.principal.organizationId! : '';
    const row: AdverseEventRow = {
      id: newId(),
      trialId: trial.id,
      reportedByOrganizationId: organizationId,
      occurredAt: occurredAt.toISOString(),
      awareAt: awareAt.toISOString(),
      serious: input.serious,
      description: input.description,
      reportDeadline: deadline === null ? null : deadline.toISOString(),
      reportedLate,
      reportedAt: scope.now.toISOString(),
    };
    await insertAdverseEvent(scope.trx, row, scope.actorId);
    let after = trial;
    if (input.serious && trial.status !== 'suspended') {
      after = await applyChange(
        scope,
        trial,
        from,
        event,
        { status: next, suspended_at: scope.now, suspension_reason: 'serious_adverse_event' },
        { adverseEventId: row.id, reportedLate },
      );
    } else {
      await recordAudit(scope.trx, scope.audit, {
        action: 'trial.adverse_event_reported',
        resourceType: 'trial',
        resourceId: trial.id,
        organizationId: trial.organizationId,
        summary: { adverseEventId: row.id, serious: input.serious, reportedLate },
      });
    }
    await enqueueEvent(scope.trx, deps.clock, TrialAdverseEventReported, trial.id, {
      trialId: trial.id,
      adverseEventId: row.id,
      productId: trial.productId,
      organizationId: trial.organizationId,
      serious: input.serious,
      reportedLate,
    });
    if (input.serious) {
      await notify(scope.trx, deps.clock, [
        {
          target: { role: 'reviewer' },
          kind: 'trial.suspended',
          titleZh: `严重不良事件，试验已暂停：${trial.title}`,
          titleEn: `Serious adverse event: trial suspended: ${trial.titleEn ?? trial.title}`,
          link: trialLink(trial.id),
        },
        {
          target: { organizationId: trial.organizationId },
          kind: 'trial.suspended',
          titleZh: `严重不良事件，试验已暂停：${trial.title}`,
          titleEn: `Serious adverse event: trial suspended: ${trial.titleEn ?? trial.title}`,
          link: trialLink(trial.id),
        },
      ]);
    }
    return { ...row, trialStatus: trialStatusAt(after, scope.today) };
  });
}

/** `POST /api/v1/trials/{id}/resumption` (reviewer): the suspension is lifted; the clock decides active or ended. */
export async function resumeTrial(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; reasons: string; idempotencyKey?: string },
): Promise<TrialView> {
  return trialWrite(
    deps,
    ctx,
    'trials.resume',
    { key: input.idempotencyKey, fingerprint: { id: input.id, reasons: input.reasons } },
    async (scope) => {
      const { trial } = await lockFor(scope, input.id, 'trials.resume', 'regulator');
      const from = trialStatusAt(trial, scope.today);
      const next = transition(from, 'resume');
      const after = await applyChange(
        scope,
        trial,
        from,
        'resume',
        { status: next, suspended_at: null, suspension_reason: null },
        { reasons: input.reasons },
      );
      await notify(scope.trx, deps.clock, [
        {
          target: { organizationId: trial.organizationId },
          kind: 'trial.resumed',
          titleZh: `试验已恢复：${trial.title}`,
          titleEn: `Trial resumed: ${trial.titleEn ?? trial.title}`,
          link: trialLink(trial.id),
        },
      ]);
      return viewOf(scope, after);
    },
  );
}

/**
 * `POST /api/v1/trials/{id}/extension` (provider): once, later, at most 183 more days. The
 * final report's due date follows the new end date.
 */
export async function extendTrial(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; endDate: string; idempotencyKey?: string },
): Promise<TrialView> {
  return trialWrite(
    deps,
    ctx,
    'trials.extend',
    { key: input.idempotencyKey, fingerprint: { id: input.id, endDate: input.endDate } },
    async (scope) => {
      const { trial } = await lockFor(scope, input.id, 'trials.extend', ['provider']);
      const from = trialStatusAt(trial, scope.today);
      // Used once is "used" whatever the status (a second → 409 extension_used).
      const refused = checkExtension(trial, input.endDate);
      if (refused?.code === 'extension_used') throw refusal(refused);
      const next = transition(from, 'extend');
      if (refused !== undefined) throw refusal(refused);
      const due = await finalReportDue(scope, input.endDate);
      const after = await applyChange(
        scope,
        trial,
        from,
        'extend',
        { status: next, end_date: input.endDate, extended: true, ...due },
        { endDateBefore: trial.endDate, endDate: input.endDate },
      );
      return viewOf(scope, after);
    },
  );
}

async function finalReportDue(
  scope: Pick<Scope, 'calendar' | 'trx'>,
  endDate: string,
): Promise<{ final_report_due_date: string; final_report_due_date_provisional: boolean }> {
  const deadline = finalReportDeadline({ endDate });
  const due = scope.calendar.addWorkingDaysProvisional(deadline.from, deadline.workingDays);
  if (due.provisional) await confirmProvisional(scope.trx, scope.calendar, deadline.from, due.date);
  return { final_report_due_date: due.date, final_report_due_date_provisional: due.provisional };
}

/**
 * `POST /api/v1/trials/{id}/reports` (provider): interim reports while the trial runs; the
 * final report completes it (before `endDate` it ends the trial early) and its outcome summary
 * is published on the public register.
 */
export async function submitReport(
  deps: AppDeps,
  ctx: RequestContext,
  input: {
    id: string;
    kind: 'interim' | 'final';
    participants: number;
    outcomeSummary: string;
    adverseEventsSummary: string;
    idempotencyKey?: string;
  },
) {
  const { idempotencyKey, ...fingerprint } = input;
  return trialWrite(deps, ctx, 'trials.report', { key: idempotencyKey, fingerprint }, async (scope) => {
    const { trial } = await lockFor(scope, input.id, 'trials.report', ['provider']);
    const from = trialStatusAt(trial, scope.today);
    const event: TrialEvent = input.kind === 'final' ? 'submit_final_report' : 'submit_interim_report';
    const next = transition(from, event);
    const report: TrialReportRow = {
      id: newId(),
      trialId: trial.id,
      kind: input.kind,
      participants: input.participants,
      outcomeSummary: input.outcomeSummary,
      adverseEventsSummary: input.adverseEventsSummary,
      submittedAt: scope.now.toISOString(),
    };
    await insertReport(scope.trx, report, scope.actorId);
    const changes: TrialChanges =
      input.kind === 'final'
        ? {
            status: next,
            completed_at: scope.now,
            outcome_summary: input.outcomeSummary,
            // Ended early: the trial's last day is today.
            ...(trial.endDate > scope.today ? { end_date: scope.today } : {}),
          }
        : {};
    const after = await applyChange(scope, trial, from, event, changes, {
      reportId: report.id,
      kind: input.kind,
      participants: input.participants,
    });
    return { ...report, trialStatus: trialStatusAt(after, scope.today) };
  });
}

// ---------------------------------------------------------------------------------------
// Reactions to other modules

/**
 * An early warning was raised on a product (API-CONTRACT-2 §1; the monitoring module). A
 * **red** one suspends every approved trial of the product (started or not; suspended ones
 * stay suspended), as a serious adverse event would: the product itself is suspended, so no
 * one is enrolled in trials of it. Other levels change nothing. Runs in the caller's
 * transaction (the monitoring module's write, or its outbox consumer). Returns the trials
 * suspended.
 */
export async function onWarningRaised(
  trx: Transaction<Database>,
  clock: AppDeps['clock'],
  warning: { productId: string; warningId: string; level: WarningLevel },
): Promise<string[]> {
  if (warning.level !== 'red') return [];
  const now = clock.now();
  const today = shanghaiDate(now);
  const audit: AuditContext = { principal: systemContext().principal, requestId: null, clock };
  const suspended: string[] = [];
  for (const trial of await lockRunningTrialsOfProduct(trx, warning.productId)) {
    const from = trialStatusAt(trial, today);
    const next = nextTrialStatus(from, 'suspend_for_warning');
    await applyChange(
      { trx, audit, now },
      trial,
      from,
      'suspend_for_warning',
      {
        status: next,
        suspended_at: now,
        suspension_reason: 'red_warning',
      },
      { warningId: warning.warningId, level: warning.level },
    );
    await notify(trx, clock, [
      {
        target: { organizationId: trial.organizationId },
        kind: 'trial.suspended',
        titleZh: `产品被红色预警，试验已暂停：${trial.title}`,
        titleEn: `Red warning on the product: trial suspended: ${trial.titleEn ?? trial.title}`,
        link: trialLink(trial.id),
      },
      {
        target: { role: 'reviewer' },
        kind: 'trial.suspended',
        titleZh: `产品被红色预警，试验已暂停：${trial.title}`,
        titleEn: `Red warning on the product: trial suspended: ${trial.titleEn ?? trial.title}`,
        link: trialLink(trial.id),
      },
    ]);
    suspended.push(trial.id);
  }
  return suspended;
}
