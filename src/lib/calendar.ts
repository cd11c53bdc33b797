/**
 * The official mainland-China working-day calendar: weekends are off, statutory holidays
 * are off, and the weekend days the State Council's yearly notice (国务院办公厅关于XXXX年部分
 * 节假日安排的通知) turns into working days are on. Pure: the data comes in as
 * `HolidayCalendarYear` values (see `calendar-files.ts` for the reference files).
 *
 * Dates are civil `YYYY-MM-DD` strings on the Asia/Shanghai calendar. All arithmetic runs on
 * UTC-midnight day numbers, so the host time zone never changes an answer.
 */

/** The notice a year's calendar is taken from. */
export interface HolidayCalendarSource {
  /** Title of the notice, e.g. 国务院办公厅关于2026年部分节假日安排的通知. */
  readonly title: string;
  /** Document number, e.g. 国办发明电〔2025〕7号. */
  readonly documentNo: string;
  /** Where the notice is published (www.gov.cn). */
  readonly url: string;
  /** Publication date, `YYYY-MM-DD`. */
  readonly published: string;
}

export interface HolidayCalendarDay {
  /** Civil date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

/** One year of the official calendar, in the shape of `data/reference/calendar/cn-YYYY.json`. */
export interface HolidayCalendarYear {
  readonly year: number;
  readonly source: HolidayCalendarSource;
  /** Every day of every holiday block, weekend days inside a block included; sorted, unique. */
  readonly offDays: readonly HolidayCalendarDay[];
  /** Weekend days made working days by the notice (调休上班); sorted, unique. */
  readonly workDays: readonly HolidayCalendarDay[];
}

/** A date was needed in a year for which no official calendar is loaded. Never guess. */
export class CalendarYearMissingError extends Error {
  constructor(readonly year: number) {
    super(`No official working-day calendar is loaded for ${year}`);
    this.name = 'CalendarYearMissingError';
  }
}

/** One mistake in a calendar year: where (an RFC 6901 pointer into the year) and what, in both languages. */
export interface CalendarIssue {
  readonly pointer: string;
  readonly en: string;
  readonly zh: string;
}

/**
 * A calendar year failed validation. `issues` lists every mistake with its pointer;
 * `problems` is the same as "pointer: message" lines (reference-file errors use only those).
 */
export class CalendarValidationError extends Error {
  readonly problems: readonly string[];
  readonly issues: readonly CalendarIssue[];

  constructor(problems: readonly (string | CalendarIssue)[]) {
    const lines = problems.map((problem) =>
      typeof problem === 'string' ? problem : `${problem.pointer}: ${problem.en}`,
    );
    super(`Invalid holiday calendar: ${lines.join('; ')}`);
    this.name = 'CalendarValidationError';
    this.problems = lines;
    this.issues = problems.flatMap((problem) => (typeof problem === 'string' ? [] : [problem]));
  }
}

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a valid `YYYY-MM-DD`, or undefined. */
function parseDayNumber(date: string): number | undefined {
  const match = DATE_PATTERN.exec(date);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const utc = new Date(0);
  utc.setUTCFullYear(y, m - 1, d);
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) {
    return undefined;
  }
  return utc.getTime() / DAY_MS;
}

function toDayNumber(date: string, label: string): number {
  const day = typeof date === 'string' ? parseDayNumber(date) : undefined;
  if (day === undefined) throw new RangeError(`${label} must be a valid YYYY-MM-DD date (got ${JSON.stringify(date)})`);
  return day;
}

function formatDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isWeekendDayNumber(day: number): boolean {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Civil year of a day number. */
function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

// Asia/Shanghai is UTC+8 with no DST since 1991, so a fixed offset is exact for every date
// this system handles and needs no tz database.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The civil date (`YYYY-MM-DD`) in Asia/Shanghai at `instant`. */
export function shanghaiDate(instant: Date): string {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('shanghaiDate needs a valid Date');
  return new Date(time + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

interface YearIndex {
  readonly data: HolidayCalendarYear;
  readonly offDays: ReadonlySet<number>;
  readonly workDays: ReadonlySet<number>;
}

/**
 * Working-day arithmetic over the loaded years. Any date whose year is not loaded throws
 * `CalendarYearMissingError`; malformed dates and day counts throw `RangeError`.
 */
export class WorkingDayCalendar {
  readonly #years = new Map<number, YearIndex>();

  /** Validates every year (see `validateCalendarYear`); a year given twice is an error. */
  constructor(years: readonly HolidayCalendarYear[]) {
    for (const input of years) {
      const data = validateCalendarYear(input);
      if (this.#years.has(data.year)) {
        throw new CalendarValidationError([`year ${data.year} is given more than once`]);
      }
      this.#years.set(data.year, {
        data,
        offDays: new Set(data.offDays.map((d) => toDayNumber(d.date, 'offDays date'))),
        workDays: new Set(data.workDays.map((d) => toDayNumber(d.date, 'workDays date'))),
      });
    }
  }

  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** Loaded years, ascending. */
  years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** The year's data as loaded, or undefined. */
  getYear(year: number): HolidayCalendarYear | undefined {
    return this.#years.get(year)?.data;
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorkingDayNumber(toDayNumber(date, 'date'));
  }

  /**
   * The `days`-th working day after `from`; `from` itself is day 0 and need not be a working
   * day. `days = 0` returns `from` unchanged (no calendar data is consulted); `days = 1` is the
   * first working day after `from`. A negative `days` counts backwards: `-1` is the last
   * working day before `from`.
   */
  addWorkingDays(from: string, days: number): string {
    let day = toDayNumber(from, 'from');
    if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer (got ${days})`);
    const step = days < 0 ? -1 : 1;
    for (let remaining = Math.abs(days); remaining > 0;) {
      day += step;
      if (this.#isWorkingDayNumber(day)) remaining -= 1;
    }
    return formatDayNumber(day);
  }

  /**
   * Number of working days d with `from` < d ≤ `to`; when `to` is before `from` it is minus the
   * number with `to` < d ≤ `from`, and 0 when they are equal. So for any n ≥ 1,
   * `workingDaysBetween(from, addWorkingDays(from, n)) === n`, and swapping the arguments
   * flips the sign.
   */
  workingDaysBetween(from: string, to: string): number {
    const start = toDayNumber(from, 'from');
    const end = toDayNumber(to, 'to');
    const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
    let count = 0;
    for (let day = low + 1; day <= high; day += 1) {
      if (this.#isWorkingDayNumber(day)) count += 1;
    }
    return count * sign;
  }

  /**
   * `addWorkingDays` that never refuses: a year without an official calendar counts weekends
   * only, and the answer says so (`provisional: true`) — API-CONTRACT-2 §0. The State Council
   * publishes next year's notice in November or December; a deadline that reaches into that
   * year is recomputed when the year is loaded.
   */
  addWorkingDaysProvisional(from: string, days: number): ProvisionalDate {
    let day = toDayNumber(from, 'from');
    if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer (got ${days})`);
    const step = days < 0 ? -1 : 1;
    const seen = { provisional: false };
    for (let remaining = Math.abs(days); remaining > 0;) {
      day += step;
      if (this.#isWorkingDayNumberOrWeekdays(day, seen)) remaining -= 1;
    }
    return { date: formatDayNumber(day), provisional: seen.provisional };
  }

  /** `workingDaysBetween` that counts weekends only in a year without an official calendar, and says so. */
  workingDaysBetweenProvisional(from: string, to: string): ProvisionalCount {
    const start = toDayNumber(from, 'from');
    const end = toDayNumber(to, 'to');
    const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
    const seen = { provisional: false };
    let count = 0;
    for (let day = low + 1; day <= high; day += 1) {
      if (this.#isWorkingDayNumberOrWeekdays(day, seen)) count += 1;
    }
    return { days: count * sign, provisional: seen.provisional };
  }

  #isWorkingDayNumber(day: number): boolean {
    const year = yearOf(day);
    const index = this.#years.get(year);
    if (!index) throw new CalendarYearMissingError(year);
    if (index.offDays.has(day)) return false;
    if (index.workDays.has(day)) return true;
    return !isWeekendDayNumber(day);
  }

  #isWorkingDayNumberOrWeekdays(day: number, seen: { provisional: boolean }): boolean {
    const index = this.#years.get(yearOf(day));
    if (!index) {
      seen.provisional = true;
      return !isWeekendDayNumber(day);
    }
    if (index.offDays.has(day)) return false;
    if (index.workDays.has(day)) return true;
    return !isWeekendDayNumber(day);
  }
}

/** A date computed on the calendar, weekends-only where a year has no official calendar yet. */
export interface ProvisionalDate {
  readonly date: string;
  /** True when a year without an official calendar was counted with weekends only. */
  readonly provisional: boolean;
}

export interface ProvisionalCount {
  readonly days: number;
  readonly provisional: boolean;
}

/** How a year's official calendar differs from the weekends-only default it replaces. */
export interface WeekendsOnlyDiff {
  /** Holidays on Monday–Friday: working days under weekends-only, off under the notice. */
  readonly weekdaysOff: readonly HolidayCalendarDay[];
  /** Weekend days the notice makes working days (调休上班). */
  readonly weekendsWorked: readonly HolidayCalendarDay[];
  /** Holiday days that fall on a weekend anyway: no change. */
  readonly weekendHolidays: readonly HolidayCalendarDay[];
  /** Working days in the year: under weekends-only, and under the notice. */
  readonly workingDays: { readonly weekendsOnly: number; readonly official: number };
}

/** What loading `year` changes against the weekends-only count used for provisional deadlines. */
export function diffAgainstWeekendsOnly(year: HolidayCalendarYear): WeekendsOnlyDiff {
  const isWeekend = (date: string) => isWeekendDayNumber(toDayNumber(date, 'date'));
  const first = toDayNumber(`${String(year.year).padStart(4, '0')}-01-01`, 'year');
  const last = toDayNumber(`${String(year.year).padStart(4, '0')}-12-31`, 'year');
  let weekendsOnly = 0;
  for (let day = first; day <= last; day += 1) if (!isWeekendDayNumber(day)) weekendsOnly += 1;
  const weekdaysOff = year.offDays.filter((day) => !isWeekend(day.date));
  const weekendsWorked = year.workDays.filter((day) => isWeekend(day.date));
  return {
    weekdaysOff,
    weekendsWorked,
    weekendHolidays: year.offDays.filter((day) => isWeekend(day.date)),
    workingDays: { weekendsOnly, official: weekendsOnly - weekdaysOff.length + weekendsWorked.length },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Checks that `json` is a well-formed calendar year and returns it typed. Collects every
 * problem before throwing `CalendarValidationError`: unknown or missing fields, invalid dates,
 * dates outside `year`, unsorted or repeated dates, a date both off and worked, and a
 * working day that is not a Saturday or Sunday (the notices only ever move weekend days).
 */
export function validateCalendarYear(json: unknown): HolidayCalendarYear {
  const issues: CalendarIssue[] = [];
  const issue = (pointer: string, en: string, zh: string) => issues.push({ pointer, en, zh });
  const checkKeys = (value: Record<string, unknown>, pointer: string, allowed: readonly string[]) => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) issue(`${pointer}/${key}`, 'unknown field', '不应有此字段');
    }
  };

  if (!isRecord(json)) throw new CalendarValidationError([{ pointer: '/', en: 'must be an object', zh: '须为对象' }]);
  checkKeys(json, '', ['year', 'source', 'offDays', 'workDays']);

  const year = json['year'];
  const yearIsValid = typeof year === 'number' && Number.isInteger(year) && year >= 1000 && year <= 9999;
  if (!yearIsValid) {
    issue(
      '/year',
      `must be a four-digit integer (got ${JSON.stringify(year)})`,
      `须为四位数年份（收到 ${JSON.stringify(year)}）`,
    );
  }

  const source = json['source'];
  if (!isRecord(source)) {
    issue('/source', 'must be an object', '须为对象');
  } else {
    checkKeys(source, '/source', ['title', 'documentNo', 'url', 'published']);
    for (const key of ['title', 'documentNo', 'url', 'published']) {
      if (!isNonEmptyString(source[key])) issue(`/source/${key}`, 'must be a non-empty string', '不能为空');
    }
    const url = source['url'];
    if (isNonEmptyString(url) && !isGovCnUrl(url)) {
      issue(
        '/source/url',
        `must be an https URL on gov.cn, where the State Council publishes (got "${url}")`,
        `须为 gov.cn 上的 https 网址（国务院公布通知之处），收到“${url}”`,
      );
    }
    const published = source['published'];
    if (isNonEmptyString(published) && parseDayNumber(published) === undefined) {
      issue(
        '/source/published',
        `must be a valid YYYY-MM-DD date (got "${published}")`,
        `须为有效日期 YYYY-MM-DD（收到“${published}”）`,
      );
    }
  }

  const listDays = (field: 'offDays' | 'workDays'): Map<number, HolidayCalendarDay & { index: number }> => {
    const seen = new Map<number, HolidayCalendarDay & { index: number }>();
    const list = json[field];
    if (!Array.isArray(list)) {
      issue(`/${field}`, 'must be an array', '须为数组');
      return seen;
    }
    let previous: number | undefined;
    list.forEach((entry: unknown, i) => {
      const pointer = `/${field}/${i}`;
      if (!isRecord(entry)) {
        issue(pointer, 'must be an object', '须为对象');
        return;
      }
      checkKeys(entry, pointer, ['date', 'nameZh', 'nameEn']);
      for (const key of ['nameZh', 'nameEn']) {
        if (!isNonEmptyString(entry[key])) {
          issue(`${pointer}/${key}`, 'must be a non-empty string: name the holiday', '不能为空：请填写节日名称');
        }
      }
      const date = entry['date'];
      const day = typeof date === 'string' ? parseDayNumber(date) : undefined;
      if (day === undefined) {
        issue(
          `${pointer}/date`,
          `must be a valid YYYY-MM-DD date (got ${JSON.stringify(date)})`,
          `须为有效日期 YYYY-MM-DD（收到 ${JSON.stringify(date)}）`,
        );
        return;
      }
      const text = date as string;
      const nameZh = entry['nameZh'];
      const nameEn = entry['nameEn'];
      if (yearIsValid && yearOf(day) !== year)
        issue(`${pointer}/date`, `${text} is not in ${year}`, `${text} 不在 ${year} 年内`);
      if (previous !== undefined && day <= previous) {
        if (day === previous) issue(`${pointer}/date`, `${text} is repeated`, `${text} 重复`);
        else issue(`${pointer}/date`, `${text} is out of order`, `${text} 未按日期顺序排列`);
      }
      previous = day;
      if (field === 'workDays' && !isWeekendDayNumber(day)) {
        issue(
          `${pointer}/date`,
          `${text} is a weekday; adjusted working days are weekend days`,
          `${text} 是工作日；调休上班日只能是周六或周日`,
        );
      }
      seen.set(day, { date: text, nameZh: String(nameZh), nameEn: String(nameEn), index: i });
    });
    return seen;
  };

  const offDays = listDays('offDays');
  const workDays = listDays('workDays');
  if (Array.isArray(json['offDays']) && json['offDays'].length === 0) {
    issue(
      '/offDays',
      'must list the holidays; an empty year is a mistake, not a calendar',
      '须列出放假日期；没有节假日的年度是错误，不是日历',
    );
  }
  for (const [day, { date, index }] of workDays) {
    if (offDays.has(day)) {
      issue(`/workDays/${index}/date`, `${date} is also listed in offDays`, `${date} 同时被列为放假日`);
    }
  }

  if (issues.length > 0 || !isRecord(source)) throw new CalendarValidationError(issues);
  // A frozen copy, so later changes to the caller's object cannot desync a built calendar.
  const freezeDays = (days: Map<number, HolidayCalendarDay>) =>
    Object.freeze([...days.values()].map(({ date, nameZh, nameEn }) => Object.freeze({ date, nameZh, nameEn })));
  return Object.freeze({
    year: year as number,
    source: Object.freeze({
      title: String(source['title']),
      documentNo: String(source['documentNo']),
      url: String(source['url']),
      published: String(source['published']),
    }),
    offDays: freezeDays(offDays),
    workDays: freezeDays(workDays),
  });
}

/** The State Council's notices are published on www.gov.cn; a copy elsewhere is not a source. */
function isGovCnUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && (url.hostname === 'gov.cn' || url.hostname.endsWith('.gov.cn'));
  } catch {
    return false;
  }
}
