import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CalendarValidationError,
  CalendarYearMissingError,
  WorkingDayCalendar,
  diffAgainstWeekendsOnly,
  shanghaiDate,
  validateCalendarYear,
} from './calendar.ts';
import type { HolidayCalendarYear } from './calendar.ts';
import { loadReferenceCalendars } from './calendar-files.ts';

const years = await loadReferenceCalendars();
const calendar = new WorkingDayCalendar(years);

function expand(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); d <= new Date(`${last}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

// The notices, transcribed block by block, so the data files are checked against an encoding
// written independently of them.
const NOTICES: Record<number, { documentNo: string; off: [string, string][]; work: string[] }> = {
  // 国办发明电〔2023〕7号: 元旦 1/1 与周末连休; 春节 2/10–17, 上班 2/4(日) 2/18(日); 清明 4/4–6, 4/7(日);
  // 劳动节 5/1–5, 4/28(日) 5/11(六); 端午 6/10 与周末连休; 中秋 9/15–17, 9/14(六);
  // 国庆 10/1–7, 9/29(日) 10/12(六).
  2024: {
    documentNo: '国办发明电〔2023〕7号',
    off: [
      ['2024-01-01', '2024-01-01'],
      ['2024-02-10', '2024-02-17'],
      ['2024-04-04', '2024-04-06'],
      ['2024-05-01', '2024-05-05'],
      ['2024-06-08', '2024-06-10'],
      ['2024-09-15', '2024-09-17'],
      ['2024-10-01', '2024-10-07'],
    ],
    work: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
  },
  // 国办发明电〔2024〕12号 (first year of the revised 放假办法: 春节 and 劳动节 one day longer):
  // 元旦 1/1 不调休; 春节 1/28–2/4, 上班 1/26(日) 2/8(六); 清明 4/4–6; 劳动节 5/1–5, 4/27(日);
  // 端午 5/31–6/2; 国庆、中秋 10/1–8, 9/28(日) 10/11(六).
  2025: {
    documentNo: '国办发明电〔2024〕12号',
    off: [
      ['2025-01-01', '2025-01-01'],
      ['2025-01-28', '2025-02-04'],
      ['2025-04-04', '2025-04-06'],
      ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'],
      ['2025-10-01', '2025-10-08'],
    ],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  // 国办发明电〔2025〕7号: 元旦 1/1–3, 1/4(日); 春节 2/15–23, 2/14(六) 2/28(六); 清明 4/4–6;
  // 劳动节 5/1–5, 5/9(六); 端午 6/19–21; 中秋 9/25–27; 国庆 10/1–7, 9/20(日) 10/10(六).
  2026: {
    documentNo: '国办发明电〔2025〕7号',
    off: [
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

test('reference files hold 2024–2026 exactly as the State Council notices give them', () => {
  assert.deepEqual(calendar.years(), [2024, 2025, 2026]);
  assert.equal(calendar.hasYear(2027), false);
  for (const data of years) {
    const notice = NOTICES[data.year];
    assert.ok(notice, `no transcription for ${data.year}`);
    assert.equal(data.source.documentNo, notice.documentNo);
    assert.match(data.source.url, /^https:\/\/www\.gov\.cn\//);
    assert.deepEqual(
      data.offDays.map((d) => d.date),
      notice.off.flatMap(([first, last]) => expand(first, last)),
    );
    assert.deepEqual(
      data.workDays.map((d) => d.date),
      notice.work,
    );
    for (const { date } of data.offDays) assert.equal(calendar.isWorkingDay(date), false, date);
    for (const { date } of data.workDays) {
      assert.equal(calendar.isWorkingDay(date), true, date);
      assert.ok([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()), `${date} is a weekend day`);
    }
  }
});

test('ordinary weekdays work and ordinary weekends rest', () => {
  assert.equal(calendar.isWorkingDay('2025-03-12'), true); // Wednesday
  assert.equal(calendar.isWorkingDay('2025-03-15'), false); // Saturday
  assert.equal(calendar.isWorkingDay('2025-03-16'), false); // Sunday
});

test('Spring Festival 2024: 除夕 is only encouraged rest, the two Sundays are worked', () => {
  // 国办发明电〔2023〕7号 merely "encourages" rest on 除夕 (2/9); it stays a working day.
  assert.equal(calendar.isWorkingDay('2024-02-09'), true);
  assert.equal(calendar.isWorkingDay('2024-02-04'), true);
  assert.equal(calendar.isWorkingDay('2024-02-18'), true);
  // 2/9 (1), 2/18 Sun (2), 2/19–23 (3–7), 2/26–3/1 (8–12), 3/4–8 (13–17), 3/11–13 (18–20).
  assert.equal(calendar.addWorkingDays('2024-02-08', 20), '2024-03-13');
  assert.equal(calendar.addWorkingDays('2024-02-10', 1), '2024-02-18');
});

test('Spring Festival 2025: eight days from 除夕, 1/26 and 2/8 worked', () => {
  // 1/26 Sun (1), 1/27 (2), 2/5–7 (3–5), 2/8 Sat (6), 2/10–14 (7–11), 2/17–21 (12–16), 2/24–27 (17–20).
  assert.equal(calendar.addWorkingDays('2025-01-24', 20), '2025-02-27');
  assert.equal(calendar.addWorkingDays('2025-01-27', 1), '2025-02-05');
  assert.equal(calendar.isWorkingDay('2025-01-25'), false);
});

test('Spring Festival 2026: nine days, 2/14 and 2/28 worked', () => {
  // 2/13 (1), 2/14 Sat (2), 2/24–27 (3–6), 2/28 Sat (7), 3/2–6 (8–12), 3/9–13 (13–17), 3/16–18 (18–20).
  assert.equal(calendar.addWorkingDays('2026-02-12', 20), '2026-03-18');
  assert.equal(calendar.workingDaysBetween('2026-02-13', '2026-02-24'), 2);
});

test('Labour Day in each year', () => {
  assert.equal(calendar.addWorkingDays('2024-04-30', 1), '2024-05-06');
  // 4/28 Sun, 4/29, 4/30, 5/6–10, 5/11 Sat.
  assert.equal(calendar.workingDaysBetween('2024-04-26', '2024-05-12'), 9);
  assert.equal(calendar.addWorkingDays('2025-04-25', 1), '2025-04-27');
  assert.equal(calendar.addWorkingDays('2025-04-30', 1), '2025-05-06');
  assert.equal(calendar.addWorkingDays('2026-04-30', 1), '2026-05-06');
  assert.equal(calendar.addWorkingDays('2026-05-08', 1), '2026-05-09');
});

test('National Day in each year (merged with Mid-Autumn in 2025)', () => {
  // 9/29 Sun (1), 9/30 (2), 10/8–11 (3–6), 10/12 Sat (7).
  assert.equal(calendar.addWorkingDays('2024-09-27', 7), '2024-10-12');
  assert.equal(calendar.addWorkingDays('2024-09-30', 1), '2024-10-08');
  assert.equal(calendar.addWorkingDays('2025-09-26', 1), '2025-09-28');
  assert.equal(calendar.addWorkingDays('2025-09-30', 1), '2025-10-09');
  assert.equal(calendar.addWorkingDays('2025-10-10', 1), '2025-10-11');
  assert.equal(calendar.addWorkingDays('2026-09-30', 1), '2026-10-08');
  assert.equal(calendar.workingDaysBetween('2026-09-30', '2026-10-11'), 3);
  assert.equal(calendar.isWorkingDay('2026-09-20'), true);
  assert.equal(calendar.isWorkingDay('2026-09-25'), false); // 中秋, a Friday
});

test('days = 0 returns from itself, even on a holiday or without data', () => {
  assert.equal(calendar.addWorkingDays('2024-02-10', 0), '2024-02-10');
  assert.equal(calendar.addWorkingDays('2025-03-12', 0), '2025-03-12');
  assert.equal(calendar.addWorkingDays('2031-05-05', 0), '2031-05-05');
});

test('crossing year boundaries', () => {
  assert.equal(calendar.addWorkingDays('2024-12-31', 1), '2025-01-02');
  assert.equal(calendar.addWorkingDays('2024-12-27', 3), '2025-01-02');
  assert.equal(calendar.workingDaysBetween('2024-12-27', '2025-01-03'), 4);
  assert.equal(calendar.workingDaysBetween('2025-01-03', '2024-12-27'), -4);
  assert.equal(calendar.workingDaysBetween('2025-01-03', '2025-01-03'), 0);
  assert.equal(calendar.addWorkingDays('2025-01-02', -1), '2024-12-31');
  // 2026 元旦 runs 1/1–3 and the Sunday 1/4 is worked.
  assert.equal(calendar.addWorkingDays('2025-12-31', 1), '2026-01-04');
});

test('addWorkingDays and workingDaysBetween agree', () => {
  for (const from of ['2024-01-05', '2024-09-13', '2025-01-20', '2025-09-26', '2026-02-10', '2026-09-18']) {
    for (let n = 1; n <= 40; n += 1) {
      const to = calendar.addWorkingDays(from, n);
      assert.equal(calendar.isWorkingDay(to), true, `${from}+${n}`);
      assert.equal(calendar.workingDaysBetween(from, to), n, `${from}+${n}`);
      assert.equal(calendar.addWorkingDays(to, -n) <= from, true, `${to}-${n}`);
    }
  }
});

test('a year without data throws CalendarYearMissingError, never a guess', () => {
  const missing = (year: number) => (error: unknown) =>
    error instanceof CalendarYearMissingError && error.year === year;
  assert.throws(() => calendar.isWorkingDay('2027-01-04'), missing(2027));
  assert.throws(() => calendar.addWorkingDays('2026-12-30', 5), missing(2027));
  assert.throws(() => calendar.addWorkingDays('2024-01-02', -2), missing(2023));
  assert.throws(() => calendar.workingDaysBetween('2023-12-29', '2024-01-03'), missing(2023));
  assert.equal(calendar.addWorkingDays('2026-12-30', 1), '2026-12-31');
});

test('malformed dates and day counts are rejected', () => {
  assert.throws(() => calendar.isWorkingDay('2024-2-1'), RangeError);
  assert.throws(() => calendar.isWorkingDay('2025-02-29'), RangeError);
  assert.throws(() => calendar.addWorkingDays('2025-01-02', 1.5), RangeError);
  assert.throws(() => calendar.addWorkingDays('2025-01-02', Number.NaN), RangeError);
});

test('shanghaiDate switches day at 16:00Z', () => {
  assert.equal(shanghaiDate(new Date('2024-12-31T15:59:59.999Z')), '2024-12-31');
  assert.equal(shanghaiDate(new Date('2024-12-31T16:00:00.000Z')), '2025-01-01');
  assert.equal(shanghaiDate(new Date('2026-02-14T15:59:00Z')), '2026-02-14');
  assert.equal(shanghaiDate(new Date('2026-02-14T16:00:00Z')), '2026-02-15');
  assert.throws(() => shanghaiDate(new Date('nope')), RangeError);
});

function sample(): HolidayCalendarYear {
  return {
    year: 2030,
    source: { title: 't', documentNo: 'n', url: 'https://www.gov.cn/x.htm', published: '2029-11-01' },
    offDays: [{ date: '2030-01-01', nameZh: '元旦', nameEn: "New Year's Day" }],
    workDays: [{ date: '2030-01-05', nameZh: '调休', nameEn: 'Adjusted working day' }],
  };
}

function problemsOf(json: unknown): readonly string[] {
  try {
    validateCalendarYear(json);
  } catch (error) {
    if (error instanceof CalendarValidationError) return error.problems;
    throw error;
  }
  return [];
}

test('validateCalendarYear accepts a good year and returns a frozen copy', () => {
  const input = sample();
  const valid = validateCalendarYear(input);
  assert.deepEqual(valid, input);
  assert.notEqual(valid, input);
  assert.ok(Object.isFrozen(valid.offDays));
});

test('validateCalendarYear lists every problem of a bad file', () => {
  const bad = {
    ...sample(),
    extra: true,
    offDays: [
      { date: '2030-01-02', nameZh: '元旦', nameEn: 'x' },
      { date: '2030-01-01', nameZh: '元旦', nameEn: 'x' },
      { date: '2030-01-01', nameZh: '元旦', nameEn: 'x' },
      { date: '2030-01-05', nameZh: '春节', nameEn: 'x' },
      { date: '2030-02-30', nameZh: '', nameEn: 'x' },
      { date: '2031-01-01', nameZh: '元旦', nameEn: 'x' },
    ],
    workDays: [
      { date: '2030-01-05', nameZh: 'w', nameEn: 'w' },
      { date: '2030-01-07', nameZh: 'w', nameEn: 'w' },
    ],
  };
  const problems = problemsOf(bad);
  const expected = [
    '/extra: unknown field',
    '/offDays/1/date: 2030-01-01 is out of order',
    '/offDays/2/date: 2030-01-01 is repeated',
    '/offDays/4/nameZh: must be a non-empty string: name the holiday',
    '/offDays/4/date: must be a valid YYYY-MM-DD date (got "2030-02-30")',
    '/offDays/5/date: 2031-01-01 is not in 2030',
    '/workDays/1/date: 2030-01-07 is a weekday; adjusted working days are weekend days',
    '/workDays/0/date: 2030-01-05 is also listed in offDays',
  ];
  for (const problem of expected) assert.ok(problems.includes(problem), `missing: ${problem}\n${problems.join('\n')}`);
  assert.equal(problems.length, expected.length, problems.join('\n'));
});

test('validateCalendarYear rejects wrong shapes and sources', () => {
  assert.deepEqual(problemsOf([]), ['/: must be an object']);
  assert.deepEqual(problemsOf({ ...sample(), source: { ...sample().source, url: 'http://www.gov.cn/x' } }), [
    '/source/url: must be an https URL on gov.cn, where the State Council publishes (got "http://www.gov.cn/x")',
  ]);
  for (const url of [
    'https://www.gov.cn.example.com/x',
    'https://example.com/gov.cn',
    'https://fakegov.cn/x',
    'notaurl',
  ]) {
    assert.equal(problemsOf({ ...sample(), source: { ...sample().source, url } }).length, 1, url);
  }
  for (const url of ['https://www.gov.cn/zhengce/x.htm', 'https://gov.cn/x', 'https://sz.gov.cn/x']) {
    assert.deepEqual(
      problemsOf({ ...sample(), source: { ...sample().source, url } }).length === 0 ? [] : ['?'],
      [],
      url,
    );
  }
  assert.deepEqual(problemsOf({ ...sample(), year: '2030' }).slice(0, 1), [
    '/year: must be a four-digit integer (got "2030")',
  ]);
  assert.ok(problemsOf({ ...sample(), offDays: [] }).some((p) => p.startsWith('/offDays: must list')));
  assert.ok(problemsOf({ year: 2030 }).includes('/source: must be an object'));
});

test('a calendar refuses the same year twice', () => {
  assert.throws(() => new WorkingDayCalendar([sample(), sample()]), CalendarValidationError);
});

test('loadReferenceCalendars reports bad files by name', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'aigov-calendar-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(loadReferenceCalendars(dir), /no cn-YYYY\.json calendar files/);

  await writeFile(path.join(dir, 'cn-2030.json'), JSON.stringify(sample()));
  await writeFile(path.join(dir, 'notes.txt'), 'ignored');
  assert.deepEqual(
    (await loadReferenceCalendars(dir)).map((y) => y.year),
    [2030],
  );

  await writeFile(path.join(dir, 'cn-2031.json'), JSON.stringify(sample()));
  await writeFile(path.join(dir, 'cn-2032.json'), '{');
  await assert.rejects(loadReferenceCalendars(dir), (error: unknown) => {
    assert.ok(error instanceof CalendarValidationError);
    assert.ok(error.problems.includes('cn-2031.json: holds year 2030, not the year in its name'));
    assert.ok(error.problems.some((p) => p.startsWith('cn-2032.json: not valid JSON')));
    return true;
  });
});

// API-CONTRACT-2 §0: a deadline that reaches a year without an official calendar counts
// weekends only for that year and says so; the strict arithmetic still refuses.
test('provisional arithmetic counts weekends only in a year without a calendar, and says so', () => {
  const last = Math.max(...calendar.years());
  const next = last + 1;
  assert.ok(!calendar.hasYear(next));
  assert.throws(() => calendar.addWorkingDays(`${last}-12-10`, 20), CalendarYearMissingError);

  // Inside loaded years: the same answer as the strict method, not provisional.
  for (const [from, days] of [
    [`${last}-03-02`, 20],
    [`${last}-09-28`, 5],
    [`${last}-12-01`, 3],
    [`${last}-12-10`, -30],
  ] as const) {
    assert.deepEqual(calendar.addWorkingDaysProvisional(from, days), {
      date: calendar.addWorkingDays(from, days),
      provisional: false,
    });
  }

  // Crossing into the missing year: every weekday of that year counts.
  const crossing = calendar.addWorkingDaysProvisional(`${last}-12-10`, 20);
  assert.equal(crossing.provisional, true);
  const inLast = calendar.workingDaysBetween(`${last}-12-10`, `${last}-12-31`);
  let expected = new Date(`${next}-01-01T00:00:00Z`);
  let remaining = 20 - inLast;
  for (;;) {
    const weekday = expected.getUTCDay();
    if (weekday !== 0 && weekday !== 6) remaining -= 1;
    if (remaining === 0) break;
    expected = new Date(expected.getTime() + 86_400_000);
  }
  assert.equal(crossing.date, expected.toISOString().slice(0, 10));

  // Counting back from inside the missing year into a loaded one.
  const back = calendar.addWorkingDaysProvisional(crossing.date, -20);
  assert.deepEqual(back, { date: `${last}-12-10`, provisional: true });

  assert.deepEqual(calendar.workingDaysBetweenProvisional(`${last}-12-10`, crossing.date), {
    days: 20,
    provisional: true,
  });
  assert.deepEqual(calendar.workingDaysBetweenProvisional(crossing.date, `${last}-12-10`), {
    days: -20,
    provisional: true,
  });
  assert.deepEqual(calendar.workingDaysBetweenProvisional(`${last}-03-02`, `${last}-04-02`), {
    days: calendar.workingDaysBetween(`${last}-03-02`, `${last}-04-02`),
    provisional: false,
  });
  assert.deepEqual(calendar.addWorkingDaysProvisional(`${next}-06-01`, 0), {
    date: `${next}-06-01`,
    provisional: false,
  });
  assert.throws(() => calendar.addWorkingDaysProvisional('2025-13-01', 1), RangeError);
});

test('a loaded year replaces the provisional count: the same deadline moves by the holidays', () => {
  const withSample = new WorkingDayCalendar([sample()]);
  // 2029-12-28 is a Friday; 2030 is loaded, 2029 is not. New Year's Day 2030 (Tuesday) is off
  // and Saturday 2030-01-05 is worked.
  const provisional = new WorkingDayCalendar([]).addWorkingDaysProvisional('2029-12-28', 5);
  assert.deepEqual(provisional, { date: '2030-01-04', provisional: true });
  assert.deepEqual(withSample.addWorkingDaysProvisional('2030-01-01', 4), { date: '2030-01-05', provisional: false });
});

test('diffAgainstWeekendsOnly lists what the notice changes', () => {
  const year2026 = years.find((year) => year.year === 2026);
  assert.ok(year2026);
  const diff = diffAgainstWeekendsOnly(year2026);
  // 2026 has 261 weekdays.
  assert.equal(diff.workingDays.weekendsOnly, 261);
  assert.equal(diff.workingDays.official, 261 - diff.weekdaysOff.length + diff.weekendsWorked.length);
  assert.ok(diff.weekdaysOff.some((day) => day.date === '2026-01-01'));
  assert.ok(diff.weekendsWorked.some((day) => day.date === '2026-01-04'));
  assert.ok(diff.weekendHolidays.some((day) => day.date === '2026-01-03'));
  assert.equal(diff.weekdaysOff.length + diff.weekendHolidays.length, year2026.offDays.length);
  // Cross-check the official count against the calendar itself.
  assert.equal(diff.workingDays.official, calendar.workingDaysBetween('2025-12-31', '2026-12-31'));
});
