import { sql, type Kysely } from 'kysely';
import { CATALOGUE_2024_1 } from './data/catalogue-2024.1.ts';

/**
 * The AI industry classification catalogue (versions and their items) and the product
 * registry, with catalogue 2024.1 — the one place the shipped catalogue is seeded. The rows
 * come from a frozen copy (`data/catalogue-2024.1.ts`, never edited), not from today's
 * `data/reference/` files, and the insert is written out here rather than borrowed from the
 * module: this migration writes the same thing on every install, whatever changes later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('catalogue_versions')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('title_zh', 'text')
    .addColumn('title_en', 'text')
    .addColumn('notes_zh', 'text')
    .addColumn('notes_en', 'text')
    .addColumn('source', 'jsonb', (c) => c.notNull())
    .addColumn('previous_version', 'text', (c) => c.references('catalogue_versions.version'))
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin IN ('shipped', 'published')`))
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_by', 'uuid')
    .execute();

  await db.schema
    .createTable('catalogue_items')
    .addColumn('version', 'text', (c) => c.notNull().references('catalogue_versions.version'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('layer', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('refs', 'jsonb')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalogue_items_pk', ['version', 'code'])
    .execute();
  await db.schema.createIndex('catalogue_items_order').on('catalogue_items').columns(['version', 'position']).execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('catalogue_code', 'text', (c) => c.notNull())
    .addColumn('catalogue_version', 'text', (c) => c.notNull())
    .addColumn('product_version', 'text', (c) => c.notNull())
    .addColumn('intended_use', 'text', (c) => c.notNull())
    .addColumn('risk_answers', 'jsonb', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull().check(sql`tier IN ('prohibited', 'high', 'medium', 'low')`))
    .addColumn('risk_reasons', 'jsonb', (c) => c.notNull())
    .addColumn('obligations', 'jsonb', (c) => c.notNull())
    .addColumn('ruleset_version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status IN ('draft', 'filed', 'under_review', 'accepted', 'approved', 'approved_with_conditions', 'rejected', 'suspended', 'reassessment_required', 'withdrawn')`,
        ),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint('products_catalogue_item_fk', ['catalogue_version', 'catalogue_code'], 'catalogue_items', [
      'version',
      'code',
    ])
    .execute();
  // Own-organisation listings, newest first (ids are time-ordered UUIDv7).
  await db.schema.createIndex('products_organization').on('products').columns(['organization_id', 'id']).execute();
  await db.schema.createIndex('products_status').on('products').columns(['status', 'id']).execute();

  const catalogue = CATALOGUE_2024_1;
  await db
    .insertInto('catalogue_versions')
    .values({
      version: catalogue.version,
      title_zh: catalogue.titleZh,
      title_en: catalogue.titleEn,
      notes_zh: catalogue.notesZh,
      notes_en: catalogue.notesEn,
      source: JSON.stringify(catalogue.source),
      previous_version: null,
      mapping: '{}',
      origin: 'shipped',
      item_count: catalogue.items.length,
      published_at: new Date(),
      published_by: null,
    })
    .execute();
  await db
    .insertInto('catalogue_items')
    .values(
      catalogue.items.map(
        (
          item: {
            code: string;
            parentCode: string | null;
            level: number;
            layer: string;
            nameZh: string;
            nameEn: string;
            refs?: unknown;
          },
          position,
        ) => ({
          version: catalogue.version,
          code: item.code,
          parent_code: item.parentCode,
          level: item.level,
          layer: item.layer,
          name_zh: item.nameZh,
          name_en: item.nameEn,
          refs: item.refs === undefined ? null : JSON.stringify(item.refs),
          position,
        }),
      ),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('products').execute();
  await db.schema.dropTable('catalogue_items').execute();
  await db.schema.dropTable('catalogue_versions').execute();
}
