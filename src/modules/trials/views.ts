/**
 * Reading trials: who may see what, and the JSON shapes (the status shown is computed from the
 * server clock's Shanghai date, never stored for `active` / `ended`).
 */
import { shanghaiDate } from '../../lib/calendar.ts';
import { calendarDaysBetween } from '../../domain/civil-date.ts';
import { isPublicTrialStatus, trialStatusAt, trialStatusFilter, type TrialStatus } from '../../domain/trials.ts';
import type { EthicsOutcome } from '../../domain/ethics.ts';
import { assertCan } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import { isRegulator, type Principal } from '../../platform/principal.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { getOrganizationSummary } from '../identity/index.ts';
import { getProduct } from '../products/index.ts';
import {
  findTrial,
  listAdverseEvents,
  listHosts,
  listPendingSiteReviews,
  listReports,
  listTrials,
  type Executor,
  type TrialHostRow,
  type TrialRow,
} from './repo.ts';

export type TrialParty = 'provider' | 'host';

export function trialMissing() {
  return notFound({ detail: { zh: '试验不存在', en: 'No such trial' } });
}

/** The parties the principal's organisation is in this trial (a provider may host its own trial too). */
export function partiesOf(principal: Principal, trial: TrialRow, hostIds: readonly string[]): Set<TrialParty> {
  const parties = new Set<TrialParty>();
  if (principal.kind !== 'user' || principal.organizationId === null) return parties;
  if (principal.organizationId === trial.organizationId) parties.add('provider');
  if (hostIds.includes(principal.organizationId)) parties.add('host');
  return parties;
}

/**
 * Object-level check of `action` on a trial: regulator roles decide by their role; an
 * organisation that is no party sees a 404; a party acting in a role the action does not
 * allow gets a 403; else Cedar decides on the principal's own organisation (role, verified).
 */
export function assertTrialAction(
  principal: Principal,
  action: string,
  trial: TrialRow,
  hostIds: readonly string[],
  allowed: readonly TrialParty[] | 'regulator',
): void {
  if (isRegulator(principal) || allowed === 'regulator') {
    assertCan(principal, action, { type: 'trial', id: trial.id, organizationId: trial.organizationId });
    return;
  }
  const parties = partiesOf(principal, trial, hostIds);
  if (parties.size === 0) throw trialMissing();
  if (!allowed.some((party) => parties.has(party))) {
    throw forbidden({
      detail: {
        zh: allowed.includes('provider') ? '只有申请试验的机构可以执行此操作' : '只有试验承担单位可以执行此操作',
        en: allowed.includes('provider')
          ? 'Only the organisation that applied for the trial may do this'
          : 'Only a host of the trial may do this',
      },
    });
  }
  const org = principal.kind === 'user' ? principal.organizationId : null;
  assertCan(principal, action, { type: 'trial', id: trial.id, organizationId: org });
}

export function todayOf(deps: Pick<AppDeps, 'clock'>): string {
  return shanghaiDate(deps.clock.now());
}

function isPast(dueDate: string | null, today: string): boolean {
  return dueDate !== null && calendarDaysBetween(dueDate, today) > 0;
}

export function ethicsOpinionOf(trial: TrialRow): 'pending' | EthicsOutcome | null {
  return trial.ethicsStatus as 'pending' | EthicsOutcome | null;
}

async function organizationFacts(db: Executor, ids: Iterable<string>) {
  const facts = new Map<string, { name: string; nameEn: string | null; uscc: string }>();
  for (const id of new Set(ids)) {
    const org = await getOrganizationSummary(db, id);
    facts.set(id, { name: org?.name ?? id, nameEn: org?.nameEn ?? null, uscc: org?.uscc ?? '' });
  }
  return facts;
}

export async function trialView(
  db: Executor,
  trial: TrialRow,
  hosts: readonly TrialHostRow[],
  today: string,
  options: { details?: boolean } = {},
) {
  const product = await getProduct(db, trial.productId);
  const orgs = await organizationFacts(db, [trial.organizationId, ...hosts.map((h) => h.organizationId)]);
  const provider = orgs.get(trial.organizationId)!;
  const status = trialStatusAt(trial, today);
  const details =
    options.details === true
      ? { adverseEvents: await listAdverseEvents(db, trial.id), reports: await listReports(db, trial.id) }
      : {};
  return {
    id: trial.id,
    organizationId: trial.organizationId,
    provider: { name: provider.name, uscc: provider.uscc },
    productId: trial.productId,
    product: { id: trial.productId, name: product?.name ?? '', nameEn: product?.nameEn ?? null },
    kind: trial.kind,
    title: trial.title,
    titleEn: trial.titleEn,
    protocolSummary: trial.protocolSummary,
    hostOrganizationIds: hosts.map((h) => h.organizationId),
    siteReviews: hosts.map((host) => {
      const org = orgs.get(host.organizationId)!;
      return {
        organizationId: host.organizationId,
        name: org.name,
        nameEn: org.nameEn,
        decision: host.decision,
        reasons: host.reasons,
        reviewedAt: host.reviewedAt,
        dueDate: host.dueDate,
        dueDateProvisional: host.dueDateProvisional,
        overdue: host.decision === null && trial.status === 'under_review' && isPast(host.dueDate, today),
      };
    }),
    maxParticipants: trial.maxParticipants,
    enrolled: trial.enrolled,
    startDate: trial.startDate,
    endDate: trial.endDate,
    originalEndDate: trial.originalEndDate,
    extended: trial.extended,
    internationalStandards: trial.internationalStandards,
    noApplicableNationalStandard: trial.noApplicableNationalStandard,
    status,
    ethicsOpinion: ethicsOpinionOf(trial),
    suspendedAt: trial.suspendedAt,
    suspensionReason: trial.suspensionReason,
    submittedAt: trial.submittedAt,
    decidedAt: trial.decidedAt,
    finalReportDueDate: trial.finalReportDueDate,
    finalReportDueDateProvisional: trial.finalReportDueDateProvisional,
    finalReportOverdue: trial.status !== 'completed' && isPast(trial.finalReportDueDate, today),
    completedAt: trial.completedAt,
    outcomeSummary: trial.outcomeSummary,
    ...details,
    version: trial.version,
    createdAt: trial.createdAt,
    updatedAt: trial.updatedAt,
  };
}

export type TrialView = Awaited<ReturnType<typeof trialView>>;

/** `GET /api/v1/trials/{id}`: the provider, its hosts and regulator roles; anyone else a 404. */
export async function readTrial(deps: AppDeps, ctx: RequestContext, id: string): Promise<TrialView> {
  const trial = await findTrial(deps.db, id);
  if (trial === undefined) throw trialMissing();
  const hosts = (await listHosts(deps.db, [id])).get(id) ?? [];
  assertTrialAction(
    ctx.principal,
    'trials.read',
    trial,
    hosts.map((h) => h.organizationId),
    ['provider', 'host'],
  );
  return trialView(deps.db, trial, hosts, todayOf(deps), { details: true });
}

/** Suspended first, then overdue (a site review or the final report), then newest. */
function overviewRank(view: TrialView): number {
  if (view.status === 'suspended') return 0;
  if (view.finalReportOverdue || view.siteReviews.some((review) => review.overdue)) return 1;
  return 2;
}

/**
 * `GET /api/v1/trials`: the organisation's own and hosted trials; every trial for regulator
 * roles. Regulator roles get the overview order on each page: suspended, then overdue, then
 * the rest (newest first within each group).
 */
export async function listTrialsFor(
  deps: AppDeps,
  ctx: RequestContext,
  query: { status?: TrialStatus; productId?: string; overdue?: boolean; limit: number; cursor?: string },
): Promise<{ items: TrialView[]; nextCursor: string | null }> {
  const { principal } = ctx;
  const regulator = isRegulator(principal);
  const organizationId = principal.kind === 'user' ? principal.organizationId : null;
  assertCan(principal, 'trials.list', {
    type: 'organization',
    id: organizationId ?? 'all',
    organizationId: regulator ? null : organizationId,
  });
  const today = todayOf(deps);
  const beforeId = decodeIdCursor(query.cursor);
  const rows = await listTrials(deps.db, {
    partyOrganizationId: regulator ? undefined : (organizationId ?? 'none'),
    status: query.status === undefined ? undefined : trialStatusFilter(query.status, today),
    productId: query.productId,
    beforeId,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const hosts = await listHosts(
    deps.db,
    page.map((t) => t.id),
  );
  let items: TrialView[] = [];
  for (const trial of page) items.push(await trialView(deps.db, trial, hosts.get(trial.id) ?? [], today));
  if (query.overdue === true) {
    items = items.filter((view) => view.finalReportOverdue || view.siteReviews.some((review) => review.overdue));
  }
  if (regulator) items = [...items].sort((a, b) => overviewRank(a) - overviewRank(b));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.id]) : null };
}

/** `GET /api/v1/site-reviews`: the host organisation's pending site reviews, the earliest due first. */
export async function siteReviewQueue(deps: AppDeps, ctx: RequestContext) {
  const { principal } = ctx;
  const organizationId = principal.kind === 'user' ? principal.organizationId : null;
  assertCan(principal, 'trials.siteReviews', {
    type: 'organization',
    id: organizationId ?? 'none',
    organizationId,
  });
  if (organizationId === null) return { items: [] };
  const today = todayOf(deps);
  const pending = await listPendingSiteReviews(deps.db, organizationId);
  const items = [];
  for (const { trial, dueDate, dueDateProvisional } of pending) {
    const provider = await getOrganizationSummary(deps.db, trial.organizationId);
    const product = await getProduct(deps.db, trial.productId);
    items.push({
      trialId: trial.id,
      title: trial.title,
      titleEn: trial.titleEn,
      kind: trial.kind,
      provider: { name: provider?.name ?? '', uscc: provider?.uscc ?? '' },
      product: { id: trial.productId, name: product?.name ?? '' },
      startDate: trial.startDate,
      endDate: trial.endDate,
      maxParticipants: trial.maxParticipants,
      submittedAt: trial.submittedAt,
      dueDate,
      dueDateProvisional,
      overdue: isPast(dueDate, today),
    });
  }
  return { items };
}

async function publicView(db: Executor, trial: TrialRow, hosts: readonly TrialHostRow[], today: string) {
  const view = await trialView(db, trial, hosts, today);
  const status = view.status;
  if (!isPublicTrialStatus(status)) throw trialMissing();
  return {
    id: view.id,
    title: view.title,
    titleEn: view.titleEn,
    kind: view.kind,
    product: { id: view.product.id, name: view.product.name },
    provider: view.provider,
    hosts: view.siteReviews.map((review) => ({ name: review.name })),
    startDate: view.startDate,
    endDate: view.endDate,
    maxParticipants: view.maxParticipants,
    enrolled: view.enrolled,
    status: status as 'approved' | 'active' | 'ended' | 'suspended' | 'completed',
    outcomeSummary: trial.status === 'completed' ? view.outcomeSummary : null,
  };
}

/** `GET /api/v1/public/trials`: never drafts, trials under review or rejected ones. */
export async function listPublicTrials(
  deps: AppDeps,
  query: { q?: string; status?: TrialStatus; limit: number; cursor?: string },
) {
  const today = todayOf(deps);
  const beforeId = decodeIdCursor(query.cursor);
  const rows = await listTrials(deps.db, {
    storedStatuses: ['approved', 'suspended', 'completed'],
    status: query.status === undefined ? undefined : trialStatusFilter(query.status, today),
    q: query.q,
    beforeId,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const hosts = await listHosts(
    deps.db,
    page.map((t) => t.id),
  );
  const items = [];
  for (const trial of page) items.push(await publicView(deps.db, trial, hosts.get(trial.id) ?? [], today));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.id]) : null };
}

/** `GET /api/v1/public/trials/{id}`: the public page of one trial (404 for what the list hides). */
export async function readPublicTrial(deps: AppDeps, id: string) {
  const trial = await findTrial(deps.db, id);
  if (trial === undefined) throw trialMissing();
  const hosts = (await listHosts(deps.db, [id])).get(id) ?? [];
  return publicView(deps.db, trial, hosts, todayOf(deps));
}
