/**
 * Reading a dataset upload (API-CONTRACT-2 §4, `PUT /api/v1/datasets/{id}/data`): a UTF-8 CSV
 * whose header row is the dataset's field names, parsed as a stream with csv-parse, every value
 * checked against its field's type, and handed on in typed batches. All-or-nothing is the
 * caller's transaction: the reader stops handing out rows at the first problem, goes on
 * collecting problems (up to `maxProblems`), and then throws a {@link DatasetCsvError}, so a
 * caller that inserts each batch inside one transaction rolls everything back.
 *
 * The format, decided here and documented for stewards:
 * - UTF-8 only. A UTF-8 byte order mark at the start is accepted and dropped (Excel writes one).
 *   Ill-formed UTF-8 is refused with the row it occurs in (`csv_invalid_utf8`): a silent U+FFFD
 *   would store damaged text.
 * - RFC 4180 quoting (`"` around a field, `""` for a quote inside one). Records end with CRLF,
 *   LF or CR, even mixed in one file. A line break inside a quoted field is data and accepted:
 *   addresses and free text contain them, and RFC 4180 §2.6 allows them.
 * - Blank lines are skipped. Row numbers in pointers count data records (the header is not a
 *   row, blank lines are not rows, a quoted line break does not start a new row), so
 *   `/rows/1/<field>` is the first record after the header.
 * - The header must list exactly the declared field names, in the declared order, compared
 *   exactly (no trimming, case-sensitive): a swapped column would otherwise load silently into
 *   the wrong field.
 * - An empty field is `null` for every type (CSV cannot tell an empty string from a missing one).
 *   Integers are canonical decimal digit strings (`-?(0|[1-9][0-9]*)`, within ±(2^53−1): a
 *   leading zero usually means a code that should be declared `string`); numbers are finite
 *   decimals, optionally with an exponent (`-1.5`, `2.5e3`); dates are valid `YYYY-MM-DD`
 *   calendar dates (years 0001–9999). No value may contain U+0000 (PostgreSQL cannot store it).
 * - At most 1,000,000 data rows (`csv_too_many_rows` at `/rows/1000001`), 256 MiB, and about
 *   1 MiB per record (csv-parse's `max_record_size`, which counts the bytes of the field being
 *   read and the characters of the fields before it): an unclosed quote cannot make the parser
 *   hold the rest of the file.
 */
import { Readable, type TransformCallback } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { Utf8Validator } from './utf8-validator.ts';

export const FIELD_TYPES = ['string', 'integer', 'number', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** API-CONTRACT-2 §4: how a field may be released. */
export const FIELD_CLASSIFICATIONS = ['direct_identifier', 'quasi_identifier', 'sensitive', 'other'] as const;
export type FieldClassification = (typeof FIELD_CLASSIFICATIONS)[number];

export interface DatasetField {
  name: string;
  type: FieldType;
  classification: FieldClassification;
}

/** A typed value: string, integer and number as JS values, a date as its `YYYY-MM-DD` text. */
export type DatasetValue = string | number | null;
/** One data row, values in the order of the dataset's fields. */
export type DatasetRow = DatasetValue[];

export const DATASET_MAX_ROWS = 1_000_000;
export const DATASET_MAX_BYTES = 256 * 1024 * 1024;
export const DATASET_MAX_RECORD_SIZE = 1024 * 1024;
export const DATASET_MAX_PROBLEMS = 100;

export const CSV_PROBLEM_CODES = [
  'csv_empty',
  'csv_no_rows',
  'csv_too_large',
  'csv_too_many_rows',
  'csv_invalid_utf8',
  'csv_unclosed_quote',
  'csv_invalid_quote',
  'csv_record_too_large',
  'csv_syntax',
  'csv_header_missing_column',
  'csv_header_unknown_column',
  'csv_header_duplicate_column',
  'csv_header_order',
  'csv_column_count',
  'invalid_integer',
  'integer_out_of_range',
  'invalid_number',
  'number_out_of_range',
  'invalid_date',
  'invalid_character',
] as const;
export type CsvProblemCode = (typeof CSV_PROBLEM_CODES)[number];

/** One problem, addressed like the contract's `errors[].pointer`, with its text in both languages. */
export interface CsvProblem {
  /** `/header`, `/header/<column>`, `/rows`, `/rows/<n>` or `/rows/<n>/<column>` (RFC 6901). */
  pointer: string;
  code: CsvProblemCode;
  message: { zh: string; en: string };
}

/** Thrown at the end of a read that found problems; nothing the reader handed out may be kept. */
export class DatasetCsvError extends Error {
  constructor(
    readonly problems: readonly CsvProblem[],
    /** True when reading stopped at `maxProblems`: there may be more. */
    readonly truncated: boolean,
  ) {
    super(`dataset CSV refused: ${problems.length}${truncated ? '+' : ''} problem(s), first ${problems[0]?.code}`);
    this.name = 'DatasetCsvError';
  }
}

export interface DatasetRowBatch {
  rows: DatasetRow[];
  /** 1-based number of `rows[0]` among the data rows. */
  firstRow: number;
}

export interface DatasetCsvSummary {
  rows: number;
  bytes: number;
}

export interface DatasetCsvOptions {
  maxRows?: number;
  maxBytes?: number;
  maxProblems?: number;
  /** Rows per batch handed out (default 1000). */
  batchSize?: number;
}

/** Byte chunks (a request body, a file stream) or strings (tests). */
export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Reads and checks a dataset CSV, yielding typed rows in batches while no problem has been
 * found. Returns the row and byte counts; throws {@link DatasetCsvError} listing the problems.
 * Memory stays bounded by one batch and one chunk: nothing buffers the file.
 */
export async function* readDatasetCsv(
  source: CsvSource,
  fields: readonly DatasetField[],
  options: DatasetCsvOptions = {},
): AsyncGenerator<DatasetRowBatch, DatasetCsvSummary, undefined> {
  assertFields(fields);
  const maxRows = options.maxRows ?? DATASET_MAX_ROWS;
  const maxBytes = options.maxBytes ?? DATASET_MAX_BYTES;
  const maxProblems = options.maxProblems ?? DATASET_MAX_PROBLEMS;
  const batchSize = options.batchSize ?? 1000;
  const types = fields.map((field) => field.type);
  const columns = fields.map((field) => pointerSegment(field.name));

  const problems: CsvProblem[] = [];
  let truncated = false;
  let stopped = false;
  const report = (pointer: string, code: CsvProblemCode, message: CsvProblem['message']): void => {
    if (problems.length >= maxProblems) {
      truncated = true;
      stopped = true;
      return;
    }
    problems.push({ pointer, code, message });
  };

  // Bytes pass the UTF-8 check before the parser sees them; at an ill-formed sequence the parser
  // gets the bytes before it and then the end of input, so that it can tell in which record the
  // sequence started (see `invalidUtf8Record`).
  const utf8 = new Utf8Validator();
  let invalidUtf8 = false;
  let tooLarge = false;
  let lastFedByte = -1;
  async function* checkedBytes(): AsyncGenerator<Buffer> {
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : asBuffer(piece);
      const chunkStart = utf8.bytes;
      if (chunkStart + chunk.length > maxBytes) {
        tooLarge = true;
        return;
      }
      const invalidAt = utf8.push(chunk);
      const keep = invalidAt >= 0 ? Math.max(0, invalidAt - chunkStart) : chunk.length;
      if (keep > 0) {
        lastFedByte = chunk[keep - 1]!;
        yield keep === chunk.length ? chunk : chunk.subarray(0, keep);
      }
      if (invalidAt >= 0) {
        invalidUtf8 = true;
        return;
      }
    }
    if (utf8.end() >= 0) invalidUtf8 = true;
  }

  const parser = new DatasetCsvParser();
  const input = Readable.from(checkedBytes(), { objectMode: false });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let records = 0;
  let dataRows = 0;
  let batch: DatasetRow[] = [];
  let batchFirstRow = 1;

  const handle = (record: string[]): void => {
    records += 1;
    if (records === 1) {
      for (const problem of headerProblems(record, fields)) report(problem.pointer, problem.code, problem.message);
      if (problems.length > 0) stopped = true;
      return;
    }
    dataRows += 1;
    if (dataRows > maxRows) {
      report(`/rows/${dataRows}`, 'csv_too_many_rows', MESSAGES.csv_too_many_rows(maxRows));
      stopped = true;
      return;
    }
    if (record.length !== types.length) {
      report(`/rows/${dataRows}`, 'csv_column_count', MESSAGES.csv_column_count(types.length, record.length));
      return;
    }
    const row: DatasetRow = new Array<DatasetValue>(types.length);
    for (let column = 0; column < types.length; column += 1) {
      const parsed = parseValue(record[column]!, types[column]!);
      if (typeof parsed === 'object' && parsed !== null) {
        report(`/rows/${dataRows}/${columns[column]!}`, parsed.problem, MESSAGES[parsed.problem](types[column]!));
        if (stopped) return;
      } else row[column] = parsed;
    }
    if (problems.length === 0) batch.push(row);
  };

  try {
    // One record of lookahead: when the input was cut at ill-formed bytes, the last record the
    // parser emits may be the unfinished one, which must not be checked as a row.
    let pending: string[] | undefined;
    for await (const record of parser as AsyncIterable<string[]>) {
      if (pending !== undefined) {
        handle(pending);
        if (stopped) break;
        if (batch.length >= batchSize) {
          if (problems.length === 0) yield { rows: batch, firstRow: batchFirstRow };
          batchFirstRow = dataRows + 1;
          batch = [];
        }
      }
      pending = record;
    }
    if (!stopped) {
      const failure = parser.failure;
      if (tooLarge) {
        // The input was cut at the limit: the last record may be unfinished, so it is not checked.
        report('', 'csv_too_large', MESSAGES.csv_too_large(maxBytes));
      } else if (invalidUtf8 && (failure === undefined || parser.failedInFlush)) {
        const invalidRecord = invalidUtf8Record(failure, parser.info.records, lastFedByte);
        if (pending !== undefined && records + 1 < invalidRecord) handle(pending);
        if (!stopped) {
          const pointer = invalidRecord <= 1 ? '/header' : `/rows/${invalidRecord - 1}`;
          report(pointer, 'csv_invalid_utf8', MESSAGES.csv_invalid_utf8());
        }
      } else {
        if (pending !== undefined) handle(pending);
        if (failure !== undefined && !stopped) {
          const failedRecord = Number(failure.records ?? records) + 1;
          const pointer = failedRecord <= 1 ? '/header' : `/rows/${failedRecord - 1}`;
          const code = syntaxProblem(failure);
          report(pointer, code, MESSAGES[code]());
        }
      }
    }
    if (problems.length === 0 && records === 0) report('/header', 'csv_empty', MESSAGES.csv_empty());
    else if (problems.length === 0 && dataRows === 0) report('/rows', 'csv_no_rows', MESSAGES.csv_no_rows());
    if (problems.length > 0) throw new DatasetCsvError(problems, truncated);
    if (batch.length > 0) yield { rows: batch, firstRow: batchFirstRow };
    return { rows: dataRows, bytes: utf8.bytes };
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
}

/**
 * The callback form of {@link readDatasetCsv}: `onBatch` receives each batch (await it to apply
 * backpressure); resolves with the counts, rejects with {@link DatasetCsvError}.
 */
export async function validateDatasetCsv(
  source: CsvSource,
  fields: readonly DatasetField[],
  options: DatasetCsvOptions & { onBatch?: (batch: DatasetRowBatch) => void | Promise<void> } = {},
): Promise<DatasetCsvSummary> {
  const reader = readDatasetCsv(source, fields, options);
  for (;;) {
    const step = await reader.next();
    if (step.done === true) return step.value;
    await options.onBatch?.(step.value);
  }
}

/**
 * csv-parse's stream, with its errors kept instead of destroying the stream: records emitted
 * before an error still reach the reader, in order, and the problem list does not depend on how
 * far the reader had got when the error happened. After an error the readable side ends and the
 * writable side takes no more input (the reader then tears both down).
 */
class DatasetCsvParser extends Parser {
  failure: CsvError | undefined;
  failedInFlush = false;

  constructor() {
    super({
      bom: true,
      delimiter: ',',
      quote: '"',
      escape: '"',
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: DATASET_MAX_RECORD_SIZE,
    });
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error?: Error | null) => {
      if (error instanceof CsvError) {
        this.failure = error;
        this.push(null);
      } else callback(error);
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error?: Error | null) => {
      if (error instanceof CsvError) {
        this.failure = error;
        this.failedInFlush = true;
        callback();
      } else callback(error);
    });
  }
}

/**
 * The 1-based record (header = 1) in which ill-formed UTF-8 starts. The parser was fed every byte
 * before the ill-formed sequence and then ended: if that flush failed (a quote left open by the
 * cut), the failed record is it; if the fed bytes ended with a line break, it is the next record;
 * otherwise it is the last record the parser emitted (the unfinished one, flushed).
 */
function invalidUtf8Record(failure: CsvError | undefined, parsedRecords: number, lastFedByte: number): number {
  if (failure !== undefined) return Number(failure.records ?? parsedRecords) + 1;
  if (lastFedByte === -1 || lastFedByte === 0x0a || lastFedByte === 0x0d) return parsedRecords + 1;
  return parsedRecords;
}

/** csv-parse's errors that the options above can raise, as problem codes (others: `csv_syntax`). */
const SYNTAX_PROBLEMS: Partial<Record<string, 'csv_unclosed_quote' | 'csv_invalid_quote' | 'csv_record_too_large'>> = {
  CSV_QUOTE_NOT_CLOSED: 'csv_unclosed_quote',
  CSV_INVALID_CLOSING_QUOTE: 'csv_invalid_quote',
  INVALID_OPENING_QUOTE: 'csv_invalid_quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'csv_invalid_quote',
  CSV_MAX_RECORD_SIZE: 'csv_record_too_large',
};

function syntaxProblem(
  error: CsvError,
): 'csv_unclosed_quote' | 'csv_invalid_quote' | 'csv_record_too_large' | 'csv_syntax' {
  return SYNTAX_PROBLEMS[error.code] ?? 'csv_syntax';
}

function headerProblems(header: readonly string[], fields: readonly DatasetField[]): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const declared = new Set(fields.map((field) => field.name));
  const present = new Set<string>();
  for (const name of header) {
    const pointer = `/header/${pointerSegment(name)}`;
    if (present.has(name)) {
      problems.push({
        pointer,
        code: 'csv_header_duplicate_column',
        message: MESSAGES.csv_header_duplicate_column(name),
      });
    } else if (!declared.has(name)) {
      problems.push({ pointer, code: 'csv_header_unknown_column', message: MESSAGES.csv_header_unknown_column(name) });
    }
    present.add(name);
  }
  for (const field of fields) {
    if (!present.has(field.name)) {
      problems.push({
        pointer: `/header/${pointerSegment(field.name)}`,
        code: 'csv_header_missing_column',
        message: MESSAGES.csv_header_missing_column(field.name),
      });
    }
  }
  if (problems.length > 0) return problems;
  const misplaced = fields.findIndex((field, index) => header[index] !== field.name);
  if (misplaced >= 0) {
    // The pointer names the header cell that is out of place (the name found there).
    const field = fields[misplaced]!;
    problems.push({
      pointer: `/header/${pointerSegment(header[misplaced] ?? '')}`,
      code: 'csv_header_order',
      message: MESSAGES.csv_header_order(misplaced + 1, field.name, header[misplaced] ?? ''),
    });
  }
  return problems;
}

const INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

type ValueProblem = 'invalid_integer' | 'integer_out_of_range' | 'invalid_number' | 'number_out_of_range';
type ParsedValue = DatasetValue | { problem: ValueProblem | 'invalid_date' | 'invalid_character' };

/** Parses one CSV field as its declared type (rules in the file comment). */
export function parseValue(text: string, type: FieldType): ParsedValue {
  if (text === '') return null;
  switch (type) {
    case 'string':
      return text.includes('\u0000') ? { problem: 'invalid_character' } : text;
    case 'integer': {
      if (!INTEGER.test(text)) return { problem: 'invalid_integer' };
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : { problem: 'integer_out_of_range' };
    }
    case 'number': {
      if (!NUMBER.test(text)) return { problem: 'invalid_number' };
      const value = Number(text);
      return Number.isFinite(value) ? value : { problem: 'number_out_of_range' };
    }
    case 'date':
      return isCalendarDate(text) ? text : { problem: 'invalid_date' };
  }
}

/** `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar, years 0001–9999. */
export function isCalendarDate(text: string): boolean {
  // By character codes rather than a capturing regex: this runs once per date value of an upload.
  if (text.length !== 10 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  if (month === 2) return day <= ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28);
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/** The decimal number in text[from, to), or -1 if any character there is not 0–9. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index += 1) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** RFC 6901: `~` → `~0`, `/` → `~1` inside one reference token. */
export function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function assertFields(fields: readonly DatasetField[]): void {
  if (fields.length === 0) throw new TypeError('a dataset needs at least one field');
  if (new Set(fields.map((field) => field.name)).size !== fields.length) {
    throw new TypeError('dataset field names must be unique');
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const TYPE_NAMES: Record<FieldType, { zh: string; en: string }> = {
  string: { zh: '文本', en: 'text' },
  integer: { zh: '整数', en: 'integer' },
  number: { zh: '数值', en: 'number' },
  date: { zh: '日期', en: 'date' },
};

/** User-facing texts, zh-CN and en, per problem code. */
const MESSAGES = {
  csv_empty: () => ({ zh: '文件为空，缺少表头行', en: 'The file is empty: the header row is missing' }),
  csv_no_rows: () => ({ zh: '文件只有表头，没有数据行', en: 'The file has a header but no data rows' }),
  csv_too_large: (maxBytes: number) => ({
    zh: `文件超过 ${maxBytes / 1024 / 1024} MB 上限`,
    en: `The file is larger than the ${maxBytes / 1024 / 1024} MB limit`,
  }),
  csv_too_many_rows: (maxRows: number) => ({
    zh: `数据行超过 ${maxRows.toLocaleString('en')} 行上限`,
    en: `More than ${maxRows.toLocaleString('en')} data rows`,
  }),
  csv_invalid_utf8: () => ({
    zh: '此行含有无效的 UTF-8 字节：请以 UTF-8 编码保存文件',
    en: 'This row contains bytes that are not valid UTF-8: save the file as UTF-8',
  }),
  csv_unclosed_quote: () => ({
    zh: '引号未闭合：以引号开始的字段必须以引号结束',
    en: 'Unclosed quote: a field that opens with a quote must close with one',
  }),
  csv_invalid_quote: () => ({
    zh: '引号位置不正确：字段内的引号须写成两个引号 ""，并将整个字段用引号括起',
    en: 'Misplaced quote: a quote inside a field must be doubled ("") and the field quoted',
  }),
  csv_record_too_large: () => ({
    zh: '一行超过 1 MB：请检查是否有未闭合的引号',
    en: 'A row is larger than 1 MB: look for an unclosed quote',
  }),
  csv_syntax: () => ({ zh: 'CSV 格式错误', en: 'Malformed CSV' }),
  csv_header_missing_column: (name: string) => ({
    zh: `表头缺少字段“${name}”`,
    en: `The header lacks the field "${name}"`,
  }),
  csv_header_unknown_column: (name: string) => ({
    zh: `表头中的“${name}”不是本数据集的字段`,
    en: `"${name}" in the header is not a field of this dataset`,
  }),
  csv_header_duplicate_column: (name: string) => ({
    zh: `表头中“${name}”出现了多次`,
    en: `"${name}" appears more than once in the header`,
  }),
  csv_header_order: (position: number, expected: string, found: string) => ({
    zh: `表头第 ${position} 列应为“${expected}”，实际为“${found}”：列顺序须与字段定义一致`,
    en: `Header column ${position} should be "${expected}", found "${found}": columns must follow the declared field order`,
  }),
  csv_column_count: (expected: number, found: number) => ({
    zh: `此行应有 ${expected} 个值，实际有 ${found} 个`,
    en: `This row should have ${expected} values, found ${found}`,
  }),
  invalid_integer: () => ({
    zh: '应为整数（如 42、-7，不带前导零、小数点或千位分隔符）',
    en: 'Expected an integer (e.g. 42, -7; no leading zeros, decimal point or thousands separators)',
  }),
  integer_out_of_range: () => ({
    zh: '整数超出范围（±9007199254740991）',
    en: 'Integer out of range (±9007199254740991)',
  }),
  invalid_number: () => ({
    zh: '应为数值（如 3.14、-2、1.5e3）',
    en: 'Expected a number (e.g. 3.14, -2, 1.5e3)',
  }),
  number_out_of_range: () => ({ zh: '数值超出范围', en: 'Number out of range' }),
  invalid_date: () => ({
    zh: '应为有效日期，格式 YYYY-MM-DD（如 2026-03-31）',
    en: 'Expected a valid date as YYYY-MM-DD (e.g. 2026-03-31)',
  }),
  invalid_character: (type: FieldType) => ({
    zh: `${TYPE_NAMES[type].zh}值含有不允许的空字符（U+0000）`,
    en: `The ${TYPE_NAMES[type].en} value contains a NUL character (U+0000), which cannot be stored`,
  }),
} satisfies Record<CsvProblemCode, (...args: never[]) => CsvProblem['message']>;
