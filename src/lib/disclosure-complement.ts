/**
 * The complement problem of one primary position (see disclosure-secondary.ts for where it
 * sits): which further positions to suppress, at least cost, so that the attacker's interval
 * for the primary value v reaches the margin m = ⌈10 % · v⌉ on both sides.
 *
 *   minimise Σ w_i y_i over the published non-empty positions i (y_i = 1: suppress i)
 *   such that there are two deviations f↑ and f↓ of the table, in units of m, each adding up
 *   along every line (A f = 0), with f↑ = +1 and f↓ = −1 at the primary position,
 *   −c_i ≤ f_i ≤ 1 with c_i = min(a_i, m)/m (the table stays ≥ 0), and, where i is published,
 *   −c_i·y_i ≤ f_i ≤ y_i (a published value cannot move).
 *
 * This is the single-cell form of the model of Fischetti & Salazar-González (2000): a deviation
 * f↑ is exactly what the attacker's maximisation finds — a + m·f↑ is non-negative, consistent
 * with everything published and has v + m at the primary position — so by LP duality such
 * deviations exist iff the attacker's upper bound reaches v + m (likewise downwards). The bounds
 * |f_i| ≤ 1 lose nothing: the deviations of a network decompose into cycles through the
 * primary position, each carrying at most its flow. Writing the lower side with c_i rather
 * than 1 keeps the relaxation from buying a small position's whole capacity at a fraction of
 * its cost.
 *
 * Two ways to solve it:
 * - `lp` (the default): the LP relaxation (y_i ∈ [0, 1]), then a few rounds of dynamic slope
 *   scaling (Kim & Pardalos 1999, for fixed-charge network flows): each y_i used in the last
 *   solution gets the slope w_i / y_i, so its linear cost equals its fixed cost there, which
 *   draws the flow onto fewer positions. Every solution's support — the positions a deviation
 *   moves — protects the primary position by construction; the caller prunes each to an
 *   irreducible set and keeps the cheapest. Tens of milliseconds per primary position.
 * - `mip`: the MIP itself with HiGHS' branch and cut, stopped within 1 % of the optimum or
 *   after `mipMaxNodes` nodes (never after a time: the result must not depend on the machine).
 *   The per-cell optimum, but seconds for a large dominated value that needs many small
 *   complements (a subset-sum in disguise).
 */
import type { LinearConstraint, LinearModelData, LpSolver } from './lp.ts';
import type { AggregatedTable, ConfidentialityStatus } from './disclosure-table.ts';

export type ComplementMethod = 'lp' | 'mip';

/** Dynamic slope scaling rounds after the first relaxation (each one LP, warm-started). */
const SLOPE_SCALING_ROUNDS = 4;
/** A deviation this small (in units of the margin) is the solver's noise, not a use of the position. */
const SUPPORT_EPSILON = 1e-9;
/** MIPs stop once proven within this fraction of their optimum. */
const MIP_RELATIVE_GAP = 0.01;

export interface ComplementCandidates {
  /** Sets of published positions, each of which (added to the pattern) protects the primary position. */
  readonly candidates: readonly (readonly number[])[];
  /** The MIP stopped at its node limit. */
  readonly atNodeLimit: boolean;
}

/**
 * Candidate complements for `primary` under the pattern `statuses`, by `method` (see the
 * module comment); `costs` per position. Deterministic.
 */
export function complementCandidates(
  lp: LpSolver,
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
  costs: readonly number[],
  primary: number,
  margin: number,
  method: ComplementMethod,
  mipMaxNodes: number,
): ComplementCandidates {
  // Columns: f↑ then f↓ for every non-empty position (an empty one is a known zero and never
  // moves), then y for every published non-empty position.
  const positions = table.values.flatMap((value, position) => (value > 0 ? [position] : []));
  const deviationColumn = new Map(positions.map((position, k) => [position, k]));
  const count = positions.length;
  const published = positions.filter((position) => statuses[position] === 'F');
  const capacity = (position: number) => Math.min(table.values[position]!, margin) / margin;
  const columnLower: number[] = [];
  const columnUpper: number[] = [];
  for (const direction of [1, -1]) {
    for (const position of positions) {
      columnLower.push(position === primary ? direction : -capacity(position));
      columnUpper.push(position === primary ? direction : 1);
    }
  }
  const constraints: LinearConstraint[] = [];
  for (const offset of [0, count]) {
    for (const line of table.lines) {
      const indices: number[] = [];
      const values: number[] = [];
      for (const [position, sign] of [
        ...line.members.map((member) => [member, 1] as const),
        [line.total, -1] as const,
      ]) {
        const column = deviationColumn.get(position);
        if (column === undefined) continue;
        indices.push(offset + column);
        values.push(sign);
      }
      if (indices.length > 0) constraints.push({ indices, values, lower: 0, upper: 0 });
    }
  }
  const objective = new Array<number>(2 * count).fill(0);
  published.forEach((position, k) => {
    const y = 2 * count + k;
    columnLower.push(0);
    columnUpper.push(1);
    objective.push(costs[position]!);
    const column = deviationColumn.get(position)!;
    for (const offset of [0, count]) {
      constraints.push({ indices: [offset + column, y], values: [1, -1], lower: -Infinity, upper: 0 });
      constraints.push({
        indices: [offset + column, y],
        values: [-1, -capacity(position)],
        lower: -Infinity,
        upper: 0,
      });
    }
  });
  const data: LinearModelData = { columnLower, columnUpper, constraints, objective, sense: 'minimize' };
  const indicator = (k: number) => 2 * count + k;
  const support = (values: Float64Array, useIndicators: boolean) =>
    published.filter((position, k) => {
      const column = deviationColumn.get(position)!;
      return (
        (useIndicators && values[indicator(k)]! > 0.5) ||
        Math.abs(values[column]!) > SUPPORT_EPSILON ||
        Math.abs(values[count + column]!) > SUPPORT_EPSILON
      );
    });

  if (method === 'mip') {
    const mip = lp.createModel({
      ...data,
      integerColumns: published.map((_, k) => indicator(k)),
      mipMaxNodes,
      mipRelativeGap: MIP_RELATIVE_GAP,
    });
    try {
      const solved = mip.solve();
      // Without any solution (never seen: the relaxation's support is always feasible), fall
      // through to the LP method.
      if (solved.hasSolution) {
        return { candidates: [support(solved.values, true)], atNodeLimit: solved.status === 'limit' };
      }
    } finally {
      mip.dispose();
    }
  }

  const relaxation = lp.createModel(data);
  try {
    const candidates: number[][] = [];
    const seen = new Set<string>();
    for (let round = 0; round <= SLOPE_SCALING_ROUNDS; round += 1) {
      const solved = relaxation.solve();
      if (solved.status !== 'optimal') {
        // The relaxation is feasible by construction (moving the primary position's row and
        // column totals and the grand total with it always works), so this is the solver
        // failing: stop rather than guess — no table is published.
        if (round === 0) throw new Error(`complement relaxation ended ${solved.status}`);
        break;
      }
      const found = support(solved.values, false);
      const key = found.join(',');
      if (seen.has(key)) break;
      seen.add(key);
      candidates.push(found);
      // An integral relaxation is the MIP's optimum: nothing to improve.
      if (published.every((_, k) => isIntegral(solved.values[indicator(k)]!))) break;
      published.forEach((position, k) => {
        const used = solved.values[indicator(k)]!;
        if (used > SUPPORT_EPSILON) relaxation.setObjectiveCoefficient(indicator(k), costs[position]! / used);
      });
    }
    return { candidates, atNodeLimit: false };
  } finally {
    relaxation.dispose();
  }
}

function isIntegral(value: number): boolean {
  return Math.abs(value - Math.round(value)) <= 1e-9;
}
