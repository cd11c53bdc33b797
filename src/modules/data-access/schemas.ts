import { Type } from '@fastify/type-provider-typebox';
import { FIELD_CLASSIFICATIONS, FIELD_TYPES } from '../../lib/csv-dataset.ts';
import { DATA_THEMES, DATASET_OPENNESS, FREQUENCIES } from '../../lib/dcat.ts';
import { PageQuery, pageOf } from '../../platform/http.ts';
import { DISPLAY_NAME_FORMAT } from '../../platform/validation.ts';
import { ACCESS_REQUEST_STATUSES, GRANT_STATUSES } from './types.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const DatasetFieldSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      format: DISPLAY_NAME_FORMAT,
      description: 'Column name; the CSV header must list the fields in this order',
    }),
    type: Type.Enum(FIELD_TYPES, { description: 'string, integer, number or date (YYYY-MM-DD)' }),
    classification: Type.Enum(FIELD_CLASSIFICATIONS, {
      description:
        'direct_identifier (never granted), quasi_identifier (extracts are k-anonymous over them), sensitive, other',
    }),
  },
  { additionalProperties: false },
);

const datasetFields = {
  title: Type.String({ minLength: 1, maxLength: 300, format: DISPLAY_NAME_FORMAT, description: 'Title (Chinese)' }),
  titleEn: Type.String({ minLength: 1, maxLength: 300, format: DISPLAY_NAME_FORMAT, description: 'Title (English)' }),
  description: Text(10_000, 'Description (Chinese)'),
  descriptionEn: Text(10_000, 'Description (English)'),
  publisher: Type.String({
    minLength: 1,
    maxLength: 300,
    format: DISPLAY_NAME_FORMAT,
    description: 'The public body that holds the data',
  }),
  openness: Type.Enum(DATASET_OPENNESS, {
    description: 'open (anyone downloads), conditional (by access request and grant), closed (not released)',
  }),
  themes: Type.Array(Type.Enum(DATA_THEMES), {
    minItems: 1,
    maxItems: 13,
    uniqueItems: true,
    description: 'EU data-theme codes',
  }),
  license: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9][A-Za-z0-9.+-]*$',
    description: 'SPDX licence identifier, e.g. CC-BY-4.0',
  }),
  updateFrequency: Type.Enum(FREQUENCIES, { description: 'EU frequency code, e.g. ANNUAL, MONTHLY, IRREG' }),
  fields: Type.Array(DatasetFieldSchema, { minItems: 1, maxItems: 200 }),
};

export const CreateDatasetBody = Type.Object(datasetFields, { additionalProperties: false });

/** Response fields: the same shapes without the input-only name format. */
export const Dataset = Type.Object({
  id: Uuid,
  ...datasetFields,
  title: Type.String(),
  titleEn: Type.String(),
  publisher: Type.String(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.Enum(FIELD_TYPES),
      classification: Type.Enum(FIELD_CLASSIFICATIONS),
    }),
  ),
  rows: Type.Integer({ description: 'Data rows of the current version (0 before the first upload)' }),
  dataVersion: Type.Integer({ description: 'Current data version (0 before the first upload)' }),
  dataUpdatedAt: Type.Union([DateTime, Type.Null()]),
  version: Type.Integer({ description: 'Revision of the record (ETag)' }),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const DatasetPage = pageOf(Dataset);

export const DatasetListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words in a title or description' })),
    theme: Type.Optional(Type.Enum(DATA_THEMES)),
    openness: Type.Optional(Type.Enum(DATASET_OPENNESS)),
  },
  { additionalProperties: false },
);

export const UploadResult = Type.Object({
  rows: Type.Integer({ description: 'Data rows stored' }),
  version: Type.Integer({ description: 'The new data version' }),
});

export const CreateAccessRequestBody = Type.Object(
  {
    purpose: Text(5_000, 'What the data will be used for'),
    legalBasis: Text(2_000, 'The lawful basis of the use'),
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      description: 'Names of the fields asked for',
    }),
    durationDays: Type.Integer({ minimum: 1, maximum: 365, description: 'How long the grant should last' }),
  },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  {
    decision: Type.Enum(['granted', 'refused'] as const),
    reasons: Text(5_000, 'Why: shown to the requester and kept in the audit trail'),
    k: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 1000,
        description: 'k of the k-anonymous extract (default 5)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ExtractStatsSchema = Type.Object({
  at: DateTime,
  dataVersion: Type.Integer(),
  rows: Type.Integer({ description: 'Rows of the data version' }),
  released: Type.Integer(),
  suppressed: Type.Integer(),
  equivalenceClasses: Type.Integer(),
  suppressedShare: Type.Number({ description: 'Rows suppressed ÷ rows' }),
  averageClassSize: Type.Number({ description: 'Rows released ÷ equivalence classes' }),
  certaintyPenalty: Type.Number({ description: 'Normalised certainty penalty, 0 (nothing generalised) … 1' }),
});

export const Grant = Type.Object({
  id: Uuid,
  requestId: Uuid,
  datasetId: Uuid,
  organizationId: Uuid,
  fields: Type.Array(Type.String()),
  k: Type.Integer(),
  grantedAt: DateTime,
  expiresAt: DateTime,
  status: Type.Enum(GRANT_STATUSES, { description: 'active until expiresAt, then expired (follows the clock)' }),
  downloads: Type.Integer(),
  lastExtract: Type.Union([ExtractStatsSchema, Type.Null()], {
    description: 'Information loss of the latest download',
  }),
});

export const AccessRequest = Type.Object({
  id: Uuid,
  datasetId: Uuid,
  datasetTitle: Type.String(),
  datasetTitleEn: Type.String(),
  organizationId: Uuid,
  purpose: Type.String(),
  legalBasis: Type.String(),
  fields: Type.Array(Type.String()),
  durationDays: Type.Integer(),
  status: Type.Enum(ACCESS_REQUEST_STATUSES),
  submittedAt: DateTime,
  dueDate: Type.String({ format: 'date', description: '10 working days after the submission date' }),
  dueDateProvisional: Type.Boolean(),
  overdue: Type.Boolean({ description: 'Pending after its due date (Asia/Shanghai)' }),
  decidedAt: Type.Union([DateTime, Type.Null()]),
  reasons: Type.Union([Type.String(), Type.Null()]),
  grant: Type.Union([Grant, Type.Null()]),
  version: Type.Integer(),
});

export const AccessRequestPage = pageOf(AccessRequest);

export const AccessRequestListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Enum(ACCESS_REQUEST_STATUSES)),
    datasetId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const GrantPage = pageOf(Grant);
export const GrantListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
