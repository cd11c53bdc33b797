/**
 * Calendar years for tests. The State Council publishes next year's holiday notice in
 * November or December; until then aigov has no data for that year, so tests that need one
 * load this made-up year — never shipped as reference data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkingDayCalendar } from '../../src/lib/calendar.ts';

const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../data/reference/calendar');

/** The years shipped in data/reference/calendar (read from the file names). */
export function referenceYears(): number[] {
  return fs
    .readdirSync(REFERENCE_DIR)
    .flatMap((name) => /^cn-(\d{4})\.json$/.exec(name)?.[1] ?? [])
    .map(Number)
    .sort((a, b) => a - b);
}

/** The last year the shipped calendar holds: the next one is the year provisional deadlines reach. */
export function lastReferenceYear(): number {
  const years = referenceYears();
  const last = years.at(-1);
  if (last === undefined) throw new Error(`no calendar files in ${REFERENCE_DIR}`);
  return last;
}

/** The first working day of a shipped year (1 January is always a holiday). */
export function firstWorkingDay(year: number): string {
  const file = path.join(REFERENCE_DIR, `cn-${year}.json`);
  const calendar = new WorkingDayCalendar([JSON.parse(fs.readFileSync(file, 'utf8'))]);
  for (let day = 1; day <= 31; day += 1) {
    const date = `${year}-01-${String(day).padStart(2, '0')}`;
    if (calendar.isWorkingDay(date)) return date;
  }
  throw new Error(`no working day in January ${year}`);
}

/** A made-up calendar year (only New Year's Day off), clearly marked as a test fixture. */
export function testCalendarYear(year: number, overrides: Record<string, unknown> = {}) {
  return {
    year,
    source: {
      title: `TEST FIXTURE — not the State Council notice for ${year}`,
      documentNo: `TEST-${year}`,
      url: `https://www.gov.cn/test-fixture/${year}.htm`,
      published: `${year - 1}-11-01`,
    },
    offDays: [{ date: `${year}-01-01`, nameZh: '元旦', nameEn: "New Year's Day" }],
    workDays: [],
    ...overrides,
  };
}
