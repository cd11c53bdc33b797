import type { Kysely } from 'kysely';

/**
 * Public decisions carry their explanation: the reasons, legal basis and conditions of each
 * logged decision, as the filings module publishes them. Nullable: decisions logged before
 * this migration, and status changes (suspension, withdrawal), have none. The transparency-log
 * leaf is unchanged (aigov.decision/v1).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('register_decisions')
    .addColumn('reasons', 'text')
    .addColumn('legal_basis', 'text')
    .addColumn('conditions', 'jsonb')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('register_decisions')
    .dropColumn('conditions')
    .dropColumn('legal_basis')
    .dropColumn('reasons')
    .execute();
}
