/**
 * Civil dates (`YYYY-MM-DD`, the Asia/Shanghai calendar day the caller already worked out from
 * the clock): validation and calendar-day arithmetic for the domain rules that count days
 * (trial durations, extensions). Pure, no time zone needed: a civil date is a day number.
 */

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a valid `YYYY-MM-DD`, or `undefined`. */
function dayNumberOrUndefined(date: unknown): number | undefined {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const utc = new Date(0);
  utc.setUTCFullYear(y, m - 1, d);
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return undefined;
  return utc.getTime() / DAY_MS;
}

function dayNumber(date: string, label: string): number {
  const day = dayNumberOrUndefined(date);
  if (day === undefined) throw new RangeError(`${label} must be a valid YYYY-MM-DD date (got ${JSON.stringify(date)})`);
  return day;
}

/** A real calendar day written `YYYY-MM-DD` (2025-02-29 is not one). */
export function isCivilDate(value: unknown): value is string {
  return dayNumberOrUndefined(value) !== undefined;
}

/** Calendar days from `from` to `to`: 0 for the same day, negative when `to` is earlier. */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to, 'to') - dayNumber(from, 'from');
}

/** `date` plus `days` calendar days (negative counts back). */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer (got ${days})`);
  return new Date((dayNumber(date, 'date') + days) * DAY_MS).toISOString().slice(0, 10);
}
