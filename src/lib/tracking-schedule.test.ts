import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingDayCalendar } from './calendar.ts';
import { loadReferenceCalendars } from './calendar-files.ts';
import { loadRuleset } from './risk-ruleset-files.ts';
import {
  ESCALATION_OVERDUE_WORKING_DAYS,
  MONITORING_INTERVAL_MONTHS,
  TRACKING_INTERVAL_MONTHS,
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  firstTrackingPeriod,
  isPeriodEnded,
  nextTrackingPeriod,
  overdueFacts,
  reportIntervalMonths,
  shanghaiStartOfDay,
  trackingPeriod,
  trackingReportMoments,
  trackingReportStatus,
} from './tracking-schedule.ts';

// The reference calendars hold 2024–2026; 2027 has no official calendar here.
const calendar = new WorkingDayCalendar(await loadReferenceCalendars());

// Every expected due date below was counted by hand on the State Council notices
// (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号), day 0 being `periodEnd`.
const ROWS: {
  name: string;
  start: string;
  months: number;
  end: string;
  due: string;
  provisional?: boolean;
}[] = [
  // Sep 10–26 give 13, Sunday 28 Sep 2025 is a working day (14), Mon 29 Sep is the 15th.
  { name: 'medium, 6 months', start: '2025-03-10', months: 6, end: '2025-09-09', due: '2025-09-29' },
  { name: 'low, 12 months', start: '2025-01-15', months: 12, end: '2026-01-14', due: '2026-02-04' },
  // Across New Year 2026: 1–3 Jan off, Sunday 4 Jan worked.
  { name: 'monitoring, 3 months', start: '2025-09-25', months: 3, end: '2025-12-24', due: '2026-01-15' },
  // Month ends: the target month has no such day, so its last day is used.
  // 2026 is not a leap year; Saturday 28 Feb 2026 is a working day (春节调休).
  { name: '31 Aug + 6 (non-leap)', start: '2025-08-31', months: 6, end: '2026-02-27', due: '2026-03-19' },
  { name: '31 Aug + 6 (leap)', start: '2023-08-31', months: 6, end: '2024-02-28', due: '2024-03-20' },
  // 15 Feb–23 Feb 2026 off (春节), Saturday 14 Feb worked.
  { name: '31 Jan + 12', start: '2025-01-31', months: 12, end: '2026-01-30', due: '2026-02-27' },
  { name: '30 Nov + 3 (non-leap)', start: '2025-11-30', months: 3, end: '2026-02-27', due: '2026-03-19' },
  { name: '30 Nov + 3 (leap)', start: '2023-11-30', months: 3, end: '2024-02-28', due: '2024-03-20' },
  { name: '31 Dec + 6', start: '2025-12-31', months: 6, end: '2026-06-29', due: '2026-07-20' },
  // 29 February: a start on it, and periods ending on the last day of February.
  { name: '29 Feb + 12 (to a non-leap year)', start: '2024-02-29', months: 12, end: '2025-02-27', due: '2025-03-20' },
  // Saturday 14 Sep 2024 worked, 15–17 Sep off (中秋).
  { name: '29 Feb + 6', start: '2024-02-29', months: 6, end: '2024-08-28', due: '2024-09-19' },
  // 8–10 Jun 2024 off (端午).
  { name: '29 Feb + 3', start: '2024-02-29', months: 3, end: '2024-05-28', due: '2024-06-19' },
  { name: '29 Aug + 6 (no 29 Feb)', start: '2025-08-29', months: 6, end: '2026-02-27', due: '2026-03-19' },
  { name: '29 Aug + 6 (29 Feb)', start: '2023-08-29', months: 6, end: '2024-02-28', due: '2024-03-20' },
  { name: 'ends on 29 Feb', start: '2023-03-01', months: 12, end: '2024-02-29', due: '2024-03-21' },
  { name: 'ends on 28 Feb', start: '2024-03-01', months: 12, end: '2025-02-28', due: '2025-03-21' },
  // Into 2027, which has no official calendar: weekends only, Fri 1 Jan 2027 counts.
  {
    name: 'due date in a year without a calendar',
    start: '2026-06-20',
    months: 6,
    end: '2026-12-19',
    due: '2027-01-08',
    provisional: true,
  },
  {
    name: 'whole period in a year without a calendar',
    start: '2026-03-01',
    months: 12,
    end: '2027-02-28',
    due: '2027-03-19',
    provisional: true,
  },
];

for (const row of ROWS) {
  test(`period: ${row.name}`, () => {
    assert.deepEqual(trackingPeriod(calendar, row.start, row.months), {
      periodStart: row.start,
      periodEnd: row.end,
      dueDate: row.due,
      dueDateProvisional: row.provisional ?? false,
    });
  });
}

test('the months of each kind and tier agree with the risk ruleset', async () => {
  assert.equal(reportIntervalMonths('tracking', 'medium'), 6);
  assert.equal(reportIntervalMonths('tracking', 'low'), 12);
  assert.equal(reportIntervalMonths('monitoring', 'high'), 3);
  assert.equal(MONITORING_INTERVAL_MONTHS, 3);
  assert.throws(() => reportIntervalMonths('tracking', 'high'), RangeError);
  assert.throws(() => reportIntervalMonths('monitoring', 'medium'), RangeError);
  assert.throws(() => reportIntervalMonths('tracking', 'prohibited'), RangeError);

  const ruleset = await loadRuleset('v1');
  for (const tier of ['medium', 'low'] as const) {
    const obligation = ruleset.obligations[tier].find((candidate) => candidate.code === 'tracking_report');
    assert.equal(obligation?.intervalMonths, TRACKING_INTERVAL_MONTHS[tier], tier);
  }
});

test('the first period starts on the Shanghai date of the acceptance', () => {
  // 23:30 UTC on 9 Mar is 07:30 on 10 Mar in Shanghai.
  assert.deepEqual(
    firstTrackingPeriod(calendar, new Date('2025-03-09T23:30:00Z'), 6),
    trackingPeriod(calendar, '2025-03-10', 6),
  );
  assert.equal(firstTrackingPeriod(calendar, new Date('2025-03-09T15:59:59.999Z'), 6).periodStart, '2025-03-09');
});

test('the next period starts the day after the previous periodEnd, measured from its own start', () => {
  const first = trackingPeriod(calendar, '2025-08-31', 6);
  const second = nextTrackingPeriod(calendar, first, 6);
  assert.deepEqual(second, {
    periodStart: '2026-02-28',
    periodEnd: '2026-08-27',
    dueDate: '2026-09-17',
    dueDateProvisional: false,
  });
  // Periods tile the calendar: no gap, no overlap, over several years of each interval.
  for (const months of [3, 6, 12]) {
    let period = trackingPeriod(calendar, '2024-01-31', months);
    for (let i = 0; i < 8; i += 1) {
      const next = nextTrackingPeriod(calendar, period, months);
      assert.equal(calendarDaysBetween(period.periodEnd, next.periodStart), 1);
      assert.ok(next.periodEnd > next.periodStart);
      period = next;
    }
  }
});

test('calendar months: clamping, year boundaries, bad input', () => {
  assert.equal(addCalendarMonths('2025-01-31', 1), '2025-02-28');
  assert.equal(addCalendarMonths('2024-01-31', 1), '2024-02-29');
  assert.equal(addCalendarMonths('2025-03-31', 1), '2025-04-30');
  assert.equal(addCalendarMonths('2025-11-15', 3), '2026-02-15');
  assert.equal(addCalendarMonths('2025-12-31', 12), '2026-12-31');
  assert.equal(addCalendarMonths('2025-05-31', -3), '2025-02-28');
  assert.equal(addCalendarDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addCalendarDays('2025-03-01', -1), '2025-02-28');
  assert.throws(() => addCalendarMonths('2025-02-29', 6), RangeError);
  assert.throws(() => addCalendarMonths('2025-2-1', 6), RangeError);
  assert.throws(() => trackingPeriod(calendar, '2025-01-01', 0), RangeError);
});

test('status follows the Shanghai date: upcoming through periodEnd, due through dueDate, then overdue', () => {
  const report = { periodEnd: '2025-09-09', dueDate: '2025-09-29', submittedAt: null };
  const at = (iso: string) => trackingReportStatus(report, new Date(iso));
  assert.equal(at('2025-03-10T00:00:00Z'), 'upcoming');
  // 23:59:59.999 on 9 Sep in Shanghai, then midnight of 10 Sep.
  assert.equal(at('2025-09-09T15:59:59.999Z'), 'upcoming');
  assert.equal(at('2025-09-09T16:00:00Z'), 'due');
  assert.equal(at('2025-09-29T15:59:59.999Z'), 'due');
  assert.equal(at('2025-09-29T16:00:00Z'), 'overdue');
  assert.equal(at('2027-01-01T00:00:00Z'), 'overdue');
  const submitted = { ...report, submittedAt: new Date('2025-10-30T02:00:00Z') };
  assert.equal(trackingReportStatus(submitted, new Date('2025-11-30T00:00:00Z')), 'submitted');

  assert.equal(isPeriodEnded(report, new Date('2025-09-09T15:59:59.999Z')), false);
  assert.equal(isPeriodEnded(report, new Date('2025-09-09T16:00:00Z')), true);
});

test('a Shanghai day starts at 16:00Z the day before', () => {
  assert.equal(shanghaiStartOfDay('2025-09-30').toISOString(), '2025-09-29T16:00:00.000Z');
  assert.equal(shanghaiStartOfDay('2024-03-01').toISOString(), '2024-02-29T16:00:00.000Z');
  assert.equal(shanghaiStartOfDay('2026-01-01').toISOString(), '2025-12-31T16:00:00.000Z');
});

test('moments: reminder 10 working days before due, W5 the day after due, W6 the 21st working day after due', () => {
  const moments = trackingReportMoments(calendar, { dueDate: '2025-09-29', dueDateProvisional: false });
  // Counting back from Mon 29 Sep 2025: Sun 28 Sep is a working day.
  assert.deepEqual(moments.reminder, {
    date: '2025-09-16',
    at: new Date('2025-09-15T16:00:00Z'),
    provisional: false,
  });
  assert.deepEqual(moments.overdue, { date: '2025-09-30', at: new Date('2025-09-29T16:00:00Z'), provisional: false });
  // 30 Sep (1); 1–8 Oct off (国庆、中秋); 9, 10 Oct, Sat 11 Oct worked (2–4); … Mon 3 Nov is
  // the 20th working day, Tue 4 Nov the 21st.
  assert.deepEqual(moments.escalation, {
    date: '2025-11-04',
    at: new Date('2025-11-03T16:00:00Z'),
    provisional: false,
  });
});

test('W6 is exactly the first day on which the report is overdue by more than 20 working days', () => {
  assert.equal(ESCALATION_OVERDUE_WORKING_DAYS, 20);
  assert.deepEqual(overdueFacts(calendar, '2025-09-29', '2025-09-29'), {
    overdueDays: 0,
    overdueWorkingDays: 0,
    provisional: false,
  });
  assert.deepEqual(overdueFacts(calendar, '2025-09-29', '2025-09-30'), {
    overdueDays: 1,
    overdueWorkingDays: 1,
    provisional: false,
  });
  assert.equal(overdueFacts(calendar, '2025-09-29', '2025-11-03').overdueWorkingDays, 20);
  assert.equal(overdueFacts(calendar, '2025-09-29', '2025-11-04').overdueWorkingDays, 21);

  // For every due date of 2024–2025, the escalation day is the first with > 20 working days.
  for (let due = '2024-01-01'; due <= '2025-12-31'; due = addCalendarDays(due, 1)) {
    const { escalation, overdue } = trackingReportMoments(calendar, { dueDate: due, dueDateProvisional: false });
    const before = addCalendarDays(escalation.date, -1);
    assert.equal(overdueFacts(calendar, due, escalation.date).overdueWorkingDays, 21, due);
    assert.ok(overdueFacts(calendar, due, before).overdueWorkingDays <= 20, due);
    assert.equal(overdueFacts(calendar, due, overdue.date).overdueDays, 1, due);
  }
});

test('moments that reach a year without a calendar are provisional', () => {
  const moments = trackingReportMoments(calendar, { dueDate: '2026-12-15', dueDateProvisional: false });
  assert.deepEqual(moments.reminder, { date: '2026-12-01', at: new Date('2026-11-30T16:00:00Z'), provisional: false });
  assert.equal(moments.overdue.provisional, false);
  // Weekends only in 2027: Fri 1 Jan counts (13), then 4–8 Jan (18), 11–13 Jan (21).
  assert.deepEqual(moments.escalation, {
    date: '2027-01-13',
    at: new Date('2027-01-12T16:00:00Z'),
    provisional: true,
  });
  // A provisional due date makes every moment provisional.
  const fromProvisional = trackingReportMoments(calendar, { dueDate: '2027-01-08', dueDateProvisional: true });
  assert.ok(fromProvisional.reminder.provisional && fromProvisional.overdue.provisional);
  assert.equal(fromProvisional.overdue.date, '2027-01-09');
  assert.equal(overdueFacts(calendar, '2026-12-30', '2027-01-04').provisional, true);
});
