/**
 * The working-day calendar of one database, cached per process: the database is the source
 * (reference years are seeded into it; an administrator loads new ones), this is the copy
 * each request reads.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CalendarYearMissingError, WorkingDayCalendar, type HolidayCalendarYear } from '../../lib/calendar.ts';
import { loadReferenceCalendars } from '../../lib/calendar-files.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { unprocessable, type AppError } from '../../platform/errors.ts';
import { CalendarCacheStaleError } from './provisional.ts';
import { insertReferenceYears, listCalendarYears, type StoredCalendarYear } from './repo.ts';

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

export function cacheOf(deps: Pick<AppDeps, 'db' | 'clock'>): CalendarCache {
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
 * never a guess. A provisional deadline that finds its year loaded meanwhile
 * (`CalendarCacheStaleError`, see provisional.ts) reloads and runs again too.
 * `work` must not catch these errors itself.
 */
export async function withWorkingDayCalendar<T>(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  work: (calendar: WorkingDayCalendar) => Promise<T> | T,
): Promise<T> {
  const cache = cacheOf(deps);
  try {
    return await work((await cache.current()).calendar);
  } catch (error) {
    if (error instanceof CalendarCacheStaleError) {
      await cache.reload();
    } else if (!(error instanceof CalendarYearMissingError) || !(await cache.reloadAfterMiss())) {
      throw error instanceof CalendarYearMissingError ? calendarYearMissing(error.year) : error;
    }
    try {
      return await work((await cache.current()).calendar);
    } catch (retryError) {
      if (retryError instanceof CalendarYearMissingError) throw calendarYearMissing(retryError.year);
      throw retryError;
    }
  }
}
