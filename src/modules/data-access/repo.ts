import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DataTheme, DatasetOpenness, Frequency } from '../../lib/dcat.ts';
import type { DataAccessGrantsTable, DataAccessRequestsTable, DatasetsTable, ExtractStats } from './tables.ts';
import type { AccessRequestRecord, AccessRequestStatus, DatasetRecord, GrantRecord } from './types.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

const iso = (value: Date | string): string => new Date(value).toISOString();

function toDataset(row: Selectable<DatasetsTable>): DatasetRecord {
  return {
    id: row.id,
    title: row.title,
    titleEn: row.title_en,
    description: row.description,
    descriptionEn: row.description_en,
    publisher: row.publisher,
    openness: row.openness as DatasetOpenness,
    themes: row.themes as DataTheme[],
    license: row.license,
    updateFrequency: row.update_frequency as Frequency,
    fields: row.fields,
    rows: row.rows,
    dataVersion: row.data_version,
    dataUpdatedAt: row.data_updated_at === null ? null : iso(row.data_updated_at),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function insertDataset(db: Executor, dataset: DatasetRecord, createdBy: string | null): Promise<void> {
  await db
    .insertInto('datasets')
    .values({
      id: dataset.id,
      title: dataset.title,
      title_en: dataset.titleEn,
      description: dataset.description,
      description_en: dataset.descriptionEn,
      publisher: dataset.publisher,
      openness: dataset.openness,
      themes: JSON.stringify(dataset.themes),
      license: dataset.license,
      update_frequency: dataset.updateFrequency,
      fields: JSON.stringify(dataset.fields),
      data_version: dataset.dataVersion,
      rows: dataset.rows,
      data_updated_at: dataset.dataUpdatedAt,
      version: dataset.version,
      created_by: createdBy,
      created_at: dataset.createdAt,
      updated_at: dataset.updatedAt,
    })
    .execute();
}

export async function findDataset(db: Executor, id: string): Promise<DatasetRecord | undefined> {
  const row = await db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toDataset(row);
}

export async function lockDataset(trx: Transaction<Database>, id: string): Promise<DatasetRecord | undefined> {
  const row = await trx.selectFrom('datasets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : toDataset(row);
}

export interface DatasetFilter {
  openness?: readonly DatasetOpenness[];
  theme?: DataTheme;
  q?: string;
  beforeId?: string;
  limit: number;
}

export async function listDatasets(db: Executor, filter: DatasetFilter): Promise<DatasetRecord[]> {
  let query = db.selectFrom('datasets').selectAll();
  if (filter.openness !== undefined) query = query.where('openness', 'in', filter.openness);
  if (filter.theme !== undefined) {
    // jsonb containment: themes @> '["HEAL"]'
    query = query.where(sql<boolean>`themes @> ${JSON.stringify([filter.theme])}::jsonb`);
  }
  if (filter.q !== undefined) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('title', 'ilike', like),
        eb('title_en', 'ilike', like),
        eb('description', 'ilike', like),
        eb('description_en', 'ilike', like),
      ]),
    );
  }
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toDataset);
}

export async function setDatasetData(
  trx: Transaction<Database>,
  id: string,
  data: { dataVersion: number; rows: number; at: string; version: number },
): Promise<void> {
  await trx
    .updateTable('datasets')
    .set({
      data_version: data.dataVersion,
      rows: data.rows,
      data_updated_at: data.at,
      updated_at: data.at,
      version: data.version,
    })
    .where('id', '=', id)
    .execute();
}

export interface VersionRow {
  id: string;
  number: number;
  rows: number;
  storage: 'files' | 'database';
  sha256: string;
}

export async function findDataVersion(
  db: Executor,
  datasetId: string,
  number: number,
): Promise<VersionRow | undefined> {
  return db
    .selectFrom('dataset_versions')
    .select(['id', 'number', 'rows', 'storage', 'sha256'])
    .where('dataset_id', '=', datasetId)
    .where('number', '=', number)
    .executeTakeFirst();
}

// ----- access requests and grants -----

type RequestRow = Selectable<DataAccessRequestsTable> & { dataset_title: string; dataset_title_en: string };

function toRequest(row: RequestRow): AccessRequestRecord {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetTitle: row.dataset_title,
    datasetTitleEn: row.dataset_title_en,
    organizationId: row.organization_id,
    requestedBy: row.requested_by,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    fields: row.fields,
    durationDays: row.duration_days,
    status: row.status as AccessRequestStatus,
    submittedAt: iso(row.submitted_at),
    dueDate: row.due_date,
    dueDateProvisional: row.due_date_provisional,
    decidedAt: row.decided_at === null ? null : iso(row.decided_at),
    reasons: row.reasons,
    version: row.version,
  };
}

function toGrant(row: Selectable<DataAccessGrantsTable>): GrantRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    datasetId: row.dataset_id,
    organizationId: row.organization_id,
    fields: row.fields,
    k: row.k,
    grantedAt: iso(row.granted_at),
    expiresAt: iso(row.expires_at),
    downloads: row.downloads,
    lastExtract: row.last_extract,
  };
}

export async function insertAccessRequest(trx: Transaction<Database>, request: AccessRequestRecord): Promise<void> {
  await trx
    .insertInto('data_access_requests')
    .values({
      id: request.id,
      dataset_id: request.datasetId,
      organization_id: request.organizationId,
      requested_by: request.requestedBy,
      purpose: request.purpose,
      legal_basis: request.legalBasis,
      fields: JSON.stringify(request.fields),
      duration_days: request.durationDays,
      status: request.status,
      submitted_at: request.submittedAt,
      due_date: request.dueDate,
      due_date_provisional: request.dueDateProvisional,
      decided_at: null,
      decided_by: null,
      reasons: null,
      version: request.version,
    })
    .execute();
}

function requestQuery(db: Executor) {
  return db
    .selectFrom('data_access_requests as r')
    .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
    .selectAll('r')
    .select(['d.title as dataset_title', 'd.title_en as dataset_title_en']);
}

export async function findAccessRequest(db: Executor, id: string): Promise<AccessRequestRecord | undefined> {
  const row = await requestQuery(db).where('r.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toRequest(row);
}

export async function lockAccessRequest(
  trx: Transaction<Database>,
  id: string,
): Promise<AccessRequestRecord | undefined> {
  const locked = await trx
    .selectFrom('data_access_requests')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return locked === undefined ? undefined : findAccessRequest(trx, id);
}

export interface RequestFilter {
  organizationId?: string;
  status?: AccessRequestStatus;
  datasetId?: string;
  /** Oldest first (the steward's queue of pending requests) or newest first. */
  oldestFirst: boolean;
  afterId?: string;
  limit: number;
}

export async function listAccessRequests(db: Executor, filter: RequestFilter): Promise<AccessRequestRecord[]> {
  let query = requestQuery(db);
  if (filter.organizationId !== undefined) query = query.where('r.organization_id', '=', filter.organizationId);
  if (filter.status !== undefined) query = query.where('r.status', '=', filter.status);
  if (filter.datasetId !== undefined) query = query.where('r.dataset_id', '=', filter.datasetId);
  if (filter.afterId !== undefined) query = query.where('r.id', filter.oldestFirst ? '>' : '<', filter.afterId);
  const rows = await query
    .orderBy('r.id', filter.oldestFirst ? 'asc' : 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toRequest);
}

export async function decideAccessRequest(
  trx: Transaction<Database>,
  id: string,
  decision: { status: AccessRequestStatus; at: string; by: string | null; reasons: string; version: number },
): Promise<void> {
  await trx
    .updateTable('data_access_requests')
    .set({
      status: decision.status,
      decided_at: decision.at,
      decided_by: decision.by,
      reasons: decision.reasons,
      version: decision.version,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertGrant(trx: Transaction<Database>, grant: GrantRecord): Promise<void> {
  await trx
    .insertInto('data_access_grants')
    .values({
      id: grant.id,
      request_id: grant.requestId,
      dataset_id: grant.datasetId,
      organization_id: grant.organizationId,
      fields: JSON.stringify(grant.fields),
      k: grant.k,
      granted_at: grant.grantedAt,
      expires_at: grant.expiresAt,
      last_extract: null,
      downloads: 0,
    })
    .execute();
}

export async function findGrant(db: Executor, id: string): Promise<GrantRecord | undefined> {
  const row = await db.selectFrom('data_access_grants').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toGrant(row);
}

export async function grantsOfRequests(db: Executor, requestIds: readonly string[]): Promise<Map<string, GrantRecord>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db.selectFrom('data_access_grants').selectAll().where('request_id', 'in', requestIds).execute();
  return new Map(rows.map((row) => [row.request_id, toGrant(row)]));
}

export async function listGrants(
  db: Executor,
  filter: { organizationId?: string; beforeId?: string; limit: number },
): Promise<GrantRecord[]> {
  let query = db.selectFrom('data_access_grants').selectAll();
  if (filter.organizationId !== undefined) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toGrant);
}

export async function recordDownload(trx: Transaction<Database>, id: string, stats: ExtractStats): Promise<void> {
  await trx
    .updateTable('data_access_grants')
    .set((eb) => ({ downloads: eb('downloads', '+', 1), last_extract: JSON.stringify(stats) }))
    .where('id', '=', id)
    .execute();
}
