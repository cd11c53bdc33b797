/**
 * A dataset version held in memory column by column, compactly enough for 1,000,000 rows × 10
 * fields well inside the server's memory budget: numbers in a Float64Array (NaN = null), text and
 * dates dictionary-encoded (a Uint32Array of codes into the distinct values, 0 = null). An
 * anonymised extract needs every row at once (Mondrian partitions the whole table, and the rows
 * leave grouped by equivalence class), so the caller streams the rows in once and reads them back
 * in any order.
 */
import type { DatasetField, DatasetValue, FieldType } from './csv-dataset.ts';

const INITIAL_CAPACITY = 1024;

export class NumberColumn {
  readonly kind = 'number';
  private data = new Float64Array(INITIAL_CAPACITY);

  constructor(readonly type: Extract<FieldType, 'integer' | 'number'>) {}

  push(row: number, value: DatasetValue): void {
    if (row >= this.data.length) this.data = grow(this.data, row);
    this.data[row] = typeof value === 'number' ? value : Number.NaN;
  }

  /** The values of rows 0…rows−1, NaN for null (a view, not a copy). */
  values(rows: number): Float64Array {
    return this.data.subarray(0, rows);
  }

  value(row: number): number | null {
    const value = this.data[row]!;
    return Number.isNaN(value) ? null : value;
  }
}

export class TextColumn {
  readonly kind = 'text';
  private data = new Uint32Array(INITIAL_CAPACITY);
  private readonly index = new Map<string, number>();
  /** Distinct values by code; code 0 is null. */
  readonly dictionary: (string | null)[] = [null];

  constructor(readonly type: Extract<FieldType, 'string' | 'date'>) {}

  push(row: number, value: DatasetValue): void {
    if (row >= this.data.length) this.data = grow(this.data, row);
    if (value === null) {
      this.data[row] = 0;
      return;
    }
    const text = String(value);
    let code = this.index.get(text);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(text);
      this.index.set(text, code);
    }
    this.data[row] = code;
  }

  /** The codes of rows 0…rows−1 (a view, not a copy). */
  codes(rows: number): Uint32Array {
    return this.data.subarray(0, rows);
  }

  value(row: number): string | null {
    return this.dictionary[this.data[row]!] ?? null;
  }
}

export type DatasetColumn = NumberColumn | TextColumn;

export class DatasetColumns {
  readonly columns: readonly DatasetColumn[];
  private count = 0;

  constructor(readonly fields: readonly DatasetField[]) {
    this.columns = fields.map((field) =>
      field.type === 'integer' || field.type === 'number' ? new NumberColumn(field.type) : new TextColumn(field.type),
    );
  }

  get rowCount(): number {
    return this.count;
  }

  /** Appends one row, values in the order of `fields` (as the CSV reader yields them). */
  push(values: readonly DatasetValue[]): void {
    if (values.length !== this.columns.length) {
      throw new TypeError(`expected ${this.columns.length} values, got ${values.length}`);
    }
    const row = this.count;
    for (let column = 0; column < this.columns.length; column += 1) this.columns[column]!.push(row, values[column]!);
    this.count += 1;
  }

  value(column: number, row: number): DatasetValue {
    return this.columns[column]!.value(row);
  }

  /** One row as an array of values (convenient, but allocates: not for hot loops). */
  row(row: number): DatasetValue[] {
    return this.columns.map((column) => column.value(row));
  }
}

function grow<T extends Float64Array | Uint32Array>(array: T, needed: number): T {
  let capacity = array.length;
  while (capacity <= needed) capacity *= 2;
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}
