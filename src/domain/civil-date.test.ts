import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCalendarDays, calendarDaysBetween, isCivilDate } from './civil-date.ts';

test('isCivilDate accepts real days only', () => {
  for (const date of ['2025-01-01', '2024-02-29', '2025-12-31', '0099-06-15'])
    assert.equal(isCivilDate(date), true, date);
  for (const date of [
    '2025-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-01',
    '20250101',
    '',
    20250101,
    null,
  ]) {
    assert.equal(isCivilDate(date), false, String(date));
  }
});

test('calendarDaysBetween counts days, across months, leap days and years', () => {
  assert.equal(calendarDaysBetween('2025-03-01', '2025-03-01'), 0);
  assert.equal(calendarDaysBetween('2025-02-28', '2025-03-01'), 1);
  assert.equal(calendarDaysBetween('2024-02-28', '2024-03-01'), 2);
  assert.equal(calendarDaysBetween('2025-01-01', '2026-01-01'), 365);
  assert.equal(calendarDaysBetween('2024-01-01', '2025-01-01'), 366);
  assert.equal(calendarDaysBetween('2025-03-01', '2025-02-28'), -1);
  assert.throws(() => calendarDaysBetween('2025-02-30', '2025-03-01'), RangeError);
});

test('addCalendarDays is the inverse of calendarDaysBetween', () => {
  assert.equal(addCalendarDays('2025-01-01', 183), '2025-07-03');
  assert.equal(addCalendarDays('2024-09-01', 183), '2025-03-03');
  assert.equal(addCalendarDays('2025-03-01', -1), '2025-02-28');
  for (let days = -400; days <= 400; days += 7) {
    assert.equal(calendarDaysBetween('2024-02-29', addCalendarDays('2024-02-29', days)), days);
  }
  assert.throws(() => addCalendarDays('2025-01-01', 1.5), RangeError);
});
