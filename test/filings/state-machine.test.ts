import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILING_EVENTS,
  FILING_STATUSES,
  FILING_TRANSITIONS,
  IllegalTransitionError,
  nextStatus,
} from '../../src/modules/filings/state-machine.ts';

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
    information_requested: { attach_document: 'information_requested', respond: 'under_review', withdraw: 'withdrawn' },
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
