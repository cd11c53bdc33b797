import { Type, type Static } from '@fastify/type-provider-typebox';
import {
  ETHICS_CASE_STATUSES,
  ETHICS_OUTCOMES,
  ETHICS_SUBJECT_TYPES,
  ETHICS_VOTES,
  REFERRAL_TRIGGERS,
} from '../../domain/ethics.ts';
import { PageQuery, pageOf } from '../../platform/http.ts';

export const ETHICS_LIMITS = {
  reasonMaxLength: 10_000,
  statementMaxLength: 10_000,
  commentMaxLength: 10_000,
  publicSummaryMaxLength: 20_000,
  maxConditions: 50,
  conditionMaxLength: 2_000,
} as const;

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const CivilDate = Type.String({ format: 'date' });

export const IdParams = Type.Object({ id: Uuid });

// ----- bodies -----

export const ReferralBody = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: ETHICS_LIMITS.reasonMaxLength,
      description: 'Why the committee should give an opinion',
    }),
  },
  { additionalProperties: false },
);
export type ReferralBody = Static<typeof ReferralBody>;

export const DeclarationBody = Type.Object(
  {
    conflictOfInterest: Type.Boolean({
      description: 'true: the member has a conflict and will neither vote nor see comments',
    }),
    statement: Type.String({ minLength: 1, maxLength: ETHICS_LIMITS.statementMaxLength }),
  },
  { additionalProperties: false },
);
export type DeclarationBody = Static<typeof DeclarationBody>;

export const VoteBody = Type.Object(
  {
    vote: Type.Enum(ETHICS_VOTES),
    comment: Type.String({ maxLength: ETHICS_LIMITS.commentMaxLength }),
  },
  { additionalProperties: false },
);
export type VoteBody = Static<typeof VoteBody>;

export const OpinionBody = Type.Object(
  {
    publicSummary: Type.String({
      minLength: 1,
      maxLength: ETHICS_LIMITS.publicSummaryMaxLength,
      description: 'The reasoned opinion as the public reads it (no member names)',
    }),
    conditions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: ETHICS_LIMITS.conditionMaxLength }), {
        maxItems: ETHICS_LIMITS.maxConditions,
        description: 'Required (at least one) when the outcome is favourable_with_conditions',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OpinionBody = Static<typeof OpinionBody>;

export const MembershipBody = Type.Object(
  {
    ethicsMember: Type.Boolean(),
    ethicsSecretary: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type MembershipBody = Static<typeof MembershipBody>;

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(ETHICS_CASE_STATUSES)),
    subjectType: Type.Optional(Type.Enum(ETHICS_SUBJECT_TYPES)),
    subjectId: Type.Optional(Uuid),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CaseListQuery = Static<typeof CaseListQuery>;

export const PublicQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type PublicQuery = Static<typeof PublicQuery>;

// ----- views -----

export const VoteTallyView = Type.Object({
  favourable: Type.Integer({ minimum: 0 }),
  favourableWithConditions: Type.Integer({ minimum: 0 }),
  unfavourable: Type.Integer({ minimum: 0 }),
  abstain: Type.Integer({ minimum: 0 }),
});

const Voter = Type.Object({ memberId: Uuid, name: Type.String(), votedAt: Instant });
const Ballot = Type.Object({
  memberId: Uuid,
  name: Type.String(),
  vote: Type.Enum(ETHICS_VOTES),
  comment: Type.String(),
  castAt: Instant,
});
export const DeclarationView = Type.Object({
  id: Uuid,
  caseId: Uuid,
  memberId: Uuid,
  name: Type.String(),
  conflictOfInterest: Type.Boolean(),
  statement: Type.String(),
  declaredAt: Instant,
});
export type DeclarationViewT = Static<typeof DeclarationView>;

export const VoteView = Type.Object({
  id: Uuid,
  caseId: Uuid,
  vote: Type.Enum(ETHICS_VOTES),
  comment: Type.String(),
  castAt: Instant,
});
export type VoteViewT = Static<typeof VoteView>;

export const CaseSummaryView = Type.Object({
  id: Uuid,
  subjectType: Type.Enum(ETHICS_SUBJECT_TYPES),
  subjectId: Uuid,
  subject: Type.Object({ name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]), organizationId: Uuid }),
  reason: Type.String(),
  triggers: Type.Array(Type.Enum(REFERRAL_TRIGGERS)),
  referral: Type.Union([Type.Literal('automatic'), Type.Literal('reviewer')]),
  referredAt: Instant,
  dueDate: CivilDate,
  dueDateProvisional: Type.Boolean(),
  status: Type.Enum(ETHICS_CASE_STATUSES),
  outcome: Type.Union([Type.Enum(ETHICS_OUTCOMES), Type.Null()]),
  votesCast: Type.Integer({ minimum: 0 }),
  decidedAt: NullableInstant,
  version: Type.Integer({ minimum: 1 }),
});
export type CaseSummaryViewT = Static<typeof CaseSummaryView>;

export const CaseView = Type.Object({
  ...CaseSummaryView.properties,
  publicSummary: Type.Union([Type.String(), Type.Null()]),
  conditions: Type.Union([Type.Array(Type.String()), Type.Null()]),
  /** The tally: null until the opinion is published. */
  votes: Type.Union([VoteTallyView, Type.Null()]),
  /** Eligible members now (open) or at publication (decided). */
  eligibleMembers: Type.Integer({ minimum: 0 }),
  /** Committee roles only: who has voted (never how, while open). */
  voters: Type.Union([Type.Array(Voter), Type.Null()]),
  /** After publication, to the committee (not to conflicted members): each vote with its comment. */
  ballots: Type.Union([Type.Array(Ballot), Type.Null()]),
  /** The secretary and the regulator administrator: every declaration. */
  declarations: Type.Union([Type.Array(DeclarationView), Type.Null()]),
  /** An ethics member's own standing on the case. */
  me: Type.Union([
    Type.Object({
      declared: Type.Boolean(),
      conflictOfInterest: Type.Union([Type.Boolean(), Type.Null()]),
      voted: Type.Boolean(),
      vote: Type.Union([Type.Enum(ETHICS_VOTES), Type.Null()]),
    }),
    Type.Null(),
  ]),
});
export type CaseViewT = Static<typeof CaseView>;

export const CasePage = pageOf(CaseSummaryView);

export const OpinionView = Type.Object({
  ...CaseView.properties,
  outcome: Type.Enum(ETHICS_OUTCOMES),
  votes: VoteTallyView,
});

export const PublicOpinion = Type.Object({
  id: Uuid,
  subjectType: Type.Enum(ETHICS_SUBJECT_TYPES),
  subjectName: Type.String(),
  subjectNameEn: Type.Union([Type.String(), Type.Null()]),
  provider: Type.Object({
    name: Type.String(),
    nameEn: Type.Union([Type.String(), Type.Null()]),
    uscc: Type.String(),
  }),
  outcome: Type.Enum(ETHICS_OUTCOMES),
  publicSummary: Type.String(),
  conditions: Type.Array(Type.String()),
  decidedAt: Instant,
  votes: VoteTallyView,
});
export type PublicOpinionT = Static<typeof PublicOpinion>;
export const PublicOpinionPage = pageOf(PublicOpinion);

export const MemberView = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  ethicsMember: Type.Boolean(),
  ethicsSecretary: Type.Boolean(),
  active: Type.Boolean(),
});
export type MemberViewT = Static<typeof MemberView>;
export const MemberList = Type.Object({ items: Type.Array(MemberView) });

export const MemberDeclaration = Type.Object({
  ...DeclarationView.properties,
  subjectType: Type.Enum(ETHICS_SUBJECT_TYPES),
  subjectName: Type.String(),
  caseStatus: Type.Enum(ETHICS_CASE_STATUSES),
});
export const MemberDeclarations = Type.Object({ member: MemberView, items: Type.Array(MemberDeclaration) });
