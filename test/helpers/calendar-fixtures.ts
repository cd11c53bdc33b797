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

/**
 * Where the clock of a process-level test starts (Monday 2 March 2026, 10:00 in Shanghai, like
 * `ManualClock`): servers started by tests run on the rehearsal clock of API-CONTRACT-2 §0,
 * never on the machine's date.
 */
export const PROCESS_CLOCK_START = '2026-03-02T02:00:00Z';

/** The environment that starts a server's clock at `start`. */
export function clockEnv(start: string | Date = PROCESS_CLOCK_START): Record<string, string> {
  return {
    AIGOV_CLOCK_START: new Date(start).toISOString(),
    AIGOV_ALLOW_CLOCK_OVERRIDE: 'yes',
  };
}

/**
 * One rehearsal timeline across restarts: it starts at `start` and runs on, so a server
 * restarted on the same data continues the time instead of going back to `start` (outbox
 * events, sessions and deadlines written before the restart stay in its past).
 */
export class TestTimeline {
  readonly #startMs: number;
  readonly #origin = performance.now();

  constructor(start: string) {
    this.#startMs = Date.parse(start);
    if (Number.isNaN(this.#startMs)) throw new RangeError(`not an instant: ${start}`);
  }

  now(): Date {
    return new Date(this.#startMs + (performance.now() - this.#origin));
  }

  /** The environment of a server (re)started now. */
  env(): Record<string, string> {
    return clockEnv(this.now());
  }
}

/** The two instants the reliability workloads also run at (issue #15): mid-December of the last year with data, and its first working day. */
export function yearEdgeClockStarts(): Array<{ name: string; start: string }> {
  const last = lastReferenceYear();
  return [
    { name: `15 December ${last}`, start: `${last}-12-15T02:00:00Z` },
    { name: `the first working day of ${last}`, start: `${firstWorkingDay(last)}T02:00:00Z` },
  ];
}
