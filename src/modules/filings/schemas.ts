import { Type, type Static } from '@fastify/type-provider-typebox';
import { RISK_TIERS } from '../../lib/risk-rules.ts';
import { PageQuery, pageOf } from '../../platform/http.ts';
import {
  DECISION_OUTCOMES,
  DOCUMENT_TYPES,
  FILING_KINDS,
  FILING_STATUSES,
  QUEUE_STATUSES,
} from '../../domain/filings.ts';

export const FILING_LIMITS = {
  summaryMaxLength: 20_000,
  transparencyMeasuresMaxLength: 20_000,
  messageMaxLength: 10_000,
  reasonsMaxLength: 20_000,
  legalBasisMaxLength: 2_000,
  maxConditions: 50,
  conditionMaxLength: 2_000,
} as const;

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const IdParams = Type.Object({ id: Uuid });

export const CreateFilingBody = Type.Object(
  {
    kind: Type.Enum(FILING_KINDS),
    summary: Type.String({
      maxLength: FILING_LIMITS.summaryMaxLength,
      description: 'What the product does, for whom, and how risks are managed (public once accepted/approved)',
    }),
    transparencyMeasures: Type.Optional(
      Type.String({
        maxLength: FILING_LIMITS.transparencyMeasuresMaxLength,
        description:
          'How people learn they face an AI system and how generated content is labelled (required for medium risk)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateFilingBody = Static<typeof CreateFilingBody>;

export const UpdateFilingBody = Type.Object(
  {
    summary: Type.Optional(Type.String({ maxLength: FILING_LIMITS.summaryMaxLength })),
    transparencyMeasures: Type.Optional(
      Type.Union([Type.String({ maxLength: FILING_LIMITS.transparencyMeasuresMaxLength }), Type.Null()]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateFilingBody = Static<typeof UpdateFilingBody>;

export const EmptyBody = Type.Object({}, { additionalProperties: false });

export const AssignmentBody = Type.Object(
  {
    reviewerId: Type.Optional(
      Type.String({ format: 'uuid', description: 'regulator_admin only: the reviewer to assign' }),
    ),
  },
  { additionalProperties: false },
);
export type AssignmentBody = Static<typeof AssignmentBody>;

export const MessageBody = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: FILING_LIMITS.messageMaxLength }) },
  { additionalProperties: false },
);
export type MessageBody = Static<typeof MessageBody>;

export const DecisionBody = Type.Object(
  {
    outcome: Type.Enum(DECISION_OUTCOMES),
    reasons: Type.String({ minLength: 1, maxLength: FILING_LIMITS.reasonsMaxLength }),
    legalBasis: Type.Optional(Type.String({ minLength: 1, maxLength: FILING_LIMITS.legalBasisMaxLength })),
    conditions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: FILING_LIMITS.conditionMaxLength }), {
        maxItems: FILING_LIMITS.maxConditions,
        description: 'Required, non-empty, for approved_with_conditions; not allowed otherwise',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const DocumentView = Type.Object({
  id: Uuid,
  documentType: Type.Enum(DOCUMENT_TYPES),
  fileName: Type.String(),
  contentType: Type.String({ description: 'As sniffed from the bytes, not as declared' }),
  size: Type.Integer(),
  sha256: Type.String({ description: 'Hex SHA-256 of the bytes' }),
  uploadedAt: Instant,
});

export const InformationRequestView = Type.Object({
  id: Uuid,
  message: Type.String(),
  requestedAt: Instant,
  requestedBy: Type.Union([Uuid, Type.Null()]),
  response: NullableString,
  respondedAt: NullableInstant,
  stoppedWorkingDays: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Working days the clock stood still for this request (set when answered)',
  }),
});

export const DecisionView = Type.Object({
  outcome: Type.Enum(['accepted', ...DECISION_OUTCOMES] as const),
  reasons: Type.String(),
  legalBasis: NullableString,
  conditions: Type.Union([Type.Array(Type.String()), Type.Null()]),
  decidedAt: Instant,
  decidedBy: Type.Union([Uuid, Type.Null()], { description: 'null: the automatic completeness check' }),
});

const filingFields = {
  id: Uuid,
  productId: Uuid,
  organizationId: Uuid,
  kind: Type.Enum(FILING_KINDS),
  tier: Type.Enum(RISK_TIERS, { description: 'Risk tier of the product' }),
  status: Type.Enum(FILING_STATUSES),
  version: Type.Integer({ description: 'Revision; the ETag' }),
  summary: Type.String(),
  transparencyMeasures: NullableString,
  createdAt: Instant,
  updatedAt: Instant,
  submittedAt: NullableInstant,
  dueDate: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'Assessments: statutory decision date (Asia/Shanghai), moved by stopped working days',
  }),
  dueDateProvisional: Type.Boolean({
    description:
      'true while dueDate counts weekends only in a year whose official holiday calendar is not loaded yet; it is recomputed when the year is loaded',
  }),
  reviewWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  stoppedWorkingDays: Type.Integer(),
  assigneeId: Type.Union([Uuid, Type.Null()]),
  decidedAt: NullableInstant,
  withdrawnAt: NullableInstant,
};

export const FilingView = Type.Object(filingFields);

const ProductSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  nameEn: NullableString,
  tier: Type.Enum(RISK_TIERS),
});

export const FilingDetailView = Type.Object({
  ...filingFields,
  product: Type.Union([ProductSummary, Type.Null()]),
  documents: Type.Array(DocumentView),
  informationRequests: Type.Array(InformationRequestView),
  decision: Type.Union([DecisionView, Type.Null()]),
});

export const FilingPage = pageOf(FilingView);

export const ListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const QueueQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Enum(QUEUE_STATUSES)),
    assignee: Type.Optional(
      Type.Union([Type.Literal('me'), Type.Literal('unassigned')], {
        description: 'Only yours, or only unclaimed ones',
      }),
    ),
  },
  { additionalProperties: false },
);
export type QueueQuery = Static<typeof QueueQuery>;

export const QueueItemView = Type.Object({
  ...filingFields,
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'Working days from today to dueDate (negative when overdue; frozen at the request date while information is requested; counted with weekends only in a year without an official calendar)',
  }),
  overdue: Type.Boolean(),
  product: Type.Union([ProductSummary, Type.Null()]),
  organization: Type.Union([Type.Object({ id: Uuid, name: Type.String(), nameEn: NullableString }), Type.Null()]),
});

export const QueuePage = pageOf(QueueItemView);

export const ReviewStatsView = Type.Object({
  byStatus: Type.Record(Type.String(), Type.Integer()),
  byTier: Type.Record(Type.String(), Type.Integer()),
  onTimeRate: Type.Union([Type.Number(), Type.Null()], {
    description: 'Share of decided assessments decided on or before their due date',
  }),
  medianWorkingDaysToDecision: Type.Union([Type.Number(), Type.Null()], {
    description: 'Working days from submission to decision, stopped days excluded',
  }),
  decisionsByWeek: Type.Array(
    Type.Object({ week: Type.String({ description: 'ISO week, e.g. 2026-W10' }), count: Type.Integer() }),
  ),
});
