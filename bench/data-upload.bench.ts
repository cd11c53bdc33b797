/**
 * Dataset upload (issue #24): a 1,000,000-row × 10-column CSV generated on disk first, then
 * streamed through the upload reader (src/lib/csv-dataset.ts: csv-parse, UTF-8 check, header and
 * type checks, typed batches) as the server will stream a request body. Baseline in the same run:
 * csv-parse alone over the same file, with the same options, records counted and dropped.
 * The database insert is not part of this bench (the data-access module's own bench will add it).
 *
 * Targets (the issue): ≥ 100,000 rows/s; peak resident memory of the process < 600 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Parser } from 'csv-parse';
import { validateDatasetCsv } from '../src/lib/csv-dataset.ts';
import { DATASET_FIELDS, MB, RssSampler, writeDatasetCsv } from './lib/dataset-csv.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'data-upload';
export const description = 'stream-validate a 1,000,000 × 10 CSV: ≥ 100,000 rows/s, peak RSS < 600 MB';

const ROWS = 1_000_000;
const TARGET_ROWS_PER_SECOND = 100_000;
const TARGET_PEAK_MB = 600;
const READ_CHUNK = 256 * 1024;

async function parseOnly(file: string): Promise<number> {
  const parser = fs.createReadStream(file, { highWaterMark: READ_CHUNK }).pipe(
    new Parser({
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  let records = 0;
  for await (const _record of parser) records += 1;
  return records - 1;
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bench-upload-'));
  const file = path.join(dir, 'dataset.csv');
  try {
    const bytes = await writeDatasetCsv(file, ROWS);
    const rounds = Math.max(1, Math.min(options.rounds, 3));
    const validated: number[] = [];
    const parsed: number[] = [];
    // Rows per second of this process's CPU time: the steadier figure on a shared machine.
    const validatedPerCpu: number[] = [];
    const startRss = process.memoryUsage.rss();
    let peak = 0;
    for (let round = 0; round < rounds; round += 1) {
      let started = performance.now();
      const parsedRows = await parseOnly(file);
      parsed.push(parsedRows / ((performance.now() - started) / 1000));

      const sampler = new RssSampler();
      const cpu = process.cpuUsage();
      started = performance.now();
      let handedOut = 0;
      const summary = await validateDatasetCsv(
        fs.createReadStream(file, { highWaterMark: READ_CHUNK }),
        DATASET_FIELDS,
        {
          onBatch: (batch) => {
            handedOut += batch.rows.length;
            sampler.sample();
          },
        },
      );
      validated.push(summary.rows / ((performance.now() - started) / 1000));
      const used = process.cpuUsage(cpu);
      validatedPerCpu.push(summary.rows / ((used.user + used.system) / 1e6));
      peak = Math.max(peak, sampler.stop());
      if (summary.rows !== ROWS || handedOut !== ROWS || parsedRows !== ROWS) {
        throw new Error(`expected ${ROWS} rows, got ${summary.rows} / ${handedOut} / ${parsedRows}`);
      }
      console.log(
        `data-upload round ${round + 1}: ${validated.at(-1)!.toFixed(0)} rows/s validated, ` +
          `${parsed.at(-1)!.toFixed(0)} rows/s csv-parse alone, ${validatedPerCpu.at(-1)!.toFixed(0)} rows per CPU second, ` +
          `peak RSS ${(peak / MB).toFixed(0)} MB`,
      );
    }
    const value = median(validated);
    const baseline = median(parsed);
    return [
      {
        name: 'upload reader: 1,000,000 × 10 CSV from disk (vs csv-parse alone)',
        metric: 'rows/s',
        value,
        baseline,
        ratio: value / baseline,
        target: `≥ ${TARGET_ROWS_PER_SECOND} rows/s`,
        pass: value >= TARGET_ROWS_PER_SECOND,
        details: {
          rounds,
          fileMB: (bytes / MB).toFixed(1),
          validatedRowsPerSecond: validated.map((v) => v.toFixed(0)).join(' '),
          parseOnlyRowsPerSecond: parsed.map((v) => v.toFixed(0)).join(' '),
          validatedRowsPerCpuSecond: validatedPerCpu.map((v) => v.toFixed(0)).join(' '),
          loadAverage1m: os.loadavg()[0]!.toFixed(2),
        },
      },
      {
        name: 'upload reader: peak resident memory of the process',
        metric: 'MB',
        value: peak / MB,
        target: `< ${TARGET_PEAK_MB} MB`,
        pass: peak / MB < TARGET_PEAK_MB,
        details: { rssBeforeMB: (startRss / MB).toFixed(0) },
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
