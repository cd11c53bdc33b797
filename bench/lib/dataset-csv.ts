/**
 * A synthetic dataset for the data-access benches: 1,000,000 rows × 10 columns written to a CSV
 * file on disk (≈ 90 MB), deterministic from a seed, shaped like a health register: a direct
 * identifier, four quasi-identifiers (age, sex, district, visit date), two sensitive fields and
 * free text in Chinese with the occasional comma, quote or line break (quoted, as RFC 4180 says).
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type { DatasetField } from '../../src/lib/csv-dataset.ts';
import { seededRandom } from '../../src/lib/seeded-random.ts';

export const DATASET_FIELDS: DatasetField[] = [
  { name: 'id', type: 'integer', classification: 'other' },
  { name: 'name', type: 'string', classification: 'direct_identifier' },
  { name: 'age', type: 'integer', classification: 'quasi_identifier' },
  { name: 'sex', type: 'string', classification: 'quasi_identifier' },
  { name: 'district', type: 'string', classification: 'quasi_identifier' },
  { name: 'visit_date', type: 'date', classification: 'quasi_identifier' },
  { name: 'income', type: 'number', classification: 'sensitive' },
  { name: 'diagnosis', type: 'string', classification: 'sensitive' },
  { name: 'note', type: 'string', classification: 'other' },
  { name: 'visits', type: 'integer', classification: 'other' },
];

/** Shenzhen's districts (GB/T 2260), as the statistics module lists them. */
const DISTRICTS = ['440303', '440304', '440305', '440306', '440307', '440308', '440309', '440310', '440311'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华'.split('');
const DIAGNOSES = Array.from({ length: 60 }, (_, i) => `${'JKEIM'[i % 5]}${10 + i}.${i % 10}`);
const NOTES = ['复诊', '随访正常', '建议复查', '转诊至上级医院', '无特殊'];

/** Writes `rows` data rows (plus the header) to `path`; resolves with the file size in bytes. */
export async function writeDatasetCsv(path: string, rows: number, seed = 20261207): Promise<number> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const out = fs.createWriteStream(path);
  out.write(`${DATASET_FIELDS.map((field) => field.name).join(',')}\n`);
  const day0 = Date.UTC(2022, 0, 1);
  let chunk = '';
  for (let row = 1; row <= rows; row += 1) {
    const age = random() < 0.02 ? '' : String(18 + Math.floor(random() * 73));
    const visit = new Date(day0 + Math.floor(random() * 1461) * 86_400_000).toISOString().slice(0, 10);
    const income = (random() * 300_000).toFixed(2);
    const special = random();
    const note =
      special < 0.02
        ? `"${pick(NOTES)}，见附件, 编号 ""${row}"""`
        : special < 0.03
          ? `"${pick(NOTES)}\n${pick(NOTES)}"`
          : `${pick(NOTES)}${row % 97}`;
    chunk +=
      `${row},${pick(SURNAMES)}${pick(GIVEN)}${pick(GIVEN)},${age},${random() < 0.5 ? 'F' : 'M'},` +
      `${pick(DISTRICTS)},${visit},${income},${pick(DIAGNOSES)},${note},${Math.floor(random() * 20)}\n`;
    if (row % 5000 === 0 || row === rows) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end();
  await once(out, 'close');
  return fs.statSync(path).size;
}

/** Peak resident set size of this process, sampled every 10 ms and at every `sample()` call. */
export class RssSampler {
  peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 10);

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

export const MB = 1024 * 1024;
