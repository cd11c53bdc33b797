import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http.ts';
import { newId } from '../../platform/ids.ts';
import { requireUser, type Principal, type Role } from '../../platform/principal.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { insertNotifications, insertRead, isAddressedTo, listNotifications, type Reader } from './repo.ts';

/** Who a notification is for. */
export type NotificationTarget =
  { readonly userId: string } | { readonly organizationId: string; readonly role?: Role } | { readonly role: Role };

export interface NotificationInput {
  target: NotificationTarget;
  /** Stable kind clients may branch on, e.g. `filing.information_requested`. */
  kind: string;
  titleZh: string;
  titleEn: string;
  /** Web path of the object the notification is about. */
  link?: string | null;
}

/**
 * Creates notifications in the caller's transaction, so they exist if and only if the change
 * they announce committed.
 */
export async function notify(
  trx: Transaction<Database>,
  clock: Clock,
  inputs: readonly NotificationInput[],
): Promise<void> {
  const createdAt = clock.now();
  await insertNotifications(
    trx,
    inputs.map((input) => {
      const target = input.target;
      return {
        id: newId(),
        userId: 'userId' in target ? target.userId : null,
        organizationId: 'organizationId' in target ? target.organizationId : null,
        role: 'role' in target ? (target.role ?? null) : null,
        kind: input.kind,
        titleZh: input.titleZh,
        titleEn: input.titleEn,
        link: input.link ?? null,
        createdAt,
      };
    }),
  );
}

function readerOf(principal: Principal): Reader {
  const user = requireUser(principal);
  return { userId: user.userId, organizationId: user.organizationId, roles: user.roles };
}

export interface NotificationItem {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** `GET /notifications`: the caller's own, their organisation's and their role's, newest first. */
export async function listMyNotifications(
  deps: AppDeps,
  ctx: RequestContext,
  query: { limit: number; cursor?: string; unread?: boolean },
): Promise<{ items: NotificationItem[]; nextCursor: string | null }> {
  const reader = readerOf(ctx.principal);
  const cursor = decodeCursor(
    query.cursor,
    2,
    ([createdAt, id]) =>
      typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt)),
  );
  const after = cursor === undefined ? undefined : { createdAt: new Date(String(cursor[0])), id: String(cursor[1]) };
  const rows = await listNotifications(deps.db, reader, {
    limit: query.limit + 1,
    after,
    unreadOnly: query.unread === true,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      readAt: row.readAt === null ? null : row.readAt.toISOString(),
    })),
    nextCursor:
      rows.length > query.limit && last !== undefined ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

/** `POST /notifications/{id}/read`: idempotent; someone else's notification answers 404. */
export async function markNotificationRead(deps: AppDeps, ctx: RequestContext, input: { id: string }): Promise<void> {
  const { id } = input;
  const reader = readerOf(ctx.principal);
  if (!(await isAddressedTo(deps.db, id, reader))) throw notFound();
  await insertRead(deps.db, id, reader.userId, deps.clock.now());
}
