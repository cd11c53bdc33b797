/**
 * A thin wrapper around HiGHS (the `highs` package: the University of Edinburgh's LP/MIP
 * solver compiled to WebAssembly) with just what disclosure control needs: a model of sparse
 * constraints, objective and bound changes between solves (the solver warm-starts from its
 * last basis), and a status in words. The WebAssembly runtime is loaded once per process.
 *
 * The WASM build is single-threaded and deterministic: the same model gives the same answer.
 * No time limit is ever set, since a result that depends on the machine's speed would make
 * publication depend on it too; MIPs are bounded by a node count instead.
 */
import highsPackage, { type Highs, type Model } from 'highs';

/** One linear constraint `lower ≤ Σ values[j] · x[indices[j]] ≤ upper` (equal bounds: an equation). */
export interface LinearConstraint {
  readonly indices: readonly number[];
  readonly values: readonly number[];
  readonly lower: number;
  readonly upper: number;
}

/** A model to create: bounds per column (±Infinity for none), constraints, and optionally a MIP's integer columns. */
export interface LinearModelData {
  readonly columnLower: readonly number[];
  readonly columnUpper: readonly number[];
  readonly constraints: readonly LinearConstraint[];
  /** Objective coefficient per column; zero when omitted. */
  readonly objective?: readonly number[];
  readonly sense?: ObjectiveSense;
  /** Columns that must take integer values (with bounds [0, 1]: binary). */
  readonly integerColumns?: readonly number[];
  /** Branch-and-bound nodes a MIP may explore before it returns its best solution so far. */
  readonly mipMaxNodes?: number;
  /** A MIP stops once its solution is proven within this fraction of the optimum (HiGHS default 1e-4). */
  readonly mipRelativeGap?: number;
}

export type ObjectiveSense = 'minimize' | 'maximize';

/**
 * `limit`: a MIP stopped at its node limit (`values` holds its best solution, if it found one:
 * see `hasSolution`). `failed`: anything else the solver could not settle, including HiGHS'
 * "unbounded or infeasible" (which it resolves itself unless told not to).
 */
export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'limit' | 'failed';

export interface LpResult {
  readonly status: LpStatus;
  /** Whether `values` holds a primal solution (always for `optimal`). */
  readonly hasSolution: boolean;
  readonly objective: number;
  readonly values: Float64Array;
}

/** A model kept in the solver's memory between solves. Call `dispose()` when done. */
export interface LinearModel {
  setObjectiveCoefficient(column: number, cost: number): void;
  setSense(sense: ObjectiveSense): void;
  setColumnBounds(column: number, lower: number, upper: number): void;
  solve(): LpResult;
  dispose(): void;
}

export interface LpSolver {
  /** HiGHS version of the loaded runtime, e.g. "1.15.1". */
  readonly version: string;
  createModel(data: LinearModelData): LinearModel;
}

// The package's types.d.ts is read as CommonJS (its package.json says "type": "commonjs"), so
// TypeScript places the loader at `.default`; Node's ESM import resolves highs.mjs, whose
// default export is the loader itself.
const loadHighs = highsPackage as unknown as typeof highsPackage.default;

let loading: Promise<LpSolver> | undefined;

/** The process's solver; the WebAssembly runtime (≈ 2 MB) is instantiated on the first call. */
export function loadLpSolver(): Promise<LpSolver> {
  const solver =
    loading ??
    loadHighs().then(
      (highs) => new HighsSolver(highs),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
  loading = solver;
  return solver;
}

class HighsSolver implements LpSolver {
  readonly version: string;

  constructor(private readonly highs: Highs) {
    this.version = highs.version.string;
  }

  createModel(data: LinearModelData): LinearModel {
    const { highs } = this;
    const numCols = data.columnLower.length;
    if (data.columnUpper.length !== numCols) throw new RangeError('columnLower and columnUpper differ in length');
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const constraint of data.constraints) {
      // HiGHS rejects a repeated index within a row: merge them.
      const merged = new Map<number, number>();
      constraint.indices.forEach((index, k) => merged.set(index, (merged.get(index) ?? 0) + constraint.values[k]!));
      for (const [index, value] of [...merged].sort((a, b) => a[0] - b[0])) {
        if (value === 0) continue;
        indices.push(index);
        values.push(value);
      }
      starts.push(indices.length);
    }
    const model = highs.createModel({
      numCols,
      numRows: data.constraints.length,
      sense:
        data.sense === 'maximize' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
      colCost: data.objective ?? new Array<number>(numCols).fill(0),
      colLower: data.columnLower.map((bound) => this.bound(bound)),
      colUpper: data.columnUpper.map((bound) => this.bound(bound)),
      rowLower: data.constraints.map((constraint) => this.bound(constraint.lower)),
      rowUpper: data.constraints.map((constraint) => this.bound(constraint.upper)),
      matrix: { format: 'csr', numRows: data.constraints.length, numCols, starts, indices, values },
      ...(data.integerColumns && data.integerColumns.length > 0
        ? { integrality: integrality(numCols, data.integerColumns, highs.constants.variableType.integer) }
        : {}),
    });
    try {
      model.options.set({ output_flag: false });
      if (data.mipMaxNodes !== undefined) model.options.set({ mip_max_nodes: data.mipMaxNodes });
      if (data.mipRelativeGap !== undefined) model.options.set({ mip_rel_gap: data.mipRelativeGap });
    } catch (error) {
      model.dispose();
      throw error;
    }
    return new HighsModel(highs, model);
  }

  private bound(value: number): number {
    if (value === Infinity) return this.highs.infinity;
    if (value === -Infinity) return -this.highs.infinity;
    return value;
  }
}

function integrality<T extends number>(numCols: number, columns: readonly number[], integer: T): (T | 0)[] {
  const types = new Array<T | 0>(numCols).fill(0);
  for (const column of columns) types[column] = integer;
  return types;
}

class HighsModel implements LinearModel {
  constructor(
    private readonly highs: Highs,
    private readonly model: Model,
  ) {}

  setObjectiveCoefficient(column: number, cost: number): void {
    this.model.changeColCost(column, cost);
  }

  setSense(sense: ObjectiveSense): void {
    const { objectiveSense } = this.highs.constants;
    this.model.changeObjectiveSense(sense === 'maximize' ? objectiveSense.maximize : objectiveSense.minimize);
  }

  setColumnBounds(column: number, lower: number, upper: number): void {
    const infinity = this.highs.infinity;
    this.model.changeColBounds(column, lower === -Infinity ? -infinity : lower, upper === Infinity ? infinity : upper);
  }

  solve(): LpResult {
    const { modelStatus } = this.highs.constants;
    this.model.run();
    const code = this.model.getModelStatus();
    const status: LpStatus =
      code === modelStatus.optimal
        ? 'optimal'
        : code === modelStatus.infeasible
          ? 'infeasible'
          : code === modelStatus.unbounded
            ? 'unbounded'
            : code === modelStatus.iterationLimit ||
                code === modelStatus.solutionLimit ||
                code === modelStatus.interrupted
              ? 'limit'
              : 'failed';
    const hasSolution =
      status === 'optimal' ||
      (status === 'limit' &&
        this.model.info.get('primal_solution_status') === this.highs.constants.solutionStatus.feasible);
    return {
      status,
      hasSolution,
      objective: hasSolution ? this.model.getObjectiveValue() : Number.NaN,
      values: hasSolution ? this.model.getSolution().colValue : new Float64Array(0),
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
