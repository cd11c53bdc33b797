import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SiteReviewDecision, StoredTrialStatus, TrialKind, TrialStatusFilter } from '../../domain/trials.ts';
import type { TrialsTable } from './tables.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface TrialRow {
  id: string;
  organizationId: string;
  productId: string;
  kind: TrialKind;
  status: StoredTrialStatus;
  title: string;
  titleEn: string | null;
  protocolSummary: string;
  maxParticipants: number;
  enrolled: number;
  startDate: string;
  endDate: string;
  originalEndDate: string;
  extended: boolean;
  internationalStandards: { code: string; title: string }[];
  noApplicableNationalStandard: boolean;
  ethicsStatus: string | null;
  suspendedAt: string | null;
  suspensionReason: string | null;
  submittedAt: string | null;
  decidedAt: string | null;
  finalReportDueDate: string | null;
  finalReportDueDateProvisional: boolean;
  completedAt: string | null;
  outcomeSummary: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TrialHostRow {
  organizationId: string;
  position: number;
  dueDate: string | null;
  dueDateProvisional: boolean;
  decision: SiteReviewDecision | null;
  reasons: string | null;
  reviewedAt: string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toTrial(row: Selectable<TrialsTable>): TrialRow {
  return {
    id: row.id,
    organizationId: row.organization_id,
    productId: row.product_id,
    kind: row.kind as TrialKind,
    status: row.status as StoredTrialStatus,
    title: row.title,
    titleEn: row.title_en,
    protocolSummary: row.protocol_summary,
    maxParticipants: row.max_participants,
    enrolled: row.enrolled,
    startDate: row.start_date,
    endDate: row.end_date,
    originalEndDate: row.original_end_date,
    extended: row.extended,
    internationalStandards: row.international_standards,
    noApplicableNationalStandard: row.no_applicable_national_standard,
    ethicsStatus: row.ethics_status,
    suspendedAt: iso(row.suspended_at),
    suspensionReason: row.suspension_reason,
    submittedAt: iso(row.submitted_at),
    decidedAt: iso(row.decided_at),
    finalReportDueDate: row.final_report_due_date,
    finalReportDueDateProvisional: row.final_report_due_date_provisional,
    completedAt: iso(row.completed_at),
    outcomeSummary: row.outcome_summary,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function findTrial(db: Executor, id: string): Promise<TrialRow | undefined> {
  const row = await db.selectFrom('trials').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toTrial(row);
}

/** SELECT … FOR UPDATE: every write to a trial (and its enrolment counter) goes through this lock. */
export async function lockTrial(trx: Transaction<Database>, id: string): Promise<TrialRow | undefined> {
  const row = await trx.selectFrom('trials').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : toTrial(row);
}

export async function insertTrial(
  trx: Transaction<Database>,
  trial: TrialRow,
  hostOrganizationIds: readonly string[],
  createdBy: string | null,
): Promise<void> {
  await trx
    .insertInto('trials')
    .values({
      id: trial.id,
      organization_id: trial.organizationId,
      product_id: trial.productId,
      kind: trial.kind,
      status: trial.status,
      title: trial.title,
      title_en: trial.titleEn,
      protocol_summary: trial.protocolSummary,
      max_participants: trial.maxParticipants,
      enrolled: 0,
      start_date: trial.startDate,
      end_date: trial.endDate,
      original_end_date: trial.endDate,
      extended: false,
      international_standards: JSON.stringify(trial.internationalStandards),
      no_applicable_national_standard: trial.noApplicableNationalStandard,
      ethics_status: null,
      suspended_at: null,
      suspension_reason: null,
      submitted_at: null,
      decided_at: null,
      final_report_due_date: null,
      completed_at: null,
      outcome_summary: null,
      version: 1,
      created_by: createdBy,
      created_at: trial.createdAt,
      updated_at: trial.updatedAt,
    })
    .execute();
  await trx
    .insertInto('trial_hosts')
    .values(
      hostOrganizationIds.map((organizationId, position) => ({
        trial_id: trial.id,
        organization_id: organizationId,
        position,
      })),
    )
    .execute();
}

export interface TrialChanges {
  status?: StoredTrialStatus;
  end_date?: string;
  extended?: boolean;
  ethics_status?: string | null;
  suspended_at?: Date | null;
  suspension_reason?: string | null;
  submitted_at?: Date;
  decided_at?: Date;
  final_report_due_date?: string | null;
  final_report_due_date_provisional?: boolean;
  completed_at?: Date;
  outcome_summary?: string;
}

/** Applies `changes`, bumps the revision and returns the row. */
export async function updateTrial(
  trx: Transaction<Database>,
  id: string,
  changes: TrialChanges,
  now: Date,
): Promise<TrialRow> {
  const row = await trx
    .updateTable('trials')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTrial(row);
}

/**
 * Adds `count` to the counter in the same statement that checks the cap; `undefined` when the
 * cap would be passed (the CHECK constraint refuses it too, should anything else try).
 */
export async function addEnrolled(
  trx: Transaction<Database>,
  id: string,
  count: number,
  now: Date,
): Promise<TrialRow | undefined> {
  const row = await trx
    .updateTable('trials')
    .set({ enrolled: sql<number>`enrolled + ${count}`, version: sql<number>`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where(sql<boolean>`enrolled + ${count} <= max_participants`)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toTrial(row);
}

export async function listHosts(db: Executor, trialIds: readonly string[]): Promise<Map<string, TrialHostRow[]>> {
  const byTrial = new Map<string, TrialHostRow[]>();
  if (trialIds.length === 0) return byTrial;
  const rows = await db
    .selectFrom('trial_hosts')
    .selectAll()
    .where('trial_id', 'in', trialIds)
    .orderBy('trial_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = byTrial.get(row.trial_id) ?? [];
    list.push({
      organizationId: row.organization_id,
      position: row.position,
      dueDate: row.due_date,
      dueDateProvisional: row.due_date_provisional,
      decision: row.decision as SiteReviewDecision | null,
      reasons: row.reasons,
      reviewedAt: iso(row.reviewed_at),
    });
    byTrial.set(row.trial_id, list);
  }
  return byTrial;
}

export async function setHostDueDates(
  trx: Transaction<Database>,
  trialId: string,
  dueDate: string,
  provisional: boolean,
): Promise<void> {
  await trx
    .updateTable('trial_hosts')
    .set({ due_date: dueDate, due_date_provisional: provisional })
    .where('trial_id', '=', trialId)
    .execute();
}

export async function recordSiteReview(
  trx: Transaction<Database>,
  trialId: string,
  organizationId: string,
  review: { decision: SiteReviewDecision; reasons: string; reviewedBy: string | null; reviewedAt: Date },
): Promise<void> {
  await trx
    .updateTable('trial_hosts')
    .set({
      decision: review.decision,
      reasons: review.reasons,
      reviewed_by: review.reviewedBy,
      reviewed_at: review.reviewedAt,
    })
    .where('trial_id', '=', trialId)
    .where('organization_id', '=', organizationId)
    .execute();
}

export interface TrialListFilter {
  /** Trials this organisation runs or hosts; undefined: every trial (regulator roles). */
  partyOrganizationId?: string;
  status?: TrialStatusFilter;
  productId?: string;
  /** Public search: title, English title, product or provider name. */
  q?: string;
  /** Public list: only these stored statuses. */
  storedStatuses?: readonly StoredTrialStatus[];
  beforeId?: string;
  limit: number;
}

export async function listTrials(db: Executor, filter: TrialListFilter): Promise<TrialRow[]> {
  let query = db.selectFrom('trials').selectAll('trials');
  if (filter.partyOrganizationId !== undefined) {
    const org = filter.partyOrganizationId;
    query = query.where((eb) =>
      eb.or([
        eb('trials.organization_id', '=', org),
        eb.exists(
          eb
            .selectFrom('trial_hosts')
            .select('trial_hosts.trial_id')
            .whereRef('trial_hosts.trial_id', '=', 'trials.id')
            .where('trial_hosts.organization_id', '=', org),
        ),
      ]),
    );
  }
  if (filter.storedStatuses !== undefined) query = query.where('trials.status', 'in', filter.storedStatuses);
  const status = filter.status;
  if (status !== undefined) {
    query = query.where('trials.status', '=', status.storedStatus);
    if (status.startDateAfter !== undefined) query = query.where('trials.start_date', '>', status.startDateAfter);
    if (status.startDateOnOrBefore !== undefined)
      query = query.where('trials.start_date', '<=', status.startDateOnOrBefore);
    if (status.endDateOnOrAfter !== undefined) query = query.where('trials.end_date', '>=', status.endDateOnOrAfter);
    if (status.endDateBefore !== undefined) query = query.where('trials.end_date', '<', status.endDateBefore);
  }
  if (filter.productId !== undefined) query = query.where('trials.product_id', '=', filter.productId);
  if (filter.q !== undefined && filter.q.trim() !== '') {
    const pattern = `%${filter.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(trials.title)`, 'like', pattern),
        eb(sql`lower(coalesce(trials.title_en, ''))`, 'like', pattern),
        eb.exists(
          eb
            .selectFrom('products')
            .select('products.id')
            .whereRef('products.id', '=', 'trials.product_id')
            .where((p) =>
              p.or([
                p(sql`lower(products.name)`, 'like', pattern),
                p(sql`lower(coalesce(products.name_en, ''))`, 'like', pattern),
              ]),
            ),
        ),
        eb.exists(
          eb
            .selectFrom('organizations')
            .select('organizations.id')
            .whereRef('organizations.id', '=', 'trials.organization_id')
            .where((o) =>
              o.or([
                o(sql`lower(organizations.name)`, 'like', pattern),
                o('organizations.uscc', '=', filter.q!.trim()),
              ]),
            ),
        ),
      ]),
    );
  }
  if (filter.beforeId !== undefined) query = query.where('trials.id', '<', filter.beforeId);
  const rows = await query.orderBy('trials.id', 'desc').limit(filter.limit).execute();
  return rows.map(toTrial);
}

/** Trials under review whose site review `organizationId` has not given yet (the host's queue). */
export async function listPendingSiteReviews(
  db: Executor,
  organizationId: string,
): Promise<{ trial: TrialRow; dueDate: string | null; dueDateProvisional: boolean }[]> {
  const rows = await db
    .selectFrom('trial_hosts')
    .innerJoin('trials', 'trials.id', 'trial_hosts.trial_id')
    .selectAll('trials')
    .select(['trial_hosts.due_date as host_due_date', 'trial_hosts.due_date_provisional as host_due_date_provisional'])
    .where('trial_hosts.organization_id', '=', organizationId)
    .where('trial_hosts.decision', 'is', null)
    .where('trials.status', '=', 'under_review')
    .orderBy('trial_hosts.due_date')
    .orderBy('trials.id')
    .execute();
  return rows.map((row) => ({
    trial: toTrial(row),
    dueDate: row.host_due_date,
    dueDateProvisional: row.host_due_date_provisional,
  }));
}

export async function insertEnrolment(
  trx: Transaction<Database>,
  enrolment: {
    id: string;
    trialId: string;
    hostOrganizationId: string;
    count: number;
    enrolledOn: string;
    createdBy: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('trial_enrolments')
    .values({
      id: enrolment.id,
      trial_id: enrolment.trialId,
      host_organization_id: enrolment.hostOrganizationId,
      count: enrolment.count,
      enrolled_on: enrolment.enrolledOn,
      created_by: enrolment.createdBy,
      created_at: enrolment.createdAt,
    })
    .execute();
}

export interface AdverseEventRow {
  id: string;
  trialId: string;
  reportedByOrganizationId: string;
  occurredAt: string;
  awareAt: string;
  serious: boolean;
  description: string;
  reportDeadline: string | null;
  reportedLate: boolean;
  reportedAt: string;
}

export async function insertAdverseEvent(
  trx: Transaction<Database>,
  event: AdverseEventRow,
  reportedBy: string | null,
): Promise<void> {
  await trx
    .insertInto('trial_adverse_events')
    .values({
      id: event.id,
      trial_id: event.trialId,
      reported_by_organization_id: event.reportedByOrganizationId,
      occurred_at: event.occurredAt,
      aware_at: event.awareAt,
      serious: event.serious,
      description: event.description,
      report_deadline: event.reportDeadline,
      reported_late: event.reportedLate,
      reported_at: event.reportedAt,
      reported_by: reportedBy,
    })
    .execute();
}

export async function listAdverseEvents(db: Executor, trialId: string): Promise<AdverseEventRow[]> {
  const rows = await db
    .selectFrom('trial_adverse_events')
    .selectAll()
    .where('trial_id', '=', trialId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    trialId: row.trial_id,
    reportedByOrganizationId: row.reported_by_organization_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    awareAt: new Date(row.aware_at).toISOString(),
    serious: row.serious,
    description: row.description,
    reportDeadline: iso(row.report_deadline),
    reportedLate: row.reported_late,
    reportedAt: new Date(row.reported_at).toISOString(),
  }));
}

export interface TrialReportRow {
  id: string;
  trialId: string;
  kind: 'interim' | 'final';
  participants: number;
  outcomeSummary: string;
  adverseEventsSummary: string;
  submittedAt: string;
}

export async function insertReport(
  trx: Transaction<Database>,
  report: TrialReportRow,
  submittedBy: string | null,
): Promise<void> {
  await trx
    .insertInto('trial_reports')
    .values({
      id: report.id,
      trial_id: report.trialId,
      kind: report.kind,
      participants: report.participants,
      outcome_summary: report.outcomeSummary,
      adverse_events_summary: report.adverseEventsSummary,
      submitted_at: report.submittedAt,
      submitted_by: submittedBy,
    })
    .execute();
}

export async function listReports(db: Executor, trialId: string): Promise<TrialReportRow[]> {
  const rows = await db.selectFrom('trial_reports').selectAll().where('trial_id', '=', trialId).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    trialId: row.trial_id,
    kind: row.kind as 'interim' | 'final',
    participants: row.participants,
    outcomeSummary: row.outcome_summary,
    adverseEventsSummary: row.adverse_events_summary,
    submittedAt: new Date(row.submitted_at).toISOString(),
  }));
}

/** Approved (or suspended) trials of a product, locked: what a red warning suspends. */
export async function lockRunningTrialsOfProduct(trx: Transaction<Database>, productId: string): Promise<TrialRow[]> {
  const rows = await trx
    .selectFrom('trials')
    .selectAll()
    .where('product_id', '=', productId)
    .where('status', '=', 'approved')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toTrial);
}
