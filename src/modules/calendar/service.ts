import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  CalendarValidationError,
  CalendarYearMissingError,
  WorkingDayCalendar,
  validateCalendarYear,
  type HolidayCalendarYear,
} from '../../lib/calendar.ts';
import { loadReferenceCalendars } from '../../lib/calendar-files.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { badRequest, notFound, unprocessable, type AppError, type FieldProblem } from '../../platform/errors.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import {
  insertReferenceYears,
  listCalendarYears,
  lockCalendarYear,
  saveCalendarYear,
  type StoredCalendarYear,
} from './repo.ts';
import type { CalendarYearBody, CalendarYearView } from './schemas.ts';

/**
 * How long a process trusts its in-memory copy of the calendar. The database is the source;
 * see `CalendarCache` for what several instances see and when.
 */
export const CALENDAR_CACHE_TTL_MS = 60_000;
/** A year missing from the cache triggers a reload at most this often (public endpoint: no reload storms). */
const MISS_RELOAD_INTERVAL_MS = 1_000;

interface Snapshot {
  calendar: WorkingDayCalendar;
  years: ReadonlyMap<number, StoredCalendarYear>;
  loadedAtMs: number;
}

let referenceYears: Promise<HolidayCalendarYear[]> | undefined;

/** The shipped reference files, read and validated once per process. */
function shippedYears(): Promise<HolidayCalendarYear[]> {
  referenceYears ??= loadReferenceCalendars();
  return referenceYears;
}

/**
 * The working-day calendar of one database, cached per process.
 *
 * Multi-instance behaviour: each instance keeps its own copy for at most
 * `CALENDAR_CACHE_TTL_MS`. The instance that loads a year (PUT) reloads at once; every other
 * instance reloads as soon as it is asked about a year it does not have (at most once a
 * second), so a newly published year is usable everywhere immediately. A *correction* of a
 * year that is already cached reaches the other instances within the TTL (60 s).
 */
class CalendarCache {
  #snapshot: Snapshot | undefined;
  #loading: Promise<Snapshot> | undefined;
  #lastMissReloadMs = 0;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock'>) {}

  async current(): Promise<Snapshot> {
    const snapshot = this.#snapshot;
    if (snapshot !== undefined && performance.now() - snapshot.loadedAtMs < CALENDAR_CACHE_TTL_MS) return snapshot;
    return this.reload();
  }

  /** Reloads from the database; concurrent callers share one load. */
  reload(): Promise<Snapshot> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  /** After a miss: reload unless one just happened. Returns whether it reloaded. */
  async reloadAfterMiss(): Promise<boolean> {
    if (performance.now() - this.#lastMissReloadMs < MISS_RELOAD_INTERVAL_MS) return false;
    this.#lastMissReloadMs = performance.now();
    await this.reload();
    return true;
  }

  async #load(): Promise<Snapshot> {
    const db = this.deps.db;
    let stored = await listCalendarYears(db);
    // Seed shipped years the database does not have yet (idempotent; never overwrites a loaded year).
    const present = new Set(stored.map((year) => year.year));
    const missing = (await shippedYears()).filter((year) => !present.has(year.year));
    if (missing.length > 0) {
      await insertReferenceYears(db, missing, this.deps.clock.now());
      stored = await listCalendarYears(db);
    }
    const snapshot: Snapshot = {
      calendar: new WorkingDayCalendar(stored.map((year) => year.data)),
      years: new Map(stored.map((year) => [year.year, year])),
      loadedAtMs: performance.now(),
    };
    this.#snapshot = snapshot;
    return snapshot;
  }
}

// One cache per database handle: tests build many apps on many databases in one process.
const caches = new WeakMap<Kysely<Database>, CalendarCache>();

function cacheOf(deps: Pick<AppDeps, 'db' | 'clock'>): CalendarCache {
  let cache = caches.get(deps.db);
  if (cache === undefined) {
    cache = new CalendarCache(deps);
    caches.set(deps.db, cache);
  }
  return cache;
}

/** Seeds the shipped reference years into the database (start-up; idempotent). */
export async function seedReferenceCalendars(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<void> {
  await cacheOf(deps).reload();
}

/** The working-day calendar (cached). Must not be called inside a transaction on PGlite. */
export async function workingDayCalendar(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<WorkingDayCalendar> {
  return (await cacheOf(deps).current()).calendar;
}

/** The problem a client gets when a computation needs a year nobody has published. */
export function calendarYearMissing(year: number): AppError {
  return unprocessable('calendar_year_missing', {
    detail: {
      zh: `尚未载入 ${year} 年的官方工作日历（国务院办公厅节假日安排通知），无法计算工作日；请联系监管部门发布该年度日历`,
      en: `No official working-day calendar is loaded for ${year} (State Council holiday notice); the regulator must publish it before this date can be computed`,
    },
    extensions: { year },
  });
}

/**
 * Runs `work` with the calendar. If it needs a year the cached copy lacks, the cache is
 * reloaded from the database and `work` runs once more (so `work` must be safe to repeat: a
 * transaction inside it has rolled back). Still missing → 422 `calendar_year_missing`,
 * never a guess. `work` must not catch `CalendarYearMissingError` itself.
 */
export async function withWorkingDayCalendar<T>(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  work: (calendar: WorkingDayCalendar) => Promise<T> | T,
): Promise<T> {
  const cache = cacheOf(deps);
  try {
    return await work((await cache.current()).calendar);
  } catch (error) {
    if (!(error instanceof CalendarYearMissingError)) throw error;
    if (!(await cache.reloadAfterMiss())) throw calendarYearMissing(error.year);
    try {
      return await work((await cache.current()).calendar);
    } catch (retryError) {
      if (retryError instanceof CalendarYearMissingError) throw calendarYearMissing(retryError.year);
      throw retryError;
    }
  }
}

/** `GET /calendar/working-days/add`: the `days`-th working day after `from` (from = day 0). */
export async function addWorkingDays(deps: AppDeps, from: string, days: number): Promise<string> {
  try {
    return await withWorkingDayCalendar(deps, (calendar) => calendar.addWorkingDays(from, days));
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
export async function getCalendarYear(deps: AppDeps, year: number): Promise<CalendarYearView> {
  const cache = cacheOf(deps);
  let stored = (await cache.current()).years.get(year);
  if (stored === undefined && (await cache.reloadAfterMiss())) stored = (await cache.current()).years.get(year);
  if (stored === undefined) throw yearNotFound(year);
  return toView(stored);
}

/** Splits `validateCalendarYear`'s "pointer: message" lines into problem entries. */
function toFieldProblems(problems: readonly string[]): FieldProblem[] {
  return problems.map((problem) => {
    const at = problem.indexOf(': ');
    const pointer = at < 0 ? '/' : problem.slice(0, at) || '/';
    return { pointer: pointer.startsWith('/') ? pointer : '/', message: at < 0 ? problem : problem.slice(at + 2) };
  });
}

/**
 * `PUT /calendar/{year}` (regulator_admin): loads a newly published year, or corrects one.
 * Already computed due dates are not recomputed: a deadline stands as it was notified.
 * `ifMatchVersion` guards a replacement against a concurrent one (412 on a stale version).
 */
export async function loadCalendarYear(
  deps: AppDeps,
  audit: AuditContext,
  year: number,
  body: CalendarYearBody,
  assertVersion: (currentVersion: number) => void,
): Promise<{ view: CalendarYearView; created: boolean }> {
  assertCan(audit.principal, 'calendar.load', systemResource('calendar'));
  if (body.year !== year) {
    throw unprocessable('calendar_year_mismatch', {
      detail: {
        zh: `请求体的 year（${body.year}）与路径中的年份 ${year} 不一致`,
        en: `Body year ${body.year} does not match the path year ${year}`,
      },
      errors: [{ pointer: '/year', message: `must be ${year}` }],
    });
  }
  let data: HolidayCalendarYear;
  try {
    data = validateCalendarYear(body);
  } catch (error) {
    if (!(error instanceof CalendarValidationError)) throw error;
    throw unprocessable('calendar_invalid', {
      detail: { zh: '工作日历数据不正确', en: 'The calendar data is not valid' },
      errors: toFieldProblems(error.problems),
    });
  }
  const actorId = audit.principal.kind === 'user' ? audit.principal.userId : null;
  const result = await deps.db.transaction().execute(async (trx) => {
    const before = await lockCalendarYear(trx, year);
    if (before !== undefined) assertVersion(before.version);
    const saved = await saveCalendarYear(trx, data, actorId, deps.clock.now());
    const summary = {
      year,
      documentNo: data.source.documentNo,
      offDays: data.offDays.length,
      workDays: data.workDays.length,
      previousVersion: before?.version ?? null,
      version: saved.version,
    };
    await recordAudit(trx, audit, {
      action: 'calendar.year_loaded',
      resourceType: 'calendar_year',
      resourceId: String(year),
      summary,
    });
    await enqueueEvent(trx, deps.clock, {
      topic: 'calendar.year_loaded',
      aggregateType: 'calendar_year',
      aggregateId: String(year),
      payload: summary,
    });
    return { saved, created: before === undefined };
  });
  await cacheOf(deps).reload();
  return { view: toView(result.saved), created: result.created };
}
