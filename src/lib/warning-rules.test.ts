import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkingDayCalendar } from './calendar.ts';
import { loadReferenceCalendars } from './calendar-files.ts';
import type { IncidentHarm } from './incident-deadlines.ts';
import type { RiskTier } from './risk-rules.ts';
import { addCalendarDays, overdueFacts, trackingReportMoments } from './tracking-schedule.ts';
import {
  WARNING_LEVELS,
  WarningRulesetValidationError,
  compareWarningLevels,
  effectiveWarningLevel,
  evaluateWarnings,
  isPublicWarningLevel,
  isSuspended,
  trackingReportWarningMoments,
  validateWarningRuleset,
} from './warning-rules.ts';
import type { WarningEvent, WarningFiring } from './warning-rules.ts';
import {
  DEFAULT_WARNING_RULESET_DIR,
  loadWarningRuleset,
  loadWarningRulesets,
  readWarningRulesetFile,
} from './warning-ruleset-files.ts';

const ruleset = await loadWarningRuleset('v1');
const calendar = new WorkingDayCalendar(await loadReferenceCalendars());
const RULESET_FILE = path.join(DEFAULT_WARNING_RULESET_DIR, 'ruleset-v1.json');

async function rawRuleset(): Promise<{ rules: Record<string, unknown>[] } & Record<string, unknown>> {
  return JSON.parse(await readFile(RULESET_FILE, 'utf8')) as { rules: Record<string, unknown>[] };
}

function problemsOf(json: unknown): readonly string[] {
  try {
    validateWarningRuleset(json);
  } catch (error) {
    assert.ok(error instanceof WarningRulesetValidationError, String(error));
    return error.problems;
  }
  assert.fail('expected a WarningRulesetValidationError');
}

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

test('ruleset v1 holds W1–W7 exactly as the contract table, with their levels and who lifts them', () => {
  assert.deepEqual(
    ruleset.rules.map(({ id, on, level, liftedBy }) => [id, on, level, liftedBy]),
    [
      ['W1', 'incident_reported', 'orange', 'reviewer'],
      ['W2', 'incident_reported', 'yellow', 'reviewer'],
      ['W3', 'incident_reported', 'red', 'reviewer'],
      ['W4', 'incident_reported', 'red', 'reviewer'],
      ['W5', 'tracking_report_overdue', 'blue', 'report_submission'],
      ['W6', 'tracking_report_overdue', 'yellow', 'report_submission'],
      ['W7', 'tracking_report_submitted', 'yellow', 'reviewer'],
    ],
  );
  const sources = new Set(ruleset.source.map((citation) => citation.id));
  for (const id of ['shenzhen-ai-regulations', 'shanghai-ai-regulations', 'eu-ai-act']) assert.ok(sources.has(id), id);
  for (const rule of ruleset.rules) {
    assert.ok(rule.refs.includes('shenzhen-ai-regulations'), rule.id);
    assert.ok(rule.basisZh.includes('第六章') && rule.basisEn.includes('chapter 6'), rule.id);
    assert.equal(rule.measuresZh.length, rule.measuresEn.length, rule.id);
  }
  // The incident rules cite Art. 73 where its periods are what the rule is about.
  for (const id of ['W1', 'W2', 'W3']) {
    assert.ok(ruleset.rules.find((rule) => rule.id === id)!.basisEn.includes('Art. 73'), id);
  }
  assert.ok(Object.isFrozen(ruleset) && Object.isFrozen(ruleset.rules[0]!.measuresZh));
});

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

// ---------------------------------------------------------------------------------------
// Levels

test('levels: blue < yellow < orange < red; the effective level is the highest active one', () => {
  assert.deepEqual(WARNING_LEVELS, ['blue', 'yellow', 'orange', 'red']);
  assert.ok(compareWarningLevels('blue', 'yellow') < 0 && compareWarningLevels('red', 'orange') > 0);
  assert.equal(compareWarningLevels('yellow', 'yellow'), 0);
  assert.equal(effectiveWarningLevel([]), null);
  assert.equal(effectiveWarningLevel(['blue']), 'blue');
  assert.equal(effectiveWarningLevel(['yellow', 'blue', 'yellow']), 'yellow');
  assert.equal(effectiveWarningLevel(['blue', 'orange', 'yellow']), 'orange');
  assert.equal(effectiveWarningLevel(new Set(['orange', 'red', 'blue'] as const)), 'red');
  assert.equal(isSuspended([]), false);
  assert.equal(isSuspended(['orange', 'yellow', 'blue']), false);
  assert.equal(isSuspended(['blue', 'red']), true);
  assert.deepEqual(WARNING_LEVELS.filter(isPublicWarningLevel), ['orange', 'red']);
});

// ---------------------------------------------------------------------------------------
// Validation

test('validation reports every problem with its pointer', async () => {
  const json = await rawRuleset();
  const rules = json.rules;
  rules[0] = { ...rules[0], level: 'purple', refs: ['nowhere', 'eu-ai-act', 'eu-ai-act'] };
  rules[1] = { ...rules[1], condition: { eq: { fact: 'colour', value: 'red' } } };
  rules[2] = { ...rules[2], condition: { gt: { fact: 'harms', value: 1 } } };
  rules[3] = { ...rules[3], liftedBy: 'report_submission', reasonEn: 'On {occurredOn}, see {dueDate}.' };
  rules[4] = { ...rules[4], condition: { not: { eq: { fact: 'reportKind', value: 'tracking' } } } };
  rules[5] = { ...rules[5], id: 'W5', measuresEn: ['only one'] };
  rules[6] = { ...rules[6], condition: { in: { fact: 'reportKind', values: ['annual'] } }, extra: 1 };
  const problems = problemsOf(json);
  const expected = [
    '/rules/0/level: must be one of blue, yellow, orange, red (got "purple")',
    '/rules/0/refs/0: "nowhere" is not the id of a source citation',
    '/rules/0/refs/2: "eu-ai-act" is repeated',
    '/rules/1/condition/eq/fact: "colour" is not a fact of incident_reported',
    '/rules/2/condition/gt: "gt" does not apply to harms (a set)',
    "/rules/3/liftedBy: only a tracking_report_overdue rule is lifted by the report's submission",
    '/rules/3/reasonEn: {dueDate} is not a placeholder of incident_reported',
    '/rules/4/condition/not: a tracking_report_overdue rule cannot use "not"',
    '/rules/5/measuresEn: 1 measures, but measuresZh has 2',
    '/rules/5/id: "W5" is repeated',
    '/rules/6/extra: unknown field',
    '/rules/6/condition/in/values/0: "annual" is not one of tracking, monitoring',
  ];
  for (const start of expected) {
    assert.ok(
      problems.some((problem) => problem.startsWith(start)),
      `missing ${start}\n${problems.join('\n')}`,
    );
  }
  assert.equal(problems.length, expected.length, problems.join('\n'));
});

test('validation: shape of the file and of conditions', async () => {
  assert.deepEqual(problemsOf([]), [': a warning ruleset must be a JSON object']);
  assert.deepEqual(problemsOf({ version: 'v 1', source: [], rules: [] }), [
    '/version: must be a non-empty string without spaces (got "v 1")',
    '/source: must be a non-empty array of citations',
    '/rules: must be a non-empty array',
  ]);
  const json = await rawRuleset();
  const base = json.rules[0]!;
  const withCondition = (condition: unknown) => ({ ...json, rules: [{ ...base, condition }] });
  assert.deepEqual(problemsOf(withCondition({ all: [] })), ['/rules/0/condition/all: must be a non-empty array']);
  assert.deepEqual(problemsOf(withCondition({ eq: { fact: 'serious', value: true }, gt: {} })), [
    '/rules/0/condition: must be an object with exactly one operator of all, any, not, eq, in, includes, gt, gte, lt, lte',
  ]);
  assert.deepEqual(problemsOf(withCondition({ eq: { fact: 'serious', value: 'yes' } })), [
    '/rules/0/condition/eq/value: must be true or false',
  ]);
  assert.deepEqual(problemsOf(withCondition({ lte: { fact: 'nearestOtherSeriousIncidentDays', value: '90' } })), [
    '/rules/0/condition/lte/value: must be a finite number',
  ]);
  let deep: unknown = { eq: { fact: 'serious', value: true } };
  for (let i = 0; i < 20; i += 1) deep = { not: deep };
  assert.ok(problemsOf(withCondition(deep)).some((problem) => problem.includes('nested deeper than 16')));
  // An incident rule may use "not" and "lt": only time-driven rules must stay true.
  assert.doesNotThrow(() =>
    validateWarningRuleset(withCondition({ not: { lt: { fact: 'nearestOtherSeriousIncidentDays', value: 5 } } })),
  );
});

test('the loader checks every file and the version in its name', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'aigov-warnings-'));
  try {
    await assert.rejects(loadWarningRulesets(dir), /no ruleset-<version>\.json files/);
    const json = await rawRuleset();
    await writeFile(path.join(dir, 'ruleset-v2.json'), JSON.stringify(json));
    await writeFile(path.join(dir, 'ruleset-v3.json'), '{ not json');
    await writeFile(path.join(dir, 'ruleset-v4.json'), JSON.stringify({ ...json, version: 'v4', rules: [] }));
    await assert.rejects(loadWarningRulesets(dir), (error: unknown) => {
      assert.ok(error instanceof WarningRulesetValidationError);
      assert.deepEqual(
        error.problems.map((problem) => problem.split(':')[0]),
        ['ruleset-v2.json/version', 'ruleset-v3.json', 'ruleset-v4.json/rules'],
      );
      return true;
    });
    await writeFile(path.join(dir, 'ruleset-v1.json'), JSON.stringify(json));
    await assert.rejects(readWarningRulesetFile(path.join(dir, 'ruleset-v3.json')), /not valid JSON/);
    assert.equal((await readWarningRulesetFile(path.join(dir, 'ruleset-v1.json'))).version, 'v1');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await assert.rejects(loadWarningRuleset('v9'), /no warning ruleset with version "v9"/);
  assert.deepEqual(
    (await loadWarningRulesets()).map(({ version }) => version),
    ['v1'],
  );
});

test('every rule of the ruleset was seen firing above', () => {
  assert.deepEqual(
    [...fired].sort(),
    ruleset.rules.map(({ id }) => id),
  );
});
