import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.ts';

/** Migrations are listed explicitly (no directory scan) so bundling and tsx behave alike. */
class ListedMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

export interface MigrationReport {
  applied: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design (STYLE rule 12)
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  if (await isUpToDate(db)) return { applied: [] };
  const migrator = new Migrator({ db, provider: new ListedMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    const cause = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * One query instead of the Migrator's eight (table checks, lock, list) on a restart, where
 * there is nearly always nothing to do. Anything else — a fresh database, a pending
 * migration, a database newer than this code — goes through the Migrator and its lock.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  const known = Object.keys(migrations);
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return applied.size === known.length && known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}
