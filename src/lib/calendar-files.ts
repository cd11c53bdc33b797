import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CalendarValidationError, validateCalendarYear } from './calendar.ts';
import type { HolidayCalendarYear } from './calendar.ts';

/** `data/reference/calendar` of this checkout, found from this file rather than the cwd. */
export const DEFAULT_CALENDAR_DIR = fileURLToPath(new URL('../../data/reference/calendar/', import.meta.url));

const FILE_PATTERN = /^cn-(\d{4})\.json$/;

/**
 * Reads and validates every `cn-YYYY.json` in `dir`, ascending by year. Throws
 * `CalendarValidationError` listing the problems of every file (each prefixed with its file
 * name), including a file whose `year` does not match its name, or no files at all.
 */
export async function loadReferenceCalendars(dir: string = DEFAULT_CALENDAR_DIR): Promise<HolidayCalendarYear[]> {
  const names = (await readdir(dir)).filter((name) => FILE_PATTERN.test(name)).sort();
  if (names.length === 0) throw new CalendarValidationError([`${dir}: no cn-YYYY.json calendar files`]);

  const problems: string[] = [];
  const years: HolidayCalendarYear[] = [];
  for (const name of names) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    } catch (error) {
      problems.push(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    try {
      const year = validateCalendarYear(json);
      if (String(year.year) !== FILE_PATTERN.exec(name)?.[1]) {
        problems.push(`${name}: holds year ${year.year}, not the year in its name`);
        continue;
      }
      years.push(year);
    } catch (error) {
      if (!(error instanceof CalendarValidationError)) throw error;
      problems.push(...error.problems.map((problem) => `${name}${problem}`));
    }
  }
  if (problems.length > 0) throw new CalendarValidationError(problems);
  return years.sort((a, b) => a.year - b.year);
}
