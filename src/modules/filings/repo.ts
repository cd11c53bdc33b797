import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RiskTier } from '../../lib/risk-rules.ts';
import { safeFileName } from './content-sniffer.ts';
import {
  CLOCK_RUNNING_STATUSES,
  OPEN_STATUSES,
  QUEUE_STATUSES,
  type DocumentType,
  type FilingKind,
  type FilingStatus,
} from '../../domain/filings.ts';
import { getUserSummary } from '../identity/index.ts';
import type {
  FilingDecisionsTable,
  FilingDocumentsTable,
  FilingInformationRequestsTable,
  FilingsTable,
} from './tables.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface FilingRecord {
  id: string;
  productId: string;
  organizationId: string;
  kind: FilingKind;
  status: FilingStatus;
  tier: RiskTier;
  summary: string;
  transparencyMeasures: string | null;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  submittedBy: string | null;
  dueDate: string | null;
  /** `dueDate` counts weekends only in a year without an official calendar (API-CONTRACT-2 §0). */
  dueDateProvisional: boolean;
  reviewWorkingDays: number | null;
  stoppedWorkingDays: number;
  clockStoppedOn: string | null;
  assigneeId: string | null;
  assignedAt: Date | null;
  decidedAt: Date | null;
  withdrawnAt: Date | null;
}

export interface DocumentRecord {
  id: string;
  filingId: string;
  organizationId: string;
  documentType: DocumentType;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: Date;
}

export interface InformationRequestRecord {
  id: string;
  filingId: string;
  message: string;
  requestedAt: Date;
  requestedBy: string | null;
  requestedDate: string;
  response: string | null;
  respondedAt: Date | null;
  respondedBy: string | null;
  responseDate: string | null;
  stoppedWorkingDays: number | null;
}

export interface DecisionRecord {
  id: string;
  filingId: string;
  outcome: 'accepted' | 'approved' | 'approved_with_conditions' | 'rejected';
  reasons: string;
  legalBasis: string | null;
  conditions: string[] | null;
  decidedAt: Date;
  decidedBy: string | null;
}

const date = (value: Date | string): Date => new Date(value);
const dateOrNull = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function toFiling(row: Selectable<FilingsTable>): FilingRecord {
  return {
    id: row.id,
    productId: row.product_id,
    organizationId: row.organization_id,
    kind: row.kind as FilingKind,
    status: row.status as FilingStatus,
    tier: row.tier as RiskTier,
    summary: row.summary,
    transparencyMeasures: row.transparency_measures,
    version: Number(row.version),
    createdBy: row.created_by,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    submittedAt: dateOrNull(row.submitted_at),
    submittedBy: row.submitted_by,
    dueDate: row.due_date,
    dueDateProvisional: row.due_date_provisional === true,
    reviewWorkingDays: row.review_working_days,
    stoppedWorkingDays: Number(row.stopped_working_days),
    clockStoppedOn: row.clock_stopped_on,
    assigneeId: row.assignee_id,
    assignedAt: dateOrNull(row.assigned_at),
    decidedAt: dateOrNull(row.decided_at),
    withdrawnAt: dateOrNull(row.withdrawn_at),
  };
}

type DocumentMetaRow = Omit<Selectable<FilingDocumentsTable>, 'content'>;

function toDocument(row: DocumentMetaRow): DocumentRecord {
  return {
    id: row.id,
    filingId: row.filing_id,
    organizationId: row.organization_id,
    documentType: row.document_type as DocumentType,
    // Cleaned again on the way out: names stored before the bidi rule keep no control characters.
    fileName: safeFileName(row.file_name),
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    uploadedBy: row.uploaded_by,
    uploadedAt: date(row.uploaded_at),
  };
}

function toInformationRequest(row: Selectable<FilingInformationRequestsTable>): InformationRequestRecord {
  return {
    id: row.id,
    filingId: row.filing_id,
    message: row.message,
    requestedAt: date(row.requested_at),
    requestedBy: row.requested_by,
    requestedDate: row.requested_date,
    response: row.response,
    respondedAt: dateOrNull(row.responded_at),
    respondedBy: row.responded_by,
    responseDate: row.response_date,
    stoppedWorkingDays: row.stopped_working_days,
  };
}

function toDecision(row: Selectable<FilingDecisionsTable>): DecisionRecord {
  return {
    id: row.id,
    filingId: row.filing_id,
    outcome: row.outcome as DecisionRecord['outcome'],
    reasons: row.reasons,
    legalBasis: row.legal_basis,
    conditions: row.conditions,
    decidedAt: date(row.decided_at),
    decidedBy: row.decided_by,
  };
}

// ----- filings -----

export async function insertFiling(
  trx: Transaction<Database>,
  filing: Pick<
    FilingRecord,
    | 'id'
    | 'productId'
    | 'organizationId'
    | 'kind'
    | 'tier'
    | 'summary'
    | 'transparencyMeasures'
    | 'createdBy'
    | 'createdAt'
  >,
): Promise<FilingRecord> {
  const row = await trx
    .insertInto('filings')
    .values({
      id: filing.id,
      product_id: filing.productId,
      organization_id: filing.organizationId,
      kind: filing.kind,
      status: 'draft',
      tier: filing.tier,
      summary: filing.summary,
      transparency_measures: filing.transparencyMeasures,
      version: 1,
      stopped_working_days: 0,
      created_by: filing.createdBy,
      created_at: filing.createdAt,
      updated_at: filing.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFiling(row);
}

export async function findFilingById(db: Executor, id: string): Promise<FilingRecord | undefined> {
  const row = await db.selectFrom('filings').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toFiling(row);
}

/** SELECT … FOR UPDATE: concurrent writers of one filing queue up here and re-check its status. */
export async function lockFilingById(trx: Transaction<Database>, id: string): Promise<FilingRecord | undefined> {
  const row = await trx.selectFrom('filings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : toFiling(row);
}

export async function findOpenFilingId(trx: Transaction<Database>, productId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('filings')
    .select('id')
    .where('product_id', '=', productId)
    .where('status', 'in', [...OPEN_STATUSES])
    .executeTakeFirst();
  return row?.id;
}

/** Updates a locked filing and bumps its version (the ETag). */
export async function updateFiling(
  trx: Transaction<Database>,
  id: string,
  changes: Omit<Updateable<FilingsTable>, 'id' | 'version'> & { updated_at: Date },
): Promise<FilingRecord> {
  const row = await trx
    .updateTable('filings')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFiling(row);
}

export async function listFilingsOfProduct(
  db: Executor,
  productId: string,
  options: { limit: number; beforeId?: string },
): Promise<FilingRecord[]> {
  let query = db.selectFrom('filings').selectAll().where('product_id', '=', productId);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(toFiling);
}

// ----- documents -----

export async function insertDocument(
  trx: Transaction<Database>,
  document: DocumentRecord & { content: Uint8Array | null },
): Promise<void> {
  await trx
    .insertInto('filing_documents')
    .values({
      id: document.id,
      filing_id: document.filingId,
      organization_id: document.organizationId,
      document_type: document.documentType,
      file_name: document.fileName,
      content_type: document.contentType,
      size: document.size,
      sha256: document.sha256,
      content: document.content,
      uploaded_by: document.uploadedBy,
      uploaded_at: document.uploadedAt,
    })
    .execute();
}

const DOCUMENT_META = [
  'id',
  'filing_id',
  'organization_id',
  'document_type',
  'file_name',
  'content_type',
  'size',
  'sha256',
  'uploaded_by',
  'uploaded_at',
] as const;

export async function listDocuments(db: Executor, filingId: string): Promise<DocumentRecord[]> {
  const rows = await db
    .selectFrom('filing_documents')
    .select(DOCUMENT_META)
    .where('filing_id', '=', filingId)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  return rows.map(toDocument);
}

/** Removes a document's row (its bytes in the file store go with the next sweep, or at once if unshared). */
export async function deleteDocument(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('filing_documents').where('id', '=', id).execute();
}

export async function findDocument(db: Executor, id: string): Promise<DocumentRecord | undefined> {
  const row = await db.selectFrom('filing_documents').select(DOCUMENT_META).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toDocument(row);
}

/** The bytes the row itself holds (`database` storage), or null when they are in the file store. */
export async function findDocumentContent(db: Executor, id: string): Promise<Buffer | null | undefined> {
  const row = await db.selectFrom('filing_documents').select('content').where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  return row.content === null ? null : Buffer.from(row.content);
}

/** Does any document row name this content (whether its bytes are in the row or in a file)? */
export async function isDocumentContentReferenced(db: Executor, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('filing_documents')
    .select('id')
    .where('sha256', '=', sha256)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** A page of documents by id, for walks over all of them (verification, moving). */
export async function listDocumentsAfter(
  db: Executor,
  options: { afterId?: string; limit: number; onlyWithContent?: boolean },
): Promise<Array<{ id: string; sha256: string; size: number; inDatabase: boolean }>> {
  let query = db
    .selectFrom('filing_documents')
    .select(['id', 'sha256', 'size', sql<boolean>`content IS NOT NULL`.as('in_database')]);
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
  if (options.onlyWithContent === true) query = query.where('content', 'is not', null);
  const rows = await query.orderBy('id').limit(options.limit).execute();
  return rows.map((row) => ({ id: row.id, sha256: row.sha256, size: Number(row.size), inDatabase: row.in_database }));
}

/** The row lets go of its bytes once they are durably in the file store. */
export async function clearDocumentContent(db: Executor, id: string, sha256: string): Promise<boolean> {
  const result = await db
    .updateTable('filing_documents')
    .set({ content: null })
    .where('id', '=', id)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many documents a filing holds and their total size in bytes. */
export async function documentTotalsOfFiling(
  db: Executor,
  filingId: string,
): Promise<{ count: number; bytes: number }> {
  const row = await db
    .selectFrom('filing_documents')
    .select((eb) => [eb.fn.countAll<string>().as('count'), sql<string>`coalesce(sum(size), 0)`.as('bytes')])
    .where('filing_id', '=', filingId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), bytes: Number(row.bytes) };
}

/** Arbitrary constant: the first key of the advisory lock on an organisation's document quota. */
const ORGANIZATION_DOCUMENTS_LOCK = 0x646f6373; // 'docs'

/**
 * Serialises uploads of one organisation until the transaction ends, so that two uploads to
 * two of its filings cannot both pass the organisation's quota. The two-key form keeps it
 * apart from the one-key advisory locks (audit chain, log sequencer) by definition.
 */
export async function lockOrganizationDocuments(trx: Transaction<Database>, organizationId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${ORGANIZATION_DOCUMENTS_LOCK}, hashtext(${organizationId}))`.execute(trx);
}

/** Total size in bytes of every document an organisation has uploaded (documents are kept). */
export async function documentBytesOfOrganization(db: Executor, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('filing_documents')
    .select(sql<string>`coalesce(sum(size), 0)`.as('bytes'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}

export async function countDocumentsOfType(db: Executor, filingId: string, type: DocumentType): Promise<number> {
  const row = await db
    .selectFrom('filing_documents')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('filing_id', '=', filingId)
    .where('document_type', '=', type)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// ----- information requests -----

export async function insertInformationRequest(
  trx: Transaction<Database>,
  request: Pick<
    InformationRequestRecord,
    'id' | 'filingId' | 'message' | 'requestedAt' | 'requestedBy' | 'requestedDate'
  >,
): Promise<void> {
  await trx
    .insertInto('filing_information_requests')
    .values({
      id: request.id,
      filing_id: request.filingId,
      message: request.message,
      requested_at: request.requestedAt,
      requested_by: request.requestedBy,
      requested_date: request.requestedDate,
    })
    .execute();
}

export async function findOpenInformationRequest(
  trx: Transaction<Database>,
  filingId: string,
): Promise<InformationRequestRecord | undefined> {
  const row = await trx
    .selectFrom('filing_information_requests')
    .selectAll()
    .where('filing_id', '=', filingId)
    .where('responded_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : toInformationRequest(row);
}

export async function answerInformationRequest(
  trx: Transaction<Database>,
  id: string,
  answer: {
    response: string;
    respondedAt: Date;
    respondedBy: string | null;
    responseDate: string;
    stoppedWorkingDays: number;
  },
): Promise<void> {
  await trx
    .updateTable('filing_information_requests')
    .set({
      response: answer.response,
      responded_at: answer.respondedAt,
      responded_by: answer.respondedBy,
      response_date: answer.responseDate,
      stopped_working_days: answer.stoppedWorkingDays,
    })
    .where('id', '=', id)
    .execute();
}

export async function listInformationRequests(db: Executor, filingId: string): Promise<InformationRequestRecord[]> {
  const rows = await db
    .selectFrom('filing_information_requests')
    .selectAll()
    .where('filing_id', '=', filingId)
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  return rows.map(toInformationRequest);
}

/** Records a recomputed clock stop of an answered request (a year it spanned was loaded). */
export async function updateStoppedWorkingDays(trx: Transaction<Database>, id: string, days: number): Promise<void> {
  await trx
    .updateTable('filing_information_requests')
    .set({ stopped_working_days: days })
    .where('id', '=', id)
    .execute();
}

/**
 * Open filings whose clock is running or stopped and whose due date is provisional, locked
 * (`FOR UPDATE`) for the recomputation that a newly loaded calendar year triggers.
 */
export async function lockOpenProvisionalFilings(trx: Transaction<Database>): Promise<FilingRecord[]> {
  const rows = await trx
    .selectFrom('filings')
    .selectAll()
    .where('due_date_provisional', '=', true)
    .where('status', 'in', [...QUEUE_STATUSES])
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toFiling);
}

export async function countOpenProvisionalFilings(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('filings')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('due_date_provisional', '=', true)
    .where('status', 'in', [...QUEUE_STATUSES])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// ----- decisions -----

export async function insertDecision(trx: Transaction<Database>, decision: DecisionRecord): Promise<void> {
  await trx
    .insertInto('filing_decisions')
    .values({
      id: decision.id,
      filing_id: decision.filingId,
      outcome: decision.outcome,
      reasons: decision.reasons,
      legal_basis: decision.legalBasis,
      conditions: decision.conditions === null ? null : JSON.stringify(decision.conditions),
      decided_at: decision.decidedAt,
      decided_by: decision.decidedBy,
    })
    .execute();
}

export async function findDecision(db: Executor, filingId: string): Promise<DecisionRecord | undefined> {
  const row = await db.selectFrom('filing_decisions').selectAll().where('filing_id', '=', filingId).executeTakeFirst();
  return row === undefined ? undefined : toDecision(row);
}

// ----- review queue and statistics -----

/** 0 for filings whose clock runs and whose due date has passed (overdue), else 1. */
function overdueBucket(today: string) {
  const running = sql.join(CLOCK_RUNNING_STATUSES.map((status) => sql.lit(status)));
  return sql<number>`CASE WHEN status IN (${running}) AND due_date < ${today} THEN 0 ELSE 1 END`;
}

export interface QueueCursor {
  bucket: number;
  dueDate: string;
  id: string;
}

/** The reviewers' queue: overdue first, then by due date (keyset-paged). */
export async function listQueue(
  db: Executor,
  options: {
    today: string;
    limit: number;
    after?: QueueCursor;
    statuses: readonly FilingStatus[];
    assigneeId?: string | null;
  },
): Promise<Array<FilingRecord & { bucket: number }>> {
  const bucket = overdueBucket(options.today);
  let query = db
    .selectFrom('filings')
    .selectAll()
    .select(bucket.as('bucket'))
    .where('status', 'in', [...options.statuses])
    .where('due_date', 'is not', null);
  if (options.assigneeId !== undefined) {
    query =
      options.assigneeId === null
        ? query.where('assignee_id', 'is', null)
        : query.where('assignee_id', '=', options.assigneeId);
  }
  const after = options.after;
  if (after !== undefined) {
    query = query.where(
      sql<boolean>`(${bucket}, due_date, id) > (${after.bucket}, ${after.dueDate}, ${after.id}::uuid)`,
    );
  }
  const rows = await query.orderBy(bucket).orderBy('due_date').orderBy('id').limit(options.limit).execute();
  return rows.map((row) => ({ ...toFiling(row), bucket: Number(row.bucket) }));
}

export async function countFilingsBy(db: Executor, column: 'status' | 'tier'): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('filings')
    .select([column, (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy(column)
    .execute();
  return Object.fromEntries(rows.map((row) => [row[column], Number(row.count)]));
}

export interface DecidedAssessment {
  submittedAt: Date;
  dueDate: string;
  stoppedWorkingDays: number;
  decidedAt: Date;
}

/** Assessments a reviewer decided (the statutory clock's results). */
export async function listDecidedAssessments(db: Executor, since?: Date): Promise<DecidedAssessment[]> {
  let query = db
    .selectFrom('filings')
    .innerJoin('filing_decisions', 'filing_decisions.filing_id', 'filings.id')
    .select(['filings.submitted_at', 'filings.due_date', 'filings.stopped_working_days', 'filing_decisions.decided_at'])
    .where('filings.kind', '=', 'assessment');
  if (since !== undefined) query = query.where('filing_decisions.decided_at', '>=', since);
  const rows = await query.execute();
  return rows.flatMap((row) =>
    row.submitted_at === null || row.due_date === null
      ? []
      : [
          {
            submittedAt: date(row.submitted_at),
            dueDate: row.due_date,
            stoppedWorkingDays: Number(row.stopped_working_days),
            decidedAt: date(row.decided_at),
          },
        ],
  );
}

// ----- reviewers -----

/**
 * An active user holding the reviewer role, for an administrator's assignment. Reads the
 * identity module's `users` table because its public surface has no user lookup yet
 * (only `getOrganizationSummary`); replace with an identity service call once it has one.
 */
/** An active reviewer, looked up through the identity module's public surface. */
export async function findActiveReviewer(db: Executor, userId: string): Promise<{ id: string } | undefined> {
  const user = await getUserSummary(db, userId);
  return user !== undefined && user.isActive && user.roles.includes('reviewer') ? { id: user.id } : undefined;
}
