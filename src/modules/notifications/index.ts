/** Public surface of the notifications module: in-app notices written in the caller's transaction. */
import type { AppModule } from '../../platform/module.ts';
import { notificationRoutes } from './routes.ts';

export { notify, type NotificationInput, type NotificationTarget } from './service.ts';
export type { NotificationTables } from './tables.ts';

export const notificationsModule: AppModule = { name: 'notifications', routes: notificationRoutes };
