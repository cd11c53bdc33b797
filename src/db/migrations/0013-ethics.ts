import { sql, type Kysely } from 'kysely';

/**
 * The AI ethics committee (API-CONTRACT-2 §3): cases referred about a filing or a trial, the
 * members' declarations of interest, their secret votes and the published opinion. One
 * declaration and one vote per member and case are unique in the database, so a second vote
 * is refused even when two arrive at once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ethics_cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    // The subject's organisation (the provider) and names as they were at referral.
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('subject_name_en', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    // JSON array of the automatic triggers (empty for a reviewer's referral).
    .addColumn('triggers', 'jsonb', (c) => c.notNull())
    .addColumn('referred_by', 'uuid')
    .addColumn('referred_at', 'timestamptz', (c) => c.notNull())
    // Civil dates as text (YYYY-MM-DD), as in filings.
    .addColumn('referral_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('due_date_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('public_summary', 'text')
    .addColumn('conditions', 'jsonb')
    // The tally and the eligible members at publication.
    .addColumn('tally', 'jsonb')
    .addColumn('eligible_members', 'integer')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'uuid')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX ethics_cases_subject_idx ON ethics_cases (subject_type, subject_id)`.execute(db);
  await sql`CREATE INDEX ethics_cases_status_idx ON ethics_cases (status, due_date, id)`.execute(db);
  await sql`CREATE INDEX ethics_cases_decided_idx ON ethics_cases (decided_at, id) WHERE status = 'decided'`.execute(
    db,
  );
  await sql`CREATE INDEX ethics_cases_provisional_idx ON ethics_cases (id) WHERE due_date_provisional AND status = 'open'`.execute(
    db,
  );
  // At most one open case per subject.
  await sql`CREATE UNIQUE INDEX ethics_cases_one_open ON ethics_cases (subject_type, subject_id) WHERE status = 'open'`.execute(
    db,
  );

  await db.schema
    .createTable('ethics_declarations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('ethics_cases.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull())
    .addColumn('conflict_of_interest', 'boolean', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('ethics_declarations_one_per_member', ['case_id', 'member_id'])
    .execute();
  await sql`CREATE INDEX ethics_declarations_member_idx ON ethics_declarations (member_id, declared_at)`.execute(db);

  await db.schema
    .createTable('ethics_votes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('ethics_cases.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull())
    .addColumn('vote', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('cast_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('ethics_votes_one_per_member', ['case_id', 'member_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ethics_votes').ifExists().execute();
  await db.schema.dropTable('ethics_declarations').ifExists().execute();
  await db.schema.dropTable('ethics_cases').ifExists().execute();
}
