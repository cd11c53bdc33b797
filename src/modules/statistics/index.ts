/**
 * Public surface of the statistics module (API-CONTRACT-2 §5): reporting periods, returns,
 * and the publication of protected tables. Other modules use only what is exported here.
 */
import type { AppModule } from '../../platform/module.ts';
import { statisticsRoutes } from './routes.ts';
import { startReminderJob } from './reminders.ts';

export type { StatisticsTables } from './tables.ts';
export type { StatisticsPeriod, StatisticsReturn } from './types.ts';
export { StatisticsPeriodCreated, StatisticsPeriodPublished, StatisticsReturnFiled } from './events.ts';
/** For procurement (§6): the organisation's return in the most recent published period. */
export { latestStatisticsReturn } from './publication.ts';
export { sendDueReminders } from './reminders.ts';

export const statisticsModule: AppModule = {
  name: 'statistics',
  routes: statisticsRoutes,
  jobs: startReminderJob,
};
