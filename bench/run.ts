/**
 * `npm run bench [names…]`: runs every `bench/*.bench.ts` (or the named ones), each in its
 * own process, prints one table and writes bench/results/latest.json. A partial run updates
 * only its own benches in latest.json, so figures from different runs can sit side by side.
 *
 * A bench file exports `name` and `run(options): Promise<BenchResult[]>` (bench/lib/types.ts);
 * a file without a `run` export is listed as skipped, not imported.
 *
 *   npm run bench                      # all of them
 *   npm run bench healthz auth-me      # by file name (without .bench.ts) or exported name
 *   BENCH_DURATION=10 BENCH_ROUNDS=5 npm run bench healthz
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchOptionsFromEnv, type BenchModule, type BenchResult } from './lib/types.ts';

const BENCH_DIR = import.meta.dirname;
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'latest.json');

interface BenchRun {
  file: string;
  name: string;
  description?: string;
  startedAt: string;
  durationMs: number;
  results: BenchResult[];
  error?: string;
  skipped?: string;
}

interface ResultsFile {
  updatedAt: string;
  machine: Record<string, string | number>;
  benches: Record<string, BenchRun>;
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
  };
}

/** Child mode: import one bench, run it, write its results where the parent asked. */
async function runChild(file: string, output: string): Promise<void> {
  const module = (await import(pathToFileURL(file).href)) as Partial<BenchModule>;
  if (typeof module.run !== 'function') throw new Error(`${file} does not export run()`);
  const results = await module.run(benchOptionsFromEnv());
  fs.writeFileSync(output, JSON.stringify({ name: module.name, description: module.description, results }));
}

function exportsRun(source: string): boolean {
  return /export\s+(async\s+)?function\s+run\b|export\s+const\s+run\b|export\s*\{[^}]*\brun\b[^}]*\}/.test(source);
}

async function runOne(file: string): Promise<BenchRun> {
  const base = path.basename(file, '.bench.ts');
  const startedAt = new Date();
  const source = fs.readFileSync(file, 'utf8');
  if (!exportsRun(source)) {
    return {
      file: path.relative(process.cwd(), file),
      name: base,
      startedAt: startedAt.toISOString(),
      durationMs: 0,
      results: [],
      skipped: 'does not export run() (see bench/lib/types.ts); run it directly with node --import tsx',
    };
  }
  const output = path.join(os.tmpdir(), `aigov-bench-${process.pid}-${base}.json`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', file, output], {
      stdio: 'inherit',
    });
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  const durationMs = Date.now() - startedAt.getTime();
  const run: BenchRun = {
    file: path.relative(process.cwd(), file),
    name: base,
    startedAt: startedAt.toISOString(),
    durationMs,
    results: [],
  };
  if (code === 0 && fs.existsSync(output)) {
    const parsed = JSON.parse(fs.readFileSync(output, 'utf8')) as {
      name?: string;
      description?: string;
      results: BenchResult[];
    };
    run.name = parsed.name ?? base;
    run.description = parsed.description;
    run.results = parsed.results;
  } else {
    run.error = `exited with code ${code}`;
  }
  fs.rmSync(output, { force: true });
  return run;
}

function format(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return value >= 100 ? value.toFixed(digits) : value.toPrecision(3);
}

function printTable(runs: BenchRun[]): void {
  const rows: string[][] = [['bench', 'measure', 'value', 'unit', 'baseline', 'ratio', 'target', 'verdict']];
  for (const run of runs) {
    if (run.skipped !== undefined || run.error !== undefined) {
      rows.push([
        run.name,
        run.skipped ?? run.error ?? '',
        '',
        '',
        '',
        '',
        '',
        run.error === undefined ? '-' : 'ERROR',
      ]);
      continue;
    }
    for (const result of run.results) {
      rows.push([
        run.name,
        result.name,
        format(result.value),
        result.metric,
        format(result.baseline),
        result.ratio === undefined ? '' : `${result.ratio.toFixed(2)}×`,
        result.target ?? '',
        result.pass === undefined ? '' : result.pass ? 'pass' : 'MISS',
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(`\n${line(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(filters: string[]): Promise<number> {
  const files = fs
    .readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort()
    .map((file) => path.join(BENCH_DIR, file));
  const selected =
    filters.length === 0
      ? files
      : files.filter((file) => {
          const base = path.basename(file, '.bench.ts');
          const exported = /export\s+const\s+name\s*=\s*['"]([^'"]+)['"]/.exec(fs.readFileSync(file, 'utf8'))?.[1];
          return filters.includes(base) || (exported !== undefined && filters.includes(exported));
        });
  if (selected.length === 0) {
    console.error(
      `bench: nothing matches ${filters.join(', ')}; available: ${files.map((f) => path.basename(f)).join(', ')}`,
    );
    return 2;
  }
  const options = benchOptionsFromEnv();
  const about = machine();
  console.log(
    `bench: ${selected.length} file(s); ${options.duration} s × ${options.rounds} rounds, ${options.connections} connections; ` +
      `${about.cpus} × ${about.cpuModel}, Node ${about.node}, load ${about.loadAverage1m}; ` +
      `${options.databaseUrl === undefined ? 'PGlite' : 'PostgreSQL (BENCH_DATABASE_URL)'}`,
  );
  const runs: BenchRun[] = [];
  for (const file of selected) {
    console.log(`\n=== ${path.basename(file)}`);
    runs.push(await runOne(file));
  }
  printTable(runs);

  const previous: ResultsFile | undefined = fs.existsSync(RESULTS_FILE)
    ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile)
    : undefined;
  const merged: ResultsFile = {
    updatedAt: new Date().toISOString(),
    machine: { ...about, loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)) },
    benches: { ...previous?.benches },
  };
  for (const run of runs) if (run.skipped === undefined) merged.benches[path.basename(run.file, '.bench.ts')] = run;
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`\nbench: wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  return runs.some((run) => run.error !== undefined) ? 1 : 0;
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  await runChild(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
  // A bench that forgot a handle must not hang the whole run.
  process.exit(0);
} else {
  process.exitCode = await main(process.argv.slice(2).filter((arg) => !arg.startsWith('--')));
}
