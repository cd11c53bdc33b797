/** Public surface of the catalogue module: the versioned AI industry classification catalogue. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppModule } from '../index.ts';
import { catalogueRoutes } from './routes.ts';
import { catalogueCodeIsListed, currentCatalogueVersion, seedShippedCatalogues } from './service.ts';

export type { CatalogueTables } from './tables.ts';
export { compareCatalogueVersions } from './service.ts';

/** Is `code` listed in catalogue `version`? */
export async function catalogueCodeExists(
  db: Kysely<Database> | Transaction<Database>,
  version: string,
  code: string,
): Promise<boolean> {
  return catalogueCodeIsListed(db, version, code);
}

/** The catalogue version new products are classified under (the newest stored one). */
export async function currentCatalogue(db: Kysely<Database> | Transaction<Database>): Promise<string> {
  return currentCatalogueVersion(db);
}

export const catalogueModule: AppModule = {
  name: 'catalogue',
  routes: catalogueRoutes,
  async startup(deps, log) {
    const seeded = await seedShippedCatalogues(deps.db, deps.clock);
    if (seeded.length > 0) log.info({ versions: seeded }, 'seeded shipped catalogue versions');
  },
};
