import { sql, type Kysely } from 'kysely';

/**
 * Document bytes may live outside the database: in the embedded deployment (PGlite) they are
 * content-addressed files under `AIGOV_DATA_DIR/documents/` (filings/document-store.ts),
 * because PGlite's WebAssembly memory grows with every large value it handles and never
 * shrinks. `content` is therefore NULL for a document whose bytes are in the file store, and
 * still holds them on PostgreSQL (where several instances share nothing but the database).
 *
 * This migration changes the schema only. Existing bytea content is moved out by the
 * application at start (`moveDocumentsToFileStore`), one document per transaction, file
 * fsynced before its row lets go of the bytes: resumable after a crash at any point, never
 * one long transaction holding every document, and the same code serves an old backup
 * restored later. Reads serve either place, so nothing depends on the move having finished.
 *
 * The indexes serve the organisation's document quota (sum of sizes) and the file store's
 * "is this content still referenced?" checks (orphan clean-up after a rolled-back upload).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('filing_documents')
    .alterColumn('content', (column) => column.dropNotNull())
    .execute();
  await db.schema
    .createIndex('filing_documents_organization')
    .on('filing_documents')
    .column('organization_id')
    .execute();
  await db.schema.createIndex('filing_documents_sha256').on('filing_documents').column('sha256').execute();
}

/** Only possible while every document's bytes are still in the database. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('filing_documents_sha256').execute();
  await db.schema.dropIndex('filing_documents_organization').execute();
  await sql`ALTER TABLE filing_documents ALTER COLUMN content SET NOT NULL`.execute(db);
}
