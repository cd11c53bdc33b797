/**
 * A simple secondary-suppression baseline, for the benchmark's comparison only (never used to
 * publish): audit; for every unprotected primary position, suppress the smallest published
 * non-empty position of each line through it (its row, its column — for a total, the totals'
 * line and its own line); audit again, until the audit passes: the naive "smallest cell in the
 * row and in the column" rule, made safe by iterating on the exact audit. It terminates: every round suppresses at least one more
 * position, and a table with every non-empty position suppressed passes.
 */
import type { LpSolver } from './lp.ts';
import { auditSuppression } from './disclosure-audit.ts';
import type { AggregatedTable, ConfidentialityStatus } from './disclosure-table.ts';

export function chooseBaselineSuppressions(
  lp: LpSolver,
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
): { statuses: ConfidentialityStatus[]; rounds: number } {
  const result = [...statuses];
  const linesThrough = table.values.map(() => [] as (readonly number[])[]);
  for (const line of table.lines) {
    const positions = [...line.members, line.total];
    for (const position of positions) linesThrough[position]!.push(positions);
  }
  for (let rounds = 1; ; rounds += 1) {
    const audit = auditSuppression(lp, table, result);
    if (audit.passes) return { statuses: result, rounds };
    let added = 0;
    for (const failure of audit.failures) {
      for (const line of linesThrough[failure.position]!) {
        let smallest: number | undefined;
        for (const candidate of line) {
          const value = table.values[candidate]!;
          if (result[candidate] !== 'F' || value === 0) continue;
          if (smallest === undefined || value < table.values[smallest]!) smallest = candidate;
        }
        if (smallest !== undefined) {
          result[smallest] = 'D';
          added += 1;
        }
      }
    }
    if (added === 0) {
      // Every line through the failures is suppressed already: widen to everything non-empty.
      result.forEach((status, position) => {
        if (status === 'F' && table.values[position]! > 0) result[position] = 'D';
      });
    }
  }
}
