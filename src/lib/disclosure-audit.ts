/**
 * The attacker's linear program (API-CONTRACT-2 §5; the "feasibility interval" of Hundepool et
 * al., Statistical Disclosure Control, Wiley 2012, ch. 4): someone who knows every published value of the table, that
 * every contribution is ≥ 0 and that rows and columns add up, computes for each suppressed
 * position the smallest and largest value consistent with all of that. A primary (`C`)
 * position is protected when that interval reaches 10 % below and 10 % above its true value.
 *
 * The attacker model is built from the published table alone — free values and the lines —
 * never from a suppressed value; the true values are used only to judge the intervals.
 *
 * Exact, not "within the solver's tolerance": a two-dimensional table with its margins is a
 * network (rows → columns, totals as the arcs closing the circulation), so its constraint
 * matrix is totally unimodular and, the published values being integers, every vertex of the
 * attacker's polyhedron is integral. The solver's optimal vertex is therefore rounded to
 * integers and checked exactly (every line adds up, nothing negative) before it counts as a
 * witness: "here is a table consistent with everything published in which this value is ≤ 90 %
 * (≥ 110 %) of the truth". A vertex that fails that check proves nothing and the position is
 * reported as unprotected — the audit errs only towards refusing a table.
 */
import type { LinearConstraint, LinearModel, LpSolver } from './lp.ts';
import type { AggregatedTable, ConfidentialityStatus } from './disclosure-table.ts';

/** The attacker interval must reach this many per cent below and above the true value. */
export const PROTECTION_PERCENT = 10;

/** How far (in the table's integer unit) the interval must reach on each side of `value`. */
export function protectionMargin(value: number): number {
  // ≥ 10 % of an integer value, in integers: the attacker's bounds are integers (see above),
  // so "max ≥ 1.1·v" is "max ≥ v + ⌈v/10⌉".
  return Math.ceil((value * PROTECTION_PERCENT) / 100);
}

export interface SuppressionInterval {
  /** Index of the position in the table (see disclosure-table.ts). */
  readonly position: number;
  readonly row: string;
  readonly column: string;
  readonly status: 'C' | 'D';
  readonly value: number;
  /** The smallest and largest value the attacker can derive; `upper` may be Infinity. */
  readonly lower: number;
  readonly upper: number;
  /** For `C`: lower ≤ value − margin and upper ≥ value + margin, each shown by a checked witness. `D`: always true. */
  readonly isProtected: boolean;
}

export interface AuditReport {
  /** Every `C` position is protected. */
  readonly passes: boolean;
  /** One per suppressed position, in position order. */
  readonly intervals: readonly SuppressionInterval[];
  /** The `C` positions that are not protected. */
  readonly failures: readonly SuppressionInterval[];
}

/** The published values of a table do not add up: a bug upstream, never a table to publish. */
export class InconsistentTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InconsistentTableError';
  }
}

interface ExactConstraint {
  readonly columns: readonly number[];
  readonly coefficients: readonly number[];
  readonly rhs: number;
}

export interface AttackerInterval {
  readonly lower: number;
  readonly upper: number;
  readonly protectedBelow: boolean;
  readonly protectedAbove: boolean;
}

/**
 * The attacker's LP over one suppression pattern, kept in the solver between the positions it
 * is asked about (each solve warm-starts from the last basis). Call `dispose()`.
 */
export class AttackerModel {
  /** Position → LP column, for suppressed positions only. */
  private readonly columnOf = new Map<number, number>();
  private readonly constraints: ExactConstraint[] = [];
  /** Columns pinned by `setPublished`, with their value. */
  private readonly pinned = new Map<number, number | undefined>();
  private readonly model: LinearModel;

  /**
   * `movable` (for the secondary's what-ifs, never for the audit): published positions that are
   * columns all the same, free until `setPublished(position, true)` pins them to their value.
   */
  constructor(
    lp: LpSolver,
    private readonly table: AggregatedTable,
    statuses: readonly ConfidentialityStatus[],
    movable: readonly number[] = [],
  ) {
    const isMovable = new Set(movable);
    statuses.forEach((status, position) => {
      if (status !== 'F' || isMovable.has(position)) this.columnOf.set(position, this.columnOf.size);
    });
    const published = (position: number) => (this.columnOf.has(position) ? undefined : table.values[position]!);
    for (const line of table.lines) {
      // Σ members − total = 0, with the published part moved to the right-hand side.
      const columns: number[] = [];
      const coefficients: number[] = [];
      let rhs = 0;
      const add = (position: number, coefficient: number) => {
        const known = published(position);
        if (known === undefined) {
          columns.push(this.columnOf.get(position)!);
          coefficients.push(coefficient);
        } else rhs -= coefficient * known;
      };
      for (const member of line.members) add(member, 1);
      add(line.total, -1);
      if (columns.length === 0) {
        if (rhs !== 0) throw new InconsistentTableError(`published values of a line do not add up (off by ${rhs})`);
        continue;
      }
      this.constraints.push({ columns, coefficients, rhs });
    }
    const size = this.columnOf.size;
    const constraints: LinearConstraint[] = this.constraints.map(({ columns, coefficients, rhs }) => ({
      indices: columns,
      values: coefficients,
      lower: rhs,
      upper: rhs,
    }));
    this.model = lp.createModel({
      columnLower: new Array<number>(size).fill(0),
      columnUpper: new Array<number>(size).fill(Infinity),
      constraints,
    });
  }

  /** Pins a movable position to its true value, as if published, or frees it again. */
  setPublished(position: number, isPublished: boolean): void {
    const column = this.columnOf.get(position);
    if (column === undefined) throw new RangeError(`position ${position} is not a column of this model`);
    const value = this.table.values[position]!;
    this.model.setColumnBounds(column, isPublished ? value : 0, isPublished ? value : Infinity);
    this.pinned.set(column, isPublished ? value : undefined);
  }

  /**
   * The attacker's interval for a suppressed position, and whether it reaches
   * `margin` below and above `value` (each side shown by an exactly checked witness).
   */
  interval(position: number, value: number, margin: number): AttackerInterval {
    const column = this.columnOf.get(position);
    if (column === undefined) throw new RangeError(`position ${position} is published`);
    this.model.setObjectiveCoefficient(column, 1);
    try {
      this.model.setSense('maximize');
      const highest = this.model.solve();
      let upper: number;
      let protectedAbove: boolean;
      if (highest.status === 'unbounded') {
        upper = Infinity;
        // Unbounded: ask for a table at the required height, to have a witness to check.
        this.model.setColumnBounds(column, 0, value + margin);
        const capped = this.model.solve();
        const pinned = this.pinned.get(column);
        this.model.setColumnBounds(column, pinned ?? 0, pinned ?? Infinity);
        const witness = capped.status === 'optimal' ? this.witness(capped.values) : undefined;
        protectedAbove = witness !== undefined && witness[column]! >= value + margin;
      } else {
        const witness = highest.status === 'optimal' ? this.witness(highest.values) : undefined;
        upper = witness?.[column] ?? highest.objective;
        protectedAbove = witness !== undefined && upper >= value + margin;
      }
      this.model.setSense('minimize');
      const lowest = this.model.solve();
      const witness = lowest.status === 'optimal' ? this.witness(lowest.values) : undefined;
      const lower = witness?.[column] ?? lowest.objective;
      const protectedBelow = witness !== undefined && lower <= value - margin;
      return { lower, upper, protectedBelow, protectedAbove };
    } finally {
      this.model.setObjectiveCoefficient(column, 0);
    }
  }

  /** The solver's vertex rounded to integers, if it satisfies every line exactly and is ≥ 0. */
  private witness(values: Float64Array): number[] | undefined {
    const rounded = Array.from(values, (value) => Math.round(value));
    if (rounded.some((value) => value < 0 || !Number.isSafeInteger(value))) return undefined;
    for (const [column, pinned] of this.pinned) {
      if (pinned !== undefined && rounded[column] !== pinned) return undefined;
    }
    for (const { columns, coefficients, rhs } of this.constraints) {
      let sum = 0;
      for (let k = 0; k < columns.length; k += 1) sum += coefficients[k]! * rounded[columns[k]!]!;
      if (sum !== rhs) return undefined;
    }
    return rounded;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * The exact LP audit of a suppression pattern: for every suppressed position the interval an
 * attacker derives from the published table; `passes` only if every `C` position is
 * protected by {@link PROTECTION_PERCENT} % both ways. A `C` position with value 0 cannot
 * arise from the primary rules (a contributor has a non-zero amount) and is trivially protected.
 */
export function auditSuppression(
  lp: LpSolver,
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
): AuditReport {
  if (statuses.length !== table.values.length) throw new RangeError('one status per position of the table');
  const attacker = new AttackerModel(lp, table, statuses);
  try {
    const intervals: SuppressionInterval[] = [];
    statuses.forEach((status, position) => {
      if (status === 'F') return;
      const value = table.values[position]!;
      const interval = attacker.interval(position, value, protectionMargin(value));
      intervals.push({
        position,
        ...table.positions[position]!,
        status,
        value,
        lower: interval.lower,
        upper: interval.upper,
        isProtected: status === 'D' || (interval.protectedBelow && interval.protectedAbove),
      });
    });
    const failures = intervals.filter((interval) => !interval.isProtected);
    return { passes: failures.length === 0, intervals, failures };
  } finally {
    attacker.dispose();
  }
}
