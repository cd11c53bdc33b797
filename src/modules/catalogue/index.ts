/** Public surface of the catalogue module: the versioned AI industry classification catalogue. */
import type { AppModule } from '../../platform/module.ts';
import { catalogueRoutes } from './routes.ts';

export type { CatalogueTables } from './tables.ts';
export { catalogueCodeIsListed, compareCatalogueVersions, currentCatalogueVersion } from './service.ts';

export const catalogueModule: AppModule = {
  name: 'catalogue',
  // The shipped catalogue 2024.1 is seeded by migration 0003 (a frozen copy), nowhere else.
  routes: catalogueRoutes,
};
