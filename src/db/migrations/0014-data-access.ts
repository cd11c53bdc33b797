import { sql, type Kysely } from 'kysely';

/**
 * Public data for industry (API-CONTRACT-2 §4): datasets with field-level classification,
 * their uploaded data versions, access requests on the working-day clock and the time-bound
 * grants they lead to. Nothing is deleted: a new upload is a new version, a grant expires.
 *
 * A version's CSV lives in `AIGOV_DATA_DIR/datasets/` on PGlite (`storage = 'files'`, same
 * reason as the document store: PGlite's memory never shrinks) or in `dataset_data_chunks`
 * (≤ 1 MiB each) on PostgreSQL (`storage = 'database'`), where instances share nothing else.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('datasets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('publisher', 'text', (c) => c.notNull())
    .addColumn('openness', 'text', (c) => c.notNull().check(sql`openness IN ('open', 'conditional', 'closed')`))
    .addColumn('themes', 'jsonb', (c) => c.notNull())
    .addColumn('license', 'text', (c) => c.notNull())
    .addColumn('update_frequency', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('data_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('data_updated_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('datasets_openness').on('datasets').columns(['openness', 'id']).execute();

  await db.schema
    .createTable('dataset_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('datasets.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull().check(sql`storage IN ('files', 'database')`))
    .addColumn('uploaded_by', 'uuid')
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('dataset_versions_number', ['dataset_id', 'number'])
    .execute();

  await db.schema
    .createTable('dataset_data_chunks')
    .addColumn('version_id', 'uuid', (c) => c.notNull().references('dataset_versions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_data_chunks_pk', ['version_id', 'seq'])
    .execute();

  await db.schema
    .createTable('data_access_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('datasets.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('requested_by', 'uuid')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('duration_days', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'granted', 'refused')`))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    // Civil dates as text (YYYY-MM-DD), like filings.
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('due_date_provisional', 'boolean', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'uuid')
    .addColumn('reasons', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_access_requests_queue')
    .on('data_access_requests')
    .columns(['status', 'due_date', 'id'])
    .execute();
  await db.schema
    .createIndex('data_access_requests_organization')
    .on('data_access_requests')
    .columns(['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('data_access_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique().references('data_access_requests.id'))
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('datasets.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('k', 'integer', (c) => c.notNull())
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // The information loss of the latest download (rows, suppressed, classes …), for the steward.
    .addColumn('last_extract', 'jsonb')
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('data_access_grants_organization')
    .on('data_access_grants')
    .columns(['organization_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_access_grants').execute();
  await db.schema.dropTable('data_access_requests').execute();
  await db.schema.dropTable('dataset_data_chunks').execute();
  await db.schema.dropTable('dataset_versions').execute();
  await db.schema.dropTable('datasets').execute();
}
