import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface NotificationRow {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NewNotification {
  id: string;
  userId: string | null;
  organizationId: string | null;
  role: string | null;
  kind: string;
  titleZh: string;
  titleEn: string;
  link: string | null;
  createdAt: Date;
}

/** Who is reading: the user, their organisation and roles decide which notifications are theirs. */
export interface Reader {
  userId: string;
  organizationId: string | null;
  roles: readonly string[];
}

export async function insertNotifications(trx: Transaction<Database>, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('notifications')
    .values(
      rows.map((row) => ({
        id: row.id,
        user_id: row.userId,
        organization_id: row.organizationId,
        role: row.role,
        kind: row.kind,
        title_zh: row.titleZh,
        title_en: row.titleEn,
        link: row.link,
        created_at: row.createdAt,
      })),
    )
    .execute();
}

/** The notifications addressed to `reader`: personally, through their organisation, or their role. */
function addressedTo(reader: Reader) {
  return (eb: ExpressionBuilder<Database, 'notifications'>) => {
    const roles = [...reader.roles];
    const branches = [eb('notifications.user_id', '=', reader.userId)];
    if (reader.organizationId !== null) {
      const anyMember = eb('notifications.role', 'is', null);
      branches.push(
        eb.and([
          eb('notifications.organization_id', '=', reader.organizationId),
          roles.length === 0 ? anyMember : eb.or([anyMember, eb('notifications.role', 'in', roles)]),
        ]),
      );
    }
    if (roles.length > 0) {
      branches.push(
        eb.and([
          eb('notifications.user_id', 'is', null),
          eb('notifications.organization_id', 'is', null),
          eb('notifications.role', 'in', roles),
        ]),
      );
    }
    return eb.or(branches);
  };
}

export async function listNotifications(
  db: Executor,
  reader: Reader,
  options: { limit: number; after?: { createdAt: Date; id: string }; unreadOnly: boolean },
): Promise<NotificationRow[]> {
  let query = db
    .selectFrom('notifications')
    .leftJoin('notification_reads', (join) =>
      join
        .onRef('notification_reads.notification_id', '=', 'notifications.id')
        .on('notification_reads.user_id', '=', reader.userId),
    )
    .select([
      'notifications.id',
      'notifications.kind',
      'notifications.title_zh',
      'notifications.title_en',
      'notifications.link',
      'notifications.created_at',
      'notification_reads.read_at',
    ])
    .where(addressedTo(reader));
  if (options.unreadOnly) query = query.where('notification_reads.read_at', 'is', null);
  const after = options.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('notifications.created_at', '<', after.createdAt),
        eb.and([eb('notifications.created_at', '=', after.createdAt), eb('notifications.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    link: row.link,
    createdAt: new Date(row.created_at),
    readAt: row.read_at === null ? null : new Date(row.read_at),
  }));
}

export async function isAddressedTo(db: Executor, id: string, reader: Reader): Promise<boolean> {
  const row = await db
    .selectFrom('notifications')
    .select('id')
    .where('id', '=', id)
    .where(addressedTo(reader))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertRead(db: Executor, id: string, userId: string, readAt: Date): Promise<void> {
  await db
    .insertInto('notification_reads')
    .values({ notification_id: id, user_id: userId, read_at: readAt })
    .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
    .execute();
}
