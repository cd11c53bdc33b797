import type { Json, Timestamp } from '../../platform/tables.ts';
import type { HolidayCalendarYear } from '../../lib/calendar.ts';

/**
 * One year of the official working-day calendar. The database is the runtime source:
 * the reference files under data/reference/calendar are seeded into it, and a regulator
 * administrator loads a newly published year with `PUT /api/v1/calendar/{year}`.
 */
export interface CalendarYearsTable {
  year: number;
  /** The validated year in the reference-file shape (`HolidayCalendarYear`). */
  data: Json<HolidayCalendarYear>;
  /** `reference` (seeded from a shipped file) or `admin` (loaded through the API). */
  origin: string;
  loaded_at: Timestamp;
  loaded_by: string | null;
  version: number;
}

export interface CalendarTables {
  calendar_years: CalendarYearsTable;
}
