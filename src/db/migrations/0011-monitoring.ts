import { sql, type Kysely } from 'kysely';

/**
 * Ex-post tracking and risk early warning (API-CONTRACT-2 §1): tracking / monitoring
 * reports, incidents and their updates, early warnings, the suspension state of each
 * product, and public reports on register entries. Dates are Shanghai civil dates as text
 * (like filings.due_date); instants are timestamptz.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const dateCheck = (column: string) => sql.raw(`${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`);
  await db.schema
    .createTable('tracking_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('tracking', 'monitoring')`))
    .addColumn('period_start', 'text', (c) => c.notNull().check(dateCheck('period_start')))
    .addColumn('period_end', 'text', (c) => c.notNull().check(dateCheck('period_end')))
    .addColumn('due_date', 'text', (c) => c.notNull().check(dateCheck('due_date')))
    .addColumn('due_date_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('submitted_by', 'uuid')
    .addColumn('active_users', 'bigint')
    .addColumn('incident_count', 'bigint')
    .addColumn('complaints_received', 'bigint')
    .addColumn('material_changes', 'text')
    .addColumn('metrics', 'jsonb')
    .addColumn('reminder_sent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('overdue_warned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('escalated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('source_filing_id', 'uuid')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX tracking_reports_period_uq ON tracking_reports (product_id, kind, period_start)`.execute(
    db,
  );
  await sql`CREATE INDEX tracking_reports_open_due_idx ON tracking_reports (due_date, id) WHERE submitted_at IS NULL`.execute(
    db,
  );
  // The scheduler's sweeps: each finds only the reports still waiting for its moment.
  await sql`CREATE INDEX tracking_reports_w5_idx ON tracking_reports (due_date) WHERE submitted_at IS NULL AND NOT overdue_warned`.execute(
    db,
  );
  await sql`CREATE INDEX tracking_reports_w6_idx ON tracking_reports (due_date) WHERE submitted_at IS NULL AND NOT escalated`.execute(
    db,
  );
  await sql`CREATE INDEX tracking_reports_reminder_idx ON tracking_reports (due_date) WHERE submitted_at IS NULL AND NOT reminder_sent`.execute(
    db,
  );
  await sql`CREATE INDEX tracking_reports_product_idx ON tracking_reports (product_id, period_start)`.execute(db);
  await sql`CREATE INDEX tracking_reports_provisional_idx ON tracking_reports (id) WHERE due_date_provisional AND submitted_at IS NULL`.execute(
    db,
  );

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('aware_at', 'timestamptz', (c) => c.notNull())
    .addColumn('serious', 'boolean', (c) => c.notNull())
    .addColumn('harms', 'jsonb', (c) => c.notNull())
    .addColumn('widespread', 'boolean', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('immediate_measures', 'text', (c) => c.notNull())
    .addColumn('report_deadline', 'timestamptz')
    .addColumn('reported_late', 'boolean', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('open', 'closed')`))
    .addColumn('conclusion', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'uuid')
    .addColumn('created_by', 'uuid')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX incidents_product_idx ON incidents (product_id, occurred_at)`.execute(db);
  await sql`CREATE INDEX incidents_open_idx ON incidents (created_at, id) WHERE status = 'open'`.execute(db);

  await db.schema
    .createTable('incident_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('incident_id', 'uuid', (c) => c.notNull().references('incidents.id'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('final', 'boolean', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX incident_updates_incident_idx ON incident_updates (incident_id, created_at)`.execute(db);

  await db.schema
    .createTable('warnings')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level IN ('blue', 'yellow', 'orange', 'red')`))
    .addColumn('level_rank', 'smallint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('rule', 'manual')`))
    .addColumn('rule_id', 'text')
    .addColumn('ruleset_version', 'text')
    .addColumn('lifted_by_rule', 'text', (c) => c.notNull().defaultTo('reviewer'))
    .addColumn('reasons_zh', 'text', (c) => c.notNull())
    .addColumn('reasons_en', 'text', (c) => c.notNull())
    .addColumn('measures_zh', 'jsonb', (c) => c.notNull())
    .addColumn('measures_en', 'jsonb', (c) => c.notNull())
    .addColumn('tracking_report_id', 'uuid')
    .addColumn('incident_id', 'uuid')
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('issued_by', 'uuid')
    .addColumn('lifted_at', 'timestamptz')
    .addColumn('lifted_by', 'uuid')
    .addColumn('lift_reasons', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // A time-driven rule fires at most once per report, whichever instance sweeps first.
  await sql`CREATE UNIQUE INDEX warnings_report_rule_uq ON warnings (tracking_report_id, rule_id) WHERE tracking_report_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX warnings_active_product_idx ON warnings (product_id, level_rank) WHERE lifted_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX warnings_public_idx ON warnings (issued_at DESC, id DESC) WHERE level_rank >= 2`.execute(db);
  await sql`CREATE INDEX warnings_issued_idx ON warnings (issued_at DESC, id DESC)`.execute(db);

  await db.schema
    .createTable('product_suspensions')
    .addColumn('product_id', 'uuid', (c) => c.primaryKey().references('products.id'))
    .addColumn('suspended', 'boolean', (c) => c.notNull())
    .addColumn('warning_id', 'uuid', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('log_index', 'bigint')
    .execute();

  await db.schema
    .createTable('public_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_date', 'text', (c) => c.notNull().check(dateCheck('submitted_date')))
    .addColumn('due_date', 'text', (c) => c.notNull().check(dateCheck('due_date')))
    .addColumn('due_date_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('response', 'text')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('responded_by', 'uuid')
    .execute();
  await sql`CREATE INDEX public_reports_product_idx ON public_reports (product_id, submitted_at DESC)`.execute(db);
  await sql`CREATE INDEX public_reports_open_due_idx ON public_reports (due_date, id) WHERE responded_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX public_reports_provisional_idx ON public_reports (id) WHERE due_date_provisional AND responded_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'public_reports',
    'product_suspensions',
    'warnings',
    'incident_updates',
    'incidents',
    'tracking_reports',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
