/**
 * The calendar's use cases: working-day arithmetic for clients, reading a year, and loading a
 * newly published year — which recomputes every open provisional deadline (API-CONTRACT-2 §0).
 */
import {
  CalendarValidationError,
  WorkingDayCalendar,
  diffAgainstWeekendsOnly,
  shanghaiDate,
  validateCalendarYear,
  type HolidayCalendarYear,
  type ProvisionalDate,
} from '../../lib/calendar.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { badRequest, notFound, unprocessable, type AppError } from '../../platform/errors.ts';
import { assertVersionMatches } from '../../platform/http.ts';
import { localize, type Language } from '../../platform/i18n.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { CalendarYearLoaded } from './events.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { cacheOf, withWorkingDayCalendar } from './cache.ts';
import { lockCalendarForLoad, provisionalDeadlineOwners, type RecomputedDeadline } from './provisional.ts';
import { listCalendarYears, lockCalendarYear, saveCalendarYear, type StoredCalendarYear } from './repo.ts';
import type { CalendarPreview, CalendarStatus, CalendarYearBody, CalendarYearView } from './schemas.ts';

/**
 * `GET /calendar/working-days/add`: the `days`-th working day after `from` (from = day 0).
 * Strict by default (a year without a calendar → 422 `calendar_year_missing`); with
 * `provisional`, such a year counts weekends only and the answer says so.
 */
export async function addWorkingDays(
  deps: AppDeps,
  _ctx: RequestContext,
  input: { from: string; days: number; provisional: boolean },
): Promise<ProvisionalDate> {
  try {
    return await withWorkingDayCalendar(deps, (calendar) =>
      input.provisional
        ? calendar.addWorkingDaysProvisional(input.from, input.days)
        : { date: calendar.addWorkingDays(input.from, input.days), provisional: false },
    );
  } catch (error) {
    if (error instanceof RangeError) {
      throw badRequest('invalid_date', {
        detail: { zh: 'from 须为有效日期 YYYY-MM-DD', en: 'from must be a valid YYYY-MM-DD date' },
        errors: [{ pointer: '/from', message: error.message }],
      });
    }
    throw error;
  }
}

function toView(stored: StoredCalendarYear): CalendarYearView {
  const { data } = stored;
  return {
    year: data.year,
    offDays: data.offDays.map((day) => day.date),
    workDays: data.workDays.map((day) => day.date),
    holidays: data.offDays.map((day) => ({ date: day.date, nameZh: day.nameZh, nameEn: day.nameEn })),
    adjustedWorkDays: data.workDays.map((day) => ({ date: day.date, nameZh: day.nameZh, nameEn: day.nameEn })),
    source: { ...data.source },
    origin: stored.origin,
    loadedAt: stored.loadedAt.toISOString(),
    version: stored.version,
  };
}

function yearNotFound(year: number): AppError {
  return notFound({
    detail: { zh: `没有 ${year} 年的工作日历`, en: `No working-day calendar is loaded for ${year}` },
  });
}

/** `GET /calendar/{year}`. */
export async function getCalendarYear(
  deps: AppDeps,
  _ctx: RequestContext,
  input: { year: number },
): Promise<CalendarYearView> {
  const { year } = input;
  const cache = cacheOf(deps);
  let stored = (await cache.current()).years.get(year);
  if (stored === undefined && (await cache.reloadAfterMiss())) stored = (await cache.current()).years.get(year);
  if (stored === undefined) throw yearNotFound(year);
  return toView(stored);
}

function yearMismatch(bodyYear: number, year: number): AppError {
  return unprocessable('calendar_year_mismatch', {
    detail: {
      zh: `请求体的 year（${bodyYear}）与路径中的年份 ${year} 不一致`,
      en: `Body year ${bodyYear} does not match the path year ${year}`,
    },
    errors: [{ pointer: '/year', message: { zh: `应为 ${year}`, en: `must be ${year}` } }],
  });
}

/** The body checked in full (422 with a pointer per mistake), or the year it holds. */
function validatedYear(year: number, body: CalendarYearBody, language: Language): HolidayCalendarYear {
  if (body.year !== year) throw yearMismatch(body.year, year);
  try {
    return validateCalendarYear(body);
  } catch (error) {
    if (!(error instanceof CalendarValidationError)) throw error;
    throw unprocessable('calendar_invalid', {
      detail: { zh: '工作日历数据不正确', en: 'The calendar data is not valid' },
      errors: error.issues.map((issue) => ({ pointer: issue.pointer, message: localize(issue, language) })),
    });
  }
}

export interface LoadCalendarYearInput {
  year: number;
  body: CalendarYearBody;
  /** `If-Match` of the request: guards a replacement against a concurrent one (412). */
  ifMatch?: string;
}

export interface LoadedCalendarYear {
  view: CalendarYearView;
  created: boolean;
  recomputedDeadlines: RecomputedDeadline[];
}

/** Thrown to roll a preview's transaction back with what it would have done. */
class PreviewRollback extends Error {
  constructor(readonly result: LoadedCalendarYear) {
    super('preview');
  }
}

/**
 * `PUT /calendar/{year}` (regulator_admin): loads a newly published year, or corrects one, and
 * in the same transaction recomputes every open provisional deadline with it (each owner
 * module writes its own audit rows and notifications). A deadline computed on an official
 * calendar is never changed by a later correction: it stands as it was notified.
 */
export async function loadCalendarYear(
  deps: AppDeps,
  ctx: RequestContext,
  input: LoadCalendarYearInput,
  options: { preview?: boolean } = {},
): Promise<LoadedCalendarYear> {
  assertCan(ctx.principal, 'calendar.load', systemResource('calendar'));
  const data = validatedYear(input.year, input.body, ctx.language);
  const audit = auditContext(ctx, deps.clock);
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  let result: LoadedCalendarYear;
  try {
    result = await deps.db.transaction().execute(async (trx) => {
      await lockCalendarForLoad(trx);
      const before = await lockCalendarYear(trx, input.year);
      if (before !== undefined) assertVersionMatches(input.ifMatch, before.version);
      const saved = await saveCalendarYear(trx, data, actorId, deps.clock.now());
      const calendar = new WorkingDayCalendar((await listCalendarYears(trx)).map((year) => year.data));
      const recomputedDeadlines: RecomputedDeadline[] = [];
      for (const owner of provisionalDeadlineOwners()) {
        recomputedDeadlines.push(
          ...(await owner.recompute(trx, calendar, { audit, clock: deps.clock, actorId, year: input.year })),
        );
      }
      const summary = {
        year: input.year,
        documentNo: data.source.documentNo,
        offDays: data.offDays.length,
        workDays: data.workDays.length,
        previousVersion: before?.version ?? null,
        version: saved.version,
        recomputedDeadlines: recomputedDeadlines.length,
      };
      await enqueueEvent(trx, deps.clock, CalendarYearLoaded, String(input.year), summary);
      await recordAudit(trx, audit, {
        action: 'calendar.year_loaded',
        resourceType: 'calendar_year',
        resourceId: String(input.year),
        summary,
      });
      const loaded = { view: toView(saved), created: before === undefined, recomputedDeadlines };
      if (options.preview === true) throw new PreviewRollback(loaded);
      return loaded;
    });
  } catch (error) {
    if (error instanceof PreviewRollback) return error.result;
    throw error;
  }
  await cacheOf(deps).reload();
  return result;
}

/**
 * `POST /calendar/{year}/preview` (regulator_admin): what loading the body would do — the
 * validation of PUT, the difference from the weekends-only count provisional deadlines use,
 * and every deadline it would move — computed by running the load and rolling it back, so the
 * preview cannot disagree with the load.
 */
export async function previewCalendarYear(
  deps: AppDeps,
  ctx: RequestContext,
  input: LoadCalendarYearInput,
): Promise<CalendarPreview> {
  const loaded = await loadCalendarYear(deps, ctx, { ...input, ifMatch: undefined }, { preview: true });
  const diff = diffAgainstWeekendsOnly(validatedYear(input.year, input.body, ctx.language));
  const stored = (await cacheOf(deps).current()).years.get(input.year);
  return {
    year: input.year,
    replaces:
      stored === undefined
        ? null
        : { version: stored.version, origin: stored.origin, loadedAt: stored.loadedAt.toISOString() },
    diff: {
      weekdaysOff: [...diff.weekdaysOff],
      weekendsWorked: [...diff.weekendsWorked],
      weekendHolidays: [...diff.weekendHolidays],
      workingDays: { ...diff.workingDays },
    },
    recomputedDeadlines: loaded.recomputedDeadlines,
  };
}

/** The November reminder: the State Council publishes next year's notice in November or December. */
const NEXT_YEAR_REMINDER_FROM = '11-01';

/**
 * `GET /calendar/status`: which years are loaded, whether next year's notice is due to be
 * loaded (from 1 November, or at once if the current year itself is missing), and how many open
 * deadlines are provisional. Public: it is what every deadline shown to anyone depends on.
 */
export async function calendarStatus(deps: AppDeps, _ctx: RequestContext): Promise<CalendarStatus> {
  const snapshot = await cacheOf(deps).current();
  const today = shanghaiDate(deps.clock.now());
  const currentYear = Number(today.slice(0, 4));
  const years = [...snapshot.years.values()].map((stored) => ({
    year: stored.year,
    origin: stored.origin,
    version: stored.version,
    loadedAt: stored.loadedAt.toISOString(),
  }));
  let provisionalDeadlines = 0;
  for (const owner of provisionalDeadlineOwners()) provisionalDeadlines += await owner.countOpen(deps.db);
  const missingYear = !snapshot.years.has(currentYear)
    ? currentYear
    : today.slice(5) >= NEXT_YEAR_REMINDER_FROM && !snapshot.years.has(currentYear + 1)
      ? currentYear + 1
      : null;
  return { today, years, missingYear, provisionalDeadlines };
}
