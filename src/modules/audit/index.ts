import type { AppModule } from '../../platform/module.ts';
import { auditRoutes } from './routes.ts';

/** The audit trail viewer and export (the trail itself is written by platform/audit.ts). */
export const auditModule: AppModule = {
  name: 'audit',
  routes: (app, deps) => auditRoutes(app, deps),
};
