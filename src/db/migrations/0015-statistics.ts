import { sql, type Kysely } from 'kysely';

/**
 * AI-industry statistics (API-CONTRACT-2 §5): reporting periods, one return per organisation
 * per period, and the publication of a period (its protected tables, stored once, as
 * published: the public reads never recompute them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isDate = (column: string) => sql`${sql.ref(column)} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
  await db.schema
    .createTable('statistics_periods')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[0-9A-Za-z-]{1,20}$'`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('opens_on', 'text', (c) => c.notNull().check(isDate('opens_on')))
    .addColumn('closes_on', 'text', (c) => c.notNull().check(isDate('closes_on')))
    .addColumn('due_date', 'text', (c) => c.notNull().check(isDate('due_date')))
    .addColumn('catalogue_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('published_at', 'timestamptz')
    .addColumn('published_by', 'uuid')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('statistics_returns')
    .addColumn('period_code', 'text', (c) => c.notNull().references('statistics_periods.code'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('employees', 'integer', (c) => c.notNull().check(sql`employees >= 0`))
    .addColumn('ai_employees', 'integer', (c) => c.notNull().check(sql`ai_employees >= 0`))
    .addColumn('revenue', 'int8', (c) => c.notNull().check(sql`revenue >= 0`))
    .addColumn('ai_revenue', 'int8', (c) => c.notNull().check(sql`ai_revenue >= 0`))
    .addColumn('rd_expenditure', 'int8', (c) => c.notNull().check(sql`rd_expenditure >= 0`))
    .addColumn('by_category', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'uuid')
    .addPrimaryKeyConstraint('statistics_returns_pk', ['period_code', 'organization_id'])
    .execute();
  await db.schema
    .createIndex('statistics_returns_organization')
    .on('statistics_returns')
    .columns(['organization_id', 'period_code'])
    .execute();

  await db.schema
    .createTable('statistics_publications')
    .addColumn('period_code', 'text', (c) => c.primaryKey().references('statistics_periods.code'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('returns', 'integer', (c) => c.notNull())
    .addColumn('ai_revenue_table', 'jsonb', (c) => c.notNull())
    .addColumn('enterprises_table', 'jsonb', (c) => c.notNull())
    .addColumn('audit', 'jsonb', (c) => c.notNull())
    .addColumn('method', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('statistics_publications').execute();
  await db.schema.dropTable('statistics_returns').execute();
  await db.schema.dropTable('statistics_periods').execute();
}
