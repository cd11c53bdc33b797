import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INCIDENT_HARMS,
  incidentReportDeadline,
  incidentReportPeriod,
  incidentTimeProblems,
  isReportedLate,
} from './incident-deadlines.ts';
import type { IncidentHarm } from './incident-deadlines.ts';

const DAY_MS = 86_400_000;

// serious, widespread, death, critical_infrastructure, another harm → days (null: no deadline).
// Written out by hand from EU AI Act Art. 73(2)–(4): every combination of the facts that matter.
const TABLE: [boolean, boolean, boolean, boolean, boolean, number | null][] = [
  [false, false, false, false, false, null],
  [false, false, false, false, true, null],
  [false, false, false, true, false, null],
  [false, false, false, true, true, null],
  [false, false, true, false, false, null],
  [false, false, true, false, true, null],
  [false, false, true, true, false, null],
  [false, false, true, true, true, null],
  [false, true, false, false, false, null],
  [false, true, false, false, true, null],
  [false, true, false, true, false, null],
  [false, true, false, true, true, null],
  [false, true, true, false, false, null],
  [false, true, true, false, true, null],
  [false, true, true, true, false, null],
  [false, true, true, true, true, null],
  [true, false, false, false, false, 15],
  [true, false, false, false, true, 15],
  [true, false, false, true, false, 2],
  [true, false, false, true, true, 2],
  [true, false, true, false, false, 10],
  [true, false, true, false, true, 10],
  [true, false, true, true, false, 2],
  [true, false, true, true, true, 2],
  [true, true, false, false, false, 2],
  [true, true, false, false, true, 2],
  [true, true, false, true, false, 2],
  [true, true, false, true, true, 2],
  [true, true, true, false, false, 2],
  [true, true, true, false, true, 2],
  [true, true, true, true, false, 2],
  [true, true, true, true, true, 2],
];

const CLAUSE_OF_DAYS = { 2: 'art73_3', 10: 'art73_4', 15: 'art73_2' } as const;

test('the deadline table: every combination of serious, widespread, death, critical infrastructure, other harm', () => {
  const awareAt = new Date('2026-03-01T09:30:00+08:00');
  for (const [serious, widespread, death, ci, other, days] of TABLE) {
    const harms: IncidentHarm[] = [];
    if (death) harms.push('death');
    if (ci) harms.push('critical_infrastructure');
    if (other) harms.push('serious_health');
    const incident = { serious, widespread, harms };
    const label = JSON.stringify(incident);
    if (days === null) {
      assert.equal(incidentReportPeriod(incident), null, label);
      assert.equal(incidentReportDeadline(incident, awareAt), null, label);
    } else {
      assert.deepEqual(
        incidentReportPeriod(incident),
        { days, clause: CLAUSE_OF_DAYS[days as keyof typeof CLAUSE_OF_DAYS] },
        label,
      );
      assert.equal(incidentReportDeadline(incident, awareAt)?.getTime(), awareAt.getTime() + days * DAY_MS, label);
    }
  }
});

test('harms other than death and critical infrastructure never change the period (64 harm sets × serious × widespread)', () => {
  const others: readonly IncidentHarm[] = INCIDENT_HARMS.filter(
    (harm) => harm !== 'death' && harm !== 'critical_infrastructure',
  );
  for (let mask = 0; mask < 1 << INCIDENT_HARMS.length; mask += 1) {
    const harms = INCIDENT_HARMS.filter((_, index) => (mask & (1 << index)) !== 0);
    for (const serious of [false, true]) {
      for (const widespread of [false, true]) {
        const row = TABLE.find(
          ([s, w, d, c, o]) =>
            s === serious &&
            w === widespread &&
            d === harms.includes('death') &&
            c === harms.includes('critical_infrastructure') &&
            o === harms.some((harm) => others.includes(harm)),
        );
        assert.ok(row);
        assert.equal(incidentReportPeriod({ serious, widespread, harms })?.days ?? null, row[5], harms.join());
      }
    }
  }
});

test('the deadline is awareAt + N × 24 h, an instant, and late means strictly after it', () => {
  const awareAt = new Date('2026-02-27T23:00:00Z');
  const deadline = incidentReportDeadline({ serious: true, widespread: false, harms: ['death'] }, awareAt);
  assert.equal(deadline?.toISOString(), '2026-03-09T23:00:00.000Z');
  assert.equal(isReportedLate(deadline, new Date('2026-03-09T23:00:00.000Z')), false);
  assert.equal(isReportedLate(deadline, new Date('2026-03-09T23:00:00.001Z')), true);
  assert.equal(isReportedLate(deadline, awareAt), false);
  assert.equal(isReportedLate(null, new Date('2030-01-01T00:00:00Z')), false);
  // Two days over a month end.
  assert.equal(
    incidentReportDeadline({ serious: true, widespread: true, harms: [] }, awareAt)?.toISOString(),
    '2026-03-01T23:00:00.000Z',
  );
  assert.throws(
    () => incidentReportDeadline({ serious: true, widespread: false, harms: [] }, new Date(NaN)),
    RangeError,
  );
});

test('time problems: aware before occurred, aware in the future, invalid instants — with pointers', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const codes = (occurredAt: Date, awareAt: Date) =>
    incidentTimeProblems({ occurredAt, awareAt }, now).map(({ pointer, code }) => `${pointer} ${code}`);

  assert.deepEqual(codes(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z')), []);
  // Equal instants, and awareAt exactly now, are fine.
  assert.deepEqual(codes(now, now), []);
  assert.deepEqual(codes(new Date('2026-03-02T00:00:00Z'), new Date('2026-03-01T23:59:59.999Z')), [
    '/awareAt aware_before_occurred',
  ]);
  assert.deepEqual(codes(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-10T12:00:00.001Z')), [
    '/awareAt aware_in_future',
  ]);
  // Both at once: occurred in the future and learnt of even later.
  assert.deepEqual(codes(new Date('2026-04-01T00:00:00Z'), new Date('2026-03-31T00:00:00Z')), [
    '/awareAt aware_before_occurred',
    '/awareAt aware_in_future',
  ]);
  assert.deepEqual(codes(new Date(NaN), new Date('2026-03-01T00:00:00Z')), ['/occurredAt invalid_instant']);
  assert.deepEqual(codes(new Date('2026-03-01T00:00:00Z'), new Date(NaN)), ['/awareAt invalid_instant']);

  for (const problem of incidentTimeProblems({ occurredAt: now, awareAt: new Date('2027-01-01T00:00:00Z') }, now)) {
    assert.ok(problem.message.length > 0 && /[\u4e00-\u9fff]/.test(problem.messageZh));
  }
});
