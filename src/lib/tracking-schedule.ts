/**
 * The schedule of tracking and monitoring reports (API-CONTRACT-2 §1): periods of whole
 * calendar months, a due date on the working-day calendar, the report's status on a Shanghai
 * date, and the moments the monitoring module acts on (the reminder, W5, W6). Pure: the
 * calendar is passed in, "now" is an argument.
 *
 * Law: Shenzhen AI Regulations, chapter 6 (治理原则与措施) — medium- and low-risk AI products
 * are governed by ex-ante disclosure and ex-post tracking (tracking reports every 6 or 12
 * months, from the risk ruleset's `tracking_report` obligation); high-risk ones by ex-ante
 * assessment and risk early warning, whose provider side is a monitoring report every 3 months.
 *
 * Dates are civil `YYYY-MM-DD` strings on the Asia/Shanghai calendar; a Shanghai day starts
 * at 00:00 +08:00, i.e. 16:00Z the day before (no daylight saving since 1991).
 */

import { shanghaiDate, type WorkingDayCalendar } from './calendar.ts';
import type { RiskTier } from './risk-rules.ts';

export const TRACKING_REPORT_KINDS = ['tracking', 'monitoring'] as const;
/** `tracking`: ex-post tracking of a medium- or low-risk product; `monitoring`: an approved high-risk product. */
export type TrackingReportKind = (typeof TRACKING_REPORT_KINDS)[number];

export const TRACKING_REPORT_STATUSES = ['upcoming', 'due', 'overdue', 'submitted'] as const;
export type TrackingReportStatus = (typeof TRACKING_REPORT_STATUSES)[number];

/** Months per period of a tracking report, by tier (the risk ruleset's `tracking_report.intervalMonths`). */
export const TRACKING_INTERVAL_MONTHS = { medium: 6, low: 12 } as const satisfies Partial<Record<RiskTier, number>>;
/** Months per period of a monitoring report of an approved high-risk product. */
export const MONITORING_INTERVAL_MONTHS = 3;
/** A report is due on this working day after `periodEnd`. */
export const REPORT_DUE_WORKING_DAYS = 15;
/** The provider is reminded this many working days before `dueDate`. */
export const REMINDER_WORKING_DAYS_BEFORE_DUE = 10;
/** W6: a report overdue by more than this many working days. */
export const ESCALATION_OVERDUE_WORKING_DAYS = 20;

/**
 * Months per period for a report of `kind` on a product of `tier`: monitoring 3; tracking 6
 * (medium) or 12 (low). Any other combination has no schedule and throws `RangeError` —
 * a high-risk product has monitoring reports, not tracking reports.
 */
export function reportIntervalMonths(kind: TrackingReportKind, tier: RiskTier): number {
  if (kind === 'monitoring') {
    if (tier !== 'high') throw new RangeError(`monitoring reports are for high-risk products (got tier ${tier})`);
    return MONITORING_INTERVAL_MONTHS;
  }
  if (tier === 'medium' || tier === 'low') return TRACKING_INTERVAL_MONTHS[tier];
  throw new RangeError(`tracking reports are for medium- and low-risk products (got tier ${tier})`);
}

// ---------------------------------------------------------------------------------------
// Civil dates

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a valid `YYYY-MM-DD`; `RangeError` otherwise. */
function dayNumber(date: string, label: string): number {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
    const utc = new Date(0);
    utc.setUTCFullYear(y, m - 1, d);
    if (utc.getUTCFullYear() === y && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d) {
      return utc.getTime() / DAY_MS;
    }
  }
  throw new RangeError(`${label} must be a valid YYYY-MM-DD date (got ${JSON.stringify(date)})`);
}

function formatDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days (negative counts back). */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer (got ${days})`);
  return formatDayNumber(dayNumber(date, 'date') + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to, 'to') - dayNumber(from, 'from');
}

/**
 * The same day of the month `months` calendar months after `date`; when that month has no
 * such day, its last day (31 Aug + 6 → 28 Feb, or 29 Feb in a leap year).
 */
export function addCalendarMonths(date: string, months: number): string {
  if (!Number.isSafeInteger(months)) throw new RangeError(`months must be an integer (got ${months})`);
  const start = new Date(dayNumber(date, 'date') * DAY_MS);
  const monthIndex = start.getUTCFullYear() * 12 + start.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const target = new Date(0);
  // Day 0 of the next month is the last day of this one.
  target.setUTCFullYear(year, month + 1, 0);
  const lastDay = target.getUTCDate();
  target.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

/** The instant a Shanghai civil day begins: 00:00 +08:00, i.e. 16:00Z the day before. */
export function shanghaiStartOfDay(date: string): Date {
  return new Date(dayNumber(date, 'date') * DAY_MS - SHANGHAI_OFFSET_MS);
}

// ---------------------------------------------------------------------------------------
// Periods

/** One report period, in the fields of `GET /api/v1/products/{id}/tracking-reports`. */
export interface TrackingPeriod {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly dueDate: string;
  /** The due date counted weekends only in a year without an official calendar (API-CONTRACT-2 §0). */
  readonly dueDateProvisional: boolean;
}

/**
 * The period starting on `periodStart` of `months` calendar months: `periodEnd` is the day
 * before the same day of the month `months` later (clamped to that month's last day), and
 * `dueDate` the 15th working day after `periodEnd` — provisional when it reaches a year with
 * no official calendar, never refused.
 */
export function trackingPeriod(calendar: WorkingDayCalendar, periodStart: string, months: number): TrackingPeriod {
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError(`months must be ≥ 1 (got ${months})`);
  const periodEnd = addCalendarDays(addCalendarMonths(periodStart, months), -1);
  const due = calendar.addWorkingDaysProvisional(periodEnd, REPORT_DUE_WORKING_DAYS);
  return { periodStart, periodEnd, dueDate: due.date, dueDateProvisional: due.provisional };
}

/**
 * The first period: accepting a disclosure (or approving a high-risk assessment) at
 * `openedAt` starts it on that instant's Shanghai date.
 */
export function firstTrackingPeriod(calendar: WorkingDayCalendar, openedAt: Date, months: number): TrackingPeriod {
  return trackingPeriod(calendar, shanghaiDate(openedAt), months);
}

/**
 * The period after `previous`: it starts the day after `previous.periodEnd` and is measured
 * from that new start (so 31 Aug → 27 Feb is followed by 28 Feb → 27 Aug, not by a period
 * anchored on the 31st).
 */
export function nextTrackingPeriod(
  calendar: WorkingDayCalendar,
  previous: Pick<TrackingPeriod, 'periodEnd'>,
  months: number,
): TrackingPeriod {
  return trackingPeriod(calendar, addCalendarDays(previous.periodEnd, 1), months);
}

// ---------------------------------------------------------------------------------------
// Status

export interface TrackingReportState {
  readonly periodEnd: string;
  readonly dueDate: string;
  readonly submittedAt: Date | null;
}

/**
 * The status of a report on the Shanghai date of `now`: `submitted` once submitted;
 * otherwise `upcoming` while the period runs (today ≤ periodEnd), `due` from the day after
 * `periodEnd` through `dueDate`, `overdue` from the day after `dueDate`.
 */
export function trackingReportStatus(report: TrackingReportState, now: Date): TrackingReportStatus {
  if (report.submittedAt !== null) return 'submitted';
  const today = shanghaiDate(now);
  if (today <= report.periodEnd) return 'upcoming';
  if (today <= report.dueDate) return 'due';
  return 'overdue';
}

/** Reports are accepted from the day after `periodEnd` (before it: 422 `period_not_ended`). */
export function isPeriodEnded(report: Pick<TrackingPeriod, 'periodEnd'>, now: Date): boolean {
  return shanghaiDate(now) > report.periodEnd;
}

/** How late a report is on `today`; zero before or on `dueDate`. */
export interface OverdueFacts {
  /** Calendar days after `dueDate` (the day after `dueDate` is 1). */
  readonly overdueDays: number;
  /** Working days d with dueDate < d ≤ today: the first working day after `dueDate` is 1. */
  readonly overdueWorkingDays: number;
  /** A year without an official calendar was counted weekends only. */
  readonly provisional: boolean;
}

export function overdueFacts(calendar: WorkingDayCalendar, dueDate: string, today: string): OverdueFacts {
  const overdueDays = calendarDaysBetween(dueDate, today);
  if (overdueDays <= 0) return { overdueDays: 0, overdueWorkingDays: 0, provisional: false };
  const count = calendar.workingDaysBetweenProvisional(dueDate, today);
  return { overdueDays, overdueWorkingDays: count.days, provisional: count.provisional };
}

// ---------------------------------------------------------------------------------------
// Moments

/** A day something happens, as its Shanghai date and the instant that day begins. */
export interface ScheduleMoment {
  readonly date: string;
  /** 00:00 Asia/Shanghai of `date`. */
  readonly at: Date;
  /** Computed with weekends only for a year without an official calendar (or from a provisional `dueDate`). */
  readonly provisional: boolean;
}

export interface TrackingReportMoments {
  /** Remind the provider: 10 working days before `dueDate`. */
  readonly reminder: ScheduleMoment;
  /** W5: the report becomes overdue — the day after `dueDate`. */
  readonly overdue: ScheduleMoment;
  /**
   * W6: overdue by more than 20 working days — the 21st working day after `dueDate`, the
   * first day on which `overdueFacts(…).overdueWorkingDays > 20`. On that day 20 whole
   * working days of lateness have passed and the 21st has begun; weekends and holidays
   * between the 20th and the 21st add nothing.
   */
  readonly escalation: ScheduleMoment;
}

function moment(date: string, provisional: boolean): ScheduleMoment {
  return { date, at: shanghaiStartOfDay(date), provisional };
}

/**
 * The reminder, W5 and W6 moments of an unsubmitted report, from its `dueDate` on the
 * current calendar (a provisional `dueDate` makes every moment provisional).
 * `escalationWorkingDays` is W6's "more than N working days" (20 in warning ruleset v1).
 */
export function trackingReportMoments(
  calendar: WorkingDayCalendar,
  report: Pick<TrackingPeriod, 'dueDate' | 'dueDateProvisional'>,
  escalationWorkingDays: number = ESCALATION_OVERDUE_WORKING_DAYS,
): TrackingReportMoments {
  if (!Number.isSafeInteger(escalationWorkingDays) || escalationWorkingDays < 0) {
    throw new RangeError(`escalationWorkingDays must be an integer ≥ 0 (got ${escalationWorkingDays})`);
  }
  const { dueDate, dueDateProvisional } = report;
  const reminder = calendar.addWorkingDaysProvisional(dueDate, -REMINDER_WORKING_DAYS_BEFORE_DUE);
  const escalation = calendar.addWorkingDaysProvisional(dueDate, escalationWorkingDays + 1);
  return {
    reminder: moment(reminder.date, dueDateProvisional || reminder.provisional),
    overdue: moment(addCalendarDays(dueDate, 1), dueDateProvisional),
    escalation: moment(escalation.date, dueDateProvisional || escalation.provisional),
  };
}
