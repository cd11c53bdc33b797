import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateContributions,
  auditSuppression,
  chooseSecondarySuppressions,
  DisclosureAuditError,
  DisclosureInputError,
  loadLpSolver,
  primaryRule,
  primaryStatuses,
  protectTable,
  publishTable,
  TOTAL,
  type AggregatedTable,
  type ConfidentialityStatus,
  type Contribution,
} from './disclosure-control.ts';
import { chooseBaselineSuppressions } from './disclosure-baseline.ts';
import highsPackage from 'highs';

const lp = await loadLpSolver();
// For a second, independently written attacker LP (CPLEX LP text through the one-shot API).
const highs = await (highsPackage as unknown as typeof highsPackage.default)();

/** Contributions from a grid: `grid[r][c]` lists [contributor, amount] pairs of cell (r, c). */
function tableOf(grid: readonly (readonly (readonly [string, number])[])[][]): {
  rows: string[];
  columns: string[];
  contributions: Contribution[];
} {
  const rows = grid.map((_, r) => `R${r}`);
  const columns = grid[0]!.map((_, c) => `K${c}`);
  const contributions = grid.flatMap((cells, r) =>
    cells.flatMap((cell, c) =>
      cell.map(([contributor, amount]) => ({ contributor, row: rows[r]!, column: columns[c]!, amount })),
    ),
  );
  return { rows, columns, contributions };
}

/** A cell of `values.length` contributors with these amounts, named after the cell. */
function cell(name: string, ...values: number[]): [string, number][] {
  return values.map((value, i) => [`${name}-${i}`, value]);
}

/** Index of a position by its codes. */
function at(table: AggregatedTable, row: string, column: string): number {
  const index = table.positions.findIndex((position) => position.row === row && position.column === column);
  assert.ok(index >= 0, `${row}/${column}`);
  return index;
}

/** Statuses with `C` where the primary rules say and `D` at the given positions. */
function withSecondary(table: AggregatedTable, ...secondary: number[]): ConfidentialityStatus[] {
  const statuses = primaryStatuses(table);
  for (const position of secondary) statuses[position] = 'D';
  return statuses;
}

test('threshold rule: 1 and 2 contributors are confidential, 3 are not, none is an empty cell', () => {
  const concentration = (contributors: number) => ({
    total: contributors * 100,
    contributors,
    largest: contributors > 0 ? 100 : 0,
    secondLargest: contributors > 1 ? 100 : 0,
  });
  assert.equal(primaryRule(concentration(0)), undefined);
  assert.equal(primaryRule(concentration(1)), 'threshold');
  assert.equal(primaryRule(concentration(2)), 'threshold');
  assert.equal(primaryRule(concentration(3)), undefined);
});

test('p%-rule with p = 10: T − x1 − x2 < 0.1 · x1 is confidential, equality is not', () => {
  // x1 = 1000, x2 = 500: the others must add up to at least 100.
  const cellWithRest = (rest: number) => ({ total: 1500 + rest, contributors: 5, largest: 1000, secondLargest: 500 });
  assert.equal(primaryRule(cellWithRest(99)), 'p-percent');
  assert.equal(primaryRule(cellWithRest(100)), undefined);
  assert.equal(primaryRule(cellWithRest(101)), undefined);
  // Through aggregation: the rule sees the largest two contributions of the cell.
  const table = aggregateContributions(
    tableOf([[cell('a', 1000, 500, 60, 39), cell('b', 1000, 500, 60, 40), cell('c', 1000, 500, 61, 40)]]),
  );
  const statuses = primaryStatuses(table);
  assert.deepEqual(
    [statuses[at(table, 'R0', 'K0')], statuses[at(table, 'R0', 'K1')], statuses[at(table, 'R0', 'K2')]],
    ['C', 'F', 'F'],
  );
});

test('contributors of totals are organisations: one organisation in two cells of a row counts once there', () => {
  const table = aggregateContributions(
    tableOf([
      [
        [
          ['org-1', 50],
          ['org-2', 50],
        ],
        [
          ['org-1', 70],
          ['org-2', 30],
        ],
        [['org-1', 0]], // a zero amount makes no contributor: an empty cell
      ],
      [cell('x', 40, 40, 40), cell('y', 40, 40, 40), cell('z', 40, 40, 40)],
    ]),
  );
  const statuses = primaryStatuses(table);
  const rowTotal = at(table, 'R0', TOTAL);
  assert.equal(table.contributors[rowTotal], 2);
  assert.equal(table.values[rowTotal], 200);
  assert.equal(table.largest[rowTotal], 120); // org-1's row sum
  assert.equal(statuses[rowTotal], 'C');
  assert.equal(statuses[at(table, 'R0', 'K0')], 'C');
  assert.equal(table.contributors[at(table, 'R0', 'K2')], 0);
  assert.equal(statuses[at(table, 'R0', 'K2')], 'F');
  // Column K0 has org-1, org-2 and three from row 1: safe; the grand total too.
  assert.equal(statuses[at(table, TOTAL, 'K0')], 'F');
  assert.equal(table.contributors[at(table, TOTAL, TOTAL)], 2 + 9);
});

test('bad contributions are refused with every problem listed', () => {
  assert.throws(
    () =>
      aggregateContributions({
        rows: ['R0', 'R0'],
        columns: [TOTAL],
        contributions: [{ contributor: '', row: 'R9', column: 'K0', amount: -1 }],
      }),
    (error: unknown) => {
      assert.ok(error instanceof DisclosureInputError);
      assert.equal(error.problems.length, 6);
      return true;
    },
  );
  assert.throws(
    () =>
      aggregateContributions({
        rows: ['R0'],
        columns: ['K0'],
        contributions: [{ contributor: 'o', row: 'R0', column: 'K0', amount: 1.5 }],
      }),
    DisclosureInputError,
  );
});

test('audit: a suppressed cell that its row gives away fails, with the exact interval [v, v]', () => {
  const table = aggregateContributions(
    tableOf([
      [cell('a', 300, 200), cell('b', 100, 100, 100), cell('c', 100, 100, 100)],
      [cell('d', 100, 100, 100), cell('e', 100, 100, 100), cell('f', 100, 100, 100)],
    ]),
  );
  const statuses = primaryStatuses(table);
  assert.equal(statuses.filter((status) => status === 'C').length, 1);
  const audit = auditSuppression(lp, table, statuses);
  assert.equal(audit.passes, false);
  assert.deepEqual(
    audit.failures.map(({ row, column, status, value, lower, upper, isProtected }) => ({
      row,
      column,
      status,
      value,
      lower,
      upper,
      isProtected,
    })),
    [{ row: 'R0', column: 'K0', status: 'C', value: 500, lower: 500, upper: 500, isProtected: false }],
  );
  assert.throws(() => publishTable(lp, table, statuses), DisclosureAuditError);
});

test('audit: a rectangle of suppressions protects, with the exact intervals a hand calculation gives', () => {
  // 20 30 | 50      x11 = 20 + t, x12 = 30 − t, x21 = 40 − t, x22 = 50 + t, all ≥ 0:
  // 40 50 | 90      t ∈ [−20, 30], so x11 ∈ [0, 50], x12 ∈ [0, 50], x21 ∈ [10, 60], x22 ∈ [30, 80].
  const table = aggregateContributions(
    tableOf([
      [cell('a', 10, 10), cell('b', 10, 10, 10)],
      [cell('c', 20, 10, 10), cell('d', 20, 15, 15)],
    ]),
  );
  const statuses = withSecondary(table, at(table, 'R0', 'K1'), at(table, 'R1', 'K0'), at(table, 'R1', 'K1'));
  const audit = auditSuppression(lp, table, statuses);
  assert.equal(audit.passes, true);
  assert.deepEqual(
    audit.intervals.map(({ row, column, status, lower, upper }) => [row, column, status, lower, upper]),
    [
      ['R0', 'K0', 'C', 0, 50],
      ['R0', 'K1', 'D', 0, 50],
      ['R1', 'K0', 'D', 10, 60],
      ['R1', 'K1', 'D', 30, 80],
    ],
  );
  const { published } = publishTable(lp, table, statuses);
  assert.deepEqual(published.cells[0], { row: 'R0', column: 'K0', value: null, status: 'C' });
  assert.deepEqual(published.rowTotals[0], { row: 'R0', value: 50, status: 'F' });
});

test('audit: reaching exactly 10 % above passes, one unit short fails', () => {
  // 100 | x12      x11 = 100 + t with t ≤ x12 (and ≤ x21): max = 100 + min(x12, x21).
  // x21 | 200
  const build = (x12: number) =>
    aggregateContributions(
      tableOf([
        [cell('a', 60, 40), cell('b', ...Array.from({ length: x12 }, () => 1))],
        [cell('c', 50, 50, 50), cell('d', 50, 50, 50, 50)],
      ]),
    );
  for (const [x12, passes] of [
    [10, true],
    [9, false],
  ] as const) {
    const table = build(x12);
    const statuses = withSecondary(table, at(table, 'R0', 'K1'), at(table, 'R1', 'K0'), at(table, 'R1', 'K1'));
    const audit = auditSuppression(lp, table, statuses);
    const primary = audit.intervals.find((interval) => interval.status === 'C' && interval.column === 'K0')!;
    assert.equal(primary.upper, 100 + x12);
    assert.equal(primary.lower, 0);
    assert.equal(audit.passes, passes, `x12 = ${x12}`);
  }
});

test('audit: suppressed totals can make a value unbounded above', () => {
  const table = aggregateContributions(
    tableOf([
      [cell('a', 10), cell('b', 10, 10, 10)],
      [cell('c', 10, 10, 10), cell('d', 10, 10, 10)],
    ]),
  );
  // Cell (0,0) moves with its row total, column total and the grand total and nothing else.
  const statuses = withSecondary(table, at(table, 'R0', TOTAL), at(table, TOTAL, 'K0'), at(table, TOTAL, TOTAL));
  const audit = auditSuppression(lp, table, statuses);
  const primary = audit.intervals.find((interval) => interval.row === 'R0' && interval.column === 'K0')!;
  assert.deepEqual([primary.lower, primary.upper], [0, Infinity]);
  assert.equal(audit.passes, true);
});

test('audit reads only published values: tables that publish the same give the same intervals', () => {
  // The same published table, different truths behind the suppressed rectangle.
  const build = (shift: number) =>
    aggregateContributions(
      tableOf([
        [cell('a', 10 + shift), cell('b', 10, 10, 10 - shift)],
        [cell('c', 20, 10, 10 - shift), cell('d', 20, 15, 15 + shift)],
      ]),
    );
  const intervals = [0, 5].map((shift) => {
    const table = build(shift);
    const statuses: ConfidentialityStatus[] = table.values.map(() => 'F');
    for (const [row, column] of [
      ['R0', 'K0'],
      ['R0', 'K1'],
      ['R1', 'K0'],
      ['R1', 'K1'],
    ] as const) {
      statuses[at(table, row, column)] = 'D';
    }
    return auditSuppression(lp, table, statuses).intervals.map(({ lower, upper }) => [lower, upper]);
  });
  assert.deepEqual(intervals[0], intervals[1]);
});

test('publication refuses a pattern that hides or invents primary cells, or suppresses a known zero', () => {
  const table = aggregateContributions(tableOf([[cell('a', 5, 5), [], cell('b', 5, 5, 5)]]));
  const primary = primaryStatuses(table);
  const noPrimary = primary.map(() => 'F' as const);
  assert.throws(() => publishTable(lp, table, noPrimary), RangeError);
  const emptySuppressed = [...primary];
  emptySuppressed[at(table, 'R0', 'K1')] = 'D';
  assert.throws(() => publishTable(lp, table, emptySuppressed), /known zero/);
});

test('degenerate tables: a lone non-zero cell in its row, a whole table confidential, a 1 × 1 table', () => {
  const cases = {
    'lone cell in its row': tableOf([
      [cell('a', 70), [], []],
      [cell('b', 10, 10, 10), cell('c', 20, 20, 20), cell('d', 5, 5, 5)],
      [cell('e', 10, 10, 10), cell('f', 20, 20, 20), cell('g', 5, 5, 5)],
    ]),
    'two organisations in all': tableOf([
      [
        [
          ['o1', 10],
          ['o2', 5],
        ],
        [['o1', 3]],
      ],
      [[['o2', 8]], [['o1', 1]]],
    ]),
    '1 × 1': tableOf([[cell('a', 10, 20)]]),
    'a single row': tableOf([[cell('a', 9), cell('b', 10, 10, 10), cell('c', 4, 4, 4)]]),
  };
  for (const [name, input] of Object.entries(cases)) {
    const result = protectTable(lp, input);
    assert.equal(result.audit.passes, true, name);
    // Every C is suppressed, every empty cell is a published 0.
    const table = aggregateContributions(input);
    result.statuses.forEach((status, position) => {
      if (table.contributors[position] === 0) assert.equal(status, 'F', `${name}: empty position ${position}`);
    });
    for (const entry of result.published.cells) {
      if (entry.status !== 'F') assert.equal(entry.value, null);
    }
  }
  const lone = protectTable(lp, cases['lone cell in its row']);
  assert.equal(lone.published.rowTotals[0]!.status, 'C'); // the same single contributor as its cell
  assert.deepEqual(lone.published.cells[1], { row: 'R0', column: 'K1', value: 0, status: 'F' });
  const all = protectTable(lp, cases['two organisations in all']);
  assert.equal(all.published.grandTotal.status, 'C');
});

test('every method and cost protects, and the baseline does too (with more suppressions here)', () => {
  const input = tableOf([
    [cell('a', 500, 3), cell('b', 40, 40, 40), cell('c', 30, 30, 30), cell('d', 20, 20, 20)],
    [cell('e', 40, 40, 40), cell('f', 8, 1), cell('g', 30, 30, 30), cell('h', 20, 20, 20)],
    [cell('i', 40, 40, 40), cell('j', 30, 30, 30), cell('k', 30, 30, 30), cell('l', 900, 20, 20)],
  ]);
  const table = aggregateContributions(input);
  for (const options of [{}, { method: 'mip' as const }, { cost: 'cells' as const }, { lambda: 1 }, { lambda: 0 }]) {
    const result = protectTable(lp, table, options);
    assert.equal(result.audit.passes, true, JSON.stringify(options));
    assert.ok(result.secondaryCount > 0);
  }
  const baseline = chooseBaselineSuppressions(lp, table, primaryStatuses(table));
  assert.equal(auditSuppression(lp, table, baseline.statuses).passes, true);
  const ours = chooseSecondarySuppressions(lp, table, primaryStatuses(table)).statuses;
  const count = (statuses: readonly ConfidentialityStatus[]) => statuses.filter((status) => status === 'D').length;
  assert.ok(count(ours) <= count(baseline.statuses), `${count(ours)} vs ${count(baseline.statuses)}`);
});

// ---------------------------------------------------------------------------------------
// Property test over random small tables

/** mulberry32, seeded. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTable(random: () => number) {
  const rows = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, r) => `R${r}`);
  const columns = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, c) => `K${c}`);
  const organisations = 1 + Math.floor(random() * 25);
  const contributions: Contribution[] = [];
  for (let o = 0; o < organisations; o += 1) {
    const row = rows[Math.floor(random() * rows.length)]!; // one district per organisation
    const categories = 1 + Math.floor(random() * Math.min(3, columns.length));
    for (let k = 0; k < categories; k += 1) {
      const column = columns[Math.floor(random() * columns.length)]!;
      // Heavy-tailed amounts with some zeros and the occasional giant.
      const amount = random() < 0.1 ? 0 : Math.round(1 + 10 / (1 - random()) ** 1.2);
      contributions.push({ contributor: `org-${o}`, row, column, amount });
    }
  }
  return { rows, columns, contributions };
}

/** The primary rules and the true aggregates, written independently of the library. */
function naiveTruth(input: ReturnType<typeof randomTable>) {
  const key = (row: string, column: string) => `${row}|${column}`;
  const shares = new Map<string, Map<string, number>>();
  const add = (row: string, column: string, contributor: string, amount: number) => {
    const map = shares.get(key(row, column)) ?? new Map<string, number>();
    map.set(contributor, (map.get(contributor) ?? 0) + amount);
    shares.set(key(row, column), map);
  };
  for (const { contributor, row, column, amount } of input.contributions) {
    for (const [r, c] of [
      [row, column],
      [row, TOTAL],
      [TOTAL, column],
      [TOTAL, TOTAL],
    ] as const) {
      add(r, c, contributor, amount);
    }
  }
  return (row: string, column: string) => {
    const amounts = [...(shares.get(key(row, column))?.values() ?? [])]
      .filter((amount) => amount > 0)
      .sort((a, b) => b - a);
    const total = amounts.reduce((a, b) => a + b, 0);
    const confidential =
      amounts.length > 0 && (amounts.length < 3 || 10 * (total - amounts[0]! - amounts[1]!) < amounts[0]!);
    return { total, confidential, empty: amounts.length === 0 };
  };
}

/**
 * The attacker's bounds for `position`, from an LP written out here from the published table
 * alone: every position a variable ≥ 0, published ones fixed, one equation per line.
 */
function independentInterval(table: AggregatedTable, published: (number | null)[], position: number): [number, number] {
  const name = (index: number) => `x${index}`;
  const equations = table.lines.map(
    (line, k) => ` l${k}: ${line.members.map((member) => `+ ${name(member)}`).join(' ')} - ${name(line.total)} = 0`,
  );
  const bounds = published.map((value, index) =>
    value === null ? ` ${name(index)} >= 0` : ` ${name(index)} = ${value}`,
  );
  const bound = (sense: string): number => {
    const solution = highs.solve(
      [sense, ` obj: ${name(position)}`, 'Subject To', ...equations, 'Bounds', ...bounds, 'End'].join('\n'),
    );
    if (solution.Status === 'Unbounded') return Infinity;
    assert.equal(solution.Status, 'Optimal');
    return solution.ObjectiveValue;
  };
  return [bound('Minimize'), bound('Maximize')];
}

test('property: every published random table passes the audit, shows true aggregates, keeps C exact', () => {
  const random = seededRandom(20260423);
  let suppressedSomething = 0;
  for (let i = 0; i < 300; i += 1) {
    const input = randomTable(random);
    const truth = naiveTruth(input);
    const result = protectTable(lp, input);
    const table = aggregateContributions(input);
    // The audit, run again on its own, passes.
    assert.equal(auditSuppression(lp, table, result.statuses).passes, true, `table ${i}`);
    const { published } = result;
    const entries = [
      ...published.cells,
      ...published.rowTotals.map((entry) => ({ ...entry, column: TOTAL })),
      ...published.columnTotals.map((entry) => ({ ...entry, row: TOTAL })),
      { ...published.grandTotal, row: TOTAL, column: TOTAL },
    ];
    assert.equal(entries.length, (input.rows.length + 1) * (input.columns.length + 1));
    for (const entry of entries) {
      const expected = truth(entry.row, entry.column);
      const where = `table ${i} ${entry.row}/${entry.column}`;
      assert.equal(entry.status === 'C', expected.confidential, where);
      if (entry.status === 'F') assert.equal(entry.value, expected.total, where);
      else assert.equal(entry.value, null, where);
      if (expected.empty) assert.deepEqual([entry.value, entry.status], [0, 'F'], where);
    }
    if (result.secondaryCount > 0) suppressedSomething += 1;
    // The audit's intervals agree with an attacker LP written independently.
    if (i % 3 === 0) {
      const values = result.statuses.map((status, position) => (status === 'F' ? table.values[position]! : null));
      for (const interval of result.audit.intervals) {
        const [lower, upper] = independentInterval(table, values, interval.position);
        assert.ok(Math.abs(lower - interval.lower) < 1e-6, `table ${i}: lower ${lower} vs ${interval.lower}`);
        assert.ok(upper === interval.upper || Math.abs(upper - interval.upper) < 1e-6, `table ${i}: upper`);
      }
    }
    // Deterministic, and independent of the order of the contributions.
    if (i % 10 === 0) {
      const again = protectTable(lp, { ...input, contributions: [...input.contributions].reverse() });
      assert.deepEqual(again.statuses, result.statuses, `table ${i}`);
    }
  }
  // The generator must exercise the secondary suppression, not just tables with nothing to hide.
  assert.ok(suppressedSomething > 50, `${suppressedSomething} tables needed secondary suppression`);
});
