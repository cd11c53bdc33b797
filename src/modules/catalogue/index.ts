/** Public surface of the catalogue module: the versioned AI industry classification catalogue. */
import type { AppModule } from '../../platform/module.ts';
import { catalogueRoutes } from './routes.ts';
import { seedShippedCatalogues } from './service.ts';

export type { CatalogueTables } from './tables.ts';
export { catalogueCodeIsListed, compareCatalogueVersions, currentCatalogueVersion } from './service.ts';

export const catalogueModule: AppModule = {
  name: 'catalogue',
  routes: catalogueRoutes,
  async startup(deps, log) {
    const seeded = await seedShippedCatalogues(deps.db, deps.clock);
    if (seeded.length > 0) log.info({ versions: seeded }, 'seeded shipped catalogue versions');
  },
};
