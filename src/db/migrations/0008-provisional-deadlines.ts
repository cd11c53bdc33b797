import { sql, type Kysely } from 'kysely';

/**
 * API-CONTRACT-2 §0: a working-day deadline that reaches a year without an official calendar
 * is computed with weekends only for that year and marked provisional; loading the year
 * recomputes every open provisional deadline. The partial index finds them without a scan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('filings')
    .addColumn('due_date_provisional', 'boolean', (column) => column.notNull().defaultTo(false))
    .execute();
  await sql`CREATE INDEX filings_provisional_due_idx ON filings (id) WHERE due_date_provisional`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS filings_provisional_due_idx`.execute(db);
  await db.schema.alterTable('filings').dropColumn('due_date_provisional').execute();
}
