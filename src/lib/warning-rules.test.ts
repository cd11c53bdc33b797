import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingDayCalendar } from './calendar.ts';
import { loadReferenceCalendars } from './calendar-files.ts';
import type { IncidentHarm } from './incident-deadlines.ts';
import type { RiskTier } from './risk-rules.ts';
import { addCalendarDays, overdueFacts, trackingReportMoments } from './tracking-schedule.ts';
import { evaluateWarnings, trackingReportWarningMoments } from './warning-rules.ts';
import type { WarningEvent, WarningFiring } from './warning-rules.ts';
import { effectiveWarningLevel } from '../domain/warnings.ts';
import { loadWarningRuleset } from './warning-ruleset-files.ts';

const ruleset = await loadWarningRuleset('v1');
const calendar = new WorkingDayCalendar(await loadReferenceCalendars());

function ids(firings: readonly WarningFiring[]): string[] {
  return firings.map((firing) => firing.ruleId);
}

const fired = new Set<string>();
function evaluate(event: WarningEvent): WarningFiring[] {
  const firings = evaluateWarnings(ruleset, event);
  for (const firing of firings) fired.add(firing.ruleId);
  return firings;
}

function incident(
  overrides: {
    tier?: RiskTier;
    serious?: boolean;
    harms?: IncidentHarm[];
    widespread?: boolean;
    occurredAt?: string;
    others?: string[];
  } = {},
): WarningEvent {
  return {
    type: 'incident_reported',
    tier: overrides.tier ?? 'high',
    incident: {
      serious: overrides.serious ?? true,
      harms: overrides.harms ?? ['serious_health'],
      widespread: overrides.widespread ?? false,
      occurredAt: new Date(overrides.occurredAt ?? '2026-04-01T10:00:00+08:00'),
    },
    otherSeriousIncidents: (overrides.others ?? []).map((at) => ({ occurredAt: new Date(at) })),
  };
}

function overdue(overdueDays: number, overdueWorkingDays: number): WarningEvent {
  return {
    type: 'tracking_report_overdue',
    report: { kind: 'tracking', periodStart: '2025-03-10', periodEnd: '2025-09-09', dueDate: '2025-09-29' },
    overdue: { overdueDays, overdueWorkingDays },
  };
}

const THRESHOLDS = [
  { text: '识别准确率不低于 90%', metric: { key: 'accuracy', min: 0.9 } },
  { text: 'Complaints at most 2 per 1,000 users', metric: { key: 'complaintsPerThousand', max: 2 } },
];

function submitted(metrics: { key: string; value: number }[]): WarningEvent {
  return {
    type: 'tracking_report_submitted',
    report: { kind: 'monitoring', periodStart: '2025-10-01', periodEnd: '2025-12-31' },
    metrics,
    thresholds: THRESHOLDS,
  };
}

// ---------------------------------------------------------------------------------------
// The file is the contract's table.
// ---------------------------------------------------------------------------------------
// Rule by rule, at the boundary

test('W1: a serious incident on a high-risk product (orange)', () => {
  assert.deepEqual(ids(evaluate(incident({ tier: 'high' }))), ['W1']);
  assert.deepEqual(ids(evaluate(incident({ tier: 'high', serious: false }))), []);
  assert.deepEqual(ids(evaluate(incident({ tier: 'medium' }))), ['W2']);
});

test('W2: a serious incident on a medium- or low-risk product (yellow)', () => {
  assert.deepEqual(ids(evaluate(incident({ tier: 'medium' }))), ['W2']);
  assert.deepEqual(ids(evaluate(incident({ tier: 'low', harms: ['property_environment'] }))), ['W2']);
  assert.deepEqual(ids(evaluate(incident({ tier: 'low', serious: false }))), []);
  // Neither W1 nor W2 names a prohibited product (it cannot be on the market).
  assert.deepEqual(ids(evaluate(incident({ tier: 'prohibited' }))), []);
});

test('W3: a serious incident with a death or widespread (red)', () => {
  assert.deepEqual(ids(evaluate(incident({ tier: 'medium', harms: ['death'] }))), ['W2', 'W3']);
  assert.deepEqual(ids(evaluate(incident({ tier: 'low', harms: [], widespread: true }))), ['W2', 'W3']);
  // Critical infrastructure shortens the report deadline but is not W3.
  assert.deepEqual(ids(evaluate(incident({ tier: 'medium', harms: ['critical_infrastructure'] }))), ['W2']);
  assert.deepEqual(ids(evaluate(incident({ serious: false, harms: ['death'], widespread: true }))), []);
});

test('combinations: every matching rule fires on its own', () => {
  const firings = evaluate(incident({ tier: 'high', harms: ['death'] }));
  assert.deepEqual(
    firings.map(({ ruleId, level }) => `${ruleId} ${level}`),
    ['W1 orange', 'W3 red'],
  );
  assert.equal(effectiveWarningLevel(firings.map(({ level }) => level)), 'red');
  assert.deepEqual(
    ids(
      evaluate(
        incident({
          tier: 'high',
          harms: ['death', 'critical_infrastructure'],
          widespread: true,
          others: ['2026-03-01T08:00:00+08:00'],
        }),
      ),
    ),
    ['W1', 'W3', 'W4'],
  );
});

test('W4: the 90 calendar days are counted on the Shanghai dates of occurredAt', () => {
  const first = '2026-01-01T10:00:00+08:00';
  // 1 Jan → 1 Apr 2026 is 90 days (31 + 28 + 31): inside; 2 Apr is day 91: outside.
  assert.deepEqual(
    ids(evaluate(incident({ tier: 'medium', occurredAt: '2026-04-01T10:00:00+08:00', others: [first] }))),
    ['W2', 'W4'],
  );
  assert.deepEqual(
    ids(evaluate(incident({ tier: 'medium', occurredAt: '2026-04-02T10:00:00+08:00', others: [first] }))),
    ['W2'],
  );
  // Dates, not 24-hour spans: 00:30 on 1 Jan to 23:30 on 1 Apr is more than 90 × 24 h but day 90…
  assert.deepEqual(
    ids(evaluate(incident({ occurredAt: '2026-04-01T23:30:00+08:00', others: ['2026-01-01T00:30:00+08:00'] }))),
    ['W1', 'W4'],
  );
  // …and 23:30 on 1 Jan to 00:10 on 2 Apr is less than 91 × 24 h but day 91. Shanghai dates,
  // not UTC ones: 23:30 +08:00 on 1 Jan is 15:30Z on 1 Jan.
  assert.deepEqual(
    ids(evaluate(incident({ occurredAt: '2026-04-02T00:10:00+08:00', others: ['2026-01-01T23:30:00+08:00'] }))),
    ['W1'],
  );
  // Same day; and an earlier-reported incident that occurred after this one (a late report).
  assert.deepEqual(ids(evaluate(incident({ others: ['2026-04-01T08:00:00+08:00'] }))), ['W1', 'W4']);
  assert.deepEqual(ids(evaluate(incident({ others: ['2026-06-30T08:00:00+08:00'] }))), ['W1', 'W4']);
  assert.deepEqual(ids(evaluate(incident({ others: ['2026-07-01T08:00:00+08:00'] }))), ['W1']);
  // The nearest of several counts; a non-serious new incident never fires W4.
  const several = ['2025-01-01T00:00:00Z', '2026-02-15T12:00:00+08:00', '2025-06-01T00:00:00Z'];
  const firing = evaluate(incident({ others: several })).find(({ ruleId }) => ruleId === 'W4');
  assert.ok(firing);
  assert.match(firing.reasonsZh, /本次发生于 2026-04-01，另一起发生于 2026-02-15/);
  assert.match(firing.reasonsEn, /this one occurred on 2026-04-01, the other on 2026-02-15/);
  assert.deepEqual(ids(evaluate(incident({ serious: false, others: several }))), []);
  assert.deepEqual(ids(evaluate(incident({ others: [] }))), ['W1']);
});

test('W5: a tracking report becomes overdue (blue), lifted by its submission', () => {
  assert.deepEqual(ids(evaluate(overdue(0, 0))), []);
  const firings = evaluate(overdue(1, 0));
  assert.deepEqual(ids(firings), ['W5']);
  assert.equal(firings[0]!.liftedBy, 'report_submission');
  assert.equal(
    firings[0]!.reasonsEn,
    'The tracking report for the period 2025-03-10 to 2025-09-09 was not submitted by its due date, 2025-09-29.',
  );
  assert.equal(firings[0]!.reasonsZh, '跟踪报告（报告期 2025-03-10 至 2025-09-09）未在截止日 2025-09-29 前提交。');
});

test('W6: overdue by more than 20 working days (yellow); W5 still holds', () => {
  assert.deepEqual(ids(evaluate(overdue(35, 20))), ['W5']);
  const firings = evaluate(overdue(36, 21));
  assert.deepEqual(ids(firings), ['W5', 'W6']);
  assert.match(firings[1]!.reasonsEn, /overdue by more than 20 working days \(21 so far\)/);
  assert.match(firings[1]!.reasonsZh, /已逾期 21 个工作日/);
});

test('W7: a submitted metric outside a decision threshold (yellow), boundaries inclusive', () => {
  assert.deepEqual(
    ids(
      evaluate(
        submitted([
          { key: 'accuracy', value: 0.9 },
          { key: 'complaintsPerThousand', value: 2 },
        ]),
      ),
    ),
    [],
  );
  assert.deepEqual(ids(evaluate(submitted([{ key: 'accuracy', value: 0.899 }]))), ['W7']);
  assert.deepEqual(ids(evaluate(submitted([{ key: 'complaintsPerThousand', value: 2.5 }]))), ['W7']);
  // A metric that was not submitted is not outside its threshold.
  assert.deepEqual(ids(evaluate(submitted([]))), []);
  // Two breaches: one warning naming both.
  const firings = evaluate(
    submitted([
      { key: 'accuracy', value: 0.8 },
      { key: 'complaintsPerThousand', value: 3 },
    ]),
  );
  assert.equal(firings.length, 1);
  assert.equal(
    firings[0]!.reasonsEn,
    'Metrics in the monitoring report for the period 2025-10-01 to 2025-12-31 are outside the thresholds set as ' +
      'decision conditions: accuracy = 0.8 (required at least 0.9; condition: "识别准确率不低于 90%"); ' +
      'complaintsPerThousand = 3 (required at most 2; condition: "Complaints at most 2 per 1,000 users").',
  );
  assert.equal(
    firings[0]!.reasonsZh,
    '监测报告（报告期 2025-10-01 至 2025-12-31）中的指标超出决定条件设定的阈值：accuracy 为 0.8（要求不低于 0.9；' +
      '条件：“识别准确率不低于 90%”）；complaintsPerThousand 为 3（要求不高于 2；条件：“Complaints at most 2 per 1,000 users”）。',
  );
  assert.equal(firings[0]!.liftedBy, 'reviewer');
});

test('every firing carries filled reasons and measures in both languages', () => {
  const events = [
    incident({ tier: 'high', harms: ['death'], widespread: true, others: ['2026-03-01T00:00:00Z'] }),
    incident({ tier: 'low' }),
    overdue(40, 25),
    submitted([{ key: 'accuracy', value: 0.1 }]),
  ];
  const all = events.flatMap((event) => evaluate(event));
  assert.deepEqual(ids(all).sort(), ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7']);
  for (const firing of all) {
    assert.doesNotMatch(firing.reasonsZh + firing.reasonsEn, /\{[A-Za-z]+\}/, firing.ruleId);
    assert.match(firing.reasonsZh, /[\u4e00-\u9fff]/);
    assert.ok(firing.measuresZh.length > 0 && firing.measuresEn.length === firing.measuresZh.length);
    assert.equal(firing.rulesetVersion, 'v1');
  }
});

test('a malformed event is refused, not guessed at', () => {
  assert.throws(() => evaluateWarnings(ruleset, incident({ tier: 'extreme' as RiskTier })), RangeError);
  assert.throws(() => evaluateWarnings(ruleset, incident({ harms: ['bruise' as IncidentHarm] })), RangeError);
  assert.throws(() => evaluateWarnings(ruleset, incident({ occurredAt: 'not a date' })), RangeError);
  assert.throws(() => evaluateWarnings(ruleset, incident({ others: ['nope'] })), RangeError);
});

// ---------------------------------------------------------------------------------------
// Moments

test('the moments of the time-driven rules are those of the tracking schedule', () => {
  for (let due = '2024-01-01'; due <= '2026-12-31'; due = addCalendarDays(due, 3)) {
    const schedule = trackingReportMoments(calendar, { dueDate: due, dueDateProvisional: false });
    const moments = trackingReportWarningMoments(ruleset, calendar, {
      kind: 'tracking',
      dueDate: due,
      dueDateProvisional: false,
    });
    assert.deepEqual(moments, [
      { ruleId: 'W5', level: 'blue', ...schedule.overdue },
      { ruleId: 'W6', level: 'yellow', ...schedule.escalation },
    ]);
    // And on those days the evaluator fires them, and not the day before.
    for (const moment of moments) {
      const on = overdueFacts(calendar, due, moment.date);
      const before = overdueFacts(calendar, due, addCalendarDays(moment.date, -1));
      assert.ok(
        ids(evaluateWarnings(ruleset, { ...overdue(0, 0), overdue: on } as WarningEvent)).includes(moment.ruleId),
      );
      assert.ok(
        !ids(evaluateWarnings(ruleset, { ...overdue(0, 0), overdue: before } as WarningEvent)).includes(moment.ruleId),
      );
    }
  }
  const provisional = trackingReportWarningMoments(ruleset, calendar, {
    kind: 'monitoring',
    dueDate: '2026-12-15',
    dueDateProvisional: false,
  });
  assert.deepEqual(
    provisional.map(({ ruleId, date, at, provisional: isProvisional }) => [
      ruleId,
      date,
      at.toISOString(),
      isProvisional,
    ]),
    [
      ['W5', '2026-12-16', '2026-12-15T16:00:00.000Z', false],
      ['W6', '2027-01-13', '2027-01-12T16:00:00.000Z', true],
    ],
  );
  // W5 on 1 Jan 2027 is a calendar day: not provisional unless the due date itself is.
  const fromYearEnd = (dueDateProvisional: boolean) =>
    trackingReportWarningMoments(ruleset, calendar, {
      kind: 'tracking',
      dueDate: '2026-12-31',
      dueDateProvisional,
    }).map(({ ruleId, provisional: isProvisional }) => `${ruleId} ${isProvisional}`);
  assert.deepEqual(fromYearEnd(false), ['W5 false', 'W6 true']);
  assert.deepEqual(fromYearEnd(true), ['W5 true', 'W6 true']);
});

test('every rule of the ruleset was seen firing above', () => {
  assert.deepEqual(
    [...fired].sort(),
    ruleset.rules.map(({ id }) => id),
  );
});
