/**
 * Secondary suppression: complementary positions (`D`) chosen so that the attacker's LP
 * (disclosure-audit.ts) cannot narrow any primary (`C`) value to within 10 % of its truth.
 *
 * The primary positions are taken one at a time, largest value first (a large value needs a
 * large margin, and the complements it gets often protect smaller ones for free). For each:
 * 1. the attacker's LP on the current pattern: already protected both ways → next;
 * 2. candidate complements from the complement problem (disclosure-complement.ts: the LP
 *    relaxation with dynamic slope scaling, or the MIP);
 * 3. each candidate pruned to an irreducible set — its positions, most costly first, are
 *    published again whenever the attacker's LP shows the primary value still protected
 *    without them — and the cheapest pruned set is suppressed.
 * Suppressing more never narrows an interval, so a position protected once stays protected as
 * later ones are handled; `protectTable` (disclosure-control.ts) audits the final pattern all
 * the same, and repeats this pass if the audit finds a gap.
 *
 * Like tau-ARGUS' hypercube (GHMITER) and network methods, this protects one primary position
 * at a time; unlike the hypercube it asks the exact LP rather than a sufficient geometric
 * condition, and unlike tau-ARGUS' "Optimal" method (Fischetti & Salazar-González 2000;
 * Hundepool et al. 2012, ch. 4), which solves one MIP for all primary positions at once, it
 * does not promise the global optimum: here already one position's MIP can take seconds.
 * The objective: Σ value^λ over the suppressed positions
 * with λ = 0.5 by default (tau-ARGUS' cost variable with its λ transformation; λ = 1 is the
 * plain suppressed value, the least information lost), or with `cost: 'cells'` the number of
 * suppressed positions, ties broken by value.
 */
import type { LpSolver } from './lp.ts';
import type { AggregatedTable, ConfidentialityStatus } from './disclosure-table.ts';
import { AttackerModel, protectionMargin } from './disclosure-audit.ts';
import { complementCandidates, type ComplementMethod } from './disclosure-complement.ts';

export type SuppressionCost = 'value' | 'cells';
export type { ComplementMethod } from './disclosure-complement.ts';

export interface SecondaryOptions {
  /**
   * What the complements minimise: a cost per suppressed position that grows with its value
   * (`value`, the default) or the number of suppressed positions (`cells`).
   */
  readonly cost?: SuppressionCost;
  /**
   * tau-ARGUS' λ for `value`: a position costs value^λ (λ > 0) or log(1 + value) (λ = 0).
   * Default 0.5: λ = 1 (plain value) spreads a large margin over many small positions, λ = 0
   * suppresses large totals to save a cell; see docs/disclosure-control.md for the figures.
   */
  readonly lambda?: number;
  /** How each primary position's complements are found (default `lp`; see disclosure-complement.ts). */
  readonly method?: ComplementMethod;
  /** Branch-and-bound nodes per complement MIP (method `mip`; default 5000). */
  readonly mipMaxNodes?: number;
}

export interface SecondaryStatistics {
  /** Primary positions that needed complements (the others were protected already). */
  readonly complemented: number;
  /** Complement MIPs that stopped at their node limit. */
  readonly mipsAtNodeLimit: number;
}

const DEFAULT_MIP_MAX_NODES = 5000;
const DEFAULT_LAMBDA = 0.5;

/** Cost per position of suppressing it (see {@link SecondaryOptions}). */
export function suppressionCosts(table: AggregatedTable, cost: SuppressionCost, lambda = DEFAULT_LAMBDA): number[] {
  if (cost === 'value') {
    if (!(lambda >= 0)) throw new RangeError('lambda must be ≥ 0');
    return table.values.map((value) => (lambda > 0 ? value ** lambda : Math.log1p(value)));
  }
  // Fewest positions; among as many, the least value (the tie-breaks together stay below 1).
  const sum = table.values.reduce((a, b) => a + b, 0);
  return table.values.map((value) => 1 + value / (sum + 1));
}

/**
 * Adds `D` positions to `statuses` (the `C` positions, and possibly `D` ones from an earlier
 * pass) until each primary position is protected, by the method in the module comment.
 * Deterministic for the same table and options.
 */
export function chooseSecondarySuppressions(
  lp: LpSolver,
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
  options: SecondaryOptions = {},
): { statuses: ConfidentialityStatus[]; statistics: SecondaryStatistics } {
  const result = [...statuses];
  const costs = suppressionCosts(table, options.cost ?? 'value', options.lambda);
  const method = options.method ?? 'lp';
  const mipMaxNodes = options.mipMaxNodes ?? DEFAULT_MIP_MAX_NODES;
  const primaries = result
    .map((status, position) => ({ status, position, value: table.values[position]! }))
    .filter((entry) => entry.status === 'C' && entry.value > 0)
    .sort((a, b) => b.value - a.value || a.position - b.position);
  const statistics = { complemented: 0, mipsAtNodeLimit: 0 };
  let attacker: AttackerModel | undefined;
  try {
    for (const { position, value } of primaries) {
      const margin = protectionMargin(value);
      attacker ??= new AttackerModel(lp, table, result);
      const interval = attacker.interval(position, value, margin);
      if (interval.protectedAbove && interval.protectedBelow) continue;
      statistics.complemented += 1;
      const found = complementCandidates(lp, table, result, costs, position, margin, method, mipMaxNodes);
      if (found.atNodeLimit) statistics.mipsAtNodeLimit += 1;
      let best: number[] | undefined;
      let bestCost = Infinity;
      for (const candidate of found.candidates) {
        const pruned = pruneComplement(lp, table, result, costs, candidate, position, value, margin);
        const cost = pruned.reduce((sum, added) => sum + costs[added]!, 0);
        if (cost < bestCost) [best, bestCost] = [pruned, cost];
      }
      if (best === undefined || best.length === 0) continue;
      for (const added of best) result[added] = 'D';
      attacker.dispose();
      attacker = undefined;
    }
  } finally {
    attacker?.dispose();
  }
  return { statuses: result, statistics };
}

/**
 * `added` without every position (most costly first) whose publication leaves the primary
 * position protected. If `added` does not protect it at all (a solver's slip), it is returned
 * whole and the audit decides.
 */
function pruneComplement(
  lp: LpSolver,
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
  costs: readonly number[],
  added: readonly number[],
  primary: number,
  value: number,
  margin: number,
): number[] {
  const attacker = new AttackerModel(lp, table, statuses, added);
  try {
    const isProtected = () => {
      const interval = attacker.interval(primary, value, margin);
      return interval.protectedAbove && interval.protectedBelow;
    };
    if (!isProtected()) return [...added];
    const kept = new Set(added);
    for (const candidate of [...added].sort((a, b) => costs[b]! - costs[a]! || a - b)) {
      attacker.setPublished(candidate, true);
      if (isProtected()) kept.delete(candidate);
      else attacker.setPublished(candidate, false);
    }
    return [...kept].sort((a, b) => a - b);
  } finally {
    attacker.dispose();
  }
}
