import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetField, DatasetValue } from './csv-dataset.ts';
import { DatasetColumns } from './dataset-columns.ts';

const FIELDS: DatasetField[] = [
  { name: 'n', type: 'integer', classification: 'other' },
  { name: 'x', type: 'number', classification: 'other' },
  { name: 't', type: 'string', classification: 'other' },
  { name: 'd', type: 'date', classification: 'other' },
];

test('values come back as they went in, past several growths of the columns', () => {
  const table = new DatasetColumns(FIELDS);
  const rowOf = (i: number): DatasetValue[] => [
    i % 7 === 0 ? null : i - 2500,
    i % 11 === 0 ? null : i / 8,
    i % 13 === 0 ? null : `值${i % 50}`,
    i % 17 === 0 ? null : `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
  ];
  for (let i = 0; i < 5000; i += 1) table.push(rowOf(i));
  assert.equal(table.rowCount, 5000);
  for (const i of [0, 1, 1023, 1024, 1025, 2047, 2048, 4999]) assert.deepEqual(table.row(i), rowOf(i), `row ${i}`);
  const text = table.columns[2]!;
  assert.ok(text.kind === 'text' && text.dictionary.length === 51, 'text is dictionary-encoded: 50 values and null');
  assert.throws(() => table.push([1, 2, 'x']), TypeError);
});
