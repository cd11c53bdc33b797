import { Type } from '@fastify/type-provider-typebox';
import { ETHICS_OUTCOMES } from '../../domain/ethics.ts';
import {
  PUBLIC_TRIAL_STATUSES,
  SITE_REVIEW_DECISIONS,
  TRIAL_KINDS,
  TRIAL_STATUSES,
  MAX_TRIAL_HOSTS,
  MIN_TRIAL_HOSTS,
} from '../../domain/trials.ts';
import { PageQuery } from '../../platform/http.ts';
import { DISPLAY_NAME_FORMAT } from '../../platform/validation.ts';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = (description: string) => Type.String({ format: 'date', description });
const Instant = Type.String({ format: 'date-time' });
const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const TrialIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const TrialKindSchema = Type.Enum(TRIAL_KINDS, { description: 'healthcare (hosted by medical institutions) or pilot' });
export const TrialStatusSchema = Type.Enum(TRIAL_STATUSES, {
  description:
    'draft → under_review → approved / rejected; approved shows as approved, active or ended by the clock; suspended; completed',
});

const InternationalStandard = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. ISO/IEC 42001:2023' }),
    title: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);

export const CreateTrialBody = Type.Object(
  {
    productId: Uuid,
    kind: TrialKindSchema,
    title: Type.String({ minLength: 1, maxLength: 200, format: DISPLAY_NAME_FORMAT }),
    titleEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, format: DISPLAY_NAME_FORMAT })),
    protocolSummary: Text(10_000, 'What is trialled, on whom, how, with which safeguards'),
    hostOrganizationIds: Type.Array(Uuid, {
      minItems: MIN_TRIAL_HOSTS,
      maxItems: MAX_TRIAL_HOSTS,
      uniqueItems: true,
      description: 'The host organisations (each reviews its site); healthcare: verified medical institutions',
    }),
    maxParticipants: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'healthcare: at most 500' }),
    startDate: CivilDate('Not before today (Asia/Shanghai)'),
    endDate: CivilDate('At most 183 days after startDate'),
    internationalStandards: Type.Array(InternationalStandard, {
      maxItems: 20,
      description: 'pilot: at least one advanced international standard the product meets',
    }),
    noApplicableNationalStandard: Type.Boolean({ description: 'pilot: must be true' }),
  },
  { additionalProperties: false },
);

export const SiteReviewBody = Type.Object(
  { decision: Type.Enum(SITE_REVIEW_DECISIONS), reasons: Text(5_000, 'Why (shown to the provider)') },
  { additionalProperties: false },
);

export const EnrolmentBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 100_000 }),
    enrolledOn: CivilDate('The day they were enrolled (not in the future)'),
  },
  { additionalProperties: false },
);

export const AdverseEventBody = Type.Object(
  {
    occurredAt: Instant,
    awareAt: Instant,
    serious: Type.Boolean({ description: 'A serious adverse event suspends the trial at once' }),
    description: Text(10_000, 'What happened, to whom, what was done'),
  },
  { additionalProperties: false },
);

export const ReasonsBody = Type.Object({ reasons: Text(5_000, 'Why') }, { additionalProperties: false });

export const ExtensionBody = Type.Object(
  { endDate: CivilDate('The new end date: later than the current one, at most 183 days later') },
  { additionalProperties: false },
);

export const ReportBody = Type.Object(
  {
    kind: Type.Enum(['interim', 'final'] as const),
    participants: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    outcomeSummary: Text(20_000, 'Outcomes so far (final: published on the public register)'),
    adverseEventsSummary: Text(20_000, 'Adverse events and how they were handled'),
  },
  { additionalProperties: false },
);

const SiteReview = Type.Object({
  organizationId: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  decision: Type.Union([Type.Enum(SITE_REVIEW_DECISIONS), Type.Null()]),
  reasons: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  dueDate: Nullable(Type.String({ format: 'date' })),
  dueDateProvisional: Type.Boolean(),
  overdue: Type.Boolean({ description: 'Not given and past dueDate' }),
});

export const AdverseEvent = Type.Object({
  id: Type.String(),
  trialId: Type.String(),
  reportedByOrganizationId: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  awareAt: Type.String({ format: 'date-time' }),
  serious: Type.Boolean(),
  description: Type.String(),
  reportDeadline: Nullable(Type.String({ format: 'date-time', description: 'awareAt + 24 h for serious ones' })),
  reportedLate: Type.Boolean(),
  reportedAt: Type.String({ format: 'date-time' }),
  trialStatus: Type.Optional(TrialStatusSchema),
});

export const TrialReport = Type.Object({
  id: Type.String(),
  trialId: Type.String(),
  kind: Type.Enum(['interim', 'final'] as const),
  participants: Type.Integer(),
  outcomeSummary: Type.String(),
  adverseEventsSummary: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  trialStatus: Type.Optional(TrialStatusSchema),
});

export const Enrolment = Type.Object({
  id: Type.String(),
  trialId: Type.String(),
  hostOrganizationId: Type.String(),
  count: Type.Integer(),
  enrolledOn: Type.String({ format: 'date' }),
  createdAt: Type.String({ format: 'date-time' }),
  enrolled: Type.Integer({ description: 'The running total after this enrolment' }),
  maxParticipants: Type.Integer(),
});

export const Trial = Type.Object({
  id: Type.String(),
  organizationId: Type.String({ description: 'The provider' }),
  provider: Type.Object({ name: Type.String(), uscc: Type.String() }),
  productId: Type.String(),
  product: Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
  kind: TrialKindSchema,
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  protocolSummary: Type.String(),
  hostOrganizationIds: Type.Array(Type.String()),
  siteReviews: Type.Array(SiteReview),
  maxParticipants: Type.Integer(),
  enrolled: Type.Integer(),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  originalEndDate: Type.String({ format: 'date' }),
  extended: Type.Boolean(),
  internationalStandards: Type.Array(InternationalStandard),
  noApplicableNationalStandard: Type.Boolean(),
  status: TrialStatusSchema,
  ethicsOpinion: Type.Union([Type.Literal('pending'), Type.Enum(ETHICS_OUTCOMES), Type.Null()], {
    description: 'healthcare: pending from submission until the ethics committee decides; pilots: null',
  }),
  suspendedAt: Nullable(Type.String({ format: 'date-time' })),
  suspensionReason: Nullable(Type.String()),
  submittedAt: Nullable(Type.String({ format: 'date-time' })),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  finalReportDueDate: Nullable(Type.String({ format: 'date', description: '20 working days after endDate' })),
  finalReportDueDateProvisional: Type.Boolean(),
  finalReportOverdue: Type.Boolean(),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  outcomeSummary: Nullable(Type.String()),
  adverseEvents: Type.Optional(Type.Array(AdverseEvent)),
  reports: Type.Optional(Type.Array(TrialReport)),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const TrialPage = Type.Object({ items: Type.Array(Trial), nextCursor: Nullable(Type.String()) });

export const TrialListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(TrialStatusSchema),
    productId: Type.Optional(Uuid),
    overdue: Type.Optional(Type.Boolean({ description: 'Only trials with an overdue site review or final report' })),
  },
  { additionalProperties: false },
);

export const SiteReviewQueueItem = Type.Object({
  trialId: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  kind: TrialKindSchema,
  provider: Type.Object({ name: Type.String(), uscc: Type.String() }),
  product: Type.Object({ id: Type.String(), name: Type.String() }),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  maxParticipants: Type.Integer(),
  submittedAt: Nullable(Type.String({ format: 'date-time' })),
  dueDate: Nullable(Type.String({ format: 'date' })),
  dueDateProvisional: Type.Boolean(),
  overdue: Type.Boolean(),
});

export const SiteReviewQueue = Type.Object({ items: Type.Array(SiteReviewQueueItem) });

export const PublicTrial = Type.Object({
  id: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  kind: TrialKindSchema,
  product: Type.Object({ id: Type.String(), name: Type.String() }),
  provider: Type.Object({ name: Type.String(), uscc: Type.String() }),
  hosts: Type.Array(Type.Object({ name: Type.String() })),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  maxParticipants: Type.Integer(),
  enrolled: Type.Integer(),
  status: Type.Enum(PUBLIC_TRIAL_STATUSES),
  outcomeSummary: Nullable(Type.String()),
});

export const PublicTrialPage = Type.Object({ items: Type.Array(PublicTrial), nextCursor: Nullable(Type.String()) });

export const PublicTrialQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Title, product, provider name or USCC' })),
    status: Type.Optional(Type.Enum(PUBLIC_TRIAL_STATUSES)),
  },
  { additionalProperties: false },
);
