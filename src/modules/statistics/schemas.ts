import { Type } from '@fastify/type-provider-typebox';
import {
  DISTRICT_CODES,
  MAX_AMOUNT,
  MAX_EMPLOYEES,
  PERIOD_CODE_PATTERN,
  PERIOD_STATUSES,
} from '../../domain/statistics.ts';
import { PageQuery, pageOf, stringEnum } from '../../platform/http.ts';
import { DISPLAY_NAME_FORMAT } from '../../platform/validation.ts';

const CivilDate = (description: string) => Type.String({ format: 'date', description });
const Amount = (description: string) =>
  Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: `${description} (integer, thousands of yuan)` });
const Count = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_EMPLOYEES, description });

export const PeriodCode = Type.String({
  pattern: PERIOD_CODE_PATTERN,
  description: 'Period code: 1–20 of [0-9A-Za-z-], e.g. "2025", "2026-H1"',
});

export const PeriodParams = Type.Object({ code: PeriodCode }, { additionalProperties: false });

export const CreatePeriodBody = Type.Object(
  {
    code: PeriodCode,
    title: Type.String({ minLength: 1, maxLength: 200, format: DISPLAY_NAME_FORMAT, description: 'Title (Chinese)' }),
    titleEn: Type.String({ minLength: 1, maxLength: 200, format: DISPLAY_NAME_FORMAT, description: 'English title' }),
    opensOn: CivilDate('First day returns are accepted'),
    closesOn: CivilDate('Last day returns are accepted (inclusive)'),
    dueDate: CivilDate('Returns are due by this day (opensOn ≤ dueDate ≤ closesOn)'),
  },
  { additionalProperties: false },
);

export const Period = Type.Object({
  code: Type.String(),
  title: Type.String(),
  titleEn: Type.String(),
  opensOn: Type.String({ format: 'date' }),
  closesOn: Type.String({ format: 'date' }),
  dueDate: Type.String({ format: 'date' }),
  dueDateProvisional: Type.Boolean({ description: 'Always false: the statistician sets the due date' }),
  catalogueVersion: Type.String({ description: 'The catalogue version whose level-2 codes are the columns' }),
  status: stringEnum(PERIOD_STATUSES, {
    description: 'scheduled (before opensOn), open, closed (after closesOn), published',
  }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

export const PeriodListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const PeriodPage = pageOf(Period);

const CategoryAmountSchema = Type.Object(
  {
    catalogueCode: Type.String({ minLength: 1, maxLength: 20, description: 'A level-2 catalogue code' }),
    aiRevenue: Amount('AI revenue in this category'),
  },
  { additionalProperties: false },
);

export const ReturnBody = Type.Object(
  {
    district: Type.String({
      minLength: 1,
      maxLength: 20,
      description: `GB/T 2260 district code: ${DISTRICT_CODES.join(', ')}`,
    }),
    employees: Count('Employees at the end of the period'),
    aiEmployees: Count('Of which working in AI (≤ employees)'),
    revenue: Amount('Operating revenue'),
    aiRevenue: Amount('Of which from AI (≤ revenue; the byCategory amounts add up to it)'),
    rdExpenditure: Amount('R&D expenditure'),
    byCategory: Type.Array(CategoryAmountSchema, {
      maxItems: 200,
      description: 'AI revenue by level-2 catalogue code, each code once',
    }),
  },
  { additionalProperties: false },
);

export const StatisticsReturnSchema = Type.Object({
  period: Type.String(),
  organizationId: Type.String(),
  district: Type.String(),
  employees: Type.Integer(),
  aiEmployees: Type.Integer(),
  revenue: Type.Integer(),
  aiRevenue: Type.Integer(),
  rdExpenditure: Type.Integer(),
  byCategory: Type.Array(Type.Object({ catalogueCode: Type.String(), aiRevenue: Type.Integer() })),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const MyReturnList = Type.Object({
  items: Type.Array(StatisticsReturnSchema, { description: "The organisation's returns, newest period first" }),
});

const Organization = Type.Object({ id: Type.String(), name: Type.String(), uscc: Type.String() });

export const ReturnStatusPage = Type.Object({
  period: Type.String(),
  items: Type.Array(
    Type.Object({
      organization: Organization,
      district: Type.String(),
      aiRevenue: Type.Integer(),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ReturnStatusQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const OverdueList = Type.Object({
  period: Type.String(),
  dueDate: Type.String({ format: 'date' }),
  dueDateProvisional: Type.Boolean(),
  overdue: Type.Boolean({ description: 'The due date has passed (otherwise: not yet returned)' }),
  items: Type.Array(Organization),
});

const Status = Type.Union([Type.Literal('F'), Type.Literal('C'), Type.Literal('D')], {
  description: 'SDMX CONF_STATUS: F free, C primary confidential, D secondary confidential',
});
const Value = Type.Union([Type.Integer(), Type.Null()], { description: 'null when suppressed' });
const Entry = { value: Value, status: Status };

export const AiRevenueTableSchema = Type.Object({
  period: Type.String(),
  unit: Type.String(),
  rows: Type.Array(Type.String()),
  columns: Type.Array(Type.String()),
  cells: Type.Array(Type.Object({ row: Type.String(), column: Type.String(), ...Entry })),
  rowTotals: Type.Array(Type.Object({ row: Type.String(), ...Entry })),
  columnTotals: Type.Array(Type.Object({ column: Type.String(), ...Entry })),
  grandTotal: Type.Object(Entry),
});

export const EnterprisesTableSchema = Type.Object({
  period: Type.String(),
  rows: Type.Array(Type.String()),
  columns: Type.Array(Type.String()),
  cells: Type.Array(Type.Object({ row: Type.String(), column: Type.String(), count: Type.Integer() })),
  rowTotals: Type.Array(Type.Object({ row: Type.String(), count: Type.Integer() })),
  columnTotals: Type.Array(Type.Object({ column: Type.String(), count: Type.Integer() })),
  grandTotal: Type.Object({ count: Type.Integer() }),
});

export const TableQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('sdmx-csv')], {
        description: 'json (default), csv, or sdmx-csv (SDMX-CSV 2.0)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Reason = Type.Union(
  [Type.Literal('threshold'), Type.Literal('p-percent'), Type.Literal('secondary'), Type.Null()],
  { description: 'Why suppressed: threshold (< 3 contributors), p-percent (dominance, p = 10), secondary' },
);
const PreviewEntry = {
  value: Type.Integer({ description: 'The true value (the statistician sees it; the public will not)' }),
  status: Status,
  reason: Reason,
  contributors: Type.Integer(),
  lower: Type.Union([Type.Number(), Type.Null()], { description: "Suppressed: the attacker's lower bound" }),
  upper: Type.Union([Type.Number(), Type.Null()], {
    description: "Suppressed: the attacker's upper bound (null: unbounded)",
  }),
};

export const PublicationPreview = Type.Object({
  period: Type.String(),
  unit: Type.String(),
  returns: Type.Integer(),
  rows: Type.Array(Type.String()),
  columns: Type.Array(Type.String()),
  cells: Type.Array(Type.Object({ row: Type.String(), column: Type.String(), ...PreviewEntry })),
  rowTotals: Type.Array(Type.Object({ row: Type.String(), ...PreviewEntry })),
  columnTotals: Type.Array(Type.Object({ column: Type.String(), ...PreviewEntry })),
  grandTotal: Type.Object(PreviewEntry),
  method: Type.Object({
    secondary: Type.String(),
    cost: Type.String(),
    solver: Type.String(),
    primaryCount: Type.Integer(),
    secondaryCount: Type.Integer(),
    secondaryValue: Type.Integer(),
  }),
  auditPasses: Type.Boolean(),
});

export const Publication = Type.Object({
  period: Period,
  returns: Type.Integer(),
  primaryCount: Type.Integer(),
  secondaryCount: Type.Integer(),
  auditPasses: Type.Boolean(),
  tables: Type.Object({ aiRevenue: Type.String(), enterprises: Type.String() }),
});
