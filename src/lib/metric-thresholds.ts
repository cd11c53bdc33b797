/**
 * Metric thresholds set as decision conditions, and the check of submitted report metrics
 * against them (warning rule W7, API-CONTRACT-2 §1). A decision's `conditions` items are
 * strings or `{text, metric?: {key, min?, max?}}`; a report's metrics are `[{key, value}]`.
 * Pure.
 *
 * Boundaries are inclusive: a threshold states the allowed range, so `value = min` and
 * `value = max` are inside it ("at least 0.9" allows 0.9). A value is outside when it is
 * below `min` or above `max`.
 */

import { escapePointerToken, isNonEmptyString, isRecord } from './reference-validation.ts';

/** A metric key: a letter, then letters, digits, `_`, `.` or `-`; at most 64 characters. */
export const METRIC_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export interface MetricBounds {
  readonly key: string;
  readonly min?: number;
  readonly max?: number;
}

/** One item of a decision's `conditions`. */
export type DecisionCondition = string | { readonly text: string; readonly metric?: MetricBounds };

/** A threshold: the condition's text and its metric bounds. */
export interface MetricThreshold {
  readonly text: string;
  readonly metric: MetricBounds;
}

export interface SubmittedMetric {
  readonly key: string;
  readonly value: number;
}

/** A submitted metric outside one threshold. */
export interface MetricBreach {
  readonly key: string;
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  /** The condition's text, as the reviewer wrote it. */
  readonly text: string;
}

export const METRIC_ERROR_CODES = [
  'invalid_condition',
  'unknown_field',
  'invalid_text',
  'invalid_metric_key',
  'invalid_bound',
  'bound_required',
  'bounds_reversed',
  'invalid_value',
  'duplicate_metric',
] as const;
export type MetricErrorCode = (typeof METRIC_ERROR_CODES)[number];

/** One problem, shaped like a problem+json `errors[]` item; the pointer is relative to the list. */
export interface MetricProblem {
  readonly pointer: string;
  readonly code: MetricErrorCode;
  /** English message. */
  readonly message: string;
  readonly messageZh: string;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function checkKey(key: unknown, pointer: string, problems: MetricProblem[]): void {
  if (typeof key !== 'string' || !METRIC_KEY_PATTERN.test(key)) {
    problems.push({
      pointer,
      code: 'invalid_metric_key',
      message: `must be a metric key matching ${String(METRIC_KEY_PATTERN)} (got ${JSON.stringify(key)})`,
      messageZh: `指标名须以字母开头，仅含字母、数字、_ . -，不超过 64 个字符（收到 ${JSON.stringify(key)}）`,
    });
  }
}

function checkUnknownFields(
  value: Record<string, unknown>,
  pointer: string,
  known: readonly string[],
  problems: MetricProblem[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      problems.push({
        pointer: `${pointer}/${escapePointerToken(key)}`,
        code: 'unknown_field',
        message: 'unknown field',
        messageZh: '不应有此字段',
      });
    }
  }
}

/**
 * Every problem of a decision's `conditions` list (empty when fine), pointers relative to
 * the list (`/2/metric/min`; prefix `/conditions`): a condition is a non-empty string or
 * `{text, metric?}`; a metric has a valid key, at least one of `min` and `max`, finite
 * numbers, and `min ≤ max`.
 */
export function decisionConditionProblems(conditions: readonly unknown[]): MetricProblem[] {
  const problems: MetricProblem[] = [];
  conditions.forEach((condition, index) => {
    const at = `/${index}`;
    if (typeof condition === 'string') {
      if (!isNonEmptyString(condition)) {
        problems.push({ pointer: at, code: 'invalid_text', message: 'must not be empty', messageZh: '不能为空' });
      }
      return;
    }
    if (!isRecord(condition)) {
      problems.push({
        pointer: at,
        code: 'invalid_condition',
        message: 'must be a text or an object {text, metric?}',
        messageZh: '须为文本或对象 {text, metric?}',
      });
      return;
    }
    checkUnknownFields(condition, at, ['text', 'metric'], problems);
    if (!isNonEmptyString(condition['text'])) {
      problems.push({
        pointer: `${at}/text`,
        code: 'invalid_text',
        message: 'must be a non-empty text',
        messageZh: '须为非空文本',
      });
    }
    if (!Object.hasOwn(condition, 'metric')) return;
    const metric = condition['metric'];
    if (!isRecord(metric)) {
      problems.push({
        pointer: `${at}/metric`,
        code: 'invalid_condition',
        message: 'must be an object {key, min?, max?}',
        messageZh: '须为对象 {key, min?, max?}',
      });
      return;
    }
    checkUnknownFields(metric, `${at}/metric`, ['key', 'min', 'max'], problems);
    checkKey(metric['key'], `${at}/metric/key`, problems);
    for (const bound of ['min', 'max'] as const) {
      if (Object.hasOwn(metric, bound) && !isFiniteNumber(metric[bound])) {
        problems.push({
          pointer: `${at}/metric/${bound}`,
          code: 'invalid_bound',
          message: 'must be a finite number',
          messageZh: '须为有限数值',
        });
      }
    }
    const { min, max } = metric;
    if (min === undefined && max === undefined) {
      problems.push({
        pointer: `${at}/metric`,
        code: 'bound_required',
        message: 'needs min, max or both',
        messageZh: '须至少给出 min 或 max',
      });
    } else if (isFiniteNumber(min) && isFiniteNumber(max) && min > max) {
      problems.push({
        pointer: `${at}/metric/max`,
        code: 'bounds_reversed',
        message: `max (${max}) is below min (${min})`,
        messageZh: `上限（${max}）小于下限（${min}）`,
      });
    }
  });
  return problems;
}

/** The thresholds among a decision's conditions (validated ones: see `decisionConditionProblems`). */
export function metricThresholds(conditions: readonly DecisionCondition[]): MetricThreshold[] {
  return conditions.flatMap((condition) =>
    typeof condition !== 'string' && condition.metric !== undefined
      ? [{ text: condition.text, metric: condition.metric }]
      : [],
  );
}

/**
 * Every problem of a report's `metrics` list (empty when fine), pointers relative to the
 * list (`/1/value`): a valid key, a finite number, each key once.
 */
export function submittedMetricProblems(metrics: readonly SubmittedMetric[]): MetricProblem[] {
  const problems: MetricProblem[] = [];
  const seen = new Set<string>();
  metrics.forEach(({ key, value }, index) => {
    checkKey(key, `/${index}/key`, problems);
    if (!isFiniteNumber(value)) {
      problems.push({
        pointer: `/${index}/value`,
        code: 'invalid_value',
        message: 'must be a finite number',
        messageZh: '须为有限数值',
      });
    }
    if (seen.has(key)) {
      problems.push({
        pointer: `/${index}/key`,
        code: 'duplicate_metric',
        message: `"${key}" is reported more than once`,
        messageZh: `指标“${key}”重复填报`,
      });
    }
    seen.add(key);
  });
  return problems;
}

/** Whether `value` is outside `bounds` (bounds inclusive). */
export function isOutsideBounds(value: number, bounds: MetricBounds): boolean {
  return (bounds.min !== undefined && value < bounds.min) || (bounds.max !== undefined && value > bounds.max);
}

/**
 * Every (metric, threshold) pair where a submitted metric is outside a threshold, in
 * threshold order. A threshold whose metric was not submitted is not a breach — see
 * `missingThresholdMetrics` to require it.
 */
export function metricBreaches(
  thresholds: readonly MetricThreshold[],
  metrics: readonly SubmittedMetric[],
): MetricBreach[] {
  const values = new Map(metrics.map(({ key, value }) => [key, value]));
  return thresholds.flatMap(({ text, metric }) => {
    const value = values.get(metric.key);
    if (value === undefined || !isOutsideBounds(value, metric)) return [];
    return [{ key: metric.key, value, ...pick(metric), text }];
  });
}

function pick({ min, max }: MetricBounds): { min?: number; max?: number } {
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

/** Threshold keys with no submitted metric, each once, in threshold order. */
export function missingThresholdMetrics(
  thresholds: readonly MetricThreshold[],
  metrics: readonly SubmittedMetric[],
): string[] {
  const submitted = new Set(metrics.map(({ key }) => key));
  return [...new Set(thresholds.map(({ metric }) => metric.key))].filter((key) => !submitted.has(key));
}
