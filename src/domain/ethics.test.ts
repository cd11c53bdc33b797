import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  approvalBlockedBy,
  BIOMETRIC_ANNEX_III_USES,
  ETHICS_APPROVAL_BLOCK_TEXTS,
  ETHICS_REVIEW_WORKING_DAYS,
  ETHICS_VOTES,
  isQuorumReachable,
  outcome,
  quorum,
  REFERRAL_TRIGGER_TEXTS,
  REFERRAL_TRIGGERS,
  referralReasons,
  referralReasonText,
  tallyVotes,
  type EthicsOutcome,
  type ReferralAnswers,
  type VoteTally,
} from './ethics.ts';
import { FILING_KINDS } from './filings.ts';
import { RISK_TIERS } from './risk.ts';

const highAssessment = (answers: ReferralAnswers) =>
  referralReasons({ subjectType: 'filing', filingKind: 'assessment', tier: 'high', answers });

const triggers = (answers: ReferralAnswers) => highAssessment(answers).map((r) => r.trigger);

const PLAIN: ReferralAnswers = {
  domain: 'finance',
  annexIIIUses: ['creditworthiness'],
  processesSensitivePersonalInfo: false,
  profilesNaturalPersons: false,
};

test('the review deadline is 15 working days', () => {
  assert.equal(ETHICS_REVIEW_WORKING_DAYS, 15);
});

test('a high-risk assessment with none of the triggers is not referred', () => {
  assert.deepEqual(highAssessment(PLAIN), []);
  assert.deepEqual(highAssessment({}), []);
  assert.deepEqual(highAssessment({ annexIIIUses: [] }), []);
});

test('sensitive personal information refers a high-risk assessment', () => {
  const reasons = highAssessment({ ...PLAIN, processesSensitivePersonalInfo: true });
  assert.deepEqual(
    reasons.map((r) => r.trigger),
    ['sensitive_personal_info'],
  );
  assert.equal(reasons[0]!.zh, REFERRAL_TRIGGER_TEXTS.sensitive_personal_info.zh);
  assert.equal(reasons[0]!.en, REFERRAL_TRIGGER_TEXTS.sensitive_personal_info.en);
  assert.deepEqual(reasons[0]!.matchedUses, []);
});

test('profiling natural persons refers a high-risk assessment', () => {
  assert.deepEqual(triggers({ ...PLAIN, profilesNaturalPersons: true }), ['profiling']);
});

test('each biometric Annex III use refers, and says which', () => {
  for (const use of BIOMETRIC_ANNEX_III_USES) {
    const reasons = highAssessment({ ...PLAIN, annexIIIUses: ['creditworthiness', use] });
    assert.deepEqual(
      reasons.map((r) => [r.trigger, r.matchedUses]),
      [['biometrics', [use]]],
      use,
    );
  }
});

test('every law-enforcement Annex III use of the questionnaire refers; the others do not', () => {
  const ruleset = JSON.parse(
    readFileSync(new URL('../../data/reference/risk/ruleset-v1.json', import.meta.url), 'utf8'),
  ) as {
    questions: { key: string; options?: { value: string }[] }[];
  };
  const uses = ruleset.questions.find((q) => q.key === 'annexIIIUses')!.options!.map((o) => o.value);
  const lawEnforcement = uses.filter((use) => use.startsWith('law_enforcement_'));
  assert.equal(lawEnforcement.length, 5, 'the questionnaire has five law-enforcement uses');
  for (const use of BIOMETRIC_ANNEX_III_USES) assert.ok(uses.includes(use), `${use} is a questionnaire option`);
  for (const use of uses) {
    const expected = lawEnforcement.includes(use)
      ? ['law_enforcement']
      : (BIOMETRIC_ANNEX_III_USES as readonly string[]).includes(use)
        ? ['biometrics']
        : [];
    assert.deepEqual(triggers({ annexIIIUses: [use] }), expected, use);
  }
  // Migration and justice uses, the biometrics *domain* and a prohibited practice do not refer by themselves.
  assert.deepEqual(triggers({ domain: 'biometrics', annexIIIUses: ['migration_identification'] }), []);
  assert.deepEqual(triggers({ domain: 'law_enforcement', annexIIIUses: ['justice_administration'] }), []);
  assert.deepEqual(triggers({ prohibitedPractices: ['realtime_remote_biometric_id_public'] }), []);
});

test('all triggers together are listed once each, in order, with every matched use', () => {
  const reasons = highAssessment({
    processesSensitivePersonalInfo: true,
    profilesNaturalPersons: true,
    annexIIIUses: [
      'law_enforcement_profiling',
      'emotion_recognition',
      'law_enforcement_polygraph',
      'remote_biometric_identification',
    ],
  });
  assert.deepEqual(
    reasons.map((r) => [r.trigger, r.matchedUses]),
    [
      ['sensitive_personal_info', []],
      ['profiling', []],
      ['biometrics', ['emotion_recognition', 'remote_biometric_identification']],
      ['law_enforcement', ['law_enforcement_profiling', 'law_enforcement_polygraph']],
    ],
  );
  const text = referralReasonText(reasons);
  assert.equal(text.zh.split('；').length, 4);
  assert.equal(text.en.split('; ').length, 4);
});

test('only a high-risk assessment refers automatically, whatever its answers', () => {
  const everything: ReferralAnswers = {
    processesSensitivePersonalInfo: true,
    profilesNaturalPersons: true,
    annexIIIUses: ['remote_biometric_identification', 'law_enforcement_profiling'],
  };
  for (const filingKind of FILING_KINDS) {
    for (const tier of RISK_TIERS) {
      const reasons = referralReasons({ subjectType: 'filing', filingKind, tier, answers: everything });
      assert.equal(reasons.length, filingKind === 'assessment' && tier === 'high' ? 4 : 0, `${filingKind} ${tier}`);
    }
  }
});

test('answers that are not exactly true or a list of strings do not trigger', () => {
  assert.deepEqual(
    triggers({
      processesSensitivePersonalInfo: 'true',
      profilesNaturalPersons: 1,
      annexIIIUses: 'emotion_recognition',
    }),
    [],
  );
  assert.deepEqual(triggers({ annexIIIUses: [42, null, 'law_enforcement_polygraph'] }), ['law_enforcement']);
});

test('every healthcare trial is referred; a pilot is not', () => {
  const healthcare = referralReasons({ subjectType: 'trial', trialKind: 'healthcare' });
  assert.deepEqual(
    healthcare.map((r) => r.trigger),
    ['healthcare_trial'],
  );
  assert.match(healthcare[0]!.zh, /医疗/);
  assert.deepEqual(referralReasons({ subjectType: 'trial', trialKind: 'pilot' }), []);
});

test('every trigger has both languages and a legal basis in both', () => {
  for (const trigger of REFERRAL_TRIGGERS) {
    const text = REFERRAL_TRIGGER_TEXTS[trigger];
    for (const value of [text.zh, text.en, text.legalBasisZh, text.legalBasisEn]) assert.ok(value.length > 5, trigger);
    assert.match(text.zh, /[\u4e00-\u9fff]/);
  }
});

// ---------------------------------------------------------------------------------------
// Quorum

test('quorum: the boundaries of the contract', () => {
  const cases: [eligible: number, votes: number, met: boolean, required: number][] = [
    [4, 3, true, 3], // 9 ≥ 8
    [4, 2, false, 3], // below the minimum of 3
    [5, 3, false, 4], // 9 < 10
    [5, 4, true, 4], // 12 ≥ 10
    [9, 6, true, 6], // exactly two thirds
    [9, 5, false, 6], // 15 < 18
    [8, 5, false, 6], // 15 < 16
    [8, 6, true, 6],
    [6, 4, true, 4], // exactly two thirds
    [3, 3, true, 3],
    [3, 2, false, 3], // two thirds, but fewer than 3 votes
    [2, 2, false, 3], // a committee of 2 can never reach quorum
    [1, 1, false, 3],
    [0, 0, false, 3],
    [0, 3, true, 3], // votes beyond the eligible members still count
    [30, 19, false, 20],
    [30, 20, true, 20],
  ];
  for (const [eligible, votes, met, required] of cases) {
    const check = quorum(eligible, votes);
    assert.equal(check.met, met, `${votes} of ${eligible}`);
    assert.equal(check.required, required, `${votes} of ${eligible}: required`);
    assert.equal(check.votesCast, votes);
    assert.equal(check.eligibleMembers, eligible);
  }
});

test('quorum: abstentions count, and a tally works like its total', () => {
  const tally: VoteTally = { favourable: 1, favourableWithConditions: 0, unfavourable: 0, abstain: 2 };
  assert.equal(quorum(4, tally).met, true);
  assert.equal(quorum(4, tally).votesCast, 3);
  assert.equal(quorum(5, tally).met, false);
});

test('quorum: required is the smallest number of votes that meets it, for every size up to 300', () => {
  for (let eligible = 0; eligible <= 300; eligible += 1) {
    const { required } = quorum(eligible, 0);
    assert.equal(quorum(eligible, required).met, true, `${eligible}`);
    assert.equal(quorum(eligible, required - 1).met, false, `${eligible}`);
    // Independent: at most a third of the members stayed away, and at least three voted.
    for (let votes = 0; votes <= eligible + 1; votes += 1) {
      assert.equal(
        quorum(eligible, votes).met,
        votes >= 3 && (eligible - votes) * 3 <= eligible,
        `${votes}/${eligible}`,
      );
    }
  }
  assert.equal(isQuorumReachable(2), false);
  assert.equal(isQuorumReachable(3), true);
});

test('quorum refuses counts that are not non-negative integers', () => {
  assert.throws(() => quorum(-1, 3), RangeError);
  assert.throws(() => quorum(4, 2.5), RangeError);
  assert.throws(() => quorum(Number.NaN, 3), RangeError);
  assert.throws(
    () => quorum(4, { favourable: -1, favourableWithConditions: 0, unfavourable: 0, abstain: 4 }),
    RangeError,
  );
});

// ---------------------------------------------------------------------------------------
// Outcome

/** The contract's sentence, written out as plainly as possible, vote by vote. */
function referenceOutcome(votes: readonly string[]): EthicsOutcome {
  let yes = 0;
  let no = 0;
  let anyConditions = false;
  for (const vote of votes) {
    if (vote === 'favourable') yes = yes + 1;
    if (vote === 'favourable_with_conditions') {
      yes = yes + 1;
      anyConditions = true;
    }
    if (vote === 'unfavourable') no = no + 1;
  }
  if (yes > no) {
    if (anyConditions) return 'favourable_with_conditions';
    return 'favourable';
  }
  return 'unfavourable';
}

test('outcome: every tally of up to 7 votes matches the reference', () => {
  let checked = 0;
  for (let f = 0; f <= 7; f += 1) {
    for (let c = 0; f + c <= 7; c += 1) {
      for (let u = 0; f + c + u <= 7; u += 1) {
        for (let a = 0; f + c + u + a <= 7; a += 1) {
          const votes = [
            ...Array<string>(f).fill('favourable'),
            ...Array<string>(c).fill('favourable_with_conditions'),
            ...Array<string>(u).fill('unfavourable'),
            ...Array<string>(a).fill('abstain'),
          ];
          const tally = { favourable: f, favourableWithConditions: c, unfavourable: u, abstain: a };
          assert.deepEqual(tallyVotes(votes as never), tally);
          assert.equal(outcome(tally), referenceOutcome(votes), JSON.stringify(tally));
          checked += 1;
        }
      }
    }
  }
  assert.equal(checked, 330); // C(7 + 4, 4): every tally of at most 7 votes
});

test('outcome: ties and named cases', () => {
  const t = (favourable: number, favourableWithConditions: number, unfavourable: number, abstain = 0) =>
    outcome({ favourable, favourableWithConditions, unfavourable, abstain });
  assert.equal(t(2, 0, 2), 'unfavourable'); // a tie
  assert.equal(t(1, 1, 2), 'unfavourable'); // a tie, favourable-type votes mixed
  assert.equal(t(0, 0, 0, 5), 'unfavourable'); // everyone abstained: 0 against 0
  assert.equal(t(3, 0, 2), 'favourable');
  assert.equal(t(3, 1, 2), 'favourable_with_conditions'); // one conditional vote is enough
  assert.equal(t(0, 3, 2, 4), 'favourable_with_conditions');
  assert.equal(t(1, 0, 0, 6), 'favourable'); // abstentions do not count against
  assert.equal(t(4, 1, 6), 'unfavourable');
});

test('tallyVotes counts every kind of vote', () => {
  assert.deepEqual(tallyVotes(ETHICS_VOTES), {
    favourable: 1,
    favourableWithConditions: 1,
    unfavourable: 1,
    abstain: 1,
  });
  assert.deepEqual(tallyVotes([]), { favourable: 0, favourableWithConditions: 0, unfavourable: 0, abstain: 0 });
});

// ---------------------------------------------------------------------------------------
// Effects

test('approvalBlockedBy: open → pending, unfavourable → unfavourable, otherwise nothing', () => {
  assert.equal(approvalBlockedBy([]), undefined);
  assert.equal(approvalBlockedBy([{ status: 'open', outcome: null }]), 'ethics_opinion_pending');
  assert.equal(approvalBlockedBy([{ status: 'decided', outcome: 'unfavourable' }]), 'ethics_opinion_unfavourable');
  assert.equal(approvalBlockedBy([{ status: 'decided', outcome: 'favourable' }]), undefined);
  assert.equal(approvalBlockedBy([{ status: 'decided', outcome: 'favourable_with_conditions' }]), undefined);
  // An open case wins: the opinion everyone waits for may still go either way.
  assert.equal(
    approvalBlockedBy([
      { status: 'decided', outcome: 'unfavourable' },
      { status: 'open', outcome: null },
    ]),
    'ethics_opinion_pending',
  );
  // A later favourable opinion does not wash out an unfavourable one on the same filing.
  assert.equal(
    approvalBlockedBy([
      { status: 'decided', outcome: 'unfavourable' },
      { status: 'decided', outcome: 'favourable' },
    ]),
    'ethics_opinion_unfavourable',
  );
  for (const block of ['ethics_opinion_pending', 'ethics_opinion_unfavourable'] as const) {
    assert.match(ETHICS_APPROVAL_BLOCK_TEXTS[block].zh, /[\u4e00-\u9fff]/);
    assert.ok(ETHICS_APPROVAL_BLOCK_TEXTS[block].en.length > 10);
  }
});
