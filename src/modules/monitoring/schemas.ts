/** Request and response shapes of the monitoring module (API-CONTRACT-2 §1). */
import { Type, type Static } from '@fastify/type-provider-typebox';
import { WARNING_LEVELS } from '../../domain/warnings.ts';
import { INCIDENT_HARMS } from '../../lib/incident-deadlines.ts';
import { TRACKING_REPORT_KINDS, TRACKING_REPORT_STATUSES } from '../../lib/tracking-schedule.ts';
import { PageQuery } from '../../platform/http.ts';

export const MONITORING_LIMITS = {
  textMaxLength: 20_000,
  reasonsMaxLength: 5_000,
  maxMeasures: 20,
  measureMaxLength: 2_000,
  maxMetrics: 100,
  publicMessageMin: 10,
  publicMessageMax: 2_000,
  /** Working days the provider has to answer a public report. */
  publicReportAnswerWorkingDays: 10,
} as const;

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const CivilDate = Type.String({ format: 'date' });
const Count = Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991 });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const IdParams = Type.Object({ id: Uuid });
export const TrackingCodeParams = Type.Object({ trackingCode: Type.String({ minLength: 1, maxLength: 64 }) });

// ----- tracking reports -----

export const TrackingReport = Type.Object({
  id: Uuid,
  productId: Uuid,
  kind: Type.Enum(TRACKING_REPORT_KINDS),
  periodStart: CivilDate,
  periodEnd: CivilDate,
  dueDate: CivilDate,
  dueDateProvisional: Type.Boolean(),
  status: Type.Enum(TRACKING_REPORT_STATUSES),
  submittedAt: NullableInstant,
  activeUsers: Type.Union([Type.Integer(), Type.Null()]),
  incidentCount: Type.Union([Type.Integer(), Type.Null()]),
  complaintsReceived: Type.Union([Type.Integer(), Type.Null()]),
  materialChanges: Type.Union([Type.String(), Type.Null()]),
  metrics: Type.Array(Type.Object({ key: Type.String(), value: Type.Number() })),
});
export type TrackingReportT = Static<typeof TrackingReport>;

export const TrackingReportList = Type.Object({ items: Type.Array(TrackingReport) });

export const SubmissionBody = Type.Object(
  {
    activeUsers: Count,
    incidentCount: Count,
    complaintsReceived: Count,
    materialChanges: Text(MONITORING_LIMITS.textMaxLength),
    metrics: Type.Optional(
      Type.Array(
        Type.Object(
          { key: Type.String({ minLength: 1, maxLength: 64 }), value: Type.Number() },
          { additionalProperties: false },
        ),
        {
          maxItems: MONITORING_LIMITS.maxMetrics,
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SubmissionBody = Static<typeof SubmissionBody>;

export const ReviewerReportQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(TRACKING_REPORT_STATUSES)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ReviewerTrackingReport = Type.Object({
  ...TrackingReport.properties,
  organizationId: Uuid,
  productName: Type.String(),
  warningLevel: Type.Union([Type.Enum(WARNING_LEVELS), Type.Null()]),
});
export const ReviewerTrackingReportPage = Type.Object({
  items: Type.Array(ReviewerTrackingReport),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

// ----- incidents -----

export const CreateIncidentBody = Type.Object(
  {
    occurredAt: Instant,
    awareAt: Instant,
    serious: Type.Boolean(),
    harms: Type.Array(Type.Enum(INCIDENT_HARMS), { uniqueItems: true, maxItems: INCIDENT_HARMS.length }),
    widespread: Type.Boolean(),
    description: Text(MONITORING_LIMITS.textMaxLength),
    immediateMeasures: Text(MONITORING_LIMITS.textMaxLength),
  },
  { additionalProperties: false },
);
export type CreateIncidentBody = Static<typeof CreateIncidentBody>;

export const IncidentUpdate = Type.Object({
  id: Uuid,
  message: Type.String(),
  final: Type.Boolean(),
  createdAt: Instant,
});

export const Incident = Type.Object({
  id: Uuid,
  productId: Uuid,
  organizationId: Uuid,
  occurredAt: Instant,
  awareAt: Instant,
  reportedAt: Instant,
  serious: Type.Boolean(),
  harms: Type.Array(Type.Enum(INCIDENT_HARMS)),
  widespread: Type.Boolean(),
  description: Type.String(),
  immediateMeasures: Type.String(),
  reportDeadline: NullableInstant,
  reportedLate: Type.Boolean(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  conclusion: Type.Union([Type.String(), Type.Null()]),
  closedAt: NullableInstant,
  updates: Type.Array(IncidentUpdate),
  warnings: Type.Array(
    Type.Object({ id: Uuid, ruleId: Type.Union([Type.String(), Type.Null()]), level: Type.Enum(WARNING_LEVELS) }),
  ),
});
export type IncidentT = Static<typeof Incident>;

export const IncidentUpdateBody = Type.Object(
  { message: Text(MONITORING_LIMITS.textMaxLength), final: Type.Boolean() },
  { additionalProperties: false },
);
export const IncidentClosureBody = Type.Object(
  { conclusion: Text(MONITORING_LIMITS.textMaxLength) },
  { additionalProperties: false },
);
export const IncidentQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])), ...PageQuery },
  { additionalProperties: false },
);
export const IncidentPage = Type.Object({
  items: Type.Array(Incident),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

// ----- warnings -----

export const Warning = Type.Object({
  id: Uuid,
  productId: Uuid,
  level: Type.Enum(WARNING_LEVELS),
  source: Type.Union([Type.Literal('rule'), Type.Literal('manual')]),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  reasons: Type.String(),
  measures: Type.Array(Type.String()),
  issuedAt: Instant,
  liftedAt: NullableInstant,
  status: Type.Union([Type.Literal('active'), Type.Literal('lifted')]),
  liftReasons: Type.Union([Type.String(), Type.Null()]),
  trackingReportId: Type.Union([Uuid, Type.Null()]),
  incidentId: Type.Union([Uuid, Type.Null()]),
});
export type WarningT = Static<typeof Warning>;
export const WarningList = Type.Object({
  items: Type.Array(Warning),
  warningLevel: Type.Union([Type.Enum(WARNING_LEVELS), Type.Null()]),
});

export const IssueWarningBody = Type.Object(
  {
    level: Type.Enum(WARNING_LEVELS),
    reasons: Text(MONITORING_LIMITS.reasonsMaxLength),
    measures: Type.Array(Text(MONITORING_LIMITS.measureMaxLength), { maxItems: MONITORING_LIMITS.maxMeasures }),
  },
  { additionalProperties: false },
);
export const LiftWarningBody = Type.Object(
  { reasons: Text(MONITORING_LIMITS.reasonsMaxLength) },
  { additionalProperties: false },
);

export const WarningQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('lifted')])),
    level: Type.Optional(Type.Enum(WARNING_LEVELS)),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export const ReviewerWarning = Type.Object({
  ...Warning.properties,
  organizationId: Uuid,
  productName: Type.String(),
});
export const ReviewerWarningPage = Type.Object({
  items: Type.Array(ReviewerWarning),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PublicWarningQuery = Type.Object(
  {
    level: Type.Optional(Type.Union([Type.Literal('orange'), Type.Literal('red')])),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export const PublicWarning = Type.Object({
  id: Uuid,
  productId: Uuid,
  productName: Type.String(),
  provider: Type.Object({ name: Type.String(), uscc: Type.String() }),
  level: Type.Enum(WARNING_LEVELS),
  reasons: Type.String(),
  measures: Type.Array(Type.String()),
  issuedAt: Instant,
  liftedAt: NullableInstant,
});
export type PublicWarningT = Static<typeof PublicWarning>;
export const PublicWarningPage = Type.Object({
  items: Type.Array(PublicWarning),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

// ----- public reports -----

export const PUBLIC_REPORT_CATEGORIES = ['inaccurate_entry', 'harm', 'unlabelled_ai_content', 'other'] as const;
export const PUBLIC_REPORT_STATUSES = ['open', 'overdue', 'answered'] as const;

export const CreatePublicReportBody = Type.Object(
  {
    category: Type.Enum(PUBLIC_REPORT_CATEGORIES),
    message: Type.String({
      minLength: MONITORING_LIMITS.publicMessageMin,
      maxLength: MONITORING_LIMITS.publicMessageMax,
    }),
    contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  },
  { additionalProperties: false },
);
export const PublicReportReceipt = Type.Object({ trackingCode: Type.String() });
export const PublicReportStatus = Type.Object({
  status: Type.Enum(PUBLIC_REPORT_STATUSES),
  category: Type.Enum(PUBLIC_REPORT_CATEGORIES),
  submittedAt: Instant,
  response: Type.Union([Type.String(), Type.Null()]),
  respondedAt: NullableInstant,
});
export const PublicReport = Type.Object({
  id: Uuid,
  productId: Uuid,
  category: Type.Enum(PUBLIC_REPORT_CATEGORIES),
  message: Type.String(),
  submittedAt: Instant,
  dueDate: CivilDate,
  dueDateProvisional: Type.Boolean(),
  status: Type.Enum(PUBLIC_REPORT_STATUSES),
  response: Type.Union([Type.String(), Type.Null()]),
  respondedAt: NullableInstant,
});
export type PublicReportT = Static<typeof PublicReport>;
export const PublicReportList = Type.Object({ items: Type.Array(PublicReport) });
export const ReviewerPublicReport = Type.Object({
  ...PublicReport.properties,
  organizationId: Uuid,
  productName: Type.String(),
  contactEmail: Type.Union([Type.String(), Type.Null()]),
});
export const ReviewerPublicReportQuery = Type.Object(
  { status: Type.Optional(Type.Enum(PUBLIC_REPORT_STATUSES)), ...PageQuery },
  { additionalProperties: false },
);
export const ReviewerPublicReportPage = Type.Object({
  items: Type.Array(ReviewerPublicReport),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const PublicReportResponseBody = Type.Object(
  { message: Text(MONITORING_LIMITS.textMaxLength) },
  { additionalProperties: false },
);
