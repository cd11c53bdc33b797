/**
 * The contract between `bench/run.ts` and each `bench/<name>.bench.ts`: a file exports its
 * `name` and a `run()` that measures and returns its results. Nothing runs at import time.
 */

/** One measured figure, optionally compared with a baseline measured in the same run. */
export interface BenchResult {
  /** What was measured, e.g. `GET /healthz (LOG_LEVEL=warn)`. */
  name: string;
  /** Unit of `value` and `baseline`: `req/s`, `ms`, `µs/decision`… */
  metric: string;
  value: number;
  /** The same metric for the reference (bare Fastify hello…), measured in the same run. */
  baseline?: number;
  /** value ÷ baseline (median of the per-round ratios for interleaved runs). */
  ratio?: number;
  /** Human-readable target, e.g. `ratio ≥ 0.9` or `≤ 3000 ms`. */
  target?: string;
  pass?: boolean;
  /** Latency percentiles, sample counts, anything that explains the figure. */
  details?: Record<string, number | string>;
}

/** Knobs the harness reads from the environment and hands to every bench. */
export interface BenchOptions {
  /** Seconds per measured load run (BENCH_DURATION, default 2). */
  duration: number;
  /**
   * Interleaved baseline/target rounds; the median is reported (BENCH_ROUNDS, default 10).
   * Many short rounds beat a few long ones here: the two runs of a pair see the same state of
   * a shared machine, whose speed drifts by tens of per cent within seconds.
   */
  rounds: number;
  /**
   * Fresh server processes the rounds are spread over, where a bench compares long-running
   * servers (BENCH_PROCESSES, default 10: a pair per round): see compareAcrossProcesses in
   * bench/lib/http.ts.
   */
  processes: number;
  /** Concurrent connections per load run (BENCH_CONNECTIONS, default 10). */
  connections: number;
  /** PostgreSQL server for the app under test (BENCH_DATABASE_URL); unset → PGlite. */
  databaseUrl: string | undefined;
}

export interface BenchModule {
  name: string;
  /** One line for the table and the README. */
  description?: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

export function benchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  return {
    duration: positive('BENCH_DURATION', 2),
    rounds: Math.round(positive('BENCH_ROUNDS', 10)),
    processes: Math.round(positive('BENCH_PROCESSES', 10)),
    connections: Math.round(positive('BENCH_CONNECTIONS', 10)),
    databaseUrl: env.BENCH_DATABASE_URL === '' ? undefined : env.BENCH_DATABASE_URL,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
