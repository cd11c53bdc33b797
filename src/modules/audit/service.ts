import { Readable } from 'node:stream';
import type { AppDeps } from '../../platform/deps.ts';
import { auditFieldsOf } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { toCsvLine } from '../../lib/csv.ts';

export interface AuditFilter {
  action?: string;
  resourceType?: string;
  resourceId?: string;
  actorId?: string;
  organizationId?: string;
  from?: Date;
  to?: Date;
}

function query(deps: AppDeps, filter: AuditFilter) {
  let q = deps.db.selectFrom('audit_events').selectAll();
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.resourceType !== undefined) q = q.where('resource_type', '=', filter.resourceType);
  if (filter.resourceId !== undefined) q = q.where('resource_id', '=', filter.resourceId);
  if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
  if (filter.organizationId !== undefined) q = q.where('organization_id', '=', filter.organizationId);
  if (filter.from !== undefined) q = q.where('occurred_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('occurred_at', '<', filter.to);
  return q;
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['execute']>>[number];

/** `chainStatus`: `pending` until the audit sequencer has given the row its `seq` and `hash`. */
function view(row: Row) {
  return {
    ...auditFieldsOf(row),
    hash: row.hash,
    chainStatus: row.seq === null ? ('pending' as const) : ('chained' as const),
  };
}

/**
 * The audit trail for regulator administrators, newest first, keyset-paged by event id
 * (UUIDv7: time-ordered, fixed at insert, so a cursor stays valid while rows are chained).
 */
export async function listAuditEvents(
  deps: AppDeps,
  context: RequestContext,
  input: { filter: AuditFilter; limit: number; cursor?: string },
) {
  const { filter, limit, cursor } = input;
  assertCan(context.principal, 'audit.read', systemResource('audit'));
  const beforeId = decodeIdCursor(cursor);
  let q = query(deps, filter).orderBy('id', 'desc').limit(limit);
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  const rows = await q.execute();
  return {
    items: rows.map(view),
    nextCursor: rows.length === limit ? encodeCursor([rows[rows.length - 1]!.id]) : null,
  };
}

const CSV_HEADER = [
  'seq',
  'occurredAt',
  'actorLabel',
  'action',
  'resourceType',
  'resourceId',
  'organizationId',
  'summary',
  'requestId',
  'hash',
  'chainStatus',
];

/** Streams the filtered trail as CSV, oldest first, in pages by id, so a long trail never sits in memory. */
export function auditCsvRows(deps: AppDeps, context: RequestContext, input: { filter: AuditFilter }): Readable {
  const { filter } = input;
  assertCan(context.principal, 'audit.read', systemResource('audit'));
  async function* lines() {
    yield `\uFEFF${toCsvLine(CSV_HEADER)}`;
    let after: string | undefined;
    for (;;) {
      let q = query(deps, filter).orderBy('id').limit(1000);
      if (after !== undefined) q = q.where('id', '>', after);
      const rows = await q.execute();
      for (const row of rows) {
        const v = view(row);
        yield toCsvLine([
          v.seq,
          v.occurredAt,
          v.actorLabel,
          v.action,
          v.resourceType,
          v.resourceId,
          v.organizationId,
          JSON.stringify(v.summary),
          v.requestId,
          v.hash,
          v.chainStatus,
        ]);
      }
      if (rows.length < 1000) return;
      after = rows[rows.length - 1]!.id;
    }
  }
  return Readable.from(lines());
}
