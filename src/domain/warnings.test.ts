import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WARNING_LEVELS,
  compareWarningLevels,
  effectiveWarningLevel,
  isPublicWarningLevel,
  isSuspended,
} from './warnings.ts';

test('levels: blue < yellow < orange < red; the effective level is the highest active one', () => {
  assert.deepEqual(WARNING_LEVELS, ['blue', 'yellow', 'orange', 'red']);
  assert.ok(compareWarningLevels('blue', 'yellow') < 0 && compareWarningLevels('red', 'orange') > 0);
  assert.equal(compareWarningLevels('yellow', 'yellow'), 0);
  assert.equal(effectiveWarningLevel([]), null);
  assert.equal(effectiveWarningLevel(['blue']), 'blue');
  assert.equal(effectiveWarningLevel(['yellow', 'blue', 'yellow']), 'yellow');
  assert.equal(effectiveWarningLevel(['blue', 'orange', 'yellow']), 'orange');
  assert.equal(effectiveWarningLevel(new Set(['orange', 'red', 'blue'] as const)), 'red');
  assert.equal(isSuspended([]), false);
  assert.equal(isSuspended(['orange', 'yellow', 'blue']), false);
  assert.equal(isSuspended(['blue', 'red']), true);
  assert.deepEqual(WARNING_LEVELS.filter(isPublicWarningLevel), ['orange', 'red']);
});
