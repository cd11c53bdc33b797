import { Type } from '@fastify/type-provider-typebox';
import { PageQuery } from '../../platform/http.ts';
import { DISPLAY_NAME_FORMAT } from '../../platform/validation.ts';
import { RiskAnswersSchema, RiskObligationSchema, RiskReasonSchema, RiskTierSchema } from '../risk/index.ts';
import { PRODUCT_STATUSES } from './types.ts';

export const ProductStatusSchema = Type.Enum(PRODUCT_STATUSES, {
  description: 'Where the product stands: draft (nothing filed) … reassessment_required, withdrawn',
});

const Uuid = Type.String({ format: 'uuid' });
const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });

export const ProductIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const fields = {
  // Names are shown to reviewers and in the public register: no control or bidi characters.
  name: Type.String({
    minLength: 1,
    maxLength: 200,
    format: DISPLAY_NAME_FORMAT,
    description: 'Product name (Chinese or as registered)',
  }),
  nameEn: Type.String({ minLength: 1, maxLength: 200, format: DISPLAY_NAME_FORMAT, description: 'English name' }),
  description: Text(5000, 'What the product is and does'),
  catalogueCode: Type.String({
    minLength: 1,
    maxLength: 20,
    description: 'Code in the current AI industry classification catalogue (GET /api/v1/catalogue)',
  }),
  version: Text(50, "The product's software release, e.g. `2.1.0` (returned as `productVersion`)"),
  intendedUse: Text(5000, 'Intended purpose, users and setting'),
  riskAnswers: RiskAnswersSchema,
};

export const CreateProductBody = Type.Object(
  {
    name: fields.name,
    nameEn: Type.Optional(fields.nameEn),
    description: fields.description,
    catalogueCode: fields.catalogueCode,
    version: fields.version,
    intendedUse: fields.intendedUse,
    riskAnswers: fields.riskAnswers,
  },
  { additionalProperties: false },
);

export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(fields.name),
    nameEn: Type.Optional(Type.Union([fields.nameEn, Type.Null()])),
    description: Type.Optional(fields.description),
    catalogueCode: Type.Optional(fields.catalogueCode),
    version: Type.Optional(fields.version),
    intendedUse: Type.Optional(fields.intendedUse),
    riskAnswers: Type.Optional(fields.riskAnswers),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProductListQuery = Type.Object(
  {
    ...PageQuery,
    organizationId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Regulator staff: one organisation only' }),
    ),
    status: Type.Optional(ProductStatusSchema),
  },
  { additionalProperties: false },
);

export const Product = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  catalogueCode: Type.String(),
  catalogueVersion: Type.String({ description: 'The catalogue version catalogueCode belongs to' }),
  productVersion: Type.String({ description: "The product's software release (the `version` of the request body)" }),
  intendedUse: Type.String(),
  riskAnswers: RiskAnswersSchema,
  tier: RiskTierSchema,
  riskReasons: Type.Array(RiskReasonSchema),
  obligations: Type.Array(RiskObligationSchema),
  rulesetVersion: Type.String(),
  status: ProductStatusSchema,
  version: Type.Integer({ minimum: 1, description: 'Revision number; the ETag; send it back in If-Match' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const ProductPage = Type.Object({
  items: Type.Array(Product),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
