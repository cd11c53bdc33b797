/**
 * The AI ethics committee (API-CONTRACT-2 §3) — the rules written once, imported by the server
 * and the web app: case statuses and votes, the automatic referral triggers, quorum, the
 * outcome of a vote, and what an open or unfavourable opinion blocks.
 *
 * Legal basis: the Shenzhen AI Regulations (深圳经济特区人工智能产业促进条例, 2022) set up the
 * city's AI ethics committee to guide the development and use of AI and safeguard residents'
 * privacy; 科技伦理审查办法（试行）(2023) for ethics review of AI research and development;
 * 涉及人的生命科学和医学研究伦理审查办法 (2023) for research on people in healthcare.
 * The numbers (15 working days, a quorum of 3 and two thirds) are the platform's, fixed by the
 * contract.
 */
import type { FilingKind } from './filings.ts';
import type { RiskTier } from './risk.ts';
import type { TrialKind } from './trial-kinds.ts';

/** `dueDate` of a case = this many working days after referral (day 0 = the referral date). */
export const ETHICS_REVIEW_WORKING_DAYS = 15;

export const ETHICS_SUBJECT_TYPES = ['filing', 'trial'] as const;
export type EthicsSubjectType = (typeof ETHICS_SUBJECT_TYPES)[number];

export const ETHICS_CASE_STATUSES = ['open', 'decided'] as const;
export type EthicsCaseStatus = (typeof ETHICS_CASE_STATUSES)[number];

export const ETHICS_VOTES = ['favourable', 'favourable_with_conditions', 'unfavourable', 'abstain'] as const;
export type EthicsVote = (typeof ETHICS_VOTES)[number];

export const ETHICS_OUTCOMES = ['favourable', 'favourable_with_conditions', 'unfavourable'] as const;
export type EthicsOutcome = (typeof ETHICS_OUTCOMES)[number];

/** Outcomes that let the subject go ahead (a healthcare trial "needs a favourable opinion"). */
export const FAVOURABLE_OUTCOMES = [
  'favourable',
  'favourable_with_conditions',
] as const satisfies readonly EthicsOutcome[];

export function isFavourableOutcome(outcome: EthicsOutcome): boolean {
  return (FAVOURABLE_OUTCOMES as readonly EthicsOutcome[]).includes(outcome);
}

// ---------------------------------------------------------------------------------------
// Automatic referral

/** Annex III point 1 of the EU AI Act (biometrics), as the risk questionnaire names its uses. */
export const BIOMETRIC_ANNEX_III_USES = [
  'remote_biometric_identification',
  'biometric_categorisation',
  'emotion_recognition',
] as const;
/** Annex III point 6 (law enforcement): every questionnaire use whose value starts with this. */
export const LAW_ENFORCEMENT_USE_PREFIX = 'law_enforcement_';

export const REFERRAL_TRIGGERS = [
  'sensitive_personal_info',
  'profiling',
  'biometrics',
  'law_enforcement',
  'healthcare_trial',
] as const;
export type ReferralTrigger = (typeof REFERRAL_TRIGGERS)[number];

interface ReferralTriggerText {
  readonly zh: string;
  readonly en: string;
  readonly legalBasisZh: string;
  readonly legalBasisEn: string;
}

/** Why each trigger refers a case, and on what basis (shown with the case's `reason`). */
export const REFERRAL_TRIGGER_TEXTS: Readonly<Record<ReferralTrigger, ReferralTriggerText>> = {
  sensitive_personal_info: {
    zh: '高风险人工智能应用处理敏感个人信息',
    en: 'A high-risk AI application processes sensitive personal information',
    legalBasisZh: '《个人信息保护法》第二十八条、第五十五条；深圳经济特区人工智能产业促进条例（伦理委员会）',
    legalBasisEn: 'PIPL Art. 28 and Art. 55; Shenzhen AI Regulations (the ethics committee)',
  },
  profiling: {
    zh: '高风险人工智能应用对自然人进行画像',
    en: 'A high-risk AI application profiles natural persons',
    legalBasisZh: '《个人信息保护法》第二十四条、第五十五条；深圳经济特区人工智能产业促进条例（伦理委员会）',
    legalBasisEn: 'PIPL Art. 24 and Art. 55; Shenzhen AI Regulations (the ethics committee)',
  },
  biometrics: {
    zh: '高风险人工智能应用涉及生物识别（远程生物识别、生物特征分类或情绪识别）',
    en: 'A high-risk AI application uses biometrics (remote biometric identification, biometric categorisation or emotion recognition)',
    legalBasisZh: '欧盟《人工智能法》附件三第1点；《个人信息保护法》第二十八条',
    legalBasisEn: 'EU AI Act Annex III point 1; PIPL Art. 28',
  },
  law_enforcement: {
    zh: '高风险人工智能应用用于执法',
    en: 'A high-risk AI application is used in law enforcement',
    legalBasisZh: '欧盟《人工智能法》附件三第6点；深圳经济特区人工智能产业促进条例（伦理委员会）',
    legalBasisEn: 'EU AI Act Annex III point 6; Shenzhen AI Regulations (the ethics committee)',
  },
  healthcare_trial: {
    zh: '医疗人工智能小范围试用涉及人的医学研究',
    en: 'A small-scale healthcare AI trial is medical research involving people',
    legalBasisZh: '涉及人的生命科学和医学研究伦理审查办法；深圳经济特区人工智能产业促进条例（医疗机构试用）',
    legalBasisEn:
      'Measures for Ethics Review of Life Science and Medical Research Involving Humans; Shenzhen AI Regulations (trials in medical institutions)',
  },
};

/**
 * The answers of the risk self-check that matter here (the questionnaire's keys). Validated
 * answers are booleans and string arrays; anything else simply does not trigger.
 */
export interface ReferralAnswers {
  readonly processesSensitivePersonalInfo?: unknown;
  readonly profilesNaturalPersons?: unknown;
  readonly annexIIIUses?: unknown;
  readonly [key: string]: unknown;
}

/** What is being submitted: a filing (with the product's tier and self-check answers) or a trial. */
export type ReferralSubject =
  | {
      readonly subjectType: 'filing';
      readonly filingKind: FilingKind;
      readonly tier: RiskTier;
      readonly answers: ReferralAnswers;
    }
  | { readonly subjectType: 'trial'; readonly trialKind: TrialKind };

export interface ReferralReason {
  readonly trigger: ReferralTrigger;
  /** The `annexIIIUses` values that fired `biometrics` or `law_enforcement`; empty otherwise. */
  readonly matchedUses: readonly string[];
  readonly zh: string;
  readonly en: string;
}

function reason(trigger: ReferralTrigger, matchedUses: readonly string[] = []): ReferralReason {
  const text = REFERRAL_TRIGGER_TEXTS[trigger];
  return { trigger, matchedUses, zh: text.zh, en: text.en };
}

/**
 * The automatic referral triggers that apply when `subject` is submitted (API-CONTRACT-2 §3),
 * in `REFERRAL_TRIGGERS` order; empty: no automatic referral.
 *
 * - A filing refers only when it is an `assessment` of a `high`-risk product and the product
 *   `processesSensitivePersonalInfo` (exactly `true`), `profilesNaturalPersons` (exactly
 *   `true`), or lists in `annexIIIUses` a biometric use (`BIOMETRIC_ANNEX_III_USES`) or a
 *   law-enforcement use (`law_enforcement_*`). The other Annex III uses (migration, justice …)
 *   and the `domain` answer do not refer by themselves: the contract names these four.
 *   A disclosure never refers automatically, whatever its answers (a reviewer may refer it).
 * - Every `healthcare` trial refers; a `pilot` never does automatically.
 */
export function referralReasons(subject: ReferralSubject): ReferralReason[] {
  if (subject.subjectType === 'trial') return subject.trialKind === 'healthcare' ? [reason('healthcare_trial')] : [];
  if (subject.filingKind !== 'assessment' || subject.tier !== 'high') return [];
  const { answers } = subject;
  const uses = Array.isArray(answers.annexIIIUses)
    ? answers.annexIIIUses.filter((use): use is string => typeof use === 'string')
    : [];
  const biometric = uses.filter((use) => (BIOMETRIC_ANNEX_III_USES as readonly string[]).includes(use));
  const lawEnforcement = uses.filter((use) => use.startsWith(LAW_ENFORCEMENT_USE_PREFIX));
  const reasons: ReferralReason[] = [];
  if (answers.processesSensitivePersonalInfo === true) reasons.push(reason('sensitive_personal_info'));
  if (answers.profilesNaturalPersons === true) reasons.push(reason('profiling'));
  if (biometric.length > 0) reasons.push(reason('biometrics', biometric));
  if (lawEnforcement.length > 0) reasons.push(reason('law_enforcement', lawEnforcement));
  return reasons;
}

/** One text for the case's `reason`: the triggers joined, in each language. */
export function referralReasonText(reasons: readonly ReferralReason[]): { zh: string; en: string } {
  return { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') };
}

// ---------------------------------------------------------------------------------------
// Votes, quorum, outcome

/** The shape of the opinion's `votes` (API-CONTRACT-2 §3). */
export interface VoteTally {
  readonly favourable: number;
  readonly favourableWithConditions: number;
  readonly unfavourable: number;
  readonly abstain: number;
}

export function tallyVotes(votes: Iterable<EthicsVote>): VoteTally {
  let favourable = 0;
  let favourableWithConditions = 0;
  let unfavourable = 0;
  let abstain = 0;
  for (const vote of votes) {
    switch (vote) {
      case 'favourable':
        favourable += 1;
        break;
      case 'favourable_with_conditions':
        favourableWithConditions += 1;
        break;
      case 'unfavourable':
        unfavourable += 1;
        break;
      case 'abstain':
        abstain += 1;
        break;
    }
  }
  return { favourable, favourableWithConditions, unfavourable, abstain };
}

/** Votes cast, abstentions included (they count for quorum). */
export function votesCast(tally: VoteTally): number {
  assertTally(tally);
  return tally.favourable + tally.favourableWithConditions + tally.unfavourable + tally.abstain;
}

/** At least this many votes, whatever the committee's size. */
export const ETHICS_MINIMUM_VOTES = 3;

export interface QuorumCheck {
  readonly met: boolean;
  readonly eligibleMembers: number;
  readonly votesCast: number;
  /** The fewest votes that make quorum: max(3, ⌈2 × eligibleMembers / 3⌉). */
  readonly required: number;
}

/**
 * Quorum (API-CONTRACT-2 §3): at least 3 votes AND at least two thirds of the eligible
 * members voted, abstentions included. "Two thirds" is `3 × votes ≥ 2 × eligible`, in
 * integers — exactly two thirds is enough (6 of 9), 5 of 8 is not (15 < 16). Committees of
 * fewer than 3 eligible members can never reach quorum (`required` > `eligibleMembers`).
 * `votes` beyond `eligibleMembers` (a member who lost the role after voting) still count.
 */
export function quorum(eligibleMembers: number, votes: number | VoteTally): QuorumCheck {
  assertCount(eligibleMembers, 'eligibleMembers');
  const cast = typeof votes === 'number' ? votes : votesCast(votes);
  assertCount(cast, 'votes');
  const required = Math.max(ETHICS_MINIMUM_VOTES, ceilDiv(2 * eligibleMembers, 3));
  const met = cast >= ETHICS_MINIMUM_VOTES && 3 * cast >= 2 * eligibleMembers;
  return { met, eligibleMembers, votesCast: cast, required };
}

/** A committee this size can reach quorum at all. */
export function isQuorumReachable(eligibleMembers: number): boolean {
  return quorum(eligibleMembers, eligibleMembers).met;
}

/**
 * The opinion (API-CONTRACT-2 §3): favourable-type votes (`favourable` +
 * `favourable_with_conditions`) against `unfavourable`; the larger wins and a tie is
 * `unfavourable` (so is a case where everyone abstained: 0 against 0). When favourable-type
 * votes win, the outcome is `favourable_with_conditions` if any of them was, else
 * `favourable`. Abstentions do not count here. Quorum is checked apart (`quorum`).
 */
export function outcome(tally: VoteTally): EthicsOutcome {
  assertTally(tally);
  const favourableType = tally.favourable + tally.favourableWithConditions;
  if (favourableType <= tally.unfavourable) return 'unfavourable';
  return tally.favourableWithConditions > 0 ? 'favourable_with_conditions' : 'favourable';
}

// ---------------------------------------------------------------------------------------
// Effects

export interface EthicsCaseState {
  readonly status: EthicsCaseStatus;
  /** `null` while open. */
  readonly outcome: EthicsOutcome | null;
}

export const ETHICS_APPROVAL_BLOCKS = ['ethics_opinion_pending', 'ethics_opinion_unfavourable'] as const;
export type EthicsApprovalBlock = (typeof ETHICS_APPROVAL_BLOCKS)[number];

/** The 422's `detail`, per block. */
export const ETHICS_APPROVAL_BLOCK_TEXTS: Readonly<Record<EthicsApprovalBlock, { zh: string; en: string }>> = {
  ethics_opinion_pending: {
    zh: '伦理委员会尚未出具意见，暂不能批准；可以驳回',
    en: 'The ethics committee has not given its opinion yet: approval must wait (rejection is possible)',
  },
  ethics_opinion_unfavourable: {
    zh: '伦理委员会出具了不赞成意见，不能批准；可以驳回',
    en: 'The ethics committee gave an unfavourable opinion: the filing cannot be approved (rejection is possible)',
  },
};

/**
 * What stops a reviewer approving a filing, given every ethics case on it (API-CONTRACT-2 §3
 * Effects), or `undefined` when nothing does: any open case → `ethics_opinion_pending`;
 * else any unfavourable opinion → `ethics_opinion_unfavourable`. An unfavourable opinion is
 * not washed out by a later favourable one on the same filing: the provider files anew.
 * Rejecting is never blocked. An open case's `outcome` is ignored.
 */
export function approvalBlockedBy(cases: readonly EthicsCaseState[]): EthicsApprovalBlock | undefined {
  if (cases.some((c) => c.status === 'open')) return 'ethics_opinion_pending';
  if (cases.some((c) => c.status === 'decided' && c.outcome === 'unfavourable')) return 'ethics_opinion_unfavourable';
  return undefined;
}

// ---------------------------------------------------------------------------------------

/** ⌈a / b⌉ for non-negative integers, without floating point. */
function ceilDiv(a: number, b: number): number {
  const remainder = a % b;
  return (a - remainder) / b + (remainder === 0 ? 0 : 1);
}

function assertCount(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer (got ${value})`);
  }
}

function assertTally(tally: VoteTally): void {
  assertCount(tally.favourable, 'favourable');
  assertCount(tally.favourableWithConditions, 'favourableWithConditions');
  assertCount(tally.unfavourable, 'unfavourable');
  assertCount(tally.abstain, 'abstain');
}
