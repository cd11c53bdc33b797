import { sql, type Kysely } from 'kysely';

/**
 * In-app notifications. A notification targets one user, an organisation (optionally only
 * its members with a given role) or a regulator role (all reviewers); who read it is kept per
 * user in `notification_reads`, since one organisation-wide notice has many readers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid')
    .addColumn('organization_id', 'uuid')
    .addColumn('role', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint(
      'notifications_has_target',
      sql`user_id IS NOT NULL OR organization_id IS NOT NULL OR role IS NOT NULL`,
    )
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema
    .createIndex('notifications_organization')
    .on('notifications')
    .columns(['organization_id', 'id'])
    .execute();
  await db.schema.createIndex('notifications_role').on('notifications').columns(['role', 'id']).execute();

  await db.schema
    .createTable('notification_reads')
    .addColumn('notification_id', 'uuid', (c) => c.notNull().references('notifications.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_reads_pk', ['notification_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_reads').execute();
  await db.schema.dropTable('notifications').execute();
}
