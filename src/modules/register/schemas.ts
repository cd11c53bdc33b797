import { Type, type Static } from '@fastify/type-provider-typebox';
import { RISK_TIERS, type RiskTier } from '../../lib/risk-rules.ts';
import { PageQuery } from '../../platform/http.ts';

import { PUBLIC_STATUSES, SEARCH_SORTS, type PublicStatus, type SearchSort } from '../../domain/register.ts';

export { PUBLIC_STATUSES, REGISTER_STATUSES, type PublicStatus } from '../../domain/register.ts';

/** Answer of a conditional GET whose ETag matched (RFC 9110 §15.4.5): no body. */
export const NotModified = Type.Null({ description: 'Not modified: the If-None-Match ETag is current' });

export const SEARCH_LIMITS = { queryMaxLength: 200 } as const;

/** Catalogue codes are hierarchical: a layer letter, then two digits per level (F, F01, F0101). */
const CATALOGUE_CODE_PATTERN = '^[A-Z](?:[0-9]{2}){0,4}$';
/** GB 32100-2015 character set, 18 characters (the check character is not recomputed for a filter). */
const USCC_PATTERN = '^[0-9A-HJ-NP-RTUW-Y]{18}$';

export const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: SEARCH_LIMITS.queryMaxLength,
      // No control characters (a NUL cannot even reach PostgreSQL text).
      pattern: '^[^\\u0000-\\u001f\\u007f]*$',
      description: 'Chinese (word-segmented) or English text; partial names and typos match by trigram',
    }),
  ),
  tier: Type.Optional(Type.Unsafe<RiskTier>({ type: 'string', enum: [...RISK_TIERS], description: 'risk tier' })),
  catalogueCode: Type.Optional(
    Type.String({ pattern: CATALOGUE_CODE_PATTERN, description: 'catalogue code; its descendants match too' }),
  ),
  providerUscc: Type.Optional(
    Type.String({ pattern: USCC_PATTERN, description: "provider's unified social credit code" }),
  ),
  status: Type.Optional(
    Type.Unsafe<PublicStatus>({ type: 'string', enum: [...PUBLIC_STATUSES], description: 'register status' }),
  ),
  listedFrom: Type.Optional(
    Type.String({ format: 'date', description: 'listed (decision published) on or after this day, Asia/Shanghai' }),
  ),
  listedTo: Type.Optional(
    Type.String({ format: 'date', description: 'listed (decision published) on or before this day, Asia/Shanghai' }),
  ),
  sort: Type.Optional(
    Type.Unsafe<SearchSort>({
      type: 'string',
      enum: [...SEARCH_SORTS],
      description: 'relevance (the default; newest first without q, or for a very broad q) or newest first',
    }),
  ),
  ...PageQuery,
});
export type SearchQuery = Static<typeof SearchQuery>;

const Provider = Type.Object({
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  uscc: Type.String(),
});

export const RegisterItem = Type.Object({
  id: Type.String({ format: 'uuid', description: 'the product id' }),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  provider: Provider,
  catalogueCode: Type.String(),
  tier: Type.Enum(RISK_TIERS),
  status: Type.String({ description: 'register status: the latest outcome, or suspended' }),
  decidedAt: Type.String({ format: 'date-time', description: 'time of the latest public decision' }),
  logIndex: Type.Union([Type.Integer(), Type.Null()], { description: 'transparency-log leaf of that decision' }),
});
export type RegisterItem = Static<typeof RegisterItem>;

export const SearchResponse = Type.Object({
  items: Type.Array(RegisterItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PublicDecisionItem = Type.Object({
  filingId: Type.Union([Type.String(), Type.Null()], { description: 'null for a suspension or withdrawal' }),
  kind: Type.String({ description: 'disclosure | assessment | status_change' }),
  outcome: Type.String(),
  decidedAt: Type.String({ format: 'date-time' }),
  logIndex: Type.Integer(),
  reasons: Type.Union([Type.String(), Type.Null()], {
    description: "the decision's reasons; null for a status change or a decision published before reasons were",
  }),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  conditions: Type.Array(Type.String(), { description: 'conditions of an approval with conditions; otherwise empty' }),
});

export const RegisterEntry = Type.Object({
  ...RegisterItem.properties,
  catalogueVersion: Type.String(),
  rulesetVersion: Type.String(),
  decisions: Type.Array(PublicDecisionItem),
});
export type RegisterEntry = Static<typeof RegisterEntry>;

export const EntryParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ExportItem = Type.Object({
  ...RegisterItem.properties,
  catalogueVersion: Type.String(),
  rulesetVersion: Type.String(),
});
export type ExportItem = Static<typeof ExportItem>;

/** The JSON export: `{"items": […]}` with every public entry (streamed, never built in memory). */
export const ExportDocument = Type.Object({ items: Type.Array(ExportItem) });
