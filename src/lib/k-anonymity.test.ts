import { test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import type { DatasetField, DatasetValue, FieldType } from './csv-dataset.ts';
import { csvStream, extractRecords } from './csv-extract.ts';
import { DatasetColumns } from './dataset-columns.ts';
import { anonymize, histogramBoundary, sortedBoundary, type KAnonymityResult } from './k-anonymity.ts';
import { seededRandom } from './seeded-random.ts';

function tableOf(fields: DatasetField[], rows: DatasetValue[][]): DatasetColumns {
  const table = new DatasetColumns(fields);
  for (const row of rows) table.push(row);
  return table;
}

/** Each class as its generalised cells and the (sorted) row numbers in it. */
function classes(result: KAnonymityResult): { cells: DatasetValue[]; rows: number[] }[] {
  return Array.from({ length: result.classCount }, (_, c) => ({
    cells: result.classValues(c),
    rows: [...result.order.subarray(result.classStarts[c], result.classStarts[c + 1])].sort((a, b) => a - b),
  }));
}

const field = (name: string, type: FieldType, classification: DatasetField['classification'] = 'quasi_identifier') => ({
  name,
  type,
  classification,
});

test('a hand-worked strict Mondrian example (k = 2, age and zip code)', () => {
  // Whole table: age spans 25–31 (normalised width 1), zip has all 3 of its values (width 1);
  // the tie goes to age. Sorted ages 25 25 26 27 | 27 28 30 31: the median boundary (4) falls
  // inside the run of 27s, the nearest real boundary is 3 → {25, 25, 26} | {27, 27, 28, 30, 31}.
  // The left half (3 rows) cannot be cut again into two halves of ≥ 2. The right half: age
  // width 4/6 < zip width 3/3, so zip is cut: 53710 53710 | 53711 53712 53712.
  const table = tableOf(
    [field('age', 'integer'), field('zip', 'string'), field('disease', 'string', 'sensitive')],
    [
      [25, '53711', 'flu'],
      [25, '53712', 'hepatitis'],
      [26, '53711', 'bronchitis'],
      [27, '53710', 'broken arm'],
      [27, '53712', 'aids'],
      [28, '53711', 'hang nail'],
      [30, '53710', 'flu'],
      [31, '53712', 'asthma'],
    ],
  );
  const result = anonymize(table, [0, 1], { k: 2, seed: 1 });
  assert.deepEqual(classes(result), [
    { cells: ['[25..26]', '{53711|53712}'], rows: [0, 1, 2] },
    { cells: ['[27..30]', '53710'], rows: [3, 6] },
    { cells: ['[27..31]', '{53711|53712}'], rows: [4, 5, 7] },
  ]);
  assert.equal(result.suppressed, 0);
  assert.equal(result.loss.suppressedShare, 0);
  assert.equal(result.loss.averageClassSize, 8 / 3);
  assert.equal(result.loss.normalizedAverageClassSize, 4 / 3);
  // NCP: 3 × (1/6 + 1/2) + 2 × (3/6 + 0) + 3 × (4/6 + 1/2) = 6.5, over 8 rows × 2 QIs.
  assert.ok(Math.abs(result.loss.certaintyPenalty - 6.5 / 16) < 1e-12);
});

test('generalised cells: ranges, sets, empty values and escapes', () => {
  const table = tableOf(
    [field('when', 'date'), field('score', 'number'), field('tag', 'string')],
    [
      ['2026-01-05', -1.5, '{x}'],
      ['2026-03-31', -0.25, 'a|b'],
      [null, null, null],
      ['2026-02-01', null, 'a|b'],
    ],
  );
  const [only] = classes(anonymize(table, [0, 1, 2], { k: 4, seed: 1 }));
  assert.deepEqual(only?.cells, ['{|[2026-01-05..2026-03-31]}', '{|[-1.5..-0.25]}', '{|a\\|b|\\{x\\}}']);
  const same = tableOf(
    [field('n', 'integer'), field('t', 'string'), field('e', 'date')],
    [
      [7, '[not a range]', null],
      [7, '[not a range]', null],
    ],
  );
  assert.deepEqual(classes(anonymize(same, [0, 1, 2], { k: 2, seed: 1 }))[0]?.cells, [7, '\\[not a range]', null]);
});

test('suppression only when the table has fewer than k rows; no quasi-identifier, nothing to do', () => {
  const fields = [field('age', 'integer'), field('note', 'string', 'other')];
  const rows = [
    [30, 'a'],
    [31, 'b'],
    [32, 'c'],
  ];
  const tooFew = anonymize(tableOf(fields, rows), [0], { k: 4, seed: 1 });
  assert.deepEqual([tooFew.released, tooFew.suppressed, tooFew.classCount], [0, 3, 0]);
  assert.equal(tooFew.loss.suppressedShare, 1);
  const enough = anonymize(tableOf(fields, rows), [0], { k: 3, seed: 1 });
  assert.deepEqual([enough.released, enough.suppressed, classes(enough)[0]?.cells], [3, 0, ['[30..32]']]);
  const noQuasiIdentifier = anonymize(tableOf(fields, rows), [], { k: 5, seed: 1 });
  assert.deepEqual([noQuasiIdentifier.released, noQuasiIdentifier.classCount], [3, 1]);
  const empty = anonymize(tableOf(fields, []), [0], { k: 2, seed: 1 });
  assert.deepEqual([empty.released, empty.suppressed, empty.classCount, empty.loss.suppressedShare], [0, 0, 0, 0]);
  assert.throws(() => anonymize(tableOf(fields, rows), [0], { k: 0, seed: 1 }), RangeError);
});

test('deterministic for a seed; rows inside a class do not keep the upload order', () => {
  const fields = [field('sex', 'string'), field('id', 'integer', 'other')];
  const rows = Array.from({ length: 60 }, (_, i) => [i % 2 === 0 ? 'F' : 'M', i]);
  const first = anonymize(tableOf(fields, rows), [0], { k: 30, seed: 7 });
  const again = anonymize(tableOf(fields, rows), [0], { k: 30, seed: 7 });
  const other = anonymize(tableOf(fields, rows), [0], { k: 30, seed: 8 });
  assert.deepEqual([...first.order], [...again.order]);
  assert.notDeepEqual([...first.order], [...other.order]);
  assert.deepEqual(
    classes(first).map((c) => c.cells),
    [['F'], ['M']],
  );
  const females = [...first.order.subarray(0, 30)];
  assert.notDeepEqual(
    females,
    [...females].sort((a, b) => a - b),
    'shuffled within the class',
  );
});

/** Does a generalised cell (format in k-anonymity.ts) cover the original value? */
function covers(cell: string, value: DatasetValue, type: FieldType): boolean {
  if (cell === '') return value === null;
  if (cell.startsWith('{')) {
    // Elements split at unescaped `|`; in a number or date set the only `|` separates the empty
    // element from the value or range.
    const elements: string[] = [];
    let current = '';
    for (let i = 1; i < cell.length - 1; i += 1) {
      const char = cell.charAt(i);
      if (char === '\\') current += cell.charAt(++i);
      else if (char === '|' && (type === 'string' || current === '')) {
        elements.push(current);
        current = '';
      } else current += char;
    }
    elements.push(current);
    return elements.some((element) => (element === '' ? value === null : coversOne(element, value, type, false)));
  }
  return coversOne(cell, value, type, true);
}

function coversOne(cell: string, value: DatasetValue, type: FieldType, single: boolean): boolean {
  if (value === null) return false;
  if (type === 'string') return (single && cell.startsWith('\\') ? cell.slice(1) : cell) === value;
  if (cell.startsWith('[')) {
    const [low, high] = cell.slice(1, -1).split('..') as [string, string];
    return type === 'date'
      ? low <= (value as string) && (value as string) <= high
      : Number(low) <= (value as number) && (value as number) <= Number(high);
  }
  return type === 'date' ? cell === value : Number(cell) === value;
}

test('property: every extract is k-anonymous over the granted quasi-identifiers (random data, random k)', async () => {
  const random = seededRandom(424242);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const types: FieldType[] = ['integer', 'number', 'date', 'string'];
  let suppressedRounds = 0;
  for (let round = 0; round < 150; round += 1) {
    const rowCount = Math.floor(random() * 300);
    const k = 1 + Math.floor(random() * 12);
    const qiCount = 1 + Math.floor(random() * 4);
    const fields: DatasetField[] = [];
    const generators: (() => DatasetValue)[] = [];
    for (let q = 0; q < qiCount + 1; q += 1) {
      const type = pick(types);
      const cardinality = 1 + Math.floor(random() * (random() < 0.5 ? 5 : 60));
      const nulls = random() < 0.4 ? random() * 0.3 : 0;
      fields.push(field(`f${q}`, type, q < qiCount ? 'quasi_identifier' : 'sensitive'));
      generators.push(() => {
        if (random() < nulls) return null;
        const n = Math.floor(random() * cardinality);
        if (type === 'integer') return n - 10;
        if (type === 'number') return (n - 10) / 4;
        if (type === 'date') return new Date(Date.UTC(2025, 11, 20) + n * 86_400_000).toISOString().slice(0, 10);
        return pick(['', 'x|', '{a}', '\\b', '[c]', '甲', 'a,b', 'q"q', 'line\nbreak']).concat(String(n)) || 'v';
      });
    }
    const table = new DatasetColumns(fields);
    for (let row = 0; row < rowCount; row += 1) table.push(generators.map((generate) => generate()));
    const quasiIdentifiers = Array.from({ length: qiCount }, (_, q) => q);
    const result = anonymize(table, quasiIdentifiers, { k, seed: round });
    const label = `round ${round}: ${rowCount} rows, k = ${k}, ${fields.map((f) => f.type).join('/')}`;

    // What the grantee receives: the CSV itself, read back.
    const csv = await text(
      csvStream(
        fields.map((f) => f.name),
        extractRecords(table, quasiIdentifiers, result),
      ),
    );
    const [header, ...records] = parse(csv);
    assert.deepEqual(
      header,
      fields.map((f) => f.name),
      label,
    );
    assert.equal(records.length + result.suppressed, rowCount, `${label}: rows sent + suppressed = rows`);
    assert.equal(result.suppressed, rowCount < k ? rowCount : 0, `${label}: suppression only as the last resort`);
    if (result.suppressed > 0) suppressedRounds += 1;

    const counts = new Map<string, number>();
    for (const record of records) {
      const key = JSON.stringify(record.slice(0, qiCount));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) assert.ok(count >= k, `${label}: ${key} occurs ${count} < k times`);

    // Every released row is a different original row, and its cells tell the truth about it.
    assert.equal(new Set(result.order).size, records.length, label);
    records.forEach((record, i) => {
      const row = result.order[i]!;
      for (let q = 0; q < fields.length; q += 1) {
        const original = table.value(q, row);
        if (q < qiCount) {
          assert.ok(covers(record[q]!, original, fields[q]!.type), `${label}: ${record[q]} covers ${original}`);
        } else {
          assert.equal(record[q], original === null ? '' : String(original), label);
        }
      }
    });
    assert.ok(result.loss.certaintyPenalty >= 0 && result.loss.certaintyPenalty <= 1, label);
    if (records.length > 0) assert.ok(result.loss.averageClassSize >= k, label);
  }
  assert.ok(suppressedRounds > 0 && suppressedRounds < 150, 'both branches occur');
});

test('the histogram and the sorting search find the same median cut', () => {
  const random = seededRandom(99);
  for (let round = 0; round < 3000; round += 1) {
    const size = 1 + Math.floor(random() * 60);
    const distinct = 1 + Math.floor(random() * (random() < 0.5 ? 4 : 80));
    const ranks = Uint32Array.from({ length: size }, () => Math.floor(random() * distinct));
    const order = Uint32Array.from({ length: size }, (_, i) => i);
    const k = 1 + Math.floor(random() * 8);
    const min = Math.min(...ranks);
    const max = Math.max(...ranks);
    const fromHistogram = histogramBoundary(ranks, order, 0, size, k, min, max, new Uint32Array(distinct + 1));
    const fromSort = sortedBoundary(ranks, order, 0, size, k, new Uint32Array(size));
    assert.deepEqual(fromHistogram.at, fromSort.at, `ranks ${ranks.join(',')}, k ${k}`);
    if (fromSort.at >= 0) assert.equal(fromHistogram.limit, fromSort.limit);
  }
});
