import { sql, type Kysely } from 'kysely';

/**
 * Filings on the statutory working-day clock (disclosures and assessments, their documents,
 * information requests and decisions) and the working-day calendar the clock runs on.
 * Records are never deleted: withdrawal and decisions are statuses.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin IN ('reference', 'admin')`))
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('loaded_by', 'uuid')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('filings')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull())
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('disclosure', 'assessment')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status IN ('draft', 'submitted', 'under_review', 'information_requested', 'accepted', 'approved', 'approved_with_conditions', 'rejected', 'withdrawn')`,
        ),
    )
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('transparency_measures', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('submitted_by', 'uuid')
    // Civil dates as text (YYYY-MM-DD): drivers turn DATE into local-midnight Date objects.
    .addColumn('due_date', 'text', (c) => c.check(sql`due_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('review_working_days', 'integer')
    .addColumn('stopped_working_days', 'integer', (c) => c.notNull().defaultTo(0))
    // Set while an information request is open: the date the clock stopped.
    .addColumn('clock_stopped_on', 'text')
    .addColumn('assignee_id', 'uuid')
    .addColumn('assigned_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('filings_product').on('filings').columns(['product_id', 'id']).execute();
  await db.schema.createIndex('filings_organization').on('filings').columns(['organization_id', 'id']).execute();
  await db.schema.createIndex('filings_queue').on('filings').columns(['status', 'due_date', 'id']).execute();
  // At most one open filing per product, also under concurrent creation.
  await sql`CREATE UNIQUE INDEX filings_one_open_per_product ON filings (product_id)
    WHERE status IN ('draft', 'submitted', 'under_review', 'information_requested')`.execute(db);

  await db.schema
    .createTable('filing_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('filing_id', 'uuid', (c) => c.notNull().references('filings.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('document_type', 'text', (c) =>
      c
        .notNull()
        .check(sql`document_type IN ('risk_assessment_report', 'technical_documentation', 'test_report', 'other')`),
    )
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // In the database so every instance serves every document (20 MB cap per file).
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid')
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filing_documents_filing').on('filing_documents').columns(['filing_id', 'id']).execute();

  await db.schema
    .createTable('filing_information_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('filing_id', 'uuid', (c) => c.notNull().references('filings.id'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('requested_by', 'uuid')
    .addColumn('requested_date', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('responded_by', 'uuid')
    .addColumn('response_date', 'text')
    .addColumn('stopped_working_days', 'integer')
    .execute();
  await db.schema
    .createIndex('filing_information_requests_filing')
    .on('filing_information_requests')
    .columns(['filing_id', 'id'])
    .execute();
  await sql`CREATE UNIQUE INDEX filing_information_requests_one_open ON filing_information_requests (filing_id)
    WHERE responded_at IS NULL`.execute(db);

  await db.schema
    .createTable('filing_decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // One decision per filing: a second concurrent decision cannot commit even if a check were missed.
    .addColumn('filing_id', 'uuid', (c) => c.notNull().unique().references('filings.id'))
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome IN ('accepted', 'approved', 'approved_with_conditions', 'rejected')`),
    )
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text')
    .addColumn('conditions', 'jsonb')
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'uuid')
    .execute();
  await db.schema.createIndex('filing_decisions_decided_at').on('filing_decisions').columns(['decided_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('filing_decisions').execute();
  await db.schema.dropTable('filing_information_requests').execute();
  await db.schema.dropTable('filing_documents').execute();
  await db.schema.dropTable('filings').execute();
  await db.schema.dropTable('calendar_years').execute();
}
