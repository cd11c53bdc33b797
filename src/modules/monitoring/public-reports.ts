/**
 * Public reports on register entries (API-CONTRACT-2 §1): anyone may flag a product; the
 * reporter gets a tracking code; the provider answers within 10 working days; unanswered
 * past the due date they show as overdue to reviewers. The reporter's contact is stored for
 * regulator staff only: it is never in an audit row, a log line, an event or a provider view.
 */
import crypto from 'node:crypto';
import type { Static } from '@fastify/type-provider-typebox';
import { shanghaiDate } from '../../lib/calendar.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { conflict, found } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { newId } from '../../platform/ids.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { confirmProvisional, withWorkingDayCalendar } from '../calendar/index.ts';
import { notify } from '../notifications/index.ts';
import {
  MONITORING_LIMITS,
  type PUBLIC_REPORT_CATEGORIES,
  type PublicReportStatus,
  type PublicReportT,
  type ReviewerPublicReport,
} from './schemas.ts';
import { actorOf, auditOf, iso, isoOrNull, productOr404, productResource, type MonitoringDeps } from './shared.ts';

type Category = (typeof PUBLIC_REPORT_CATEGORIES)[number];
type Status = PublicReportT['status'];

interface PublicReportRow {
  id: string;
  product_id: string;
  organization_id: string;
  tracking_code: string;
  category: string;
  message: string;
  contact_email: string | null;
  submitted_at: Date | string;
  due_date: string;
  due_date_provisional: boolean;
  response: string | null;
  responded_at: Date | string | null;
}

function statusOf(row: PublicReportRow, today: string): Status {
  if (row.responded_at !== null) return 'answered';
  return today > row.due_date ? 'overdue' : 'open';
}

function toPublicReport(row: PublicReportRow, today: string): PublicReportT {
  return {
    id: row.id,
    productId: row.product_id,
    category: row.category as Category,
    message: row.message,
    submittedAt: iso(row.submitted_at),
    dueDate: row.due_date,
    dueDateProvisional: row.due_date_provisional,
    status: statusOf(row, today),
    response: row.response,
    respondedAt: isoOrNull(row.responded_at),
  };
}

/** 16 characters of Crockford base32 (80 bits): not guessable, easy to read out. */
function newTrackingCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = crypto.randomBytes(16);
  let code = '';
  for (const byte of bytes) code += alphabet[byte & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12, 16)}`;
}

/** `POST /public/products/{id}/reports`: only products on the public register can be flagged. */
export async function filePublicReport(
  deps: MonitoringDeps,
  _ctx: RequestContext,
  input: { productId: string; body: { category: Category; message: string; contactEmail?: string } },
): Promise<{ trackingCode: string }> {
  const entry = found(
    await deps.db
      .selectFrom('register_entries')
      .select(['product_id', 'organization_id', 'name'])
      .where('product_id', '=', input.productId)
      .executeTakeFirst(),
  );
  const now = deps.clock.now();
  const submittedDate = shanghaiDate(now);
  return withWorkingDayCalendar(deps, async (calendar) => {
    const due = calendar.addWorkingDaysProvisional(submittedDate, MONITORING_LIMITS.publicReportAnswerWorkingDays);
    return deps.db.transaction().execute(async (trx) => {
      if (due.provisional) await confirmProvisional(trx, calendar, submittedDate, due.date);
      const id = newId();
      const trackingCode = newTrackingCode();
      await trx
        .insertInto('public_reports')
        .values({
          id,
          product_id: entry.product_id,
          organization_id: entry.organization_id,
          tracking_code: trackingCode,
          category: input.body.category,
          message: input.body.message,
          contact_email: input.body.contactEmail ?? null,
          submitted_at: now,
          submitted_date: submittedDate,
          due_date: due.date,
          due_date_provisional: due.provisional,
          response: null,
          responded_at: null,
          responded_by: null,
        })
        .execute();
      // Never the contact or the message: the audit trail is read by more people than staff.
      await recordAudit(
        trx,
        { principal: { kind: 'anonymous' }, requestId: null, clock: deps.clock },
        {
          action: 'public_report.filed',
          resourceType: 'public_report',
          resourceId: id,
          organizationId: entry.organization_id,
          summary: { productId: entry.product_id, category: input.body.category, dueDate: due.date },
        },
      );
      await notify(trx, deps.clock, [
        {
          target: { organizationId: entry.organization_id },
          kind: 'public_report.filed',
          titleZh: `公众对 ${entry.name} 提交了反映，请于 ${due.date}${due.provisional ? '（暂定）' : ''} 前答复`,
          titleEn: `A public report on ${entry.name}; answer by ${due.date}${due.provisional ? ' (provisional)' : ''}`,
          link: `/products/${entry.product_id}`,
        },
      ]);
      return { trackingCode };
    });
  });
}

/** `GET /public/reports/{trackingCode}`: the status, never the reporter's contact. */
export async function trackPublicReport(
  deps: MonitoringDeps,
  _ctx: RequestContext,
  input: { trackingCode: string },
): Promise<Static<typeof PublicReportStatus>> {
  const row = found(
    (await deps.db
      .selectFrom('public_reports')
      .selectAll()
      .where('tracking_code', '=', input.trackingCode.trim().toUpperCase())
      .executeTakeFirst()) as PublicReportRow | undefined,
  );
  return {
    status: statusOf(row, shanghaiDate(deps.clock.now())),
    category: row.category as Category,
    submittedAt: iso(row.submitted_at),
    response: row.response,
    respondedAt: isoOrNull(row.responded_at),
  };
}

/** `GET /products/{id}/public-reports` (owning organisation, regulator staff): without contacts. */
export async function listProductPublicReports(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { productId: string },
): Promise<{ items: PublicReportT[] }> {
  const product = await productOr404(deps.db, input.productId);
  assertCan(ctx.principal, 'monitoring.read', productResource(product));
  const rows = (await deps.db
    .selectFrom('public_reports')
    .selectAll()
    .where('product_id', '=', product.id)
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .execute()) as PublicReportRow[];
  const today = shanghaiDate(deps.clock.now());
  return { items: rows.map((row) => toPublicReport(row, today)) };
}

/** `POST /public-reports/{id}/response` (owning organisation): answered once; again → 409. */
export async function answerPublicReport(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { id: string; body: { message: string } },
): Promise<PublicReportT> {
  const head = found(
    await deps.db
      .selectFrom('public_reports')
      .select(['organization_id'])
      .where('id', '=', input.id)
      .executeTakeFirst(),
  );
  assertCan(ctx.principal, 'publicReports.respond', {
    type: 'public_report',
    id: input.id,
    organizationId: head.organization_id,
  });
  return deps.db.transaction().execute(async (trx) => {
    const row = (await trx
      .selectFrom('public_reports')
      .selectAll()
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirstOrThrow()) as PublicReportRow;
    if (row.responded_at !== null) {
      throw conflict('public_report_already_answered', {
        detail: { zh: '该反映已答复', en: 'This report has already been answered' },
      });
    }
    const now = deps.clock.now();
    const updated = (await trx
      .updateTable('public_reports')
      .set({ response: input.body.message, responded_at: now, responded_by: actorOf(ctx) })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()) as PublicReportRow;
    const today = shanghaiDate(now);
    await recordAudit(trx, auditOf(deps, ctx), {
      action: 'public_report.answered',
      resourceType: 'public_report',
      resourceId: row.id,
      organizationId: row.organization_id,
      summary: { productId: row.product_id, dueDate: row.due_date, late: today > row.due_date },
    });
    return toPublicReport(updated, today);
  });
}

type ReviewerItem = Static<typeof ReviewerPublicReport>;

/** `GET /monitoring/public-reports?status=` (reviewer): with the reporter's contact; by due date. */
export async function listPublicReportsForReviewer(
  deps: MonitoringDeps,
  ctx: RequestContext,
  input: { status?: Status; limit: number; cursor?: string },
): Promise<{ items: ReviewerItem[]; nextCursor: string | null }> {
  assertCan(ctx.principal, 'monitoring.queue', systemResource('public_report'));
  const today = shanghaiDate(deps.clock.now());
  const after = decodeCursor(input.cursor, 2, ([date, id]) => typeof date === 'string' && typeof id === 'string');
  let query = deps.db
    .selectFrom('public_reports')
    .innerJoin('products', 'products.id', 'public_reports.product_id')
    .selectAll('public_reports')
    .select(['products.name as product_name']);
  if (input.status === 'answered') query = query.where('public_reports.responded_at', 'is not', null);
  if (input.status === 'open')
    query = query.where('public_reports.responded_at', 'is', null).where('public_reports.due_date', '>=', today);
  if (input.status === 'overdue')
    query = query.where('public_reports.responded_at', 'is', null).where('public_reports.due_date', '<', today);
  if (after !== undefined) {
    const [date, id] = after as [string, string];
    query = query.where((eb) =>
      eb.or([
        eb('public_reports.due_date', '>', date),
        eb.and([eb('public_reports.due_date', '=', date), eb('public_reports.id', '>', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('public_reports.due_date')
    .orderBy('public_reports.id')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      ...toPublicReport(row as unknown as PublicReportRow, today),
      organizationId: row.organization_id,
      productName: row.product_name,
      contactEmail: row.contact_email,
    })),
    nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor([last.due_date, last.id]) : null,
  };
}
