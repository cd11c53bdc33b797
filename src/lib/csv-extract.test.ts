import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buffer, text } from 'node:stream/consumers';
import { validateDatasetCsv, type DatasetField, type DatasetRow } from './csv-dataset.ts';
import { csvStream, extractRecords } from './csv-extract.ts';
import { DatasetColumns } from './dataset-columns.ts';
import { anonymize } from './k-anonymity.ts';

const FIELDS: DatasetField[] = [
  { name: 'id', type: 'integer', classification: 'other' },
  { name: 'note', type: 'string', classification: 'other' },
  { name: 'day', type: 'date', classification: 'other' },
  { name: 'amount', type: 'number', classification: 'sensitive' },
];

test('RFC 4180 output: CRLF records, quoting where needed, empty cells for null', async () => {
  const csv = await text(
    csvStream(
      FIELDS.map((f) => f.name),
      [
        [1, 'plain', '2026-01-01', 2.5],
        [2, 'comma, "quote"', null, -3],
        [3, 'lone\nLF', '2026-01-02', null],
        [4, 'lone\rCR', '2026-01-03', 0],
        [5, '', null, 1e21],
      ],
    ),
  );
  assert.equal(
    csv,
    'id,note,day,amount\r\n' +
      '1,plain,2026-01-01,2.5\r\n' +
      '2,"comma, ""quote""",,-3\r\n' +
      '3,"lone\nLF",2026-01-02,\r\n' +
      '4,"lone\rCR",2026-01-03,0\r\n' +
      '5,,,1e+21\r\n',
  );
});

test('text that a spreadsheet would run as a formula is neutralised; numbers are not touched', async () => {
  const csv = await text(
    csvStream(
      ['t', 'n'],
      [
        ['=HYPERLINK("http://x")', -5],
        ['+1', -0.5],
        ['-1', 3],
        ['@SUM(A1)', 1],
        ['＝1', 2],
      ],
    ),
  );
  assert.deepEqual(csv.split('\r\n').slice(1, -1), [
    `"'=HYPERLINK(""http://x"")",-5`,
    "'+1,-0.5",
    "'-1,3",
    "'@SUM(A1),1",
    "'＝1,2",
  ]);
});

test('a byte order mark only when asked for', async () => {
  const withBom = await buffer(csvStream(['名称'], [['深圳']], { bom: true }));
  assert.deepEqual([...withBom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const without = await buffer(csvStream(['名称'], [['深圳']]));
  assert.equal(without.toString('utf8'), '名称\r\n深圳\r\n');
});

test('a written open dataset reads back through the upload reader unchanged', async () => {
  const rows: DatasetRow[] = [
    [1, '第一行\n第二行', '2024-02-29', 0.1],
    [2, 'a,"b"', null, -7.25],
    [3, null, '2026-12-31', 12345678.5],
  ];
  const written = await buffer(
    csvStream(
      FIELDS.map((f) => f.name),
      rows,
    ),
  );
  const readBack: DatasetRow[] = [];
  const summary = await validateDatasetCsv([written], FIELDS, { onBatch: (b) => void readBack.push(...b.rows) });
  assert.equal(summary.rows, 3);
  assert.deepEqual(readBack, rows);
});

test('an extract lists exactly the granted fields, class after class, with quasi-identifiers generalised', async () => {
  const fields: DatasetField[] = [
    { name: 'age', type: 'integer', classification: 'quasi_identifier' },
    { name: 'diagnosis', type: 'string', classification: 'sensitive' },
  ];
  const table = new DatasetColumns(fields);
  for (const [age, diagnosis] of [
    [30, 'flu'],
    [31, 'flu'],
    [50, 'asthma'],
    [52, 'gout'],
  ] as const) {
    table.push([age, diagnosis]);
  }
  const result = anonymize(table, [0], { k: 2, seed: 3 });
  const csv = await text(csvStream(['age', 'diagnosis'], extractRecords(table, [0], result)));
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'age,diagnosis');
  assert.deepEqual(lines.slice(1, 3).sort(), ['[30..31],flu', '[30..31],flu']);
  assert.deepEqual(lines.slice(3, 5).sort(), ['[50..52],asthma', '[50..52],gout']);
  assert.equal(lines.length, 6);
});
