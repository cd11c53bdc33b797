import { sql, type Kysely } from 'kysely';

/**
 * The public register (a denormalised, searchable copy of every public decision's product)
 * and the transparency log (RFC 6962 leaves, stored perfect-subtree hashes, signed
 * checkpoints, and — on PostgreSQL without a configured key — the shared signing key).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // ----- register -----
  await db.schema
    .createTable('register_entries')
    .addColumn('product_id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('provider_name_en', 'text')
    .addColumn('provider_uscc', 'text', (c) => c.notNull())
    .addColumn('catalogue_code', 'text', (c) => c.notNull())
    .addColumn('catalogue_version', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('ruleset_version', 'text', (c) => c.notNull())
    // The products module's own status at the last event (informational).
    .addColumn('product_status', 'text')
    // Outcome of the latest public decision: accepted | approved | approved_with_conditions.
    .addColumn('last_outcome', 'text', (c) => c.notNull())
    // Register status: the latest outcome, or suspended / withdrawn / reassessment_required.
    .addColumn('status', 'text', (c) => c.notNull())
    // Time and leaf of the latest logged public decision about the product.
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addColumn('log_index', 'bigint')
    .addColumn('status_changed_at', 'timestamptz')
    // First publication: the immutable sort key of the unfiltered listing (stable paging).
    .addColumn('listed_at', 'timestamptz', (c) => c.notNull())
    // jieba-segmented Chinese text plus CJK bigrams of the names ('simple' configuration).
    .addColumn('search_zh', sql`tsvector`, (c) => c.notNull())
    .addColumn('search_en', sql`tsvector`, (c) => c.notNull())
    // Lower-cased product and provider names, both languages: trigram matching.
    .addColumn('search_names', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX register_entries_search_zh ON register_entries USING gin (search_zh)`.execute(db);
  await sql`CREATE INDEX register_entries_search_en ON register_entries USING gin (search_en)`.execute(db);
  await sql`CREATE INDEX register_entries_names_trgm ON register_entries USING gin (search_names gin_trgm_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX register_entries_listing ON register_entries (listed_at, product_id)`.execute(db);
  await sql`CREATE INDEX register_entries_catalogue ON register_entries (catalogue_code text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX register_entries_provider ON register_entries (provider_uscc)`.execute(db);

  await db.schema
    .createTable('register_decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('register_entries.product_id'))
    // Null for a status change (suspension, withdrawal) that is not a filing decision.
    .addColumn('filing_id', 'uuid')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addColumn('log_index', 'bigint', (c) => c.notNull().unique())
    .addColumn('source_event_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // One public decision per filing: a re-delivered or re-sent event is never logged twice.
  await sql`CREATE UNIQUE INDEX register_decisions_filing ON register_decisions (filing_id) WHERE filing_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX register_decisions_product ON register_decisions (product_id, log_index)`.execute(db);

  // ----- transparency log -----
  await db.schema
    .createTable('log_leaves')
    .addColumn('leaf_index', 'bigint', (c) => c.primaryKey())
    // The exact leaf bytes (RFC 8785 canonical JSON) that were hashed.
    .addColumn('leaf', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Perfect-subtree hashes (level L, index i covers leaves [i·2^L, (i+1)·2^L)); level 0 = leaf hashes.
  await db.schema
    .createTable('log_nodes')
    .addColumn('level', 'smallint', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_nodes_pk', ['level', 'idx'])
    .execute();
  await db.schema
    .createTable('log_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('root', 'bytea', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    // Hex signed-note key ID of the signer, to notice a rotated key or a changed origin.
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // PostgreSQL only, when AIGOV_LOG_SIGNING_KEY is not set: the one key every instance shares.
  await db.schema
    .createTable('transparency_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transparency_keys').execute();
  await db.schema.dropTable('log_checkpoints').execute();
  await db.schema.dropTable('log_nodes').execute();
  await db.schema.dropTable('log_leaves').execute();
  await db.schema.dropTable('register_decisions').execute();
  await db.schema.dropTable('register_entries').execute();
}
