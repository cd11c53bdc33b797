import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILING_EVENTS,
  FILING_STATUSES,
  FILING_TRANSITIONS,
  IllegalTransitionError,
  isClockRunning,
  kindForTier,
  needsTransparencyMeasures,
  nextStatus,
} from './filings.ts';
import { RISK_TIERS } from './risk.ts';

test('the transition table is exactly the documented life cycle', () => {
  const table: Record<string, Record<string, string>> = {};
  for (const status of FILING_STATUSES) {
    for (const event of FILING_EVENTS) {
      try {
        (table[status] ??= {})[event] = nextStatus(status, event);
      } catch (error) {
        assert.ok(error instanceof IllegalTransitionError);
        assert.equal(error.currentStatus, status);
      }
    }
  }
  assert.deepEqual(table, {
    draft: {
      edit: 'draft',
      attach_document: 'draft',
      remove_document: 'draft',
      submit_disclosure: 'accepted',
      submit_assessment: 'submitted',
      withdraw: 'withdrawn',
    },
    submitted: { claim: 'under_review', withdraw: 'withdrawn' },
    under_review: {
      reassign: 'under_review',
      request_information: 'information_requested',
      approve: 'approved',
      approve_with_conditions: 'approved_with_conditions',
      reject: 'rejected',
      withdraw: 'withdrawn',
    },
    information_requested: {
      attach_document: 'information_requested',
      remove_document: 'information_requested',
      respond: 'under_review',
      withdraw: 'withdrawn',
    },
    accepted: {},
    approved: {},
    approved_with_conditions: {},
    rejected: {},
    withdrawn: {},
  });
  assert.deepEqual(Object.keys(FILING_TRANSITIONS).sort(), [...FILING_STATUSES].sort());
});

test('every status is reachable from draft and every decision is terminal', () => {
  const reachable = new Set<string>(['draft']);
  let grew = true;
  while (grew) {
    grew = false;
    for (const status of [...reachable]) {
      for (const next of Object.values(FILING_TRANSITIONS[status as keyof typeof FILING_TRANSITIONS])) {
        if (!reachable.has(next)) {
          reachable.add(next);
          grew = true;
        }
      }
    }
  }
  assert.deepEqual([...reachable].sort(), [...FILING_STATUSES].sort());
  for (const terminal of ['accepted', 'approved', 'approved_with_conditions', 'rejected', 'withdrawn'] as const) {
    assert.deepEqual(FILING_TRANSITIONS[terminal], {});
  }
});

test('tier → filing kind, and when a disclosure must state its transparency measures', () => {
  assert.deepEqual(
    RISK_TIERS.map((tier) => [tier, kindForTier(tier)]),
    [
      ['prohibited', undefined],
      ['high', 'assessment'],
      ['medium', 'disclosure'],
      ['low', 'disclosure'],
    ],
  );
  assert.equal(needsTransparencyMeasures('disclosure', 'medium'), true);
  assert.equal(needsTransparencyMeasures('disclosure', 'low'), false);
  assert.equal(needsTransparencyMeasures('assessment', 'high'), false);
  // The clock runs while a filing is submitted or under review, never while information is requested.
  assert.deepEqual(
    FILING_STATUSES.filter((status) => isClockRunning(status)),
    ['submitted', 'under_review'],
  );
});
