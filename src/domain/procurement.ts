/**
 * Procurement priority and grants (API-CONTRACT-2 §6) — the rules written once, imported by the
 * server and the web app: who is in the public procurement catalogue, how a grant application
 * scores, how applications rank and how the budget is awarded down the list.
 *
 * Law: the Shenzhen AI Regulations (深圳经济特区人工智能产业促进条例, 2022) — government bodies and
 * state-owned companies take the lead in using AI; public procurement and grants give priority
 * to AI products. Which products qualify and how applications score are the platform's rules,
 * fixed by the contract; every criterion is computed from platform data, never self-declared.
 *
 * Arithmetic is exact: criteria are integers in millionths (`MICRO` = 1), weights are integers,
 * so scores and breakdowns are integer micro-points that add up exactly; money is integers.
 */
import { calendarDaysBetween } from './civil-date.ts';
import { DECIDED_STATUSES, type ProductStatus } from './products.ts';
import type { WarningLevel } from './warnings.ts';

// ---------------------------------------------------------------------------------------
// The procurement catalogue

/** Active warnings at these levels take a product out of the catalogue. */
export const PROCUREMENT_BLOCKING_WARNING_LEVELS = ['orange', 'red'] as const satisfies readonly WarningLevel[];

export const PROCUREMENT_INELIGIBILITY_REASONS = [
  /** Its status is not a public decision (accepted, approved, approved_with_conditions). */
  'no_public_decision',
  /** Suspended: its status says so, or an active red warning (which suspends it). */
  'suspended',
  /** An active orange or red warning. */
  'active_warning',
  /** A procurement officer excluded it. */
  'excluded',
] as const;
export type ProcurementIneligibilityReason = (typeof PROCUREMENT_INELIGIBILITY_REASONS)[number];

/** The product's state now — computed from the live data, never a stale copy. */
export interface ProcurementState {
  readonly status: ProductStatus;
  /** The highest active warning level, or `null` with none. */
  readonly warningLevel: WarningLevel | null;
  readonly excluded: boolean;
}

/**
 * Why a product is not in the catalogue (empty: it is), in `PROCUREMENT_INELIGIBILITY_REASONS`
 * order. A red warning shows twice (`suspended`, `active_warning`) even before the product's
 * status follows it; a `suspended` status is not also `no_public_decision`.
 */
export function procurementIneligibility(state: ProcurementState): ProcurementIneligibilityReason[] {
  const reasons: ProcurementIneligibilityReason[] = [];
  const hasDecision = (DECIDED_STATUSES as readonly ProductStatus[]).includes(state.status);
  if (!hasDecision && state.status !== 'suspended') reasons.push('no_public_decision');
  if (state.status === 'suspended' || state.warningLevel === 'red') reasons.push('suspended');
  if (
    state.warningLevel !== null &&
    (PROCUREMENT_BLOCKING_WARNING_LEVELS as readonly WarningLevel[]).includes(state.warningLevel)
  ) {
    reasons.push('active_warning');
  }
  if (state.excluded) reasons.push('excluded');
  return reasons;
}

/** In the public procurement catalogue: a public decision, not suspended, no active orange or red warning, not excluded. */
export function isProcurementEligible(state: ProcurementState): boolean {
  return procurementIneligibility(state).length === 0;
}

// ---------------------------------------------------------------------------------------
// Grant programmes

/** A programme takes applications from `opensOn` through `closesOn` (both included), else 409 `programme_not_open`. */
export function isProgrammeOpen(
  programme: { readonly opensOn: string; readonly closesOn: string },
  today: string,
): boolean {
  return calendarDaysBetween(programme.opensOn, today) >= 0 && calendarDaysBetween(today, programme.closesOn) >= 0;
}

/** The ranking is published from the day after `closesOn`, else 409 `programme_not_closed`. */
export function isProgrammeClosed(programme: { readonly closesOn: string }, today: string): boolean {
  return calendarDaysBetween(programme.closesOn, today) > 0;
}

export const GRANT_CRITERION_KEYS = [
  'public_decision',
  'completed_trial',
  'sme',
  'rd_intensity',
  'no_warnings',
] as const;
export type GrantCriterionKey = (typeof GRANT_CRITERION_KEYS)[number];

/** What each criterion means, for the programme form and the public ranking. */
export const GRANT_CRITERION_TEXTS: Readonly<Record<GrantCriterionKey, { zh: string; en: string }>> = {
  public_decision: { zh: '产品已获公开的备案或评估结论', en: 'The product has a public decision' },
  completed_trial: { zh: '产品已完成试验', en: 'A trial of the product has been completed' },
  sme: {
    zh: '中小企业：最近一期统计报表从业人员少于 300 人',
    en: 'SME: fewer than 300 employees in the latest statistics return',
  },
  rd_intensity: {
    zh: '研发投入强度：研发经费 ÷ 营业收入，20% 封顶，折算为 0–1',
    en: 'R&D intensity: R&D expenditure ÷ revenue, capped at 20 %, scaled to 0–1',
  },
  no_warnings: { zh: '产品无生效中的风险预警', en: 'The product has no active warning' },
};

/** 1 in criterion units: a criterion scores 0 … `MICRO`. */
export const MICRO = 1_000_000;
/** `sme`: fewer than this many employees. */
export const SME_EMPLOYEE_LIMIT = 300;
/** `rd_intensity`: the ratio is capped at 1/5 (0.2), then scaled to 0–1 (× 5). */
export const RD_INTENSITY_CAP_DENOMINATOR = 5;
/** Weights are integers 0 … this (an integer weight keeps every sum exact). */
export const MAX_GRANT_CRITERION_WEIGHT = 1000;

/** The organisation's return in the most recent published statistics period (§5: integers, thousands of yuan). */
export interface StatisticsReturnFacts {
  readonly employees: number;
  readonly revenue: number;
  readonly rdExpenditure: number;
}

/** Platform data about one application, read when the ranking is published. */
export interface GrantFacts {
  readonly productStatus: ProductStatus;
  readonly hasCompletedTrial: boolean;
  /** `null` when the organisation has no return in the most recent published period. */
  readonly latestReturn: StatisticsReturnFacts | null;
  /** The product's highest active warning level, or `null` with none. */
  readonly warningLevel: WarningLevel | null;
}

/**
 * One criterion in millionths (0 … `MICRO`):
 * - `public_decision`: the product's status is accepted, approved or approved_with_conditions
 *   now (a suspended product or one whose reassessment is required has no decision in force);
 * - `completed_trial`: a trial of the product is `completed`;
 * - `sme`: `employees < 300` in the latest return (300 is not an SME); no return → 0;
 * - `rd_intensity`: `min(rdExpenditure / revenue, 0.2) / 0.2`, rounded down to the millionth
 *   (computed in integers); revenue 0 → 1 if there is R&D expenditure (any ratio reaches the
 *   cap), else 0; no return → 0;
 * - `no_warnings`: no active warning of any level (blue included).
 */
export function criterionMicro(key: GrantCriterionKey, facts: GrantFacts): number {
  switch (key) {
    case 'public_decision':
      return (DECIDED_STATUSES as readonly ProductStatus[]).includes(facts.productStatus) ? MICRO : 0;
    case 'completed_trial':
      return facts.hasCompletedTrial ? MICRO : 0;
    case 'sme':
      if (facts.latestReturn === null) return 0;
      assertAmount(facts.latestReturn.employees, 'employees');
      return facts.latestReturn.employees < SME_EMPLOYEE_LIMIT ? MICRO : 0;
    case 'rd_intensity': {
      if (facts.latestReturn === null) return 0;
      const { revenue, rdExpenditure } = facts.latestReturn;
      assertAmount(revenue, 'revenue');
      assertAmount(rdExpenditure, 'rdExpenditure');
      if (rdExpenditure === 0) return 0;
      if (revenue === 0) return MICRO;
      // BigInt: 5 000 000 × an amount in thousands of yuan can pass 2^53.
      const scaled = (BigInt(RD_INTENSITY_CAP_DENOMINATOR * MICRO) * BigInt(rdExpenditure)) / BigInt(revenue);
      return scaled >= BigInt(MICRO) ? MICRO : Number(scaled);
    }
    case 'no_warnings':
      return facts.warningLevel === null ? MICRO : 0;
  }
}

export interface GrantCriterion {
  readonly key: GrantCriterionKey;
  readonly weight: number;
}

export interface GrantScore {
  /** Σ weight × criterion, in micro-points (exact). */
  readonly scoreMicro: number;
  /** weight × criterion per key of the programme, in micro-points; sums to `scoreMicro` exactly. */
  readonly breakdownMicro: Readonly<Partial<Record<GrantCriterionKey, number>>>;
  /** `scoreMicro / 10⁶`: the API's `score` (at most 6 decimals). */
  readonly score: number;
  /**
   * The API's `breakdown: {key: points}`, each `micro / 10⁶`. The decimals add up to `score`
   * exactly; as binary floating point, add them and round to 6 decimals.
   */
  readonly breakdown: Readonly<Partial<Record<GrantCriterionKey, number>>>;
}

/** Score = Σ weight × criterion over the programme's criteria (API-CONTRACT-2 §6). */
export function score(criteria: readonly GrantCriterion[], facts: GrantFacts): GrantScore {
  const problems = grantCriteriaProblems(criteria);
  if (problems.length > 0) throw new RangeError(`Invalid grant criteria: ${problems.map((p) => p.message).join('; ')}`);
  let scoreMicro = 0;
  const breakdownMicro: Partial<Record<GrantCriterionKey, number>> = {};
  const breakdown: Partial<Record<GrantCriterionKey, number>> = {};
  for (const { key, weight } of criteria) {
    const points = weight * criterionMicro(key, facts);
    breakdownMicro[key] = points;
    breakdown[key] = points / MICRO;
    scoreMicro += points;
  }
  return { scoreMicro, breakdownMicro, score: scoreMicro / MICRO, breakdown };
}

export interface GrantCriteriaProblem {
  readonly pointer: string;
  readonly code: 'criteria_required' | 'duplicate_criterion' | 'unknown_criterion' | 'invalid_weight';
  readonly message: string;
  readonly messageZh: string;
}

/**
 * Problems with a programme's `criteria` (pointers relative to the request body): at least
 * one criterion; known keys, each once; integer weights 0 … 1000.
 */
export function grantCriteriaProblems(criteria: readonly GrantCriterion[]): GrantCriteriaProblem[] {
  const problems: GrantCriteriaProblem[] = [];
  if (criteria.length === 0) {
    problems.push({
      pointer: '/criteria',
      code: 'criteria_required',
      message: 'At least one criterion',
      messageZh: '至少须有一项评分标准',
    });
  }
  const seen = new Set<string>();
  criteria.forEach((criterion, i) => {
    if (!(GRANT_CRITERION_KEYS as readonly string[]).includes(criterion.key)) {
      problems.push({
        pointer: `/criteria/${i}/key`,
        code: 'unknown_criterion',
        message: `Unknown criterion ${JSON.stringify(criterion.key)}`,
        messageZh: `未知的评分标准 ${JSON.stringify(criterion.key)}`,
      });
    } else if (seen.has(criterion.key)) {
      problems.push({
        pointer: `/criteria/${i}/key`,
        code: 'duplicate_criterion',
        message: `Criterion ${criterion.key} is listed twice`,
        messageZh: `评分标准 ${criterion.key} 重复`,
      });
    }
    seen.add(criterion.key);
    if (
      !Number.isSafeInteger(criterion.weight) ||
      criterion.weight < 0 ||
      criterion.weight > MAX_GRANT_CRITERION_WEIGHT
    ) {
      problems.push({
        pointer: `/criteria/${i}/weight`,
        code: 'invalid_weight',
        message: `A weight is an integer from 0 to ${MAX_GRANT_CRITERION_WEIGHT}`,
        messageZh: `权重须为 0 至 ${MAX_GRANT_CRITERION_WEIGHT} 的整数`,
      });
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------
// Ranking and awards

export interface RankableApplication {
  readonly id: string;
  readonly scoreMicro: number;
  /** When the application was made (the server clock). */
  readonly appliedAt: Date;
}

/**
 * The published order (API-CONTRACT-2 §6): higher score first, then the earlier application,
 * then — when both are equal to the millisecond — the smaller `id` by code units (ids are
 * UUIDv7, so this is still creation order within a process). Ranks 1..n, none shared.
 * O(n log n): one sort on precomputed keys. Duplicate ids → `RangeError`.
 */
export function rankApplications<T extends RankableApplication>(applications: readonly T[]): (T & { rank: number })[] {
  const keyed = applications.map((application) => {
    const time = application.appliedAt.getTime();
    if (!Number.isSafeInteger(application.scoreMicro))
      throw new RangeError(`scoreMicro of ${application.id} must be an integer`);
    if (Number.isNaN(time)) throw new RangeError(`appliedAt of ${application.id} must be a valid Date`);
    return { application, score: application.scoreMicro, time, id: application.id };
  });
  assertDistinctIds(applications);
  keyed.sort((a, b) => b.score - a.score || a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map(({ application }, i) => ({ ...application, rank: i + 1 }));
}

/**
 * Awards down the ranked list (API-CONTRACT-2 §6): each gets `min(requestedAmount, maxAward)`
 * if that still fits in what is left of the budget, else 0 — no partial award — and the list
 * goes on, so a later, smaller request may still be paid. Every application is in the list,
 * whatever its score. Integers (money); `totalAwarded ≤ budget`.
 */
export function awardDownTheList<T extends { readonly requestedAmount: number }>(
  ranked: readonly T[],
  budget: number,
  maxAward: number,
): { awards: (T & { awarded: number })[]; totalAwarded: number; remaining: number } {
  assertAmount(budget, 'budget');
  assertAmount(maxAward, 'maxAward');
  let remaining = budget;
  const awards = ranked.map((application) => {
    assertAmount(application.requestedAmount, 'requestedAmount');
    const amount = Math.min(application.requestedAmount, maxAward);
    const awarded = amount <= remaining ? amount : 0;
    remaining -= awarded;
    return { ...application, awarded };
  });
  return { awards, totalAwarded: budget - remaining, remaining };
}

function assertDistinctIds(applications: readonly RankableApplication[]): void {
  const ids = new Set<string>();
  for (const { id } of applications) {
    if (ids.has(id)) throw new RangeError(`Application ${id} is listed twice`);
    ids.add(id);
  }
}

function assertAmount(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer (got ${value})`);
  }
}
