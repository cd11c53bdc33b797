/**
 * Primary suppression (API-CONTRACT-2 §5; the sensitivity rules of Hundepool et al., Statistical
 * Disclosure Control, Wiley 2012, ch. 4): a cell or total is confidential (`C`) when it has fewer than 3
 * contributors (threshold rule), or when the p%-rule with p = 10 finds it dominated — the
 * second-largest contributor, subtracting its own share from the published total, would learn
 * the largest contribution to within 10 %. An empty position (no contributor) is a known zero
 * and always free.
 */
import type { AggregatedTable, ConfidentialityStatus } from './disclosure-table.ts';

/** Threshold rule: fewer contributors than this is confidential. */
export const MIN_CONTRIBUTORS = 3;
/** p of the p%-rule. */
export const P_PERCENT = 10;

/** What the primary rules look at in one cell or total. */
export interface CellConcentration {
  /** T: the sum of the contributions. */
  readonly total: number;
  /** Contributors with a non-zero amount. */
  readonly contributors: number;
  /** x1 ≥ x2: the two largest contributions (0 when missing). */
  readonly largest: number;
  readonly secondLargest: number;
}

export type PrimaryRule = 'threshold' | 'p-percent';

/**
 * The rule that makes a position confidential, or `undefined` when it may be published
 * (including when it is empty).
 *
 * p%-rule: T − x1 − x2 < p/100 · x1, compared in integers as 100 · (T − x1 − x2) < p · x1
 * (amounts are integers; for totals up to 2^53 the products stay exact enough to decide: a
 * left side past 2^53 is far above any x1).
 */
export function primaryRule(cell: CellConcentration): PrimaryRule | undefined {
  if (cell.contributors === 0) return undefined;
  if (cell.contributors < MIN_CONTRIBUTORS) return 'threshold';
  const remainder = cell.total - cell.largest - cell.secondLargest;
  if (100 * remainder < P_PERCENT * cell.largest) return 'p-percent';
  return undefined;
}

/** `C` where a primary rule applies, `F` elsewhere, for every position of the table. */
export function primaryStatuses(table: AggregatedTable): ConfidentialityStatus[] {
  return table.values.map((total, index) =>
    primaryRule({
      total,
      contributors: table.contributors[index]!,
      largest: table.largest[index]!,
      secondLargest: table.secondLargest[index]!,
    }) === undefined
      ? 'F'
      : 'C',
  );
}
