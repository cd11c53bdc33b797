import { sql, type Kysely } from 'kysely';

/**
 * Trials (API-CONTRACT-2 §2): pilots and small-scale healthcare trials, their hosts (one site
 * review each), enrolments, adverse events and reports. Records are never deleted.
 *
 * The participant cap is enforced twice: the service locks the trial row (SELECT … FOR
 * UPDATE) before it adds to `enrolled`, and the CHECK `enrolled <= max_participants` refuses
 * any write that would pass the cap whatever the code does, on any number of processes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const civilDate = (column: string) => sql.raw(`${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`);
  await db.schema
    .createTable('trials')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('product_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('healthcare', 'pilot')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status IN ('draft', 'under_review', 'approved', 'suspended', 'rejected', 'completed')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text')
    .addColumn('protocol_summary', 'text', (c) => c.notNull())
    .addColumn('max_participants', 'integer', (c) => c.notNull().check(sql`max_participants >= 1`))
    .addColumn('enrolled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('start_date', 'text', (c) => c.notNull().check(civilDate('start_date')))
    .addColumn('end_date', 'text', (c) => c.notNull().check(civilDate('end_date')))
    .addColumn('original_end_date', 'text', (c) => c.notNull())
    .addColumn('extended', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('international_standards', 'jsonb', (c) => c.notNull())
    .addColumn('no_applicable_national_standard', 'boolean', (c) => c.notNull())
    // Healthcare: null until submitted, then 'pending' until the ethics opinion's outcome.
    .addColumn('ethics_status', 'text')
    .addColumn('suspended_at', 'timestamptz')
    .addColumn('suspension_reason', 'text')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('final_report_due_date', 'text')
    .addColumn('final_report_due_date_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('outcome_summary', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('trials_enrolled_within_cap', sql`enrolled >= 0 AND enrolled <= max_participants`)
    .execute();
  await db.schema.createIndex('trials_organization').on('trials').columns(['organization_id', 'id']).execute();
  await db.schema.createIndex('trials_product').on('trials').columns(['product_id', 'id']).execute();
  await db.schema.createIndex('trials_status').on('trials').columns(['status', 'start_date', 'end_date']).execute();

  // One row per host: its place in the application and its site review.
  await db.schema
    .createTable('trial_hosts')
    .addColumn('trial_id', 'uuid', (c) => c.notNull().references('trials.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('due_date_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('decision', 'text', (c) => c.check(sql`decision IN ('approved', 'rejected')`))
    .addColumn('reasons', 'text')
    .addColumn('reviewed_by', 'uuid')
    .addColumn('reviewed_at', 'timestamptz')
    .addPrimaryKeyConstraint('trial_hosts_pk', ['trial_id', 'organization_id'])
    .execute();
  await db.schema.createIndex('trial_hosts_organization').on('trial_hosts').columns(['organization_id']).execute();

  await db.schema
    .createTable('trial_enrolments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('trial_id', 'uuid', (c) => c.notNull().references('trials.id'))
    .addColumn('host_organization_id', 'uuid', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 1`))
    .addColumn('enrolled_on', 'text', (c) => c.notNull().check(civilDate('enrolled_on')))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trial_enrolments_trial').on('trial_enrolments').columns(['trial_id']).execute();

  await db.schema
    .createTable('trial_adverse_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('trial_id', 'uuid', (c) => c.notNull().references('trials.id'))
    .addColumn('reported_by_organization_id', 'uuid', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('aware_at', 'timestamptz', (c) => c.notNull())
    .addColumn('serious', 'boolean', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('report_deadline', 'timestamptz')
    .addColumn('reported_late', 'boolean', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reported_by', 'uuid')
    .execute();
  await db.schema.createIndex('trial_adverse_events_trial').on('trial_adverse_events').columns(['trial_id']).execute();

  await db.schema
    .createTable('trial_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('trial_id', 'uuid', (c) => c.notNull().references('trials.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('interim', 'final')`))
    .addColumn('participants', 'integer', (c) => c.notNull())
    .addColumn('outcome_summary', 'text', (c) => c.notNull())
    .addColumn('adverse_events_summary', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_by', 'uuid')
    .execute();
  await db.schema.createIndex('trial_reports_trial').on('trial_reports').columns(['trial_id']).execute();
  // At most one final report per trial, also under concurrent submission.
  await sql`CREATE UNIQUE INDEX trial_reports_one_final ON trial_reports (trial_id) WHERE kind = 'final'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['trial_reports', 'trial_adverse_events', 'trial_enrolments', 'trial_hosts', 'trials']) {
    await db.schema.dropTable(table).execute();
  }
}
