import { Readable } from 'node:stream';
import type { AppDeps } from '../../platform/deps.ts';
import { chainedFieldsOf } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
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

function view(row: Row) {
  return { ...chainedFieldsOf(row), hash: row.hash };
}

/** The audit trail for regulator administrators, newest first, keyset-paged by chain position. */
export async function listAuditEvents(
  deps: AppDeps,
  context: RequestContext,
  filter: AuditFilter,
  limit: number,
  cursor?: string,
) {
  assertCan(context.principal, 'audit.read', systemResource('audit'));
  const after = decodeCursor(cursor, 1);
  let q = query(deps, filter).orderBy('seq', 'desc').limit(limit);
  if (after !== undefined) q = q.where('seq', '<', String(after[0]));
  const rows = await q.execute();
  return {
    items: rows.map(view),
    nextCursor: rows.length === limit ? encodeCursor([String(rows[rows.length - 1]!.seq)]) : null,
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
];

/** Streams the filtered trail as CSV in pages, so a long trail never sits in memory. */
export function auditCsvRows(deps: AppDeps, context: RequestContext, filter: AuditFilter): Readable {
  assertCan(context.principal, 'audit.read', systemResource('audit'));
  async function* lines() {
    yield `\uFEFF${toCsvLine(CSV_HEADER)}`;
    let after: string | undefined;
    for (;;) {
      let q = query(deps, filter).orderBy('seq').limit(1000);
      if (after !== undefined) q = q.where('seq', '>', after);
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
        ]);
      }
      if (rows.length < 1000) return;
      after = String(rows[rows.length - 1]!.seq);
    }
  }
  return Readable.from(lines());
}
