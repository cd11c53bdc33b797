/** Small pure helpers for the review statistics. */

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** ISO 8601 week label (`2026-W10`) of a civil date `YYYY-MM-DD`. */
export function isoWeek(date: string): string {
  const day = dayNumber(date);
  const weekday = (new Date(day * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date((day - weekday + 3) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  const week = Math.floor((ordinal - 1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday (`YYYY-MM-DD`) of the week `weeksBack` weeks before the week of `date`. */
export function mondayOf(date: string, weeksBack = 0): string {
  const day = dayNumber(date);
  const weekday = (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
  return new Date((day - weekday - 7 * weeksBack) * DAY_MS).toISOString().slice(0, 10);
}

/** The ISO week labels of the `count` weeks ending with the week of `today`, oldest first. */
export function lastWeeks(today: string, count: number): string[] {
  const weeks: string[] = [];
  for (let back = count - 1; back >= 0; back -= 1) weeks.push(isoWeek(mondayOf(today, back)));
  return weeks;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
