/**
 * k-anonymous extracts (API-CONTRACT-2 §4, `GET /api/v1/access-grants/{id}/extract.csv`): every
 * combination of the granted quasi-identifier values must occur in at least k rows.
 *
 * Algorithm: **strict Mondrian multidimensional partitioning**, LeFevre, DeWitt & Ramakrishnan,
 * "Mondrian Multidimensional K-Anonymity", ICDE 2006. Starting from the whole table, a partition
 * is cut in two along one quasi-identifier while both halves keep ≥ k rows; a partition that
 * admits no such cut is an equivalence class, and each of its quasi-identifiers is generalised to
 * the range (numbers, dates) or set (text) of the values it holds. Choices within the paper:
 * - *Strict* (the halves do not overlap: all rows with one value go to the same side), not
 *   relaxed: each class is then a box of its own, and an extract never shows two overlapping
 *   ranges for the same value.
 * - The dimension cut is the one with the widest normalised range in the partition (numbers and
 *   dates: span ÷ the whole table's span, or 1 while the partition mixes empty and non-empty
 *   values; text: distinct values ÷ the table's); if it admits no cut, the next widest is tried. The cut is at the value boundary nearest the median row that
 *   leaves ≥ k rows on each side (the paper's median split, moved to where a run of equal values
 *   allows it). Ties go to the quasi-identifier declared first.
 * - Text without a taxonomy is ordered by its UTF-16 code units and cut like a number; the class
 *   shows the set of values it holds.
 * - Empty values (null) are a value of their own, ordered before all others.
 * Suppression is the last resort: Mondrian always ends with classes of ≥ k rows when the table
 * has ≥ k rows, so rows are suppressed only when the whole table has fewer than k.
 *
 * Generalised cells (text format of the extract):
 * - `v` — the class holds the one value v (unchanged; a text value starting with `[`, `{` or `\`
 *   gets a `\` in front, so that it cannot be read as a generalisation);
 * - `[lo..hi]` — numbers or dates: every value lies in the closed interval (`..` because `-`
 *   belongs to negative numbers and dates: `[-5..-1]`, `[2026-01-01..2026-03-31]`);
 * - `{a|b|c}` — text: one of these values, sorted; `\`, `|`, `{`, `}` inside a value are
 *   escaped with `\`;
 * - an empty element in a set stands for the empty value: `{|a|b}`, and a number or date class
 *   that also holds empty values is written `{|25}` or `{|[20..29]}`;
 * - an empty cell: every row of the class has the empty value there.
 *
 * Information loss: the share of rows suppressed, the average class size (and C_AVG = that ÷ k,
 * LeFevre et al. §4; 1 is ideal) and the normalised certainty penalty (NCP; Xu, Wang, Pei, Wang,
 * Shi & Fu, "Utility-Based Anonymization Using Local Recoding", KDD 2006): per released row and
 * quasi-identifier, (hi − lo) ÷ the table's span for numbers and dates, (values in the set − 1) ÷
 * (distinct values in the table − 1) for text, and 1 for a number or date class mixing empty and
 * non-empty values; averaged, 0 = nothing generalised, 1 = everything.
 *
 * What k-anonymity does not do: it hides who is who among k rows, not what they share — a class
 * whose sensitive values are all equal still discloses that value (l-diversity is beyond this
 * contract). The rows of each class leave in an order shuffled with a seed (one per grant, so
 * repeated downloads are identical): the order of the upload could otherwise re-identify rows,
 * e.g. a file sorted by a withheld name column.
 *
 * Deterministic: the same table, quasi-identifiers, k and seed give the same result. Built for
 * 1,000,000 rows: ranks, row order and scratch space are typed arrays; no object per row.
 */
import type { DatasetValue } from './csv-dataset.ts';
import type { DatasetColumns, NumberColumn, TextColumn } from './dataset-columns.ts';
import { seededRandom } from './seeded-random.ts';

export interface KAnonymityOptions {
  /** Each combination of generalised quasi-identifier values occurs in ≥ k rows (integer ≥ 1). */
  k: number;
  /** Seed of the order of rows inside each class (derive it from the grant). */
  seed: number;
}

export interface InformationLoss {
  /** Rows suppressed ÷ rows in. */
  suppressedShare: number;
  /** Rows released ÷ equivalence classes (0 when nothing is released). */
  averageClassSize: number;
  /** averageClassSize ÷ k: C_AVG of LeFevre et al.; 1 is the ideal. */
  normalizedAverageClassSize: number;
  /** Mean normalised certainty penalty over released rows and quasi-identifiers, 0…1. */
  certaintyPenalty: number;
}

export interface KAnonymityResult {
  k: number;
  rows: number;
  released: number;
  suppressed: number;
  classCount: number;
  /** Released row numbers (0-based, into the table), class after class. */
  order: Uint32Array;
  /** Class c is `order[classStarts[c] … classStarts[c + 1])`; length classCount + 1. */
  classStarts: Uint32Array;
  loss: InformationLoss;
  /**
   * The generalised cells of class c, one per quasi-identifier in the order given: text, or the
   * number itself where a number column holds one value (null = empty).
   */
  classValues(classIndex: number): DatasetValue[];
}

/** One quasi-identifier prepared for partitioning: each row's rank among the column's values. */
interface Dimension {
  /** 0 = null, 1…distinct = the values in ascending order. */
  ranks: Uint32Array;
  distinct: number;
  /** Numbers and dates: position of each rank on the number line (rank 0 unused); text: undefined. */
  positions: Float64Array | undefined;
  /** Text of each rank, as it appears in a generalised cell. */
  text(rank: number): string;
  isText: boolean;
  isDate: boolean;
  /** positions[distinct] − positions[1], or 0. */
  span: number;
  /** Some row has the empty value. */
  hasNull: boolean;
}

/**
 * Anonymises `table` over the quasi-identifier columns `quasiIdentifiers` (indexes into
 * `table.columns`) with strict Mondrian. With no quasi-identifier every row is released as one
 * class (nothing to generalise; the contract's rule applies only when one is granted).
 */
export function anonymize(
  table: DatasetColumns,
  quasiIdentifiers: readonly number[],
  options: KAnonymityOptions,
): KAnonymityResult {
  const { k, seed } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be an integer ≥ 1');
  const rows = table.rowCount;
  const dimensions = quasiIdentifiers.map((column) => prepareDimension(table, column, rows));

  if (rows === 0 || (dimensions.length > 0 && rows < k)) {
    return result(k, rows, new Uint32Array(0), new Uint32Array([0]), dimensions);
  }
  const order = new Uint32Array(rows);
  for (let row = 0; row < rows; row += 1) order[row] = row;
  const starts = dimensions.length === 0 ? [0] : partition(order, dimensions, k);
  starts.push(rows);
  const classStarts = Uint32Array.from(starts);

  // The order inside each class owes nothing to the upload's order (see the file comment).
  const random = seededRandom(seed);
  for (let c = 0; c + 1 < classStarts.length; c += 1) {
    const start = classStarts[c]!;
    for (let i = classStarts[c + 1]! - 1; i > start; i -= 1) {
      const j = start + Math.floor(random() * (i - start + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
  }
  return result(k, rows, order, classStarts, dimensions);
}

/** Strict Mondrian over `order` in place; returns the start offset of each class, in order. */
function partition(order: Uint32Array, dimensions: readonly Dimension[], k: number): number[] {
  const rows = order.length;
  const scratch = new Uint32Array(rows);
  const keys = new Uint32Array(rows);
  const counts = new Uint32Array(Math.max(...dimensions.map((dimension) => dimension.distinct)) + 1);
  const seen = dimensions.map((dimension) => (dimension.isText ? new Uint32Array(dimension.distinct + 1) : undefined));
  let stamp = 0;
  const widths = new Float64Array(dimensions.length);
  const extent = { min: 0, max: 0 };
  const minRanks = new Uint32Array(dimensions.length);
  const maxRanks = new Uint32Array(dimensions.length);
  const byWidth = dimensions.map((_, index) => index);
  const starts: number[] = [];
  // Depth-first, left half first, so that classes come out in the order of `order`.
  const stack: number[] = [0, rows];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    const size = end - start;
    let cut = -1;
    if (size >= 2 * k) {
      stamp += 1;
      for (let d = 0; d < dimensions.length; d += 1) {
        widths[d] = normalisedWidth(dimensions[d]!, order, start, end, seen[d], stamp, extent);
        minRanks[d] = extent.min;
        maxRanks[d] = extent.max;
      }
      byWidth.sort((a, b) => widths[b]! - widths[a]! || a - b);
      for (const d of byWidth) {
        if (widths[d]! === 0) break;
        const ranks = dimensions[d]!.ranks;
        const boundary =
          maxRanks[d]! - minRanks[d]! < size
            ? histogramBoundary(ranks, order, start, end, k, minRanks[d]!, maxRanks[d]!, counts)
            : sortedBoundary(ranks, order, start, end, k, keys);
        if (boundary.at < 0) continue;
        // Stable partition: rank ≤ the highest rank left of the boundary goes left.
        let left = 0;
        let right = boundary.at;
        for (let i = start; i < end; i += 1) {
          const row = order[i]!;
          if (ranks[row]! <= boundary.limit) scratch[left++] = row;
          else scratch[right++] = row;
        }
        order.set(scratch.subarray(0, size), start);
        cut = start + boundary.at;
        break;
      }
    }
    if (cut < 0) starts.push(start);
    else stack.push(cut, end, start, cut);
  }
  return starts;
}

/** A cut: `at` rows (those with rank ≤ `limit`) go left; `at` = −1 when there is none. */
interface Boundary {
  at: number;
  limit: number;
}

/**
 * The boundary between two different ranks that leaves ≥ k rows on each side and lies nearest
 * the middle row (the lower one on a tie), found by sorting the partition's ranks. Used when the
 * partition spans more ranks than it has rows.
 */
export function sortedBoundary(
  ranks: Uint32Array,
  order: Uint32Array,
  start: number,
  end: number,
  k: number,
  keys: Uint32Array,
): Boundary {
  const size = end - start;
  for (let i = 0; i < size; i += 1) keys[i] = ranks[order[start + i]!]!;
  const sorted = keys.subarray(0, size).sort();
  const at = medianBoundary(sorted, k);
  return { at, limit: at < 0 ? 0 : sorted[at - 1]! };
}

/**
 * The same boundary as {@link sortedBoundary}, from a histogram of the ranks (O(rows + ranks));
 * both are exported for the test that holds them equal.
 */
export function histogramBoundary(
  ranks: Uint32Array,
  order: Uint32Array,
  start: number,
  end: number,
  k: number,
  minRank: number,
  maxRank: number,
  counts: Uint32Array,
): Boundary {
  const size = end - start;
  counts.fill(0, minRank, maxRank + 1);
  for (let i = start; i < end; i += 1) counts[ranks[order[i]!]!]! += 1;
  const middle = size >> 1;
  let best: Boundary = { at: -1, limit: 0 };
  let bestDistance = Number.POSITIVE_INFINITY;
  let below = 0;
  for (let rank = minRank; rank < maxRank; rank += 1) {
    if (counts[rank] === 0) continue;
    below += counts[rank]!;
    const distance = Math.abs(below - middle);
    if (below > middle && distance > bestDistance) break;
    if (below >= k && below <= size - k && distance < bestDistance) {
      best = { at: below, limit: rank };
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The boundary b (1 ≤ b < n) between two different ranks of `sorted` that leaves ≥ k rows on
 * each side and lies nearest the middle (the lower one on a tie), or −1.
 */
function medianBoundary(sorted: Uint32Array, k: number): number {
  const n = sorted.length;
  if (n < 2 * k) return -1;
  const middle = n >> 1;
  for (let delta = 0; middle - delta >= k || middle + delta <= n - k; delta += 1) {
    const low = middle - delta;
    if (low >= k && sorted[low - 1]! < sorted[low]!) return low;
    const high = middle + delta;
    if (high <= n - k && sorted[high - 1]! < sorted[high]!) return high;
  }
  return -1;
}

/**
 * The normalised width of a partition in one dimension (see the file comment); also leaves the
 * lowest and highest rank present (null included, as rank 0) in `extent`.
 */
function normalisedWidth(
  dimension: Dimension,
  order: Uint32Array,
  start: number,
  end: number,
  seen: Uint32Array | undefined,
  stamp: number,
  extent: { min: number; max: number },
): number {
  const ranks = dimension.ranks;
  if (seen !== undefined) {
    let distinct = 0;
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (let i = start; i < end; i += 1) {
      const rank = ranks[order[i]!]!;
      if (seen[rank] !== stamp) {
        seen[rank] = stamp;
        distinct += 1;
        if (rank < min) min = rank;
        if (rank > max) max = rank;
      }
    }
    extent.min = min;
    extent.max = max;
    // Null counts as a value of its own; one value left means nothing to cut.
    const total = dimension.distinct + (dimension.hasNull ? 1 : 0);
    return distinct <= 1 ? 0 : distinct / total;
  }
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  let hasNull = false;
  for (let i = start; i < end; i += 1) {
    const rank = ranks[order[i]!]!;
    if (rank === 0) hasNull = true;
    else {
      if (rank < min) min = rank;
      if (rank > max) max = rank;
    }
  }
  extent.min = hasNull ? 0 : min;
  extent.max = max;
  if (max === 0) return 0; // only nulls
  // Mixing empty and non-empty values costs most (NCP 1), so it is cut first when it can be.
  if (hasNull) return 1;
  if (dimension.span === 0) return 0;
  return (dimension.positions![max]! - dimension.positions![min]!) / dimension.span;
}

function prepareDimension(table: DatasetColumns, columnIndex: number, rows: number): Dimension {
  const column = table.columns[columnIndex];
  if (column === undefined) throw new RangeError(`no column ${columnIndex}`);
  return column.kind === 'number' ? numberDimension(column, rows) : textDimension(column, rows);
}

function numberDimension(column: NumberColumn, rows: number): Dimension {
  const values = column.values(rows);
  // TypedArray sort is numeric and puts NaN (null) last.
  const sorted = Float64Array.from(values).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length && !Number.isNaN(sorted[i]!); i += 1) {
    if (distinct === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i]!;
  }
  const positions = new Float64Array(distinct + 1);
  positions.set(sorted.subarray(0, distinct), 1);
  const ranks = new Uint32Array(rows);
  let hasNull = false;
  for (let row = 0; row < rows; row += 1) {
    const value = values[row]!;
    if (Number.isNaN(value)) hasNull = true;
    else ranks[row] = lowerBound(positions, value, 1, distinct + 1);
  }
  return {
    ranks,
    distinct,
    positions,
    text: (rank) => String(positions[rank]!),
    isText: false,
    isDate: false,
    span: distinct > 1 ? positions[distinct]! - positions[1]! : 0,
    hasNull,
  };
}

function textDimension(column: TextColumn, rows: number): Dimension {
  const dictionary = column.dictionary;
  // Codes are in order of first appearance; ranks are in value order (UTF-16 code units, which
  // for YYYY-MM-DD dates is the calendar order).
  const codes = Array.from({ length: dictionary.length - 1 }, (_, i) => i + 1);
  codes.sort((a, b) => (dictionary[a]! < dictionary[b]! ? -1 : 1));
  const rankOfCode = new Uint32Array(dictionary.length);
  const textOfRank: string[] = [''];
  for (const [index, code] of codes.entries()) {
    rankOfCode[code] = index + 1;
    textOfRank.push(dictionary[code]!);
  }
  const distinct = codes.length;
  const source = column.codes(rows);
  const ranks = new Uint32Array(rows);
  let hasNull = false;
  for (let row = 0; row < rows; row += 1) {
    const code = source[row]!;
    if (code === 0) hasNull = true;
    ranks[row] = rankOfCode[code]!;
  }
  let positions: Float64Array | undefined;
  if (column.type === 'date') {
    positions = new Float64Array(distinct + 1);
    for (let rank = 1; rank <= distinct; rank += 1)
      positions[rank] = Date.parse(`${textOfRank[rank]!}T00:00:00Z`) / 86_400_000;
  }
  return {
    ranks,
    distinct,
    positions,
    text: (rank) => textOfRank[rank]!,
    isText: column.type === 'string',
    isDate: column.type === 'date',
    span: positions !== undefined && distinct > 1 ? positions[distinct]! - positions[1]! : 0,
    hasNull,
  };
}

/** First index in sorted[from, to) whose value is ≥ value. */
function lowerBound(sorted: Float64Array, value: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** What one class holds in one quasi-identifier. */
interface ClassExtent {
  hasNull: boolean;
  /** Ranks present, ascending (text), or [min, max] (numbers and dates); empty if only nulls. */
  ranks: number[];
}

function classExtent(
  dimension: Dimension,
  order: Uint32Array,
  start: number,
  end: number,
  marks: RankMarks | undefined,
): ClassExtent {
  const ranks = dimension.ranks;
  let hasNull = false;
  if (marks !== undefined) {
    marks.stamp += 1;
    const present: number[] = [];
    for (let i = start; i < end; i += 1) {
      const rank = ranks[order[i]!]!;
      if (rank === 0) hasNull = true;
      else if (marks.seen[rank] !== marks.stamp) {
        marks.seen[rank] = marks.stamp;
        present.push(rank);
      }
    }
    return { hasNull, ranks: present.sort((a, b) => a - b) };
  }
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (let i = start; i < end; i += 1) {
    const rank = ranks[order[i]!]!;
    if (rank === 0) hasNull = true;
    else {
      if (rank < min) min = rank;
      if (rank > max) max = rank;
    }
  }
  return { hasNull, ranks: max === 0 ? [] : [min, max] };
}

/** Which ranks of a text dimension one class has been seen to hold (a stamp per class visit). */
interface RankMarks {
  seen: Uint32Array;
  stamp: number;
}

const rankMarks = (dimensions: readonly Dimension[]): (RankMarks | undefined)[] =>
  dimensions.map((dimension) =>
    dimension.isText ? { seen: new Uint32Array(dimension.distinct + 1), stamp: 0 } : undefined,
  );

/** The generalised cell for one class and quasi-identifier (format in the file comment). */
function renderCell(dimension: Dimension, extent: ClassExtent): DatasetValue {
  const { hasNull, ranks } = extent;
  if (ranks.length === 0) return null;
  if (dimension.isText) {
    if (!hasNull && ranks.length === 1) return escapeSingle(dimension.text(ranks[0]!));
    const elements = ranks.map((rank) => escapeElement(dimension.text(rank)));
    return `{${hasNull ? '|' : ''}${elements.join('|')}}`;
  }
  const [min, max] = ranks as [number, number];
  // One number stays a number: it is the value itself (and no CSV formula escape applies to it).
  if (min === max && !hasNull && dimension.positions !== undefined && !dimension.isDate)
    return dimension.positions[min]!;
  const value = min === max ? dimension.text(min) : `[${dimension.text(min)}..${dimension.text(max)}]`;
  return hasNull ? `{|${value}}` : value;
}

const escapeSingle = (text: string): string => (/^[[{\\]/.test(text) ? `\\${text}` : text);
const escapeElement = (text: string): string => text.replace(/[\\|{}]/g, (c) => `\\${c}`);

function certaintyPenalty(dimension: Dimension, extent: ClassExtent): number {
  const { hasNull, ranks } = extent;
  if (ranks.length === 0) return 0;
  if (dimension.isText) {
    const total = dimension.distinct + (dimension.hasNull ? 1 : 0);
    return total <= 1 ? 0 : (ranks.length + (hasNull ? 1 : 0) - 1) / (total - 1);
  }
  if (hasNull) return 1;
  return dimension.span === 0
    ? 0
    : (dimension.positions![ranks[1]!]! - dimension.positions![ranks[0]!]!) / dimension.span;
}

function result(
  k: number,
  rows: number,
  order: Uint32Array,
  classStarts: Uint32Array,
  dimensions: readonly Dimension[],
): KAnonymityResult {
  const released = order.length;
  const classCount = classStarts.length - 1;
  const marks = rankMarks(dimensions);
  let penalty = 0;
  for (let c = 0; c < classCount; c += 1) {
    const start = classStarts[c]!;
    const end = classStarts[c + 1]!;
    dimensions.forEach((dimension, d) => {
      penalty += certaintyPenalty(dimension, classExtent(dimension, order, start, end, marks[d])) * (end - start);
    });
  }
  const averageClassSize = classCount === 0 ? 0 : released / classCount;
  return {
    k,
    rows,
    released,
    suppressed: rows - released,
    classCount,
    order,
    classStarts,
    loss: {
      suppressedShare: rows === 0 ? 0 : (rows - released) / rows,
      averageClassSize,
      normalizedAverageClassSize: averageClassSize / k,
      certaintyPenalty: released === 0 || dimensions.length === 0 ? 0 : penalty / (released * dimensions.length),
    },
    classValues(classIndex) {
      if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classCount) {
        throw new RangeError(`no class ${classIndex}`);
      }
      const start = classStarts[classIndex]!;
      const end = classStarts[classIndex + 1]!;
      return dimensions.map((dimension, d) =>
        renderCell(dimension, classExtent(dimension, order, start, end, marks[d])),
      );
    },
  };
}
