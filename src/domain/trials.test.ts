import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCalendarDays } from './civil-date.ts';
import { ORGANIZATION_STATUSES, ORGANIZATION_TYPES } from './identity.ts';
import { RISK_TIERS } from './risk.ts';
import {
  adverseEventReportDeadline,
  checkEligibility,
  checkEnrolment,
  checkExtension,
  finalReportDeadline,
  IllegalTrialTransitionError,
  isAdverseEventReportedLate,
  isPublicTrialStatus,
  nextTrialStatus,
  reviewConclusion,
  reviewEvent,
  siteReviewDeadline,
  STORED_TRIAL_STATUSES,
  TRIAL_ELIGIBILITY_RULES,
  TRIAL_EVENTS,
  TRIAL_STATUSES,
  trialStatusAt,
  trialStatusFilter,
  type TrialApplication,
  type TrialEligibilityFacts,
  type TrialEvent,
  type TrialStatus,
  type TrialStatusFilter,
} from './trials.ts';

// ---------------------------------------------------------------------------------------
// The life cycle: the whole status × event matrix

/** Every allowed step, written out by hand from API-CONTRACT-2 §2 and the documented choices. */
const ALLOWED: [TrialStatus, TrialEvent, string][] = [
  ['draft', 'edit', 'draft'],
  ['draft', 'submit', 'under_review'],
  ['under_review', 'record_site_review', 'under_review'],
  ['under_review', 'approve', 'approved'],
  ['under_review', 'reject', 'rejected'],
  ['approved', 'extend', 'approved'],
  ['approved', 'suspend_for_warning', 'suspended'],
  ['approved', 'submit_final_report', 'completed'],
  ['active', 'enrol', 'approved'],
  ['active', 'report_adverse_event', 'approved'],
  ['active', 'report_serious_adverse_event', 'suspended'],
  ['active', 'suspend_for_warning', 'suspended'],
  ['active', 'extend', 'approved'],
  ['active', 'submit_interim_report', 'approved'],
  ['active', 'submit_final_report', 'completed'],
  ['ended', 'report_adverse_event', 'approved'],
  ['ended', 'report_serious_adverse_event', 'suspended'],
  ['ended', 'suspend_for_warning', 'suspended'],
  ['ended', 'submit_final_report', 'completed'],
  ['suspended', 'report_adverse_event', 'suspended'],
  ['suspended', 'report_serious_adverse_event', 'suspended'],
  ['suspended', 'suspend_for_warning', 'suspended'],
  ['suspended', 'resume', 'approved'],
  ['suspended', 'extend', 'suspended'],
  ['suspended', 'submit_interim_report', 'suspended'],
  ['suspended', 'submit_final_report', 'completed'],
];

test('every status × event: the allowed steps and nothing else', () => {
  let refused = 0;
  for (const status of TRIAL_STATUSES) {
    for (const event of TRIAL_EVENTS) {
      const allowed = ALLOWED.find(([s, e]) => s === status && e === event);
      if (allowed) {
        assert.equal(nextTrialStatus(status, event), allowed[2], `${status} + ${event}`);
      } else {
        assert.throws(
          () => nextTrialStatus(status, event),
          (error: unknown) =>
            error instanceof IllegalTrialTransitionError &&
            error.currentStatus === status &&
            error.event === event &&
            error.code === (event === 'enrol' ? 'trial_not_active' : 'illegal_transition'),
          `${status} + ${event} is refused`,
        );
        refused += 1;
      }
    }
  }
  assert.equal(refused, TRIAL_STATUSES.length * TRIAL_EVENTS.length - ALLOWED.length);
});

test('the table only ever writes stored statuses; rejected and completed are terminal', () => {
  for (const [, , next] of ALLOWED) assert.ok((STORED_TRIAL_STATUSES as readonly string[]).includes(next), next);
  for (const event of TRIAL_EVENTS) {
    assert.throws(() => nextTrialStatus('rejected', event), IllegalTrialTransitionError);
    assert.throws(() => nextTrialStatus('completed', event), IllegalTrialTransitionError);
  }
});

test('a whole life: submitted, approved, active, suspended, resumed, extended, ended, completed', () => {
  const trial = {
    status: 'draft' as (typeof STORED_TRIAL_STATUSES)[number],
    startDate: '2025-03-03',
    endDate: '2025-06-30',
  };
  const step = (event: TrialEvent, today: string) => {
    trial.status = nextTrialStatus(trialStatusAt(trial, today), event);
    return trialStatusAt(trial, today);
  };
  assert.equal(step('submit', '2025-02-10'), 'under_review');
  assert.equal(step('record_site_review', '2025-02-12'), 'under_review');
  assert.equal(step('approve', '2025-02-20'), 'approved');
  assert.equal(trialStatusAt(trial, '2025-03-03'), 'active');
  assert.equal(step('enrol', '2025-03-04'), 'active');
  assert.equal(step('report_serious_adverse_event', '2025-04-01'), 'suspended');
  assert.throws(() => step('enrol', '2025-04-02'), { code: 'trial_not_active' });
  assert.equal(step('resume', '2025-04-10'), 'active');
  assert.equal(step('extend', '2025-06-01'), 'active');
  trial.endDate = '2025-08-31';
  assert.equal(trialStatusAt(trial, '2025-07-15'), 'active');
  assert.equal(trialStatusAt(trial, '2025-09-01'), 'ended');
  assert.throws(() => step('extend', '2025-09-01'), { code: 'illegal_transition' });
  assert.equal(step('submit_final_report', '2025-09-10'), 'completed');
});

// ---------------------------------------------------------------------------------------
// Statuses over time

test('trialStatusAt: approved before startDate, active from it through endDate, ended after', () => {
  const trial = { status: 'approved' as const, startDate: '2025-03-10', endDate: '2025-03-12' };
  const expected: [string, TrialStatus][] = [
    ['2025-01-01', 'approved'],
    ['2025-03-09', 'approved'],
    ['2025-03-10', 'active'],
    ['2025-03-11', 'active'],
    ['2025-03-12', 'active'],
    ['2025-03-13', 'ended'],
    ['2026-01-01', 'ended'],
  ];
  for (const [today, status] of expected) assert.equal(trialStatusAt(trial, today), status, today);
  // A one-day trial is active on that day only.
  const oneDay = { status: 'approved' as const, startDate: '2025-03-10', endDate: '2025-03-10' };
  assert.deepEqual(
    ['2025-03-09', '2025-03-10', '2025-03-11'].map((d) => trialStatusAt(oneDay, d)),
    ['approved', 'active', 'ended'],
  );
});

test('trialStatusAt: every other stored status shows as stored, whatever the date', () => {
  for (const status of STORED_TRIAL_STATUSES.filter((s) => s !== 'approved')) {
    for (const today of ['2025-01-01', '2025-03-11', '2026-01-01']) {
      assert.equal(trialStatusAt({ status, startDate: '2025-03-10', endDate: '2025-03-12' }, today), status);
    }
  }
  assert.throws(
    () => trialStatusAt({ status: 'approved', startDate: '2025-03-10', endDate: '2025-03-12' }, '2025-3-11'),
    RangeError,
  );
});

function matchesFilter(
  filter: TrialStatusFilter,
  trial: { status: string; startDate: string; endDate: string },
): boolean {
  return (
    trial.status === filter.storedStatus &&
    (filter.startDateAfter === undefined || trial.startDate > filter.startDateAfter) &&
    (filter.startDateOnOrBefore === undefined || trial.startDate <= filter.startDateOnOrBefore) &&
    (filter.endDateOnOrAfter === undefined || trial.endDate >= filter.endDateOnOrAfter) &&
    (filter.endDateBefore === undefined || trial.endDate < filter.endDateBefore)
  );
}

test('trialStatusFilter selects exactly the trials trialStatusAt shows with that status', () => {
  const today = '2025-05-15';
  const trials = STORED_TRIAL_STATUSES.flatMap((status) =>
    [-3, -1, 0, 1, 3].flatMap((startOffset) =>
      [0, 1, 2, 5].map((length) => ({
        status,
        startDate: addCalendarDays(today, startOffset),
        endDate: addCalendarDays(today, startOffset + length),
      })),
    ),
  );
  for (const status of TRIAL_STATUSES) {
    const filter = trialStatusFilter(status, today);
    for (const trial of trials) {
      assert.equal(
        matchesFilter(filter, trial),
        trialStatusAt(trial, today) === status,
        `${status}: ${JSON.stringify(trial)}`,
      );
    }
  }
});

test('the public list shows approved, active, ended, suspended and completed trials only', () => {
  assert.deepEqual(
    TRIAL_STATUSES.filter((s) => isPublicTrialStatus(s)),
    ['approved', 'active', 'ended', 'suspended', 'completed'],
  );
  for (const hidden of ['draft', 'under_review', 'rejected'] as const) assert.equal(isPublicTrialStatus(hidden), false);
});

// ---------------------------------------------------------------------------------------
// Eligibility

const TODAY = '2025-05-15';
const VERIFIED_HOSPITAL = { type: 'medical_institution', status: 'verified' } as const;

const HEALTHCARE: TrialApplication = {
  kind: 'healthcare',
  hostOrganizationIds: ['h1', 'h2'],
  maxParticipants: 500,
  startDate: TODAY,
  endDate: addCalendarDays(TODAY, 183),
  internationalStandards: [],
  noApplicableNationalStandard: false,
};
const PILOT: TrialApplication = {
  kind: 'pilot',
  hostOrganizationIds: ['e1'],
  maxParticipants: 5000,
  startDate: '2025-06-01',
  endDate: '2025-06-01',
  internationalStandards: [{ code: 'ISO/IEC 42001:2023', title: 'AI management system' }],
  noApplicableNationalStandard: true,
};
const HEALTHCARE_FACTS: TrialEligibilityFacts = {
  today: TODAY,
  productTier: 'low',
  hosts: [VERIFIED_HOSPITAL, VERIFIED_HOSPITAL],
};
const PILOT_FACTS: TrialEligibilityFacts = {
  today: TODAY,
  productTier: 'low',
  hosts: [{ type: 'enterprise', status: 'pending' }],
};

const brief = (failures: ReturnType<typeof checkEligibility>) => failures.map((f) => `${f.code} ${f.pointer}`);

test('eligibility: the valid applications pass, at every boundary', () => {
  assert.deepEqual(checkEligibility(HEALTHCARE, HEALTHCARE_FACTS), []); // starts today, 183 days, 500 participants
  assert.deepEqual(checkEligibility(PILOT, PILOT_FACTS), []); // one-day pilot, any hosts, no participant cap
});

test('eligibility: each rule alone', () => {
  const cases: [string, TrialApplication, TrialEligibilityFacts, string[]][] = [
    ['medium tier', HEALTHCARE, { ...HEALTHCARE_FACTS, productTier: 'medium' }, ['tier_not_eligible /productId']],
    ['no tier yet', PILOT, { ...PILOT_FACTS, productTier: null }, ['tier_not_eligible /productId']],
    ['start yesterday', PILOT, { ...PILOT_FACTS, today: '2025-06-02' }, ['start_in_past /startDate']],
    ['end before start', { ...PILOT, endDate: '2025-05-31' }, PILOT_FACTS, ['end_before_start /endDate']],
    [
      '184 days',
      { ...HEALTHCARE, endDate: addCalendarDays(TODAY, 184) },
      HEALTHCARE_FACTS,
      ['duration_too_long /endDate'],
    ],
    [
      'no international standard',
      { ...PILOT, internationalStandards: [] },
      PILOT_FACTS,
      ['international_standard_required /internationalStandards'],
    ],
    [
      'a national standard applies',
      { ...PILOT, noApplicableNationalStandard: false },
      PILOT_FACTS,
      ['international_standard_required /noApplicableNationalStandard'],
    ],
    [
      'second host not a hospital',
      HEALTHCARE,
      { ...HEALTHCARE_FACTS, hosts: [VERIFIED_HOSPITAL, { type: 'research_institution', status: 'verified' }] },
      ['host_not_medical_institution /hostOrganizationIds/1'],
    ],
    [
      'first host a hospital not yet verified',
      HEALTHCARE,
      { ...HEALTHCARE_FACTS, hosts: [{ type: 'medical_institution', status: 'pending' }, VERIFIED_HOSPITAL] },
      ['host_not_medical_institution /hostOrganizationIds/0'],
    ],
    [
      'unknown host',
      HEALTHCARE,
      { ...HEALTHCARE_FACTS, hosts: [VERIFIED_HOSPITAL, undefined] },
      ['host_not_medical_institution /hostOrganizationIds/1'],
    ],
    [
      '501 participants',
      { ...HEALTHCARE, maxParticipants: 501 },
      HEALTHCARE_FACTS,
      ['participant_cap_too_high /maxParticipants'],
    ],
  ];
  for (const [name, application, facts, expected] of cases) {
    assert.deepEqual(brief(checkEligibility(application, facts)), expected, name);
  }
});

test('eligibility: the tier rule admits low only', () => {
  for (const tier of RISK_TIERS) {
    assert.equal(checkEligibility(PILOT, { ...PILOT_FACTS, productTier: tier }).length, tier === 'low' ? 0 : 1, tier);
  }
});

test('eligibility: only a verified medical institution hosts a healthcare trial', () => {
  for (const type of ORGANIZATION_TYPES) {
    for (const status of ORGANIZATION_STATUSES) {
      const failures = checkEligibility(
        { ...HEALTHCARE, hostOrganizationIds: ['h'] },
        { ...HEALTHCARE_FACTS, hosts: [{ type, status }] },
      );
      assert.equal(
        failures.length,
        type === 'medical_institution' && status === 'verified' ? 0 : 1,
        `${type} ${status}`,
      );
    }
  }
});

test('eligibility: the 183-day boundary, across a leap day', () => {
  const at = (endDate: string) => brief(checkEligibility({ ...PILOT, startDate: '2027-12-01', endDate }, PILOT_FACTS));
  assert.deepEqual(at('2028-06-01'), []); // 2027-12-01 + 183 days (29 Feb 2028 included)
  assert.deepEqual(at('2028-06-02'), ['duration_too_long /endDate']);
  assert.deepEqual(at('2027-12-01'), []); // same day
});

test('eligibility: the kind decides which rules apply', () => {
  // A pilot is not held to the healthcare rules, nor a healthcare trial to the pilot rules.
  assert.deepEqual(
    checkEligibility({ ...PILOT, maxParticipants: 100_000 }, { ...PILOT_FACTS, hosts: [undefined] }),
    [],
  );
  assert.deepEqual(checkEligibility({ ...HEALTHCARE, internationalStandards: [] }, HEALTHCARE_FACTS), []);
});

test('eligibility: every failure at once, in body order', () => {
  const healthcare = checkEligibility(
    {
      ...HEALTHCARE,
      hostOrganizationIds: ['a', 'b', 'c'],
      startDate: '2025-05-14',
      endDate: '2026-05-14',
      maxParticipants: 900,
    },
    {
      today: TODAY,
      productTier: 'high',
      hosts: [{ type: 'enterprise', status: 'verified' }, VERIFIED_HOSPITAL, undefined],
    },
  );
  assert.deepEqual(brief(healthcare), [
    'tier_not_eligible /productId',
    'start_in_past /startDate',
    'duration_too_long /endDate',
    'host_not_medical_institution /hostOrganizationIds/0',
    'host_not_medical_institution /hostOrganizationIds/2',
    'participant_cap_too_high /maxParticipants',
  ]);
  const pilot = checkEligibility(
    {
      ...PILOT,
      startDate: '2025-05-01',
      endDate: '2025-04-01',
      internationalStandards: [],
      noApplicableNationalStandard: false,
    },
    { ...PILOT_FACTS, productTier: 'prohibited' },
  );
  assert.deepEqual(brief(pilot), [
    'tier_not_eligible /productId',
    'start_in_past /startDate',
    'end_before_start /endDate',
    'international_standard_required /internationalStandards',
    'international_standard_required /noApplicableNationalStandard',
  ]);
  for (const failure of [...healthcare, ...pilot]) {
    assert.ok(failure.message.length > 0 && /[\u4e00-\u9fff]/.test(failure.messageZh), failure.ruleId);
  }
});

test('eligibility rules are data: unique ids, a legal basis in both languages, pointers into the body', () => {
  const ids = TRIAL_ELIGIBILITY_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of TRIAL_ELIGIBILITY_RULES) {
    assert.match(rule.pointer, /^\/[a-zA-Z]+(\/\{i\})?$/, rule.id);
    assert.ok(rule.appliesTo.length > 0, rule.id);
    assert.match(rule.legalBasisZh, /[\u4e00-\u9fff]/, rule.id);
    assert.ok(rule.legalBasisEn.length > 10, rule.id);
  }
  assert.throws(() => checkEligibility({ ...PILOT, startDate: '2025-02-30' }, PILOT_FACTS), RangeError);
});

// ---------------------------------------------------------------------------------------
// Review, deadlines, enrolment, extension

test('reviewConclusion: every host must approve; one rejection rejects', () => {
  const pilot = { kind: 'pilot' as const, hostOrganizationIds: ['a', 'b'], ethicsCases: [] };
  assert.equal(reviewConclusion({ ...pilot, siteReviews: [] }), 'pending');
  assert.equal(
    reviewConclusion({ ...pilot, siteReviews: [{ hostOrganizationId: 'a', decision: 'approved' }] }),
    'pending',
  );
  assert.equal(
    reviewConclusion({
      ...pilot,
      siteReviews: [
        { hostOrganizationId: 'a', decision: 'approved' },
        { hostOrganizationId: 'b', decision: 'approved' },
      ],
    }),
    'approved',
  );
  assert.equal(
    reviewConclusion({ ...pilot, siteReviews: [{ hostOrganizationId: 'b', decision: 'rejected' }] }),
    'rejected',
  );
  // A review by an organisation that is not a host counts for nothing.
  assert.equal(
    reviewConclusion({
      ...pilot,
      siteReviews: [
        { hostOrganizationId: 'a', decision: 'approved' },
        { hostOrganizationId: 'x', decision: 'approved' },
        { hostOrganizationId: 'y', decision: 'rejected' },
      ],
    }),
    'pending',
  );
  assert.deepEqual((['approved', 'rejected', 'pending'] as const).map(reviewEvent), [
    'approve',
    'reject',
    'record_site_review',
  ]);
});

test('reviewConclusion: a healthcare trial also needs a favourable ethics opinion', () => {
  const allApproved = {
    kind: 'healthcare' as const,
    hostOrganizationIds: ['h'],
    siteReviews: [{ hostOrganizationId: 'h', decision: 'approved' as const }],
  };
  assert.equal(reviewConclusion({ ...allApproved, ethicsCases: [] }), 'pending');
  assert.equal(reviewConclusion({ ...allApproved, ethicsCases: [{ status: 'open', outcome: null }] }), 'pending');
  assert.equal(
    reviewConclusion({ ...allApproved, ethicsCases: [{ status: 'decided', outcome: 'favourable' }] }),
    'approved',
  );
  assert.equal(
    reviewConclusion({ ...allApproved, ethicsCases: [{ status: 'decided', outcome: 'favourable_with_conditions' }] }),
    'approved',
  );
  assert.equal(
    reviewConclusion({ ...allApproved, ethicsCases: [{ status: 'decided', outcome: 'unfavourable' }] }),
    'rejected',
  );
  // An unfavourable opinion rejects even while site reviews are outstanding.
  assert.equal(
    reviewConclusion({
      ...allApproved,
      siteReviews: [],
      ethicsCases: [{ status: 'decided', outcome: 'unfavourable' }],
    }),
    'rejected',
  );
  // A pilot ignores ethics cases.
  assert.equal(
    reviewConclusion({ ...allApproved, kind: 'pilot', ethicsCases: [{ status: 'decided', outcome: 'unfavourable' }] }),
    'approved',
  );
});

test('deadlines: site review 10 working days from submission, final report 20 after endDate', () => {
  assert.deepEqual(siteReviewDeadline('2025-05-15'), { from: '2025-05-15', workingDays: 10 });
  assert.deepEqual(finalReportDeadline({ endDate: '2025-11-14' }), { from: '2025-11-14', workingDays: 20 });
});

test('adverse events: serious ones are due 24 hours after awareAt; late is strictly after', () => {
  const awareAt = new Date('2025-05-15T10:30:00+08:00');
  const deadline = adverseEventReportDeadline({ serious: true }, awareAt);
  assert.equal(deadline?.toISOString(), '2025-05-16T02:30:00.000Z');
  assert.equal(isAdverseEventReportedLate(deadline, new Date('2025-05-16T02:30:00.000Z')), false);
  assert.equal(isAdverseEventReportedLate(deadline, new Date('2025-05-16T02:30:00.001Z')), true);
  assert.equal(adverseEventReportDeadline({ serious: false }, awareAt), null);
  assert.equal(isAdverseEventReportedLate(null, new Date('2030-01-01T00:00:00Z')), false);
  assert.throws(() => adverseEventReportDeadline({ serious: true }, new Date('nope')), RangeError);
});

test('enrolment: only while active, and never past the cap', () => {
  const active = { status: 'active' as const, enrolled: 490, maxParticipants: 500 };
  assert.equal(checkEnrolment(active, 10), undefined); // reaching the cap exactly
  assert.deepEqual(
    [checkEnrolment(active, 11)?.status, checkEnrolment(active, 11)?.code],
    [409, 'participant_cap_reached'],
  );
  for (const status of TRIAL_STATUSES.filter((s) => s !== 'active')) {
    assert.equal(checkEnrolment({ ...active, status, enrolled: 0 }, 1)?.code, 'trial_not_active', status);
  }
  assert.throws(() => checkEnrolment(active, -1), RangeError);
});

test('extension: once, later, at most 183 more days', () => {
  const trial = { endDate: '2025-06-30', extended: false };
  assert.equal(checkExtension(trial, addCalendarDays('2025-06-30', 183)), undefined);
  assert.equal(checkExtension(trial, '2025-07-01'), undefined);
  const tooLong = checkExtension(trial, addCalendarDays('2025-06-30', 184));
  assert.deepEqual([tooLong?.status, tooLong?.code, tooLong?.pointer], [422, 'extension_too_long', '/endDate']);
  assert.equal(checkExtension(trial, '2025-06-30')?.code, 'extension_not_later');
  assert.equal(checkExtension(trial, '2025-06-01')?.code, 'extension_not_later');
  // A second extension is refused whatever its length.
  for (const endDate of ['2025-07-01', '2026-12-31']) {
    const used = checkExtension({ ...trial, extended: true }, endDate);
    assert.deepEqual([used?.status, used?.code], [409, 'extension_used']);
  }
});
