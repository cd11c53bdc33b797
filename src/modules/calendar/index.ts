/**
 * Public surface of the calendar module: the official mainland-China working-day calendar
 * (State Council holiday notices), held in the database and cached per process, and the
 * provisional deadlines that reach a year not loaded yet (API-CONTRACT-2 §0).
 */
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import type { AppModule } from '../../platform/module.ts';
import { calendarRoutes } from './routes.ts';
import { seedReferenceCalendars } from './cache.ts';

export { CALENDAR_CACHE_TTL_MS, calendarYearMissing, withWorkingDayCalendar, workingDayCalendar } from './cache.ts';
export {
  confirmProvisional,
  registerProvisionalDeadlineOwner,
  type ProvisionalDeadlineOwner,
  type RecomputeContext,
  type RecomputedDeadline,
} from './provisional.ts';
export type { CalendarTables } from './tables.ts';

registerProblemTitles({
  calendar_year_missing: { zh: '缺少该年度的官方工作日历', en: 'Official calendar year missing' },
  calendar_invalid: { zh: '工作日历数据不正确', en: 'Invalid calendar data' },
  calendar_year_mismatch: { zh: '年份不一致', en: 'Calendar year mismatch' },
  invalid_date: { zh: '日期无效', en: 'Invalid date' },
});

export const calendarModule: AppModule = {
  name: 'calendar',
  routes: calendarRoutes,
  // Seeds the shipped years before the first request (the first read would seed them too).
  startup: async (deps) => {
    await seedReferenceCalendars(deps);
  },
};
