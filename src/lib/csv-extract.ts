/**
 * CSV output for datasets (API-CONTRACT-2 §4: `GET /api/v1/public/datasets/{id}/data.csv` and
 * `GET /api/v1/access-grants/{id}/extract.csv`), written by csv-stringify as a stream:
 * RFC 4180 (CRLF records; fields holding `,`, `"`, CR or LF are quoted, quotes doubled), UTF-8
 * without a byte order mark unless asked for, a header row of field names, empty cells for null.
 *
 * Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab, CR
 * or their full-width forms) get a leading `'` (csv-stringify's `escape_formulas`, OWASP's
 * advice on CSV injection). Numbers are written as numbers, so `-5` stays `-5`; dates and
 * generalised cells (`[…]`, `{…}`) never start with those characters.
 */
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { DatasetValue } from './csv-dataset.ts';
import type { DatasetColumns } from './dataset-columns.ts';
import type { KAnonymityResult } from './k-anonymity.ts';

export interface CsvOutputOptions {
  /** Prepend a UTF-8 byte order mark (helps Excel open Chinese text); default false. */
  bom?: boolean;
}

/**
 * A byte stream of the CSV: the header row, then each record. Synchronous record sources (an
 * extract held in memory) are read without a promise per record.
 */
export function csvStream(
  header: readonly string[],
  records: Iterable<readonly DatasetValue[]> | AsyncIterable<readonly DatasetValue[]>,
  options: CsvOutputOptions = {},
): Readable {
  const stringifier = stringify({
    bom: options.bom ?? false,
    record_delimiter: 'windows',
    // With an explicit record delimiter csv-stringify would quote only CRLF, not a lone CR or
    // LF: quote those too, or readers that accept any line end would split the record.
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  const source =
    Symbol.iterator in records
      ? Readable.from(withHeader(header, records))
      : Readable.from(withHeaderAsync(header, records));
  return pipeline(source, stringifier, () => {
    // Errors reach the reader of the returned stream, which pipeline destroys with them.
  });
}

function* withHeader<T>(header: T, records: Iterable<T>): Generator<T> {
  yield header;
  yield* records;
}

async function* withHeaderAsync<T>(header: T, records: AsyncIterable<T>): AsyncGenerator<T> {
  yield header;
  yield* records;
}

/**
 * The records of an anonymised extract in release order: class after class, each row with its
 * quasi-identifier cells replaced by the class's generalisation (see k-anonymity.ts) and the
 * other granted fields as they are. Suppressed rows are not listed.
 */
export function* extractRecords(
  table: DatasetColumns,
  quasiIdentifiers: readonly number[],
  anonymized: KAnonymityResult,
): Generator<DatasetValue[]> {
  const columns = table.columns;
  const plain = columns.flatMap((_, column) => (quasiIdentifiers.includes(column) ? [] : [column]));
  for (let c = 0; c < anonymized.classCount; c += 1) {
    const cells = anonymized.classValues(c);
    const end = anonymized.classStarts[c + 1]!;
    for (let i = anonymized.classStarts[c]!; i < end; i += 1) {
      const row = anonymized.order[i]!;
      const record = new Array<DatasetValue>(columns.length);
      for (let q = 0; q < quasiIdentifiers.length; q += 1) record[quasiIdentifiers[q]!] = cells[q]!;
      for (const column of plain) record[column] = columns[column]!.value(row);
      yield record;
    }
  }
}
