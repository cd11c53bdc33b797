import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DatasetCsvError,
  isCalendarDate,
  parseValue,
  readDatasetCsv,
  validateDatasetCsv,
  type CsvProblem,
  type CsvSource,
  type DatasetCsvOptions,
  type DatasetField,
  type DatasetRow,
  type DatasetRowBatch,
} from './csv-dataset.ts';

const FIELDS: DatasetField[] = [
  { name: 'id', type: 'integer', classification: 'other' },
  { name: 'name', type: 'string', classification: 'direct_identifier' },
  { name: 'age', type: 'integer', classification: 'quasi_identifier' },
  { name: 'visit', type: 'date', classification: 'quasi_identifier' },
  { name: 'cost', type: 'number', classification: 'sensitive' },
];
const HEADER = 'id,name,age,visit,cost';

/** Reads the whole source; returns the rows and batches, or the problems it was refused with. */
async function read(
  source: CsvSource,
  options: DatasetCsvOptions = {},
  fields: DatasetField[] = FIELDS,
): Promise<{
  rows: DatasetRow[];
  batches: DatasetRowBatch[];
  count?: number;
  problems?: CsvProblem[];
  truncated?: boolean;
}> {
  const batches: DatasetRowBatch[] = [];
  try {
    const summary = await validateDatasetCsv(source, fields, {
      ...options,
      onBatch: (batch) => void batches.push(batch),
    });
    return { rows: batches.flatMap((b) => b.rows), batches, count: summary.rows };
  } catch (error) {
    if (!(error instanceof DatasetCsvError)) throw error;
    return { rows: batches.flatMap((b) => b.rows), batches, problems: [...error.problems], truncated: error.truncated };
  }
}

/** The problems as `pointer code` lines, the shape the table below asserts. */
async function problemsOf(source: CsvSource, options: DatasetCsvOptions = {}, fields = FIELDS): Promise<string[]> {
  const result = await read(source, options, fields);
  assert.ok(result.problems, `expected the upload to be refused; it gave ${result.rows.length} rows`);
  return result.problems.map((p) => `${p.pointer} ${p.code}`);
}

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

/** Feeds a buffer in pieces of `size` bytes, as a network stream would. */
function* pieces(buffer: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

const GOOD_ROWS: DatasetRow[] = [
  [1, '张三', 34, '2026-01-31', 120.5],
  [2, 'Li, "Si"', null, '2024-02-29', -3],
  [3, '第一行\n第二行', 7, null, 1500],
];

test('good input: typed rows in field order; empty fields are null', async () => {
  const csv = `${HEADER}\n1,张三,34,2026-01-31,120.5\n2,"Li, ""Si""",,2024-02-29,-3\n3,"第一行\n第二行",7,,1.5e3\n`;
  const result = await read([csv]);
  assert.equal(result.problems, undefined);
  assert.deepEqual(result.rows, GOOD_ROWS);
  assert.equal(result.count, 3);
});

test('good input: a UTF-8 BOM is dropped, CRLF and mixed line ends and blank lines are accepted', async () => {
  const lines = [HEADER, '1,张三,34,2026-01-31,120.5', '2,"Li, ""Si""",,2024-02-29,-3', '3,"第一行\n第二行",7,,1.5e3'];
  for (const [name, input] of [
    ['BOM + CRLF', bytes([0xef, 0xbb, 0xbf], lines.join('\r\n'), '\r\n')],
    ['mixed CRLF / LF / CR, no final line break', bytes(`${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}`)],
    ['blank lines between and after rows', bytes(`${lines[0]}\n\n${lines[1]}\r\n\r\n${lines[2]}\n${lines[3]}\n\n\n`)],
    ['CRLF inside a quoted field is data', bytes(lines.join('\r\n').replace('第一行\n第二行', '第一行\r\n第二行'))],
  ] as const) {
    const result = await read([input]);
    assert.equal(result.problems, undefined, name);
    const expected = name.startsWith('CRLF inside')
      ? GOOD_ROWS.map((row, i) => (i === 2 ? [3, '第一行\r\n第二行', 7, null, 1500] : row))
      : GOOD_ROWS;
    assert.deepEqual(result.rows, expected, name);
    // The same bytes one at a time: chunk boundaries inside characters, CRLF pairs and the BOM.
    assert.deepEqual((await read(pieces(input, 1))).rows, expected, `${name}, byte by byte`);
  }
});

test('rows come in batches numbered from 1, and none come after the first problem', async () => {
  const rows = Array.from({ length: 7 }, (_, i) => `${i + 1},n${i},${20 + i},2026-01-0${i + 1},${i}`);
  const ok = await read([`${HEADER}\n${rows.join('\n')}\n`], { batchSize: 3 });
  assert.deepEqual(
    ok.batches.map((b) => [b.firstRow, b.rows.length]),
    [
      [1, 3],
      [4, 3],
      [7, 1],
    ],
  );
  rows[4] = '5,n4,twenty,2026-01-05,4';
  const refused = await read([`${HEADER}\n${rows.join('\n')}\n`], { batchSize: 3 });
  assert.deepEqual(
    refused.problems?.map((p) => p.pointer),
    ['/rows/5/age'],
  );
  assert.deepEqual(
    refused.batches.map((b) => b.firstRow),
    [1],
    'the batch holding row 5 and everything after it is never handed out',
  );
});

test('bad input: each refused with its pointer and code', async () => {
  const row = '1,张三,34,2026-01-31,120.5';
  const cases: [string, CsvSource, string[]][] = [
    ['a 0-byte file', [Buffer.alloc(0)], ['/header csv_empty']],
    ['no chunks at all', [], ['/header csv_empty']],
    ['only a BOM', [bytes([0xef, 0xbb, 0xbf])], ['/header csv_empty']],
    ['only blank lines', ['\n\r\n\n'], ['/header csv_empty']],
    ['a header and no rows', [`${HEADER}\r\n`], ['/rows csv_no_rows']],
    ['a missing column', [`id,name,age,visit\n1,a,2,2026-01-01\n`], ['/header/cost csv_header_missing_column']],
    [
      'an unknown column and a misspelt one',
      [`id,name,age,visit,Cost,extra\n${row},1\n`],
      [
        '/header/Cost csv_header_unknown_column',
        '/header/extra csv_header_unknown_column',
        '/header/cost csv_header_missing_column',
      ],
    ],
    ['a duplicated column', [`id,name,age,age,visit,cost\n`], ['/header/age csv_header_duplicate_column']],
    ['columns out of order', [`id,age,name,visit,cost\n${row}\n`], ['/header/age csv_header_order']],
    [
      'a header name with a space',
      [`id, name,age,visit,cost\n`],
      ['/header/ name csv_header_unknown_column', '/header/name csv_header_missing_column'],
    ],
    [
      'a semicolon-separated file',
      [`id;name;age;visit;cost\n1;a;2;2026-01-01;3\n`],
      [
        '/header/id;name;age;visit;cost csv_header_unknown_column',
        '/header/id csv_header_missing_column',
        '/header/name csv_header_missing_column',
        '/header/age csv_header_missing_column',
        '/header/visit csv_header_missing_column',
        '/header/cost csv_header_missing_column',
      ],
    ],
    [
      'wrong types, one per column',
      [
        `${HEADER}\n${row}\nx,张三,34.0,2026-02-30,1,5\n1.5,a,007,26-01-01,1\n-0,a,9007199254740993,2026-13-01,1e999\n4,a\u0000b,+5,2026-01-31 ,0x10\n`,
      ],
      [
        '/rows/2 csv_column_count',
        '/rows/3/id invalid_integer',
        '/rows/3/age invalid_integer',
        '/rows/3/visit invalid_date',
        '/rows/4/id invalid_integer',
        '/rows/4/age integer_out_of_range',
        '/rows/4/visit invalid_date',
        '/rows/4/cost number_out_of_range',
        '/rows/5/name invalid_character',
        '/rows/5/age invalid_integer',
        '/rows/5/visit invalid_date',
        '/rows/5/cost invalid_number',
      ],
    ],
    ['too few values in a row', [`${HEADER}\n${row}\n${row}\n1,a,2\n`], ['/rows/3 csv_column_count']],
    [
      'an unclosed quote at the end',
      [`${HEADER}\n${row}\n2,"open,3,2026-01-01,1\n3,a,3,2026-01-01,1\n`],
      ['/rows/2 csv_unclosed_quote'],
    ],
    [
      'a quote inside an unquoted field',
      [`${HEADER}\n${row}\n${row}\n2,ab"c,3,2026-01-01,1\n`],
      ['/rows/3 csv_invalid_quote'],
    ],
    ['text after a closing quote', [`${HEADER}\n2,"ab"c,3,2026-01-01,1\n`], ['/rows/1 csv_invalid_quote']],
    ['a quote problem in the header', [`id,"name,age,visit,cost\n`], ['/header csv_unclosed_quote']],
    ['a field path with / and ~ in the pointer', [`a/b,c~d\nx,1.5\n`], ['/rows/1/c~0d invalid_integer']],
  ];
  for (const [name, source, expected] of cases) {
    const fields: DatasetField[] = name.startsWith('a field path')
      ? [
          { name: 'a/b', type: 'string', classification: 'other' },
          { name: 'c~d', type: 'integer', classification: 'other' },
        ]
      : FIELDS;
    assert.deepEqual(await problemsOf(source, {}, fields), expected, name);
  }
});

test('bad input: ill-formed UTF-8 refused at the row it occurs in', async () => {
  const row = (id: number) => `${id},张三,34,2026-01-31,120.5\n`;
  const gbk名称 = [0xc3, 0xfb, 0xb3, 0xc6]; // "名称" in GBK, the usual mistake: Excel's default in zh-CN
  const cases: [string, Buffer, string][] = [
    [
      'a GBK value in row 3',
      bytes(HEADER, '\n', row(1), row(2), '3,', gbk名称, ',3,2026-01-01,1\n', row(4)),
      '/rows/3',
    ],
    ['a GBK header', bytes('id,', gbk名称, ',age,visit,cost\n', row(1)), '/header'],
    ['a Latin-1 byte right at the start of row 2', bytes(HEADER, '\n', row(1), [0xe9], row(2)), '/rows/2'],
    ['right after a CRLF', bytes(HEADER, '\r\n', row(1).replace('\n', '\r\n'), [0xff], ',x\r\n'), '/rows/2'],
    ['at the very end of the last field', bytes(HEADER, '\n', row(1), '2,a,3,2026-01-01,', [0x80], '\n'), '/rows/2'],
    ['a character cut short by the end of the file', bytes(HEADER, '\n', row(1), '2,', [0xe4, 0xb8]), '/rows/2'],
    [
      'inside a quoted field spanning lines (the row is the record, not the line)',
      bytes(HEADER, '\n', row(1), '2,"line one\nline ', [0xc0, 0xaf], ' two",3,2026-01-01,1\n', row(3)),
      '/rows/2',
    ],
    ['in the first byte of the file', bytes([0xfe, 0xff], HEADER, '\n', row(1)), '/header'],
    ['a UTF-16LE file (Excel’s “Unicode text”)', Buffer.from(`\ufeff${HEADER}\n${row(1)}`, 'utf16le'), '/header'],
    ['after blank lines', bytes(HEADER, '\n\n', row(1), '\n\n', [0xa0], '\n'), '/rows/2'],
  ];
  for (const [name, input, pointer] of cases) {
    // Whole, and cut into every piece size from 1 byte: the row must not depend on chunking.
    for (const size of [input.length, 1, 2, 3, 5, 7]) {
      const problems = await problemsOf(pieces(input, size));
      assert.deepEqual(problems, [`${pointer} csv_invalid_utf8`], `${name}, pieces of ${size}`);
    }
  }
});

test('bad input: problems before the ill-formed bytes are kept, rows after them are not read', async () => {
  const input = bytes(
    HEADER,
    '\n1,a,x,2026-01-01,1\n2,b,2,2026-01-01,1\n3,',
    [0xff],
    ',3,2026-01-01,y\n4,a,z,2026-01-01,1\n',
  );
  assert.deepEqual(await problemsOf([input]), ['/rows/1/age invalid_integer', '/rows/3 csv_invalid_utf8']);
});

test('bad input: a 1,000,001-row file is refused at the 1,000,001st row', async () => {
  const fields: DatasetField[] = [{ name: 'n', type: 'integer', classification: 'other' }];
  function* file(rows: number): Generator<string> {
    yield 'n\n';
    const chunk = '7\n'.repeat(10_000);
    for (let done = 0; done < rows; done += 10_000) yield rows - done >= 10_000 ? chunk : '7\n'.repeat(rows - done);
  }
  let handedOut = 0;
  await assert.rejects(
    validateDatasetCsv(file(1_000_001), fields, { onBatch: (b) => void (handedOut += b.rows.length) }),
    (error: unknown) => {
      assert.ok(error instanceof DatasetCsvError);
      assert.deepEqual(
        error.problems.map((p) => `${p.pointer} ${p.code}`),
        ['/rows/1000001 csv_too_many_rows'],
      );
      return true;
    },
  );
  assert.ok(handedOut <= 1_000_000);
});

test('bad input: the limits on rows, bytes, record size and problems', async () => {
  const rows = (n: number, value = '1') =>
    Array.from({ length: n }, (_, i) => `${i + 1},a,${value},2026-01-01,1`).join('\n');
  assert.deepEqual(await problemsOf([`${HEADER}\n${rows(4)}\n`], { maxRows: 3 }), ['/rows/4 csv_too_many_rows']);
  assert.equal((await read([`${HEADER}\n${rows(3)}\n`], { maxRows: 3 })).count, 3, 'exactly the limit is accepted');
  assert.deepEqual(await problemsOf([`${HEADER}\n${rows(400)}\n`], { maxBytes: 1000 }), [' csv_too_large']);
  const many = await read([`${HEADER}\n${rows(150, 'x')}\n`]);
  assert.equal(many.problems?.length, 100);
  assert.equal(many.truncated, true);
  assert.equal(many.problems?.at(-1)?.pointer, '/rows/100/age');
  const huge = `${HEADER}\n1,"${'长'.repeat(1024 * 1024 + 1)}",1,2026-01-01,1\n`;
  assert.deepEqual(await problemsOf([huge]), ['/rows/1 csv_record_too_large']);
});

test('every problem has a message in zh and en', async () => {
  const result = await read([`${HEADER}\nx,a,1,2026-01-01,1\n`]);
  for (const problem of result.problems ?? []) {
    assert.match(problem.message.zh, /[\u4e00-\u9fff]/);
    assert.match(problem.message.en, /^[\x20-\x7e]+$/);
  }
});

test('readDatasetCsv is an async iterator of batches that returns the counts', async () => {
  const reader = readDatasetCsv([`${HEADER}\n1,a,2,2026-01-01,3\n`], FIELDS);
  const first = await reader.next();
  assert.equal(first.done, false);
  assert.deepEqual(first.value, { rows: [[1, 'a', 2, '2026-01-01', 3]], firstRow: 1 });
  const last = await reader.next();
  assert.deepEqual(last, { done: true, value: { rows: 1, bytes: HEADER.length + 20 } });
});

test('value rules', () => {
  assert.equal(parseValue('-12', 'integer'), -12);
  assert.equal(parseValue('9007199254740991', 'integer'), 9007199254740991);
  assert.deepEqual(parseValue('9007199254740992', 'integer'), { problem: 'integer_out_of_range' });
  assert.deepEqual(parseValue('1,000', 'integer'), { problem: 'invalid_integer' });
  assert.equal(parseValue('0.25', 'number'), 0.25);
  assert.equal(parseValue('-2.5E-3', 'number'), -0.0025);
  assert.deepEqual(parseValue('.5', 'number'), { problem: 'invalid_number' });
  assert.deepEqual(parseValue('NaN', 'number'), { problem: 'invalid_number' });
  assert.deepEqual(parseValue('Infinity', 'number'), { problem: 'invalid_number' });
  assert.equal(parseValue(' padded ', 'string'), ' padded ');
  assert.equal(parseValue('', 'date'), null);
  assert.ok(isCalendarDate('2000-02-29'));
  assert.ok(!isCalendarDate('1900-02-29'));
  assert.ok(!isCalendarDate('2026-04-31'));
  assert.ok(!isCalendarDate('0000-01-01'));
  assert.ok(!isCalendarDate('2026-1-01'));
});

test('reading stops at the limit of problems without consuming the rest of the source', async () => {
  let pulled = 0;
  function* source(): Generator<string> {
    yield `${HEADER}\n`;
    for (let row = 1; row <= 100_000; row += 1) {
      pulled += 1;
      yield `${row},a,not-a-number,2026-01-01,1\n`;
    }
  }
  const result = await read(source());
  assert.equal(result.problems?.length, 100);
  assert.ok(pulled < 10_000, `pulled ${pulled} chunks`);
});

test('a failing source (an aborted upload) rejects with its own error, not a validation problem', async () => {
  async function* source(): AsyncGenerator<string> {
    yield `${HEADER}\n1,a,2,2026-01-01,3\n`;
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('aborted');
  }
  await assert.rejects(validateDatasetCsv(source(), FIELDS), /aborted/);
});
