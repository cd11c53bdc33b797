import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decisionConditionProblems,
  isOutsideBounds,
  metricBreaches,
  metricThresholds,
  missingThresholdMetrics,
  submittedMetricProblems,
} from './metric-thresholds.ts';
import type { DecisionCondition } from './metric-thresholds.ts';

const CONDITIONS: DecisionCondition[] = [
  '每季度开展一次人工复核',
  { text: '识别准确率不低于 90%', metric: { key: 'accuracy', min: 0.9 } },
  { text: 'Complaint rate at most 2 per 1,000 users', metric: { key: 'complaintsPerThousand', max: 2 } },
  { text: '误报率在 1%–5% 之间', metric: { key: 'falsePositiveRate', min: 0.01, max: 0.05 } },
  { text: 'Publish a transparency notice' },
];

test('thresholds are the conditions with a metric, in order', () => {
  assert.deepEqual(
    metricThresholds(CONDITIONS).map(({ metric }) => metric.key),
    ['accuracy', 'complaintsPerThousand', 'falsePositiveRate'],
  );
  assert.deepEqual(decisionConditionProblems(CONDITIONS), []);
});

test('bounds are inclusive: min and max themselves are inside', () => {
  const min = { key: 'm', min: 0.9 };
  assert.equal(isOutsideBounds(0.9, min), false);
  assert.equal(isOutsideBounds(0.8999, min), true);
  assert.equal(isOutsideBounds(5, min), false);
  const max = { key: 'm', max: 2 };
  assert.equal(isOutsideBounds(2, max), false);
  assert.equal(isOutsideBounds(2.0001, max), true);
  assert.equal(isOutsideBounds(-1, max), false);
  const both = { key: 'm', min: 0.01, max: 0.05 };
  assert.deepEqual(
    [0.0099, 0.01, 0.03, 0.05, 0.0501].map((value) => isOutsideBounds(value, both)),
    [true, false, false, false, true],
  );
  // A degenerate range allows exactly one value.
  assert.equal(isOutsideBounds(3, { key: 'm', min: 3, max: 3 }), false);
});

test('breaches: every submitted metric outside a threshold; a missing metric is not a breach', () => {
  const thresholds = metricThresholds(CONDITIONS);
  assert.deepEqual(
    metricBreaches(thresholds, [
      { key: 'accuracy', value: 0.9 },
      { key: 'complaintsPerThousand', value: 2 },
      { key: 'falsePositiveRate', value: 0.05 },
    ]),
    [],
  );
  assert.deepEqual(
    metricBreaches(thresholds, [
      { key: 'falsePositiveRate', value: 0.001 },
      { key: 'accuracy', value: 0.85 },
      { key: 'unrelated', value: 1e9 },
    ]),
    [
      { key: 'accuracy', value: 0.85, min: 0.9, text: '识别准确率不低于 90%' },
      { key: 'falsePositiveRate', value: 0.001, min: 0.01, max: 0.05, text: '误报率在 1%–5% 之间' },
    ],
  );
  assert.deepEqual(missingThresholdMetrics(thresholds, [{ key: 'accuracy', value: 0.95 }]), [
    'complaintsPerThousand',
    'falsePositiveRate',
  ]);
  // Two thresholds on one key are checked separately and the key is missing once.
  const twice = [
    { text: 'a', metric: { key: 'x', min: 1 } },
    { text: 'b', metric: { key: 'x', max: 5 } },
  ];
  assert.deepEqual(missingThresholdMetrics(twice, []), ['x']);
  assert.deepEqual(
    metricBreaches(twice, [{ key: 'x', value: 6 }]).map(({ text }) => text),
    ['b'],
  );
});

test('decision condition problems, with pointers relative to the list', () => {
  const problems = decisionConditionProblems([
    '',
    42,
    { text: '', metric: { key: 'ok', min: 1 } },
    { text: 't', metric: { key: '1bad', min: 1 } },
    { text: 't', metric: { key: 'k' } },
    { text: 't', metric: { key: 'k', min: 5, max: 1 } },
    { text: 't', metric: { key: 'k', min: '1', max: Number.POSITIVE_INFINITY } },
    { text: 't', extra: true, metric: { key: 'k', max: 1, unit: '%' } },
    { text: 't', metric: 'accuracy' },
  ]);
  assert.deepEqual(
    problems.map(({ pointer, code }) => `${pointer} ${code}`),
    [
      '/0 invalid_text',
      '/1 invalid_condition',
      '/2/text invalid_text',
      '/3/metric/key invalid_metric_key',
      '/4/metric bound_required',
      '/5/metric/max bounds_reversed',
      '/6/metric/min invalid_bound',
      '/6/metric/max invalid_bound',
      '/7/extra unknown_field',
      '/7/metric/unit unknown_field',
      '/8/metric invalid_condition',
    ],
  );
  for (const problem of problems) assert.ok(problem.message && /[\u4e00-\u9fff]/.test(problem.messageZh));
});

test('submitted metric problems: key, finite value, each key once', () => {
  assert.deepEqual(
    submittedMetricProblems([
      { key: 'accuracy', value: 0.9 },
      { key: 'accuracy', value: 0.8 },
      { key: 'bad key', value: 1 },
      { key: 'nan', value: Number.NaN },
    ]).map(({ pointer, code }) => `${pointer} ${code}`),
    ['/1/key duplicate_metric', '/2/key invalid_metric_key', '/3/value invalid_value'],
  );
  assert.deepEqual(submittedMetricProblems([]), []);
});
