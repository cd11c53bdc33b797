import { isAuditAction } from '@domain/audit.ts';
import type { AuditEvent } from '../../api/types.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The action in the reader's language; an unknown code (a newer server) reads as "other change". */
export function auditActionLabel(t: Translate, action: string): string {
  return isAuditAction(action) ? t(`auditAction.${action}`) : t('audit.otherAction');
}

/** Stored actor labels are "name <user id>": people read the name. */
export function actorName(t: Translate, event: Pick<AuditEvent, 'actorLabel' | 'actorId'>): string {
  if (event.actorId === null) return t('audit.system');
  const label = event.actorLabel ?? '';
  const name = label.replace(/\s*<[^>]*>\s*$/, '').trim();
  return name === '' ? t('audit.unknownActor') : name;
}

/** Where a resource can be opened in the app, if anywhere. */
export function resourcePath(event: Pick<AuditEvent, 'resourceType' | 'resourceId'>): string | undefined {
  const id = encodeURIComponent(event.resourceId);
  switch (event.resourceType) {
    case 'filing':
      return `/filings/${id}`;
    case 'product':
      return `/products/${id}`;
    case 'organization':
      return '/admin/organizations';
    case 'user':
      return '/admin/users';
    case 'calendar_year':
      return '/admin/calendar';
    case 'catalogue_version':
      return '/admin/catalogue';
    default:
      return undefined;
  }
}

/** A summary's facts as short "key: value" lines (values of any shape, compactly). */
export function summaryLines(summary: Record<string, unknown>): string[] {
  return Object.entries(summary).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `${key}: ${text.length > 120 ? `${text.slice(0, 117)}…` : text}`;
  });
}

/** A civil date (YYYY-MM-DD) as the RFC 3339 instant its day starts in Shenzhen. */
export function shanghaiDayStart(date: string): string {
  return `${date}T00:00:00+08:00`;
}
