import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateAnswers } from './risk-answers.ts';
import { evaluateRisk, toQuestionnaire } from './risk-evaluation.ts';
import { RISK_TIERS, RiskAnswersInvalidError, RulesetValidationError, validateRuleset } from './risk-rules.ts';
import type { RiskAnswerValue, RiskAnswers, RiskTier } from './risk-rules.ts';
import { DEFAULT_RISK_RULESET_DIR, loadRuleset, loadRulesets } from './risk-ruleset-files.ts';

const ruleset = await loadRuleset('v1');
const RULESET_FILE = path.join(DEFAULT_RISK_RULESET_DIR, 'ruleset-v1.json');

/** Answers under which nothing applies. */
const NOTHING = {
  domain: 'other',
  annexIIIUses: [],
  prohibitedPractices: [],
  safetyComponent: false,
  medicalDeviceClass: 'none',
  profilesNaturalPersons: false,
  narrowProceduralTask: false,
  interactsWithPeople: false,
  generatesSyntheticContent: false,
  publicOpinionAttributes: false,
  processesSensitivePersonalInfo: false,
  usersScale: 'lt1k',
} as const satisfies RiskAnswers;

type AnswerKey = keyof typeof NOTHING;

function answers(overrides: Partial<Record<AnswerKey, RiskAnswerValue>> = {}): RiskAnswers {
  return { ...NOTHING, ...overrides };
}

function assess(overrides: Partial<Record<AnswerKey, RiskAnswerValue>> = {}) {
  return evaluateRisk(ruleset, answers(overrides));
}

function ruleIds(overrides: Partial<Record<AnswerKey, RiskAnswerValue>> = {}): string[] {
  return assess(overrides).reasons.map((reason) => reason.ruleId);
}

/** Every rule id seen in a reason, so the last test can prove each rule is exercised. */
const exercised = new Set<string>();
function track(overrides: Partial<Record<AnswerKey, RiskAnswerValue>>) {
  const result = assess(overrides);
  for (const reason of result.reasons) exercised.add(reason.ruleId);
  return result;
}

async function rawRuleset(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(RULESET_FILE, 'utf8')) as Record<string, unknown>;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RulesetValidationError, `expected RulesetValidationError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected a RulesetValidationError');
}

// ---------------------------------------------------------------------------------------
// The questionnaire is the API contract's list of answer keys, word for word.

const CONTRACT_OPTIONS: Record<string, readonly string[] | 'boolean'> = {
  domain: [
    'biometrics',
    'critical_infrastructure',
    'education',
    'employment',
    'essential_services',
    'credit_scoring',
    'insurance_life_health',
    'law_enforcement',
    'migration_border',
    'justice_democracy',
    'healthcare',
    'transport',
    'finance',
    'media_content',
    'consumer',
    'industrial',
    'public_administration',
    'other',
  ],
  annexIIIUses: [
    'remote_biometric_identification',
    'biometric_categorisation',
    'emotion_recognition',
    'critical_infrastructure_safety',
    'education_admission',
    'education_learning_outcomes',
    'education_level_assessment',
    'education_test_monitoring',
    'employment_recruitment',
    'employment_work_decisions',
    'public_benefits_eligibility',
    'creditworthiness',
    'life_health_insurance_pricing',
    'emergency_triage',
    'law_enforcement_victim_risk',
    'law_enforcement_polygraph',
    'law_enforcement_evidence_reliability',
    'law_enforcement_offending_risk',
    'law_enforcement_profiling',
    'migration_polygraph',
    'migration_risk_assessment',
    'migration_application_examination',
    'migration_identification',
    'justice_administration',
    'election_influence',
  ],
  prohibitedPractices: [
    'subliminal_manipulation',
    'exploit_vulnerabilities',
    'social_scoring',
    'predictive_policing_profiling',
    'untargeted_face_scraping',
    'emotion_recognition_workplace_education',
    'biometric_categorisation_sensitive',
    'realtime_remote_biometric_id_public',
  ],
  safetyComponent: 'boolean',
  medicalDeviceClass: ['none', 'I', 'IIa', 'IIb', 'III'],
  profilesNaturalPersons: 'boolean',
  narrowProceduralTask: 'boolean',
  interactsWithPeople: 'boolean',
  generatesSyntheticContent: 'boolean',
  publicOpinionAttributes: 'boolean',
  processesSensitivePersonalInfo: 'boolean',
  usersScale: ['lt1k', '1k_100k', '100k_1m', 'gt1m'],
};

test('the v1 questionnaire asks exactly the contract keys with exactly the contract options', () => {
  assert.equal(ruleset.version, 'v1');
  assert.deepEqual(ruleset.tierOrder, ['prohibited', 'high', 'medium', 'low']);
  assert.deepEqual(
    ruleset.questions.map((question) => question.key),
    Object.keys(CONTRACT_OPTIONS),
  );
  for (const question of ruleset.questions) {
    const expected = CONTRACT_OPTIONS[question.key];
    if (expected === 'boolean') {
      assert.equal(question.type, 'boolean', question.key);
      assert.equal(question.options, undefined, question.key);
    } else {
      assert.equal(
        question.type,
        question.key.endsWith('Uses') || question.key.endsWith('Practices') ? 'multi_choice' : 'single_choice',
      );
      assert.deepEqual(
        question.options?.map((option) => option.value),
        expected,
        question.key,
      );
    }
    for (const text of [question.labelZh, question.labelEn, question.helpZh, question.helpEn])
      assert.ok(text.length > 0);
    for (const option of question.options ?? []) assert.ok(option.labelZh.length > 0 && option.labelEn.length > 0);
  }
  // Providers read these without a lawyer: every high-risk use and prohibited practice is explained.
  for (const key of ['annexIIIUses', 'prohibitedPractices']) {
    for (const option of ruleset.questions.find((question) => question.key === key)?.options ?? []) {
      assert.ok(option.helpZh && option.helpEn, `${key}/${option.value} needs help texts`);
    }
  }
  assert.deepEqual(toQuestionnaire(ruleset), { rulesetVersion: 'v1', questions: ruleset.questions });
});

test('the shipped ruleset is valid, frozen, cites its sources and names the Shenzhen Regulations', async () => {
  assert.equal((await loadRulesets()).length >= 1, true);
  assert.ok(
    Object.isFrozen(ruleset) && Object.isFrozen(ruleset.rules[0]) && Object.isFrozen(ruleset.rules[0]?.condition),
  );
  const ids = ruleset.source.map((citation) => citation.id);
  assert.ok(ids.includes('eu-ai-act') && ids.includes('shenzhen-ai-regulations'));
  const shenzhen = ruleset.source.find((citation) => citation.id === 'shenzhen-ai-regulations');
  assert.equal(shenzhen?.title, '深圳经济特区人工智能产业促进条例');
  assert.equal(shenzhen?.year, 2022);
  for (const tier of RISK_TIERS) assert.ok(ruleset.obligations[tier].length > 0, tier);
  assert.equal(new Set(ruleset.rules.map((rule) => rule.id)).size, ruleset.rules.length);
  // 8 prohibited practices + safety component + medical device + 25 Annex III uses + 3 medium + catch-all.
  assert.equal(ruleset.rules.length, 39);
});

// ---------------------------------------------------------------------------------------
// Every rule, table-driven.

const PROHIBITED: [string, string][] = [
  ['subliminal_manipulation', 'a'],
  ['exploit_vulnerabilities', 'b'],
  ['social_scoring', 'c'],
  ['predictive_policing_profiling', 'd'],
  ['untargeted_face_scraping', 'e'],
  ['emotion_recognition_workplace_education', 'f'],
  ['biometric_categorisation_sensitive', 'g'],
  ['realtime_remote_biometric_id_public', 'h'],
];

for (const [practice, letter] of PROHIBITED) {
  test(`prohibited: ${practice} (EU AI Act Art. 5(1)(${letter}))`, () => {
    const result = track({ prohibitedPractices: [practice] });
    assert.equal(result.tier, 'prohibited');
    assert.deepEqual(
      result.reasons.map((reason) => reason.ruleId),
      [`prohibited.${practice}`],
    );
    assert.equal(result.reasons[0]?.basis, `EU AI Act Art. 5(1)(${letter})`);
    assert.deepEqual(
      result.obligations.map((obligation) => obligation.code),
      ['cannot_be_filed'],
    );
    assert.equal(result.rulesetVersion, 'v1');
  });
}

test('prohibited: several practices give one reason each, in rule order', () => {
  assert.deepEqual(ruleIds({ prohibitedPractices: ['social_scoring', 'subliminal_manipulation'] }), [
    'prohibited.subliminal_manipulation',
    'prohibited.social_scoring',
  ]);
});

test('high: a safety component of a regulated product (Art. 6(1))', () => {
  const result = track({ safetyComponent: true });
  assert.equal(result.tier, 'high');
  assert.deepEqual(
    result.reasons.map((reason) => reason.ruleId),
    ['high.safety_component'],
  );
  assert.match(result.reasons[0]?.basis ?? '', /^EU AI Act Art\. 6\(1\)/);
  assert.deepEqual(
    result.obligations.map((obligation) => [obligation.code, obligation.reviewWorkingDays]),
    [
      ['ex_ante_assessment', 20],
      ['risk_monitoring', undefined],
    ],
  );
});

const MEDICAL: [string, RiskTier][] = [
  ['none', 'low'],
  ['I', 'low'],
  ['IIa', 'high'],
  ['IIb', 'high'],
  ['III', 'high'],
];
for (const [deviceClass, tier] of MEDICAL) {
  test(`medical device class ${deviceClass} → ${tier} (Art. 6(1), Annex I Section A point 11)`, () => {
    const result = track({ medicalDeviceClass: deviceClass });
    assert.equal(result.tier, tier);
    assert.deepEqual(
      result.reasons.map((reason) => reason.ruleId),
      [tier === 'high' ? 'high.medical_device' : 'low.default'],
    );
  });
}

const ANNEX_III: [string, string][] = [
  ['remote_biometric_identification', '1(a)'],
  ['biometric_categorisation', '1(b)'],
  ['emotion_recognition', '1(c)'],
  ['critical_infrastructure_safety', '2'],
  ['education_admission', '3(a)'],
  ['education_learning_outcomes', '3(b)'],
  ['education_level_assessment', '3(c)'],
  ['education_test_monitoring', '3(d)'],
  ['employment_recruitment', '4(a)'],
  ['employment_work_decisions', '4(b)'],
  ['public_benefits_eligibility', '5(a)'],
  ['creditworthiness', '5(b)'],
  ['life_health_insurance_pricing', '5(c)'],
  ['emergency_triage', '5(d)'],
  ['law_enforcement_victim_risk', '6(a)'],
  ['law_enforcement_polygraph', '6(b)'],
  ['law_enforcement_evidence_reliability', '6(c)'],
  ['law_enforcement_offending_risk', '6(d)'],
  ['law_enforcement_profiling', '6(e)'],
  ['migration_polygraph', '7(a)'],
  ['migration_risk_assessment', '7(b)'],
  ['migration_application_examination', '7(c)'],
  ['migration_identification', '7(d)'],
  ['justice_administration', '8(a)'],
  ['election_influence', '8(b)'],
];

for (const [use, point] of ANNEX_III) {
  test(`Annex III point ${point}: ${use} is high unless the Art. 6(3) exception applies`, () => {
    const ruleId = `high.annex3.${use}`;
    const plain = track({ annexIIIUses: [use] });
    assert.equal(plain.tier, 'high');
    assert.deepEqual(
      plain.reasons.map((reason) => reason.ruleId),
      [ruleId],
    );
    assert.equal(plain.reasons[0]?.basis, `EU AI Act Annex III point ${point}; Art. 6(2)–(3)`);

    // Art. 6(3): only a narrow procedural task and no profiling → not high.
    const exception = assess({ annexIIIUses: [use], narrowProceduralTask: true, profilesNaturalPersons: false });
    assert.equal(exception.tier, 'low');
    assert.deepEqual(
      exception.reasons.map((reason) => reason.ruleId),
      ['low.default'],
    );

    // Art. 6(3) last subparagraph: profiling always stays high, narrow task or not.
    assert.equal(
      assess({ annexIIIUses: [use], narrowProceduralTask: true, profilesNaturalPersons: true }).tier,
      'high',
    );
    assert.equal(
      assess({ annexIIIUses: [use], narrowProceduralTask: false, profilesNaturalPersons: true }).tier,
      'high',
    );
  });
}

test('the Art. 6(3) exception does not reach Art. 6(1): a safety component stays high', () => {
  assert.equal(assess({ safetyComponent: true, narrowProceduralTask: true }).tier, 'high');
  assert.equal(assess({ medicalDeviceClass: 'III', narrowProceduralTask: true }).tier, 'high');
});

test('the Art. 6(3) exception leaves the transparency triggers in place', () => {
  const result = assess({
    annexIIIUses: ['employment_recruitment'],
    narrowProceduralTask: true,
    interactsWithPeople: true,
  });
  assert.equal(result.tier, 'medium');
  assert.deepEqual(
    result.reasons.map((reason) => reason.ruleId),
    ['medium.interacts_with_people'],
  );
});

const MEDIUM: [AnswerKey, string, RegExp][] = [
  ['interactsWithPeople', 'medium.interacts_with_people', /Art\. 50\(1\)/],
  ['generatesSyntheticContent', 'medium.synthetic_content', /Art\. 50\(2\)/],
  ['publicOpinionAttributes', 'medium.public_opinion', /算法推荐管理规定.*生成式人工智能服务管理暂行办法 第十七条/],
];
for (const [key, ruleId, basis] of MEDIUM) {
  test(`medium: ${key}`, () => {
    const result = track({ [key]: true });
    assert.equal(result.tier, 'medium');
    assert.deepEqual(
      result.reasons.map((reason) => reason.ruleId),
      [ruleId],
    );
    assert.match(result.reasons[0]?.basis ?? '', basis);
    assert.deepEqual(
      result.obligations.map((obligation) => [obligation.code, obligation.intervalMonths]),
      [
        ['disclosure', undefined],
        ['tracking_report', 6],
      ],
    );
  });
}

test('low: nothing applies → disclosure and a tracking report every 12 months', () => {
  const result = track({});
  assert.equal(result.tier, 'low');
  assert.deepEqual(
    result.reasons.map((reason) => reason.ruleId),
    ['low.default'],
  );
  assert.match(result.reasons[0]?.basis ?? '', /深圳经济特区人工智能产业促进条例/);
  assert.deepEqual(
    result.obligations.map((obligation) => [obligation.code, obligation.intervalMonths]),
    [
      ['disclosure', undefined],
      ['tracking_report', 12],
    ],
  );
});

test('the domain alone never makes a system high-risk (nor do sensitive data or scale)', () => {
  const domains = CONTRACT_OPTIONS['domain'];
  assert.ok(Array.isArray(domains));
  for (const domain of domains) assert.equal(assess({ domain }).tier, 'low', String(domain));
  assert.equal(
    assess({
      domain: 'biometrics',
      processesSensitivePersonalInfo: true,
      profilesNaturalPersons: true,
      usersScale: 'gt1m',
    }).tier,
    'low',
  );
});

test('every matching rule is a reason, by tier then rule order; the catch-all only when low wins', () => {
  const result = assess({
    prohibitedPractices: ['social_scoring'],
    annexIIIUses: ['creditworthiness', 'remote_biometric_identification'],
    safetyComponent: true,
    publicOpinionAttributes: true,
    interactsWithPeople: true,
  });
  assert.equal(result.tier, 'prohibited');
  assert.deepEqual(
    result.reasons.map((reason) => reason.ruleId),
    [
      'prohibited.social_scoring',
      'high.safety_component',
      'high.annex3.remote_biometric_identification',
      'high.annex3.creditworthiness',
      'medium.interacts_with_people',
      'medium.public_opinion',
    ],
  );
  assert.ok(Object.isFrozen(result) && Object.isFrozen(result.reasons));
  assert.ok(!ruleIds({ interactsWithPeople: true }).includes('low.default'));
});

// ---------------------------------------------------------------------------------------
// Realistic products. Each names the provision that decides it.

interface Product {
  name: string;
  /** The provision that decides the tier. */
  source: string;
  answers: Partial<Record<AnswerKey, RiskAnswerValue>>;
  tier: RiskTier;
  /** A rule that must be among the reasons. */
  decidedBy: string;
}

const PRODUCTS: Product[] = [
  {
    name: 'Bank customer-service chatbot answering account questions',
    source: 'EU AI Act Art. 50(1) — must say it is an AI; no credit decision, so no Annex III use',
    answers: { domain: 'finance', interactsWithPeople: true, generatesSyntheticContent: true },
    tier: 'medium',
    decidedBy: 'medium.interacts_with_people',
  },
  {
    name: 'CV screening and candidate ranking for recruiters',
    source: 'EU AI Act Annex III point 4(a) — analysing and filtering job applications',
    answers: { domain: 'employment', annexIIIUses: ['employment_recruitment'], profilesNaturalPersons: true },
    tier: 'high',
    decidedBy: 'high.annex3.employment_recruitment',
  },
  {
    name: 'Consumer-loan credit scoring',
    source: 'EU AI Act Annex III point 5(b) — creditworthiness of natural persons',
    answers: {
      domain: 'credit_scoring',
      annexIIIUses: ['creditworthiness'],
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.creditworthiness',
  },
  {
    name: 'Chest X-ray triage flagging urgent findings for radiologists',
    source:
      'EU AI Act Art. 6(1) + Annex I Section A point 11; MDR Annex VIII rule 11 makes diagnostic-support software at least class IIa',
    answers: { domain: 'healthcare', medicalDeviceClass: 'IIa', processesSensitivePersonalInfo: true },
    tier: 'high',
    decidedBy: 'high.medical_device',
  },
  {
    name: 'ICU sepsis early-warning score',
    source: 'EU AI Act Art. 6(1); MDR rule 11 — decisions that may cause serious deterioration of health → class IIb',
    answers: {
      domain: 'healthcare',
      medicalDeviceClass: 'IIb',
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'high',
    decidedBy: 'high.medical_device',
  },
  {
    name: 'Face-swap deepfake video app',
    source: 'EU AI Act Art. 50(2) and (4); 生成式人工智能服务管理暂行办法 第十二条 — label synthetic content',
    answers: {
      domain: 'media_content',
      generatesSyntheticContent: true,
      processesSensitivePersonalInfo: true,
      usersScale: '100k_1m',
    },
    tier: 'medium',
    decidedBy: 'medium.synthetic_content',
  },
  {
    name: 'E-mail spam filter',
    source: 'no Art. 5, Art. 6 or Art. 50 trigger — minimal risk',
    answers: { domain: 'consumer', usersScale: 'gt1m' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Card-transaction fraud detection at a bank',
    source: 'EU AI Act Annex III point 5(b) expressly excludes systems used to detect financial fraud',
    answers: {
      domain: 'finance',
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
      usersScale: 'gt1m',
    },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Wind-farm power-output forecast for the grid operator',
    source: 'no safety function, so not an Annex III point 2 safety component; the domain alone is not a listed use',
    answers: { domain: 'critical_infrastructure' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: '1:1 face unlock on a smartphone',
    source: 'EU AI Act Annex III point 1(a) excludes biometric verification that only confirms a claimed identity',
    answers: { domain: 'biometrics', processesSensitivePersonalInfo: true, usersScale: 'gt1m' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Online exam proctoring flagging suspected cheating from the webcam',
    source: 'EU AI Act Annex III point 3(d) — monitoring prohibited behaviour during tests',
    answers: {
      domain: 'education',
      annexIIIUses: ['education_test_monitoring'],
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.education_test_monitoring',
  },
  {
    name: 'Call-centre agent emotion monitoring from voice',
    source: 'EU AI Act Art. 5(1)(f) — emotion recognition in the workplace',
    answers: {
      domain: 'employment',
      prohibitedPractices: ['emotion_recognition_workplace_education'],
      annexIIIUses: ['emotion_recognition', 'employment_work_decisions'],
      profilesNaturalPersons: true,
    },
    tier: 'prohibited',
    decidedBy: 'prohibited.emotion_recognition_workplace_education',
  },
  {
    name: 'Classroom attention and emotion analytics',
    source: 'EU AI Act Art. 5(1)(f) — emotion recognition in education institutions',
    answers: {
      domain: 'education',
      prohibitedPractices: ['emotion_recognition_workplace_education'],
      profilesNaturalPersons: true,
    },
    tier: 'prohibited',
    decidedBy: 'prohibited.emotion_recognition_workplace_education',
  },
  {
    name: 'Perception stack of an L4 robotaxi',
    source: 'EU AI Act Art. 6(1), Annex I Section B — safety component of a type-approved vehicle',
    answers: { domain: 'transport', safetyComponent: true },
    tier: 'high',
    decidedBy: 'high.safety_component',
  },
  {
    name: 'Collision avoidance of a collaborative industrial robot',
    source: 'EU AI Act Art. 6(1), Annex I Section A — machinery safety function needing third-party assessment',
    answers: { domain: 'industrial', safetyComponent: true },
    tier: 'high',
    decidedBy: 'high.safety_component',
  },
  {
    name: 'Short-video recommendation feed',
    source:
      '互联网信息服务算法推荐管理规定 第二十四条 — public-opinion attributes, algorithm filing; profiling alone is not an Annex III use',
    answers: {
      domain: 'media_content',
      publicOpinionAttributes: true,
      profilesNaturalPersons: true,
      usersScale: 'gt1m',
    },
    tier: 'medium',
    decidedBy: 'medium.public_opinion',
  },
  {
    name: 'Public general-purpose LLM chatbot',
    source: '生成式人工智能服务管理暂行办法 第十七条 and EU AI Act Art. 50(1)–(2)',
    answers: {
      interactsWithPeople: true,
      generatesSyntheticContent: true,
      publicOpinionAttributes: true,
      usersScale: 'gt1m',
    },
    tier: 'medium',
    decidedBy: 'medium.public_opinion',
  },
  {
    name: "Residents' social credit score restricting access to unrelated services",
    source: 'EU AI Act Art. 5(1)(c) — social scoring',
    answers: { domain: 'public_administration', prohibitedPractices: ['social_scoring'], profilesNaturalPersons: true },
    tier: 'prohibited',
    decidedBy: 'prohibited.social_scoring',
  },
  {
    name: 'Web crawler harvesting face photos for a face-search engine',
    source: 'EU AI Act Art. 5(1)(e) — untargeted scraping of facial images',
    answers: {
      domain: 'biometrics',
      prohibitedPractices: ['untargeted_face_scraping'],
      processesSensitivePersonalInfo: true,
    },
    tier: 'prohibited',
    decidedBy: 'prohibited.untargeted_face_scraping',
  },
  {
    name: 'Live street-camera face matching against a police watch list',
    source: 'EU AI Act Art. 5(1)(h) — real-time remote biometric identification in public for law enforcement',
    answers: {
      domain: 'law_enforcement',
      prohibitedPractices: ['realtime_remote_biometric_id_public'],
      annexIIIUses: ['remote_biometric_identification'],
      profilesNaturalPersons: true,
    },
    tier: 'prohibited',
    decidedBy: 'prohibited.realtime_remote_biometric_id_public',
  },
  {
    name: 'Crime prediction from personality profiles',
    source: 'EU AI Act Art. 5(1)(d) — risk of offending assessed solely on profiling',
    answers: {
      domain: 'law_enforcement',
      prohibitedPractices: ['predictive_policing_profiling'],
      annexIIIUses: ['law_enforcement_offending_risk'],
      profilesNaturalPersons: true,
    },
    tier: 'prohibited',
    decidedBy: 'prohibited.predictive_policing_profiling',
  },
  {
    name: 'Voice toy nudging children into risky challenges',
    source: 'EU AI Act Art. 5(1)(b) — exploiting the vulnerabilities of children',
    answers: { domain: 'consumer', prohibitedPractices: ['exploit_vulnerabilities'], interactsWithPeople: true },
    tier: 'prohibited',
    decidedBy: 'prohibited.exploit_vulnerabilities',
  },
  {
    name: 'Photo app inferring sexual orientation from faces',
    source: 'EU AI Act Art. 5(1)(g) — biometric categorisation by sensitive traits',
    answers: {
      domain: 'consumer',
      prohibitedPractices: ['biometric_categorisation_sensitive'],
      processesSensitivePersonalInfo: true,
    },
    tier: 'prohibited',
    decidedBy: 'prohibited.biometric_categorisation_sensitive',
  },
  {
    name: 'Ad optimiser inserting imperceptible frames to drive purchases',
    source: 'EU AI Act Art. 5(1)(a) — subliminal techniques',
    answers: { domain: 'media_content', prohibitedPractices: ['subliminal_manipulation'] },
    tier: 'prohibited',
    decidedBy: 'prohibited.subliminal_manipulation',
  },
  {
    name: '120 emergency-call triage and ambulance dispatch priority',
    source: 'EU AI Act Annex III point 5(d) — evaluating emergency calls and dispatch priority',
    answers: { domain: 'essential_services', annexIIIUses: ['emergency_triage'], processesSensitivePersonalInfo: true },
    tier: 'high',
    decidedBy: 'high.annex3.emergency_triage',
  },
  {
    name: 'Health-insurance premium pricing',
    source: 'EU AI Act Annex III point 5(c) — risk assessment and pricing in life and health insurance',
    answers: {
      domain: 'insurance_life_health',
      annexIIIUses: ['life_health_insurance_pricing'],
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.life_health_insurance_pricing',
  },
  {
    name: 'Motor-insurance claim damage estimate from photos',
    source: 'EU AI Act Annex III point 5(c) covers only life and health insurance',
    answers: { domain: 'finance' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Adaptive traffic-signal control with conflict-safety function',
    source: 'EU AI Act Annex III point 2 — safety component in road-traffic management',
    answers: { domain: 'transport', annexIIIUses: ['critical_infrastructure_safety'] },
    tier: 'high',
    decidedBy: 'high.annex3.critical_infrastructure_safety',
  },
  {
    name: 'Visual defect inspection on a phone-assembly line',
    source: 'no Art. 5, Art. 6 or Art. 50 trigger; quality control is not a safety function',
    answers: { domain: 'industrial' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Warehouse pick-route optimisation',
    source: 'no Art. 5, Art. 6 or Art. 50 trigger',
    answers: { domain: 'industrial', usersScale: '1k_100k' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Machine-translation app',
    source: 'EU AI Act Art. 50(1)–(2) — interacts with users and generates text',
    answers: { domain: 'consumer', interactsWithPeople: true, generatesSyntheticContent: true, usersScale: 'gt1m' },
    tier: 'medium',
    decidedBy: 'medium.interacts_with_people',
  },
  {
    name: 'Smart-speaker voice assistant',
    source: 'EU AI Act Art. 50(1) — conversational system with synthetic speech',
    answers: {
      domain: 'consumer',
      interactsWithPeople: true,
      generatesSyntheticContent: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'medium',
    decidedBy: 'medium.interacts_with_people',
  },
  {
    name: "Automated essay scoring that sets students' grades",
    source: 'EU AI Act Annex III point 3(b) — evaluating learning outcomes',
    answers: { domain: 'education', annexIIIUses: ['education_learning_outcomes'], profilesNaturalPersons: true },
    tier: 'high',
    decidedBy: 'high.annex3.education_learning_outcomes',
  },
  {
    name: 'OCR that turns paper admission files into structured records for admissions staff',
    source:
      'EU AI Act Art. 6(3)(a) — narrow procedural task (Recital 53: unstructured into structured data), no profiling',
    answers: { domain: 'education', annexIIIUses: ['education_admission'], narrowProceduralTask: true },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Chatbot that schedules job interviews',
    source: 'EU AI Act Art. 6(3) exception for the recruitment use (scheduling only, no profiling), then Art. 50(1)',
    answers: {
      domain: 'employment',
      annexIIIUses: ['employment_recruitment'],
      narrowProceduralTask: true,
      interactsWithPeople: true,
    },
    tier: 'medium',
    decidedBy: 'medium.interacts_with_people',
  },
  {
    name: "Résumé parser that also scores candidates' fit",
    source: 'EU AI Act Art. 6(3) last subparagraph — an Annex III system that profiles is always high-risk',
    answers: {
      domain: 'employment',
      annexIIIUses: ['employment_recruitment'],
      narrowProceduralTask: true,
      profilesNaturalPersons: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.employment_recruitment',
  },
  {
    name: 'Delivery-rider dispatch and performance rating',
    source: 'EU AI Act Annex III point 4(b) — task allocation and performance monitoring of workers',
    answers: {
      domain: 'employment',
      annexIIIUses: ['employment_work_decisions'],
      profilesNaturalPersons: true,
      usersScale: '100k_1m',
    },
    tier: 'high',
    decidedBy: 'high.annex3.employment_work_decisions',
  },
  {
    name: 'Social-assistance eligibility pre-check for a civil-affairs bureau',
    source: 'EU AI Act Annex III point 5(a) — eligibility for public assistance benefits',
    answers: {
      domain: 'public_administration',
      annexIIIUses: ['public_benefits_eligibility'],
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.public_benefits_eligibility',
  },
  {
    name: 'Case-law assistant suggesting the applicable law to judges',
    source: 'EU AI Act Annex III point 8(a) — researching and interpreting facts and law for a judicial authority',
    answers: {
      domain: 'justice_democracy',
      annexIIIUses: ['justice_administration'],
      interactsWithPeople: true,
      generatesSyntheticContent: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.justice_administration',
  },
  {
    name: 'Political micro-targeting of voters',
    source: 'EU AI Act Annex III point 8(b) — influencing the outcome of an election or voting behaviour',
    answers: {
      domain: 'justice_democracy',
      annexIIIUses: ['election_influence'],
      profilesNaturalPersons: true,
      publicOpinionAttributes: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.election_influence',
  },
  {
    name: 'Visa application risk triage',
    source: 'EU AI Act Annex III point 7(c) — examining visa applications',
    answers: {
      domain: 'migration_border',
      annexIIIUses: ['migration_application_examination'],
      profilesNaturalPersons: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.migration_application_examination',
  },
  {
    name: 'Evidence-reliability assessment for prosecutors',
    source: 'EU AI Act Annex III point 6(c) — reliability of evidence in criminal proceedings',
    answers: { domain: 'law_enforcement', annexIIIUses: ['law_enforcement_evidence_reliability'] },
    tier: 'high',
    decidedBy: 'high.annex3.law_enforcement_evidence_reliability',
  },
  {
    name: "Shopping-mall ad kiosk estimating passers-by's emotions",
    source: 'EU AI Act Annex III point 1(c) — emotion recognition outside work and education',
    answers: {
      domain: 'consumer',
      annexIIIUses: ['emotion_recognition'],
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'high',
    decidedBy: 'high.annex3.emotion_recognition',
  },
  {
    name: 'Wellness symptom checker (not a medical device)',
    source: 'not regulated as a medical device, so not Art. 6(1); EU AI Act Art. 50(1)',
    answers: {
      domain: 'healthcare',
      interactsWithPeople: true,
      generatesSyntheticContent: true,
      processesSensitivePersonalInfo: true,
    },
    tier: 'medium',
    decidedBy: 'medium.interacts_with_people',
  },
  {
    name: 'Hospital bed-occupancy forecast',
    source: 'no listed use; the healthcare domain alone is not high-risk',
    answers: { domain: 'healthcare' },
    tier: 'low',
    decidedBy: 'low.default',
  },
  {
    name: 'Crop disease detection from drone imagery',
    source: 'no Art. 5, Art. 6 or Art. 50 trigger',
    answers: { domain: 'other' },
    tier: 'low',
    decidedBy: 'low.default',
  },
];

test('at least 25 realistic products are graded', () => {
  assert.ok(PRODUCTS.length >= 25, `${PRODUCTS.length} products`);
  assert.equal(new Set(PRODUCTS.map((product) => product.name)).size, PRODUCTS.length);
});

for (const product of PRODUCTS) {
  test(`product: ${product.name} → ${product.tier} (${product.source})`, () => {
    const result = track(product.answers);
    assert.equal(result.tier, product.tier);
    assert.ok(
      result.reasons.some((reason) => reason.ruleId === product.decidedBy),
      `${product.decidedBy} missing from ${result.reasons.map((reason) => reason.ruleId).join(', ')}`,
    );
  });
}

// ---------------------------------------------------------------------------------------
// Answer validation.

test('answers matching the same rules share one frozen assessment; other matches get their own', () => {
  const chatbot = assess({ interactsWithPeople: true, usersScale: '1k_100k' });
  // Different answers, same matching rules (the scale and domain trigger nothing here).
  const sameRules = assess({ interactsWithPeople: true, usersScale: 'lt1k', domain: 'consumer' });
  assert.equal(sameRules, chatbot);
  const generator = assess({ interactsWithPeople: true, generatesSyntheticContent: true });
  assert.notEqual(generator, chatbot);
  assert.deepEqual(
    generator.reasons.map((reason) => reason.ruleId),
    ['medium.interacts_with_people', 'medium.synthetic_content'],
  );
  assert.deepEqual(
    chatbot.reasons.map((reason) => reason.ruleId),
    ['medium.interacts_with_people'],
  );
});

test('valid answers come back frozen, with exactly the questionnaire keys in its order', () => {
  const shuffled = Object.fromEntries(Object.entries(answers({ annexIIIUses: ['creditworthiness'] })).reverse());
  const result = validateAnswers(ruleset, shuffled);
  assert.ok(result.ok);
  assert.deepEqual(Object.keys(result.answers), Object.keys(CONTRACT_OPTIONS));
  assert.ok(Object.isFrozen(result.answers) && Object.isFrozen(result.answers['annexIIIUses']));
});

test('answers that are not an object are rejected at the root pointer', () => {
  for (const value of [null, [], 'low', 42, undefined]) {
    const result = validateAnswers(ruleset, value);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => [error.pointer, error.code]),
      [['', 'not_an_object']],
    );
  }
});

const ANSWER_ERRORS: [string, Record<string, unknown>, [string, string][]][] = [
  ['an unknown key', { ...NOTHING, riskLevel: 'low' }, [['/riskLevel', 'unknown_key']]],
  ['an unknown key with a slash, escaped per RFC 6901', { ...NOTHING, 'a/b~c': true }, [['/a~1b~0c', 'unknown_key']]],
  [
    'a missing key',
    Object.fromEntries(Object.entries(NOTHING).filter(([key]) => key !== 'usersScale')),
    [['/usersScale', 'missing_key']],
  ],
  [
    // As many keys as questions, yet one unknown and one missing.
    'an unknown key in place of a missing one',
    { ...Object.fromEntries(Object.entries(NOTHING).filter(([key]) => key !== 'usersScale')), riskLevel: 'low' },
    [
      ['/riskLevel', 'unknown_key'],
      ['/usersScale', 'missing_key'],
    ],
  ],
  ['a string for a boolean', { ...NOTHING, safetyComponent: 'yes' }, [['/safetyComponent', 'wrong_type']]],
  ['null for a boolean', { ...NOTHING, interactsWithPeople: null }, [['/interactsWithPeople', 'wrong_type']]],
  ['a number for a single choice', { ...NOTHING, domain: 3 }, [['/domain', 'wrong_type']]],
  ['an unknown single-choice option', { ...NOTHING, domain: 'space' }, [['/domain', 'unknown_option']]],
  [
    'a medical class in Chinese numbering',
    { ...NOTHING, medicalDeviceClass: 'II' },
    [['/medicalDeviceClass', 'unknown_option']],
  ],
  ['a string for a multi choice', { ...NOTHING, annexIIIUses: 'creditworthiness' }, [['/annexIIIUses', 'wrong_type']]],
  ['a non-string item', { ...NOTHING, annexIIIUses: ['creditworthiness', 7] }, [['/annexIIIUses/1', 'wrong_type']]],
  [
    'an unknown multi-choice option',
    { ...NOTHING, prohibitedPractices: ['mind_reading'] },
    [['/prohibitedPractices/0', 'unknown_option']],
  ],
  [
    'an option of another question',
    { ...NOTHING, annexIIIUses: ['social_scoring'] },
    [['/annexIIIUses/0', 'unknown_option']],
  ],
  [
    'a repeated item',
    { ...NOTHING, annexIIIUses: ['creditworthiness', 'emergency_triage', 'creditworthiness'] },
    [['/annexIIIUses/2', 'duplicate_item']],
  ],
];

for (const [label, input, expected] of ANSWER_ERRORS) {
  test(`answer validation: ${label}`, () => {
    const result = validateAnswers(ruleset, input);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => [error.pointer, error.code]),
      expected,
    );
    for (const error of result.errors) assert.ok(error.message.length > 0 && error.messageZh.length > 0);
    // evaluateRisk has its own quick check first: it must refuse the same answers, with these errors.
    assert.throws(
      () => evaluateRisk(ruleset, input as RiskAnswers),
      (error: unknown) => error instanceof RiskAnswersInvalidError && error.errors.length === expected.length,
    );
  });
}

test('answer validation lists every problem at once', () => {
  const result = validateAnswers(ruleset, {
    domain: 'space',
    annexIIIUses: ['creditworthiness', 'creditworthiness'],
    prohibitedPractices: [],
    safetyComponent: 'no',
    extra: 1,
  });
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((error) => [error.pointer, error.code]),
    [
      ['/extra', 'unknown_key'],
      ['/domain', 'unknown_option'],
      ['/annexIIIUses/1', 'duplicate_item'],
      ['/safetyComponent', 'wrong_type'],
      ['/medicalDeviceClass', 'missing_key'],
      ['/profilesNaturalPersons', 'missing_key'],
      ['/narrowProceduralTask', 'missing_key'],
      ['/interactsWithPeople', 'missing_key'],
      ['/generatesSyntheticContent', 'missing_key'],
      ['/publicOpinionAttributes', 'missing_key'],
      ['/processesSensitivePersonalInfo', 'missing_key'],
      ['/usersScale', 'missing_key'],
    ],
  );
});

test('evaluateRisk refuses invalid answers rather than reading a gap as "no"', () => {
  const partial = Object.fromEntries(
    Object.entries(answers({ annexIIIUses: ['creditworthiness'] })).filter(([key]) => key !== 'narrowProceduralTask'),
  );
  assert.throws(
    () => evaluateRisk(ruleset, partial),
    (error: unknown) =>
      error instanceof RiskAnswersInvalidError && error.errors[0]?.pointer === '/narrowProceduralTask',
  );
});

// ---------------------------------------------------------------------------------------
// Ruleset validation: every problem, each with its pointer.

type MutableRule = { id: string; tier: string; condition: unknown };

async function mutated(change: (json: Record<string, unknown> & { rules: MutableRule[] }) => void): Promise<unknown> {
  const json = (await rawRuleset()) as Record<string, unknown> & { rules: MutableRule[] };
  change(json);
  return json;
}

test('ruleset validation: conditions must name known questions and their option values', async () => {
  const json = await mutated((draft) => {
    draft.rules[0]!.condition = { includes: { key: 'prohibitedPractice', values: ['social_scoring'] } };
    draft.rules[1]!.condition = { includes: { key: 'prohibitedPractices', values: ['social_scorin'] } };
    draft.rules[2]!.condition = { eq: { key: 'safetyComponent', value: 'true' } };
    draft.rules[3]!.condition = { in: { key: 'medicalDeviceClass', values: ['II'] } };
    draft.rules[4]!.condition = { eq: { key: 'annexIIIUses', value: 'creditworthiness' } };
    draft.rules[5]!.condition = { nonEmpty: 'domain' };
    draft.rules[6]!.condition = { all: [] };
    draft.rules[7]!.condition = { not: { xor: [] } };
    draft.rules[8]!.condition = { eq: { key: 'safetyComponent', value: true }, nonEmpty: 'annexIIIUses' };
  });
  const problems = problemsOf(() => validateRuleset(json));
  const expected = [
    '/rules/0/condition/includes/key: unknown question key "prohibitedPractice"',
    '/rules/1/condition/includes/values/0: "social_scorin" is not an option of "prohibitedPractices"',
    '/rules/2/condition/eq/value: "safetyComponent" is boolean (got "true")',
    '/rules/3/condition/in/values/0: "II" is not an option of "medicalDeviceClass"',
    '/rules/4/condition/eq/key: "eq" does not apply to multi_choice question "annexIIIUses"',
    '/rules/5/condition/nonEmpty: "nonEmpty" does not apply to single_choice question "domain"',
    '/rules/6/condition/all: must be a non-empty array of conditions',
    '/rules/7/condition/not/xor: unknown operator',
    '/rules/8/condition: a condition is an object with exactly one operator',
  ];
  for (const start of expected) {
    assert.ok(
      problems.some((problem) => problem.startsWith(start)),
      `missing "${start}" in:\n${problems.join('\n')}`,
    );
  }
});

test('ruleset validation: unique ids, complete tierOrder, a catch-all, obligations for every tier', async () => {
  const json = await mutated((draft) => {
    draft.rules[1]!.id = draft.rules[0]!.id;
    draft.rules = draft.rules.filter((rule) => rule.tier !== 'low');
    draft['tierOrder'] = ['prohibited', 'high', 'high'];
    draft['obligations'] = { ...(draft['obligations'] as object), medium: [] };
    delete (draft['obligations'] as Record<string, unknown>)['low'];
    draft['owner'] = 'someone';
  });
  const problems = problemsOf(() => validateRuleset(json));
  for (const start of [
    '/owner: unknown field',
    '/tierOrder/2: "high" is repeated',
    '/tierOrder: "medium" is missing',
    '/tierOrder: "low" is missing',
    '/rules/1/id: "prohibited.subliminal_manipulation" is repeated',
    '/rules: no rule has tier "low"',
    '/rules: needs a catch-all rule',
    '/obligations/low: is required',
    '/obligations/medium: must be a non-empty array',
  ]) {
    assert.ok(
      problems.some((problem) => problem.startsWith(start)),
      `missing "${start}" in:\n${problems.join('\n')}`,
    );
  }
});

test('ruleset validation: questions, options and sources are checked too', async () => {
  const json = (await rawRuleset()) as Record<string, unknown> & { questions: Record<string, unknown>[] };
  json.questions[0]!['type'] = 'text';
  json.questions[4]!['options'] = [
    { value: 'none', labelZh: '否', labelEn: 'No' },
    { value: 'none', labelZh: '否', labelEn: 'No' },
  ];
  json.questions[5]!['helpEn'] = '';
  json['source'] = [{ id: 'x', title: 'T', issuer: 'I', year: 'twenty' }];
  const problems = problemsOf(() => validateRuleset(json));
  for (const start of [
    '/questions/0/type: must be one of boolean, single_choice, multi_choice',
    '/questions/4/options/1/value: "none" is repeated',
    '/questions/5/helpEn: must be a non-empty string',
    '/source/0/year: must be a four-digit year',
  ]) {
    assert.ok(
      problems.some((problem) => problem.startsWith(start)),
      `missing "${start}" in:\n${problems.join('\n')}`,
    );
  }
  assert.throws(() => validateRuleset([]), RulesetValidationError);
});

test('loadRulesets prefixes problems with the file name and checks the version against it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'aigov-risk-'));
  try {
    const json = await rawRuleset();
    await writeFile(path.join(dir, 'ruleset-v2.json'), JSON.stringify(json));
    await writeFile(path.join(dir, 'ruleset-v3.json'), '{ not json');
    await writeFile(path.join(dir, 'ruleset-v4.json'), JSON.stringify({ ...json, version: 'v4', tierOrder: ['low'] }));
    await assert.rejects(loadRulesets(dir), (error: unknown) => {
      assert.ok(error instanceof RulesetValidationError);
      assert.ok(
        error.problems.some((problem) =>
          problem.startsWith('ruleset-v2.json/version: "v1" is not the version in the file name'),
        ),
      );
      assert.ok(error.problems.some((problem) => problem.startsWith('ruleset-v3.json: not valid JSON')));
      assert.ok(
        error.problems.some((problem) => problem.startsWith('ruleset-v4.json/tierOrder: "prohibited" is missing')),
      );
      return true;
    });
    await rm(path.join(dir, 'ruleset-v3.json'));
    await rm(path.join(dir, 'ruleset-v4.json'));
    await writeFile(path.join(dir, 'ruleset-v2.json'), JSON.stringify({ ...json, version: 'v2' }));
    assert.deepEqual(
      (await loadRulesets(dir)).map((loaded) => loaded.version),
      ['v2'],
    );
    await assert.rejects(loadRuleset('v9', dir), RulesetValidationError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Runs last (node:test runs top-level tests in order): the tables above must reach every rule.
test('every rule of the ruleset is exercised by the tables above', () => {
  const missing = ruleset.rules.map((rule) => rule.id).filter((id) => !exercised.has(id));
  assert.deepEqual(missing, []);
});
