import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../lib/seeded-random.ts';
import { PRODUCT_STATUSES, type ProductStatus } from './products.ts';
import {
  awardDownTheList,
  criterionMicro,
  GRANT_CRITERION_KEYS,
  GRANT_CRITERION_TEXTS,
  grantCriteriaProblems,
  isProcurementEligible,
  isProgrammeClosed,
  isProgrammeOpen,
  MICRO,
  procurementIneligibility,
  rankApplications,
  score,
  type GrantCriterion,
  type GrantFacts,
} from './procurement.ts';
import { WARNING_LEVELS, type WarningLevel } from './warnings.ts';

// ---------------------------------------------------------------------------------------
// The catalogue

test('catalogue eligibility across every product status × warning level × exclusion', () => {
  const publicDecisions = ['accepted', 'approved', 'approved_with_conditions'];
  let eligible = 0;
  for (const status of PRODUCT_STATUSES) {
    for (const warningLevel of [null, ...WARNING_LEVELS]) {
      for (const excluded of [false, true]) {
        // The contract's sentence, directly.
        const expected =
          publicDecisions.includes(status) &&
          status !== 'suspended' &&
          warningLevel !== 'orange' &&
          warningLevel !== 'red' &&
          !excluded;
        const state = { status, warningLevel, excluded };
        assert.equal(isProcurementEligible(state), expected, JSON.stringify(state));
        assert.equal(procurementIneligibility(state).length === 0, expected);
        if (expected) eligible += 1;
      }
    }
  }
  assert.equal(eligible, 3 * 3); // three decisions × (no warning, blue, yellow), not excluded
});

test('a red warning issued after listing removes the product at once; lifting it brings it back', () => {
  const listed = { status: 'approved' as ProductStatus, warningLevel: null as WarningLevel | null, excluded: false };
  assert.equal(isProcurementEligible(listed), true);
  // The warning is active before the product's status has followed it: still out.
  assert.deepEqual(procurementIneligibility({ ...listed, warningLevel: 'red' }), ['suspended', 'active_warning']);
  // Then the status follows.
  assert.deepEqual(procurementIneligibility({ ...listed, status: 'suspended', warningLevel: 'red' }), [
    'suspended',
    'active_warning',
  ]);
  // Lifted: the status returns and the product is back.
  assert.equal(isProcurementEligible({ ...listed, warningLevel: null }), true);
  // An orange one alone also removes it; a yellow one does not.
  assert.deepEqual(procurementIneligibility({ ...listed, warningLevel: 'orange' }), ['active_warning']);
  assert.equal(isProcurementEligible({ ...listed, warningLevel: 'yellow' }), true);
});

test('the reasons name every cause at once', () => {
  assert.deepEqual(procurementIneligibility({ status: 'draft', warningLevel: 'orange', excluded: true }), [
    'no_public_decision',
    'active_warning',
    'excluded',
  ]);
  assert.deepEqual(procurementIneligibility({ status: 'reassessment_required', warningLevel: null, excluded: false }), [
    'no_public_decision',
  ]);
});

// ---------------------------------------------------------------------------------------
// Programme window

test('applications from opensOn through closesOn; the ranking from the day after closesOn', () => {
  const programme = { opensOn: '2025-03-01', closesOn: '2025-03-31' };
  const open = ['2025-02-28', '2025-03-01', '2025-03-15', '2025-03-31', '2025-04-01'].map((d) =>
    isProgrammeOpen(programme, d),
  );
  assert.deepEqual(open, [false, true, true, true, false]);
  const closed = ['2025-03-01', '2025-03-31', '2025-04-01'].map((d) => isProgrammeClosed(programme, d));
  assert.deepEqual(closed, [false, false, true]);
});

// ---------------------------------------------------------------------------------------
// Criteria

const FACTS: GrantFacts = {
  productStatus: 'approved',
  hasCompletedTrial: true,
  latestReturn: { employees: 120, revenue: 10_000, rdExpenditure: 1_000 },
  warningLevel: null,
};

test('public_decision: a public decision in force', () => {
  for (const status of PRODUCT_STATUSES) {
    const expected = ['accepted', 'approved', 'approved_with_conditions'].includes(status) ? MICRO : 0;
    assert.equal(criterionMicro('public_decision', { ...FACTS, productStatus: status }), expected, status);
  }
});

test('completed_trial', () => {
  assert.equal(criterionMicro('completed_trial', FACTS), MICRO);
  assert.equal(criterionMicro('completed_trial', { ...FACTS, hasCompletedTrial: false }), 0);
});

test('sme: fewer than 300 employees in the latest return; no return scores 0', () => {
  const sme = (employees: number) =>
    criterionMicro('sme', { ...FACTS, latestReturn: { employees, revenue: 1, rdExpenditure: 0 } });
  assert.deepEqual([0, 1, 299, 300, 301, 5000].map(sme), [MICRO, MICRO, MICRO, 0, 0, 0]);
  assert.equal(criterionMicro('sme', { ...FACTS, latestReturn: null }), 0);
});

test('rd_intensity: R&D ÷ revenue capped at 0.2, scaled to 0–1, rounded down to the millionth', () => {
  const rd = (rdExpenditure: number, revenue: number) =>
    criterionMicro('rd_intensity', { ...FACTS, latestReturn: { employees: 10, revenue, rdExpenditure } });
  assert.equal(rd(0, 1000), 0);
  assert.equal(rd(100, 1000), 500_000); // 0.1 → 0.5
  assert.equal(rd(200, 1000), MICRO); // exactly the cap
  assert.equal(rd(900, 1000), MICRO); // above it
  assert.equal(rd(1, 1000), 5_000); // 0.001 → 0.005
  assert.equal(rd(1, 3), MICRO); // 0.333… capped
  assert.equal(rd(1, 7), 714_285); // 0.142857… under the cap: × 5 = 0.714285…
  assert.equal(rd(1, 30), 166_666); // 1/30 × 5 = 0.1666… rounded down
  assert.equal(rd(0, 0), 0); // no revenue, no R&D
  assert.equal(rd(5, 0), MICRO); // R&D without revenue reaches the cap
  // Amounts too large for doubles to multiply exactly: floating point would say 876 364.
  assert.equal(rd(1_427_821_664_211_240, 8_146_282_048_391_080), 876_363);
  assert.equal(criterionMicro('rd_intensity', { ...FACTS, latestReturn: null }), 0);
  assert.throws(() => rd(-1, 10), RangeError);
});

test('no_warnings: no active warning of any level', () => {
  assert.equal(criterionMicro('no_warnings', FACTS), MICRO);
  for (const level of WARNING_LEVELS)
    assert.equal(criterionMicro('no_warnings', { ...FACTS, warningLevel: level }), 0, level);
});

test('score: Σ weight × criterion with its breakdown', () => {
  const criteria: GrantCriterion[] = [
    { key: 'public_decision', weight: 30 },
    { key: 'rd_intensity', weight: 25 },
    { key: 'sme', weight: 20 },
    { key: 'no_warnings', weight: 0 },
  ];
  const result = score(criteria, {
    ...FACTS,
    latestReturn: { employees: 300, revenue: 30, rdExpenditure: 1 },
    warningLevel: 'blue',
  });
  // public_decision 30 × 1; rd_intensity 25 × 0.166666; sme 20 × 0 (300 is not fewer than 300); no_warnings 0 × 0.
  assert.deepEqual(result.breakdownMicro, {
    public_decision: 30_000_000,
    rd_intensity: 4_166_650,
    sme: 0,
    no_warnings: 0,
  });
  assert.equal(result.scoreMicro, 34_166_650);
  assert.equal(result.score, 34.16665);
  assert.deepEqual(result.breakdown, { public_decision: 30, rd_intensity: 4.16665, sme: 0, no_warnings: 0 });
  assert.equal(JSON.stringify(result.score), '34.16665');
  // Keys not in the programme are not in the breakdown.
  assert.equal('completed_trial' in result.breakdown, false);
});

test('criteria are checked: at least one, known keys once each, integer weights 0–1000', () => {
  assert.deepEqual(grantCriteriaProblems([{ key: 'sme', weight: 0 }]), []);
  const problems = grantCriteriaProblems([
    { key: 'sme', weight: 10 },
    { key: 'sme', weight: 1.5 },
    { key: 'turnover' as never, weight: 1001 },
    { key: 'no_warnings', weight: -1 },
  ]);
  assert.deepEqual(
    problems.map((p) => `${p.code} ${p.pointer}`),
    [
      'duplicate_criterion /criteria/1/key',
      'invalid_weight /criteria/1/weight',
      'unknown_criterion /criteria/2/key',
      'invalid_weight /criteria/2/weight',
      'invalid_weight /criteria/3/weight',
    ],
  );
  assert.deepEqual(
    grantCriteriaProblems([]).map((p) => p.code),
    ['criteria_required'],
  );
  assert.throws(() => score([{ key: 'sme', weight: 0.5 }], FACTS), RangeError);
  for (const key of GRANT_CRITERION_KEYS) assert.match(GRANT_CRITERION_TEXTS[key].zh, /[\u4e00-\u9fff]/);
});

// ---------------------------------------------------------------------------------------
// Ranking and awards

const at = (iso: string) => new Date(iso);

test('ranking: by score, then the earlier application, then the id; ranks 1..n none shared', () => {
  const ranked = rankApplications([
    { id: 'c', scoreMicro: 50, appliedAt: at('2025-03-02T00:00:00Z') },
    { id: 'a', scoreMicro: 70, appliedAt: at('2025-03-05T00:00:00Z') },
    { id: 'e', scoreMicro: 50, appliedAt: at('2025-03-01T00:00:00Z') },
    { id: 'b', scoreMicro: 50, appliedAt: at('2025-03-02T00:00:00Z') },
    { id: 'd', scoreMicro: 0, appliedAt: at('2025-03-01T00:00:00Z') },
  ]);
  assert.deepEqual(
    ranked.map((r) => [r.rank, r.id]),
    [
      [1, 'a'],
      [2, 'e'], // same score as b and c, applied earlier
      [3, 'b'], // same score and instant as c: the smaller id
      [4, 'c'],
      [5, 'd'],
    ],
  );
  assert.deepEqual(rankApplications([]), []);
  assert.throws(
    () =>
      rankApplications([
        { id: 'x', scoreMicro: 1, appliedAt: at('2025-03-01T00:00:00Z') },
        { id: 'x', scoreMicro: 2, appliedAt: at('2025-03-01T00:00:00Z') },
      ]),
    RangeError,
  );
});

test('awards down the list: one that no longer fits gets 0, later smaller ones may still be paid', () => {
  const { awards, totalAwarded, remaining } = awardDownTheList(
    [
      { requestedAmount: 50 },
      { requestedAmount: 80 },
      { requestedAmount: 30 },
      { requestedAmount: 25 },
      { requestedAmount: 20 },
    ],
    100,
    60,
  );
  // 50 paid (50 left); 80 → capped at 60, does not fit → 0; 30 paid (20 left); 25 does not fit; 20 fits exactly.
  assert.deepEqual(
    awards.map((a) => a.awarded),
    [50, 0, 30, 0, 20],
  );
  assert.equal(totalAwarded, 100);
  assert.equal(remaining, 0);
  // maxAward caps the request; a zero budget pays nobody.
  assert.deepEqual(
    awardDownTheList([{ requestedAmount: 500 }], 1000, 200).awards.map((a) => a.awarded),
    [200],
  );
  assert.deepEqual(
    awardDownTheList([{ requestedAmount: 1 }], 0, 200).awards.map((a) => a.awarded),
    [0],
  );
  assert.throws(() => awardDownTheList([{ requestedAmount: 1.5 }], 10, 10), RangeError);
  assert.throws(() => awardDownTheList([], -1, 10), RangeError);
});

test('property: breakdowns sum to the score, and awards never exceed the budget', () => {
  const random = seededRandom(20250515);
  const int = (max: number) => Math.floor(random() * (max + 1));
  const pick = <T>(items: readonly T[]): T => items[int(items.length - 1)]!;
  for (let round = 0; round < 500; round += 1) {
    const keys = GRANT_CRITERION_KEYS.filter(() => random() < 0.7);
    const criteria = (keys.length > 0 ? keys : ['rd_intensity' as const]).map((key) => ({ key, weight: int(1000) }));
    const n = 1 + int(40);
    const applications = Array.from({ length: n }, (_, i) => {
      const facts: GrantFacts = {
        productStatus: pick(PRODUCT_STATUSES),
        hasCompletedTrial: random() < 0.5,
        latestReturn:
          random() < 0.2
            ? null
            : {
                employees: int(1000),
                revenue: int(random() < 0.1 ? 0 : 10 ** int(12)),
                rdExpenditure: int(10 ** int(9)),
              },
        warningLevel: random() < 0.6 ? null : pick(WARNING_LEVELS),
      };
      const result = score(criteria, facts);
      const parts = Object.values(result.breakdownMicro);
      assert.equal(parts.length, criteria.length);
      assert.equal(
        parts.reduce((a, b) => a + b, 0),
        result.scoreMicro,
      );
      const decimals = Object.values(result.breakdown).reduce((a, b) => a + b, 0);
      assert.equal(Math.round(decimals * MICRO), result.scoreMicro);
      assert.equal(result.score, result.scoreMicro / MICRO);
      assert.equal(Number(result.score.toFixed(6)), result.score);
      assert.ok(result.scoreMicro >= 0 && result.scoreMicro <= criteria.reduce((a, c) => a + c.weight, 0) * MICRO);
      return {
        id: `app-${String(i).padStart(3, '0')}`,
        scoreMicro: result.scoreMicro,
        appliedAt: new Date(Date.UTC(2025, 2, 1) + int(5) * 60_000),
        requestedAmount: int(10) === 0 ? 0 : int(2_000_000),
      };
    });
    const ranked = rankApplications(applications);
    assert.deepEqual(
      ranked.map((r) => r.rank),
      Array.from({ length: n }, (_, i) => i + 1),
    );
    for (let i = 1; i < ranked.length; i += 1) {
      const [p, q] = [ranked[i - 1]!, ranked[i]!];
      assert.ok(
        p.scoreMicro > q.scoreMicro ||
          (p.scoreMicro === q.scoreMicro &&
            (p.appliedAt < q.appliedAt || (p.appliedAt.getTime() === q.appliedAt.getTime() && p.id < q.id))),
      );
    }
    const budget = int(10_000_000);
    const maxAward = int(3_000_000);
    const { awards, totalAwarded, remaining } = awardDownTheList(ranked, budget, maxAward);
    assert.ok(totalAwarded <= budget);
    assert.equal(totalAwarded + remaining, budget);
    let left = budget;
    for (const award of awards) {
      const amount = Math.min(award.requestedAmount, maxAward);
      // Paid in full when it fits in what is left, else nothing.
      assert.equal(award.awarded, amount <= left ? amount : 0);
      left -= award.awarded;
    }
  }
});

test('ranking 10,000 applications reads each one a fixed number of times (keys precomputed, one sort)', () => {
  let reads = 0;
  const random = seededRandom(7);
  const applications = Array.from({ length: 10_000 }, (_, i) => {
    const scoreMicro = Math.floor(random() * 50) * 1000;
    const appliedAt = new Date(Date.UTC(2025, 2, 1) + Math.floor(random() * 100) * 1000);
    return {
      id: `app-${String(i).padStart(5, '0')}`,
      get scoreMicro() {
        reads += 1;
        return scoreMicro;
      },
      get appliedAt() {
        reads += 1;
        return appliedAt;
      },
    };
  });
  const ranked = rankApplications(applications);
  // Counted before any check below reads the getters again.
  // A comparator reading the getters would need about 4 × n log₂ n ≈ 530 000 reads.
  assert.ok(reads <= 5 * applications.length, `${reads} reads`);
  assert.equal(ranked.length, 10_000);
  assert.equal(ranked[9_999]!.rank, 10_000);
  assert.equal(new Set(ranked.map((r) => r.id)).size, 10_000);
});
