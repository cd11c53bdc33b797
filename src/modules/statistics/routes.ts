import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { contextOf, preconditionsOf } from '../../platform/request-context.ts';
import {
  aiRevenueCsv,
  previewPublication,
  publishPeriod,
  readAiRevenueTable,
  readEnterprisesTable,
} from './publication.ts';
import {
  AiRevenueTableSchema,
  CreatePeriodBody,
  EnterprisesTableSchema,
  MyReturnList,
  OverdueList,
  Period,
  PeriodListQuery,
  PeriodPage,
  PeriodParams,
  Publication,
  PublicationPreview,
  ReturnBody,
  ReturnStatusPage,
  ReturnStatusQuery,
  StatisticsReturnSchema,
  TableQuery,
} from './schemas.ts';
import {
  createPeriod,
  listMyReturns,
  listOverdue,
  listPeriodReturns,
  listPeriods,
  putMyReturn,
  readMyReturn,
} from './service.ts';

const TAGS = ['statistics'];
const SDMX_CSV_TYPE = 'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8';

export async function statisticsRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/statistics/periods',
    {
      config: { action: 'statistics.periods.create' },
      schema: {
        tags: TAGS,
        summary: 'Open a reporting period (statistician)',
        description:
          'Its columns are the level-2 codes of the current catalogue version. A taken code → 409 period_exists; opensOn ≤ dueDate ≤ closesOn, else 422 invalid_statistics_period with pointers.',
        body: CreatePeriodBody,
        response: { 201: Period },
      },
    },
    async (request, reply) => {
      const period = await createPeriod(deps, contextOf(request), request.body);
      return reply.code(201).header('location', `/api/v1/statistics/periods/${period.code}`).send(period);
    },
  );

  app.get(
    '/api/v1/statistics/periods',
    {
      config: { action: 'statistics.periods.list' },
      schema: {
        tags: TAGS,
        summary: 'Reporting periods, newest first (public)',
        querystring: PeriodListQuery,
        response: { 200: PeriodPage },
      },
    },
    async (request) => listPeriods(deps, contextOf(request), request.query),
  );

  app.put(
    '/api/v1/statistics/periods/:code/returns/mine',
    {
      config: { action: 'statistics.returns.file' },
      schema: {
        tags: TAGS,
        summary: "File or correct the organisation's return (member of a verified organisation)",
        description:
          'Editable from opensOn through closesOn until the period is published; before → 409 period_not_open, after → 409 period_closed. Cross-field rules → 422 invalid_statistics_return with pointers.',
        params: PeriodParams,
        body: ReturnBody,
        response: { 200: StatisticsReturnSchema },
      },
    },
    async (request) => putMyReturn(deps, contextOf(request), { code: request.params.code, figures: request.body }),
  );

  app.get(
    '/api/v1/statistics/periods/:code/returns/mine',
    {
      config: { action: 'statistics.returns.read' },
      schema: {
        tags: TAGS,
        summary: "The organisation's return in the period (404 when none)",
        params: PeriodParams,
        response: { 200: StatisticsReturnSchema },
      },
    },
    async (request) => readMyReturn(deps, contextOf(request), { code: request.params.code }),
  );

  app.get(
    '/api/v1/statistics/returns/mine',
    {
      config: { action: 'statistics.returns.read' },
      schema: {
        tags: TAGS,
        summary: "Every return of the organisation, newest period first (the previous period's figures)",
        response: { 200: MyReturnList },
      },
    },
    async (request) => listMyReturns(deps, contextOf(request)),
  );

  app.get(
    '/api/v1/statistics/periods/:code/returns',
    {
      config: { action: 'statistics.returns.list' },
      schema: {
        tags: TAGS,
        summary: 'Who has returned in the period, by USCC (statistician)',
        params: PeriodParams,
        querystring: ReturnStatusQuery,
        response: { 200: ReturnStatusPage },
      },
    },
    async (request) => listPeriodReturns(deps, contextOf(request), { code: request.params.code, ...request.query }),
  );

  app.get(
    '/api/v1/statistics/periods/:code/overdue',
    {
      config: { action: 'statistics.returns.list' },
      schema: {
        tags: TAGS,
        summary:
          'Verified organisations with a product in the public register and no return in the period (statistician)',
        params: PeriodParams,
        response: { 200: OverdueList },
      },
    },
    async (request) => listOverdue(deps, contextOf(request), { code: request.params.code }),
  );

  app.get(
    '/api/v1/statistics/periods/:code/publication/preview',
    {
      config: { action: 'statistics.publish' },
      schema: {
        tags: TAGS,
        summary:
          'What publishing now would publish: true values, statuses and why each position is suppressed (statistician)',
        description:
          'Nothing is stored. A table that would fail its own disclosure audit → 409 disclosure_audit_failed.',
        params: PeriodParams,
        response: { 200: PublicationPreview },
      },
    },
    async (request) => previewPublication(deps, contextOf(request), { code: request.params.code }),
  );

  app.post(
    '/api/v1/statistics/periods/:code/publication',
    {
      config: { action: 'statistics.publish' },
      schema: {
        tags: TAGS,
        summary: 'Publish the tables, close the period and freeze its returns (statistician, any time)',
        description:
          'All or nothing: a table that fails its own disclosure audit → 409 disclosure_audit_failed and nothing changes; a published period → 409 period_already_published. Idempotency-Key supported.',
        params: PeriodParams,
        response: { 200: Publication },
      },
    },
    async (request, reply) => {
      const stored = await publishPeriod(deps, contextOf(request), {
        code: request.params.code,
        preconditions: preconditionsOf(request),
      });
      return reply.code(stored.status as 200).send(stored.body);
    },
  );

  app.get(
    '/api/v1/public/statistics/periods/:code/tables/ai-revenue',
    {
      config: { action: 'statistics.tables.read' },
      schema: {
        tags: TAGS,
        summary: 'AI revenue by district × level-2 category, with suppressed cells (JSON, CSV or SDMX-CSV)',
        params: PeriodParams,
        querystring: TableQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: AiRevenueTableSchema },
              'text/csv': {
                schema: Type.String({ description: 'DISTRICT,AI_CATEGORY,TIME_PERIOD,OBS_VALUE,CONF_STATUS' }),
              },
              'application/vnd.sdmx.data+csv': {
                schema: Type.String({ description: 'SDMX-CSV 2.0, dataflow AIGOV:AI_REVENUE(1.0)' }),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const table = await readAiRevenueTable(deps, contextOf(request), { code: request.params.code });
      const format = request.query.format ?? 'json';
      if (format === 'json') return reply.send(table);
      const sdmx = format === 'sdmx-csv';
      return reply
        .type(sdmx ? SDMX_CSV_TYPE : 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="aigov-ai-revenue-${table.period}${sdmx ? '.sdmx' : ''}.csv"`,
        )
        .send(aiRevenueCsv(table, sdmx));
    },
  );

  app.get(
    '/api/v1/public/statistics/periods/:code/tables/enterprises',
    {
      config: { action: 'statistics.tables.read' },
      schema: {
        tags: TAGS,
        summary: 'Enterprises with a non-zero AI revenue by district × level-2 category (counts are not confidential)',
        params: PeriodParams,
        response: { 200: EnterprisesTableSchema },
      },
    },
    async (request) => readEnterprisesTable(deps, contextOf(request), { code: request.params.code }),
  );
}
