/**
 * Public surface of the products module: the AI product registry with its catalogue code
 * and risk tier. Other modules (filings, register) use only what is exported here.
 */
import type { AppModule } from '../../platform/module.ts';
import { productRoutes } from './routes.ts';

export { PRODUCT_STATUSES, DECIDED_STATUSES, type ProductRecord, type ProductStatus } from './types.ts';
export type { ProductTables } from './tables.ts';
export { ProductReassessmentRequired, ProductRegistered, ProductStatusChanged, ProductUpdated } from './events.ts';
export { ProductStatusSchema } from './schemas.ts';
export { getProduct, lockProduct, registerProduct, setProductStatus } from './service.ts';

export const productsModule: AppModule = {
  name: 'products',
  routes: productRoutes,
};
