/**
 * The two-dimensional magnitude table of API-CONTRACT-2 §5 (rows × columns with row totals,
 * column totals and a grand total), built from each contributor's amounts, and its published
 * form. Pure code: the statistics module reads the returns and hands the contributions here.
 *
 * Every position of the table — cell, row total, column total, grand total — has an index:
 * cells row-major first, then the row totals, the column totals and the grand total last.
 * Totals are named with SDMX's `_T` (the contract's SDMX-CSV uses it too): the total of row r
 * is (r, _T), of column c (_T, c), the grand total (_T, _T).
 */

/** SDMX code for "total" in a dimension. */
export const TOTAL = '_T';

/** SDMX CONF_STATUS: `F` free, `C` primary confidential, `D` secondary confidential. */
export type ConfidentialityStatus = 'F' | 'C' | 'D';

/** One contributor's amount in one cell (integer, ≥ 0; a zero amount makes no contributor). */
export interface Contribution {
  readonly contributor: string;
  readonly row: string;
  readonly column: string;
  readonly amount: number;
}

export interface ContributionTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly contributions: readonly Contribution[];
}

export interface TablePosition {
  readonly row: string;
  readonly column: string;
}

/** `total` = Σ `members`: one row, one column, or the totals' own row and column. */
export interface TableLine {
  readonly members: readonly number[];
  readonly total: number;
}

/** Aggregates per position, indexed as the module comment says. */
export interface AggregatedTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly positions: readonly TablePosition[];
  /** The true value: the sum of the contributors' amounts. */
  readonly values: readonly number[];
  /** Contributors with a non-zero amount there (for a total: a non-zero sum over the line). */
  readonly contributors: readonly number[];
  /** The largest and second-largest contribution (0 when there is none). */
  readonly largest: readonly number[];
  readonly secondLargest: readonly number[];
  /** The additivity an attacker knows: every row and column adds up, totals included. */
  readonly lines: readonly TableLine[];
}

/** The contract's `tables/ai-revenue` body without `period` and `unit`, which the module adds. */
export interface PublishedTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly cells: readonly { row: string; column: string; value: number | null; status: ConfidentialityStatus }[];
  readonly rowTotals: readonly { row: string; value: number | null; status: ConfidentialityStatus }[];
  readonly columnTotals: readonly { column: string; value: number | null; status: ConfidentialityStatus }[];
  readonly grandTotal: { readonly value: number | null; readonly status: ConfidentialityStatus };
}

/** The contributions cannot make a table; `problems` lists every one. */
export class DisclosureInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid contributions: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? '; …' : ''}`);
    this.name = 'DisclosureInputError';
  }
}

export function cellIndex(table: Pick<AggregatedTable, 'columns'>, row: number, column: number): number {
  return row * table.columns.length + column;
}

export function rowTotalIndex(table: Pick<AggregatedTable, 'rows' | 'columns'>, row: number): number {
  return table.rows.length * table.columns.length + row;
}

export function columnTotalIndex(table: Pick<AggregatedTable, 'rows' | 'columns'>, column: number): number {
  return table.rows.length * table.columns.length + table.rows.length + column;
}

export function grandTotalIndex(table: Pick<AggregatedTable, 'rows' | 'columns'>): number {
  return (table.rows.length + 1) * (table.columns.length + 1) - 1;
}

function validateCodes(codes: readonly string[], what: string, problems: string[]): Map<string, number> {
  const index = new Map<string, number>();
  if (codes.length === 0) problems.push(`${what}: at least one is needed`);
  codes.forEach((code, i) => {
    if (typeof code !== 'string' || code === '' || code === TOTAL) {
      problems.push(`${what}[${i}]: a non-empty code other than ${TOTAL} (got ${JSON.stringify(code)})`);
    } else if (index.has(code)) problems.push(`${what}[${i}]: ${code} appears twice`);
    else index.set(code, i);
  });
  return index;
}

/**
 * Sums the contributions into every position of the table and keeps, per position, what the
 * primary rules need: the number of contributors and the two largest contributions. A
 * contributor's share of a total is its sum over that total's line (API-CONTRACT-2 §5: for a
 * row total its amount in that row, for a column total its amount in that column), and a
 * contributor listed twice for one cell contributes the sum. Deterministic: the result
 * depends on the contributions, not on their order.
 */
export function aggregateContributions(input: ContributionTable): AggregatedTable {
  const problems: string[] = [];
  const rowIndex = validateCodes(input.rows, 'rows', problems);
  const columnIndex = validateCodes(input.columns, 'columns', problems);
  const shape = { rows: input.rows, columns: input.columns };
  const size = grandTotalIndex(shape) + 1;
  // Per position: contributor → amount. Four updates per contribution: cell, its row total,
  // its column total, the grand total.
  const shares = Array.from({ length: size }, () => new Map<string, number>());
  input.contributions.forEach((contribution, i) => {
    const r = rowIndex.get(contribution.row);
    const c = columnIndex.get(contribution.column);
    const { amount, contributor } = contribution;
    if (r === undefined) problems.push(`contributions[${i}].row: unknown row ${JSON.stringify(contribution.row)}`);
    if (c === undefined) {
      problems.push(`contributions[${i}].column: unknown column ${JSON.stringify(contribution.column)}`);
    }
    if (typeof contributor !== 'string' || contributor === '') {
      problems.push(`contributions[${i}].contributor: a non-empty identifier`);
    }
    if (!Number.isSafeInteger(amount) || amount < 0) {
      problems.push(`contributions[${i}].amount: an integer ≥ 0 (got ${JSON.stringify(amount)})`);
    }
    if (r === undefined || c === undefined || problems.length > 0) return;
    for (const position of [
      cellIndex(shape, r, c),
      rowTotalIndex(shape, r),
      columnTotalIndex(shape, c),
      grandTotalIndex(shape),
    ]) {
      const map = shares[position]!;
      map.set(contributor, (map.get(contributor) ?? 0) + amount);
    }
  });
  if (problems.length > 0) throw new DisclosureInputError(problems);

  const values: number[] = [];
  const contributors: number[] = [];
  const largest: number[] = [];
  const secondLargest: number[] = [];
  for (const map of shares) {
    let total = 0;
    let count = 0;
    let first = 0;
    let second = 0;
    for (const amount of map.values()) {
      if (amount === 0) continue;
      total += amount;
      count += 1;
      if (amount > first) [first, second] = [amount, first];
      else if (amount > second) second = amount;
    }
    if (!Number.isSafeInteger(total)) throw new DisclosureInputError(['a total exceeds 2^53 − 1']);
    values.push(total);
    contributors.push(count);
    largest.push(first);
    secondLargest.push(second);
  }
  return {
    ...shape,
    positions: tablePositions(shape),
    values,
    contributors,
    largest,
    secondLargest,
    lines: tableLines(shape),
  };
}

function tablePositions(shape: Pick<AggregatedTable, 'rows' | 'columns'>): TablePosition[] {
  const positions: TablePosition[] = [];
  for (const row of shape.rows) for (const column of shape.columns) positions.push({ row, column });
  for (const row of shape.rows) positions.push({ row, column: TOTAL });
  for (const column of shape.columns) positions.push({ row: TOTAL, column });
  positions.push({ row: TOTAL, column: TOTAL });
  return positions;
}

function tableLines(shape: Pick<AggregatedTable, 'rows' | 'columns'>): TableLine[] {
  const rows = shape.rows.map((_, r) => r);
  const columns = shape.columns.map((_, c) => c);
  return [
    ...rows.map((r) => ({ members: columns.map((c) => cellIndex(shape, r, c)), total: rowTotalIndex(shape, r) })),
    ...columns.map((c) => ({ members: rows.map((r) => cellIndex(shape, r, c)), total: columnTotalIndex(shape, c) })),
    { members: rows.map((r) => rowTotalIndex(shape, r)), total: grandTotalIndex(shape) },
    { members: columns.map((c) => columnTotalIndex(shape, c)), total: grandTotalIndex(shape) },
  ];
}

/**
 * The table as the public sees it: every value whose status is not `F` becomes `null`. This
 * projection alone says nothing about safety; `publishTable` (disclosure-control.ts) audits
 * before it projects.
 */
export function projectPublishedTable(
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
): PublishedTable {
  const entry = (index: number) => ({
    value: statuses[index] === 'F' ? table.values[index]! : null,
    status: statuses[index]!,
  });
  return {
    rows: table.rows,
    columns: table.columns,
    cells: table.rows.flatMap((row, r) =>
      table.columns.map((column, c) => ({ row, column, ...entry(cellIndex(table, r, c)) })),
    ),
    rowTotals: table.rows.map((row, r) => ({ row, ...entry(rowTotalIndex(table, r)) })),
    columnTotals: table.columns.map((column, c) => ({ column, ...entry(columnTotalIndex(table, c)) })),
    grandTotal: entry(grandTotalIndex(table)),
  };
}
