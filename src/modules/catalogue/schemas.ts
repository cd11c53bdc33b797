import { Type } from '@fastify/type-provider-typebox';
import { CATALOGUE_LAYERS, CATALOGUE_MAX_LEVEL } from '../../lib/catalogue-files.ts';

export const CATALOGUE_VERSION_PATTERN = '^\\d{4}\\.\\d+$';
const CatalogueVersionString = Type.String({
  pattern: CATALOGUE_VERSION_PATTERN,
  maxLength: 20,
  description: 'Catalogue version `YYYY.N`, e.g. `2024.1`',
});
const Layer = Type.Enum(CATALOGUE_LAYERS, {
  description: 'foundation (F), technology (T) or application (A) layer',
});

export const CatalogueQuery = Type.Object(
  { version: Type.Optional(CatalogueVersionString) },
  { additionalProperties: false },
);

export const CatalogueItemSchema = Type.Object({
  code: Type.String({ description: 'Stable hierarchical code: a layer letter, then two digits per level' }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  level: Type.Integer({
    minimum: 1,
    maximum: CATALOGUE_MAX_LEVEL,
    description: '1 = layer, 2 = sector, 3 = sub-sector',
  }),
  layer: Layer,
  nameZh: Type.String(),
  nameEn: Type.String(),
});

export const CatalogueResponse = Type.Object({
  version: Type.String(),
  items: Type.Array(CatalogueItemSchema),
});

export const CatalogueVersionSchema = Type.Object({
  version: Type.String(),
  titleZh: Type.Union([Type.String(), Type.Null()]),
  titleEn: Type.Union([Type.String(), Type.Null()]),
  previousVersion: Type.Union([Type.String(), Type.Null()]),
  mapping: Type.Record(Type.String(), Type.String(), {
    description: 'Codes of the previous version this one retired, each to its successor',
  }),
  origin: Type.Union([Type.Literal('shipped'), Type.Literal('published')], {
    description: '`shipped` with the software (data/reference/catalogue) or `published` by an administrator',
  }),
  itemCount: Type.Integer(),
  publishedAt: Type.String({ format: 'date-time' }),
  isCurrent: Type.Boolean({ description: 'New products are classified under the current (newest) version' }),
});

export const CatalogueVersionList = Type.Object({
  items: Type.Array(CatalogueVersionSchema),
  nextCursor: Type.Null({ description: 'Always null: every version fits on one page' }),
});

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const PublishCatalogueBody = Type.Object(
  {
    version: CatalogueVersionString,
    items: Type.Array(
      Type.Object(
        {
          code: Type.String({ minLength: 1, maxLength: 20 }),
          parentCode: Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()]),
          level: Type.Integer(),
          layer: Layer,
          nameZh: Text(200),
          nameEn: Text(300),
          refs: Type.Optional(
            Type.Array(Type.Object({ source: Text(100), locator: Text(300) }, { additionalProperties: false }), {
              maxItems: 20,
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 5000 },
    ),
    mapping: Type.Record(Type.String({ maxLength: 20 }), Type.String({ minLength: 1, maxLength: 20 }), {
      description: 'Every code of the current version that this version drops → its successor code here',
    }),
    source: Type.Optional(
      Type.Array(Type.Record(Type.String(), Type.Unknown()), {
        minItems: 1,
        maxItems: 50,
        description: 'Citations (as in data/reference/catalogue); default: those of the current version',
      }),
    ),
    titleZh: Type.Optional(Text(200)),
    titleEn: Type.Optional(Text(300)),
    notesZh: Type.Optional(Text(4000)),
    notesEn: Type.Optional(Text(8000)),
  },
  { additionalProperties: false },
);
