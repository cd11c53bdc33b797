/**
 * Access requests on the 10-working-day clock, the steward's decisions, time-bound grants
 * and their k-anonymous extracts (API-CONTRACT-2 §4).
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { shanghaiDate } from '../../lib/calendar.ts';
import { csvStream, extractRecords } from '../../lib/csv-extract.ts';
import { DatasetColumns } from '../../lib/dataset-columns.ts';
import { anonymize } from '../../lib/k-anonymity.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource, type ResourceRef } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, found, notFound, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import { runIdempotent, type StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { isRegulator } from '../../platform/principal.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { withWorkingDayCalendar } from '../calendar/index.ts';
import { currentRows, DATASET_NOT_FOUND } from './dataset-service.ts';
import { AccessRequestDecided, AccessRequestSubmitted } from './events.ts';
import {
  decideAccessRequest,
  findAccessRequest,
  findDataset,
  findGrant,
  grantsOfRequests,
  insertAccessRequest,
  insertGrant,
  listAccessRequests,
  listGrants,
  lockAccessRequest,
  recordDownload,
} from './repo.ts';
import type { ExtractStats } from './tables.ts';
import {
  ACCESS_REQUEST_WORKING_DAYS,
  DEFAULT_K,
  type AccessRequestRecord,
  type AccessRequestStatus,
  type GrantRecord,
  type GrantStatus,
} from './types.ts';

const REQUEST_NOT_FOUND = { zh: '数据访问申请不存在', en: 'No such access request' };
const GRANT_NOT_FOUND = { zh: '数据访问授权不存在', en: 'No such access grant' };
const DAY_MS = 86_400_000;

export interface GrantView extends GrantRecord {
  status: GrantStatus;
}

export interface AccessRequestView extends Omit<AccessRequestRecord, 'requestedBy'> {
  overdue: boolean;
  grant: GrantView | null;
}

export function grantStatus(grant: GrantRecord, now: Date): GrantStatus {
  return now.getTime() >= Date.parse(grant.expiresAt) ? 'expired' : 'active';
}

function grantView(grant: GrantRecord, now: Date): GrantView {
  return { ...grant, status: grantStatus(grant, now) };
}

function requestView(request: AccessRequestRecord, grant: GrantRecord | undefined, now: Date): AccessRequestView {
  const { requestedBy: _requestedBy, ...rest } = request;
  return {
    ...rest,
    overdue: request.status === 'pending' && shanghaiDate(now) > request.dueDate,
    grant: grant === undefined ? null : grantView(grant, now),
  };
}

const requestResource = (request: { id: string; organizationId: string }): ResourceRef => ({
  type: 'data_access_request',
  id: request.id,
  organizationId: request.organizationId,
});

export interface CreateAccessRequestInput {
  datasetId: string;
  purpose: string;
  legalBasis: string;
  fields: string[];
  durationDays: number;
  idempotencyKey?: string;
}

/** A member of a verified organisation asks for fields of an open or conditional dataset. */
export async function createAccessRequest(
  deps: AppDeps,
  ctx: RequestContext,
  input: CreateAccessRequestInput,
): Promise<StoredResponse<AccessRequestView>> {
  const { principal } = ctx;
  const organizationId = principal.kind === 'user' ? principal.organizationId : null;
  assertCan(principal, 'accessRequests.create', {
    type: 'organization',
    id: organizationId ?? 'none',
    organizationId,
  });
  if (organizationId === null || principal.kind !== 'user')
    throw new Error('accessRequests.create without an organisation');
  const dataset = await findDataset(deps.db, input.datasetId);
  if (dataset === undefined) throw notFound({ detail: DATASET_NOT_FOUND });
  if (dataset.openness === 'closed') {
    throw unprocessable('dataset_closed', {
      detail: { zh: '该数据集不开放，不受理访问申请', en: 'This dataset is closed: access is not granted' },
    });
  }
  const byName = new Map(dataset.fields.map((field) => [field.name, field]));
  const unknown: FieldProblem[] = [];
  const direct: FieldProblem[] = [];
  input.fields.forEach((name, index) => {
    const field = byName.get(name);
    if (field === undefined) {
      unknown.push({
        pointer: `/fields/${index}`,
        message: { zh: `“${name}”不是该数据集的字段`, en: `"${name}" is not a field of this dataset` },
      });
    } else if (field.classification === 'direct_identifier') {
      direct.push({
        pointer: `/fields/${index}`,
        message: { zh: `“${name}”是直接标识符，不予授权`, en: `"${name}" is a direct identifier and is never granted` },
      });
    }
  });
  if (unknown.length > 0) {
    throw unprocessable('unknown_field', {
      detail: { zh: '申请的字段不属于该数据集', en: 'Fields asked for are not fields of this dataset' },
      errors: unknown,
    });
  }
  if (direct.length > 0) {
    throw unprocessable('direct_identifier_not_grantable', {
      detail: {
        zh: '直接标识符字段（如姓名、身份证号）一律不予授权',
        en: 'Direct identifiers (names, ID numbers …) are never granted',
      },
      errors: direct,
    });
  }
  const { idempotencyKey, ...fingerprint } = input;
  return withWorkingDayCalendar(deps, (calendar) =>
    runIdempotent(
      deps.db,
      deps.clock,
      { key: idempotencyKey, scope: `accessRequests.create:${principal.userId}`, fingerprint },
      async (trx) => {
        const now = deps.clock.now();
        const due = calendar.addWorkingDaysProvisional(shanghaiDate(now), ACCESS_REQUEST_WORKING_DAYS);
        const request: AccessRequestRecord = {
          id: newId(),
          datasetId: dataset.id,
          datasetTitle: dataset.title,
          datasetTitleEn: dataset.titleEn,
          organizationId,
          requestedBy: principal.userId,
          purpose: input.purpose,
          legalBasis: input.legalBasis,
          fields: input.fields,
          durationDays: input.durationDays,
          status: 'pending',
          submittedAt: now.toISOString(),
          dueDate: due.date,
          dueDateProvisional: due.provisional,
          decidedAt: null,
          reasons: null,
          version: 1,
        };
        await insertAccessRequest(trx, request);
        await recordAudit(trx, auditContext(ctx, deps.clock), {
          action: 'data_access_request.submitted',
          resourceType: 'data_access_request',
          resourceId: request.id,
          organizationId,
          summary: {
            datasetId: dataset.id,
            fields: request.fields,
            durationDays: request.durationDays,
            dueDate: request.dueDate,
            dueDateProvisional: request.dueDateProvisional,
          },
        });
        await enqueueEvent(trx, deps.clock, AccessRequestSubmitted, request.id, {
          requestId: request.id,
          datasetId: dataset.id,
          organizationId,
          dueDate: request.dueDate,
          dueDateProvisional: request.dueDateProvisional,
        });
        return {
          status: 201,
          body: requestView(request, undefined, now),
          headers: { location: `/api/v1/access-requests/${request.id}` },
        };
      },
    ),
  );
}

export interface DecisionInput {
  id: string;
  decision: 'granted' | 'refused';
  reasons: string;
  k?: number;
  idempotencyKey?: string;
}

/** The steward grants (with k) or refuses a pending request, with reasons. */
export async function decideRequest(
  deps: AppDeps,
  ctx: RequestContext,
  input: DecisionInput,
): Promise<StoredResponse<AccessRequestView>> {
  assertCan(ctx.principal, 'accessRequests.decide', systemResource('data_access_request'));
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  const { idempotencyKey, ...fingerprint } = input;
  return runIdempotent(
    deps.db,
    deps.clock,
    { key: idempotencyKey, scope: `accessRequests.decide:${actorId ?? 'anonymous'}`, fingerprint },
    async (trx) => {
      const request = found(await lockAccessRequest(trx, input.id), { detail: REQUEST_NOT_FOUND });
      if (request.status !== 'pending') {
        throw new AppError(409, 'access_request_decided', {
          detail: { zh: '该申请已有决定', en: 'This request has already been decided' },
          extensions: { currentStatus: request.status },
        });
      }
      const now = deps.clock.now();
      const at = now.toISOString();
      const status: AccessRequestStatus = input.decision;
      let grant: GrantRecord | undefined;
      if (input.decision === 'granted') {
        grant = {
          id: newId(),
          requestId: request.id,
          datasetId: request.datasetId,
          organizationId: request.organizationId,
          fields: request.fields,
          k: input.k ?? DEFAULT_K,
          grantedAt: at,
          expiresAt: new Date(now.getTime() + request.durationDays * DAY_MS).toISOString(),
          downloads: 0,
          lastExtract: null,
        };
        await insertGrant(trx, grant);
      }
      await decideAccessRequest(trx, request.id, {
        status,
        at,
        by: actorId,
        reasons: input.reasons,
        version: request.version + 1,
      });
      const decided: AccessRequestRecord = {
        ...request,
        status,
        decidedAt: at,
        reasons: input.reasons,
        version: request.version + 1,
      };
      await recordAudit(trx, auditContext(ctx, deps.clock), {
        action: `data_access_request.${status}`,
        resourceType: 'data_access_request',
        resourceId: request.id,
        organizationId: request.organizationId,
        summary: {
          datasetId: request.datasetId,
          reasons: input.reasons,
          ...(grant === undefined
            ? {}
            : { grantId: grant.id, fields: grant.fields, k: grant.k, expiresAt: grant.expiresAt }),
        },
      });
      await enqueueEvent(trx, deps.clock, AccessRequestDecided, request.id, {
        requestId: request.id,
        datasetId: request.datasetId,
        organizationId: request.organizationId,
        decision: input.decision,
        grantId: grant?.id ?? null,
        expiresAt: grant?.expiresAt ?? null,
      });
      return { status: 200, body: requestView(decided, grant, now), headers: { etag: `"${decided.version}"` } };
    },
  );
}

export async function readAccessRequest(deps: AppDeps, ctx: RequestContext, id: string): Promise<AccessRequestView> {
  const request = found(await findAccessRequest(deps.db, id), { detail: REQUEST_NOT_FOUND });
  assertCan(ctx.principal, 'accessRequests.read', requestResource(request));
  const grants = await grantsOfRequests(deps.db, [request.id]);
  return requestView(request, grants.get(request.id), deps.clock.now());
}

export interface RequestListInput {
  limit: number;
  cursor?: string;
  status?: AccessRequestStatus;
  datasetId?: string;
}

/**
 * Data stewards: every request (the queue: `status=pending`, oldest — hence earliest due —
 * first). Organisation members: their organisation's, newest first.
 */
export async function listRequests(deps: AppDeps, ctx: RequestContext, input: RequestListInput) {
  const { principal } = ctx;
  const steward = isRegulator(principal);
  const organizationId = principal.kind === 'user' ? principal.organizationId : null;
  assertCan(
    principal,
    'accessRequests.read',
    steward
      ? systemResource('data_access_request')
      : { type: 'organization', id: organizationId ?? 'none', organizationId },
  );
  const oldestFirst = steward && input.status === 'pending';
  const items = await listAccessRequests(deps.db, {
    organizationId: steward ? undefined : (organizationId ?? undefined),
    status: input.status,
    datasetId: input.datasetId,
    oldestFirst,
    afterId: decodeIdCursor(input.cursor),
    limit: input.limit + 1,
  });
  const more = items.length > input.limit;
  const shown = more ? items.slice(0, input.limit) : items;
  const grants = await grantsOfRequests(
    deps.db,
    shown.map((item) => item.id),
  );
  const now = deps.clock.now();
  return {
    items: shown.map((item) => requestView(item, grants.get(item.id), now)),
    nextCursor: more ? encodeCursor([shown.at(-1)!.id]) : null,
  };
}

/** The grants of the member's organisation (stewards: all), newest first. */
export async function listGrantsFor(deps: AppDeps, ctx: RequestContext, input: { limit: number; cursor?: string }) {
  const { principal } = ctx;
  const steward = isRegulator(principal);
  const organizationId = principal.kind === 'user' ? principal.organizationId : null;
  assertCan(
    principal,
    'accessRequests.read',
    steward
      ? systemResource('data_access_grant')
      : { type: 'organization', id: organizationId ?? 'none', organizationId },
  );
  const items = await listGrants(deps.db, {
    organizationId: steward ? undefined : (organizationId ?? undefined),
    beforeId: decodeIdCursor(input.cursor),
    limit: input.limit + 1,
  });
  const more = items.length > input.limit;
  const shown = more ? items.slice(0, input.limit) : items;
  const now = deps.clock.now();
  return {
    items: shown.map((grant) => grantView(grant, now)),
    nextCursor: more ? encodeCursor([shown.at(-1)!.id]) : null,
  };
}

/** A stable seed per grant: repeated downloads of one grant and data version are identical. */
function seedOf(grantId: string): number {
  return crypto.createHash('sha256').update(grantId).digest().readUInt32BE(0);
}

export interface Extract {
  stream: Readable;
  stats: ExtractStats;
  k: number;
}

/**
 * The extract of a grant: exactly the granted fields of the current data version; when a
 * quasi-identifier is among them, generalised with Mondrian so that every combination of
 * their values occurs in ≥ k rows (rows suppressed only as the last resort). Audited.
 */
export async function grantExtract(deps: AppDeps, ctx: RequestContext, id: string): Promise<Extract> {
  const grant = found(await findGrant(deps.db, id), { detail: GRANT_NOT_FOUND });
  assertCan(ctx.principal, 'accessGrants.download', {
    type: 'data_access_grant',
    id: grant.id,
    organizationId: grant.organizationId,
  });
  const now = deps.clock.now();
  if (grantStatus(grant, now) === 'expired') {
    throw new AppError(403, 'grant_expired', {
      detail: {
        zh: `该授权已于 ${grant.expiresAt} 到期，请重新申请`,
        en: `This grant expired at ${grant.expiresAt}: request access again`,
      },
    });
  }
  const dataset = found(await findDataset(deps.db, grant.datasetId), { detail: DATASET_NOT_FOUND });
  const positions = grant.fields.map((name) => dataset.fields.findIndex((field) => field.name === name));
  if (positions.some((position) => position < 0)) throw new Error(`grant ${grant.id} names a field the dataset lacks`);
  const granted = positions.map((position) => dataset.fields[position]!);
  const table = new DatasetColumns(granted);
  const projected = new Array<string | number | null>(positions.length);
  for await (const row of currentRows(deps, dataset)) {
    for (let i = 0; i < positions.length; i += 1) projected[i] = row[positions[i]!]!;
    table.push(projected);
  }
  const quasi = granted.flatMap((field, index) => (field.classification === 'quasi_identifier' ? [index] : []));
  const result = anonymize(table, quasi, { k: grant.k, seed: seedOf(grant.id) });
  const stats: ExtractStats = {
    at: now.toISOString(),
    dataVersion: dataset.dataVersion,
    rows: result.rows,
    released: result.released,
    suppressed: result.suppressed,
    equivalenceClasses: result.classCount,
    suppressedShare: result.loss.suppressedShare,
    averageClassSize: result.loss.averageClassSize,
    certaintyPenalty: result.loss.certaintyPenalty,
  };
  await deps.db.transaction().execute(async (trx: Transaction<Database>) => {
    await recordDownload(trx, grant.id, stats);
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'data_access_grant.downloaded',
      resourceType: 'data_access_grant',
      resourceId: grant.id,
      organizationId: grant.organizationId,
      summary: { datasetId: dataset.id, fields: grant.fields, k: grant.k, ...stats },
    });
  });
  const stream = csvStream(grant.fields, extractRecords(table, quasi, result));
  return { stream, stats, k: grant.k };
}
