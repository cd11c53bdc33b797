import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { etagOf } from '../../platform/http.ts';
import { contextOf } from '../../platform/request-context.ts';
import {
  AddWorkingDaysQuery,
  AddWorkingDaysResult,
  CalendarLoadResult,
  CalendarPreview,
  CalendarStatus,
  CalendarYearBody,
  CalendarYearView,
  YearParams,
} from './schemas.ts';
import { addWorkingDays, calendarStatus, getCalendarYear, loadCalendarYear, previewCalendarYear } from './service.ts';

/** Reference data changes once a year: let browsers and proxies keep it for five minutes. */
const PUBLIC_CACHE = 'public, max-age=300';

export async function calendarRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/calendar/working-days/add',
    {
      config: { action: 'calendar.read' },
      schema: {
        tags: ['calendar'],
        summary: 'Add working days on the official mainland-China calendar',
        description:
          'The `days`-th working day after `from` (from itself is day 0): weekends and statutory holidays off, adjusted weekend working days on. A year without an official calendar → 422 `calendar_year_missing`, never a guess; with `provisional=true` that year counts weekends only and the answer carries `provisional: true`.',
        querystring: AddWorkingDaysQuery,
        response: { 200: AddWorkingDaysResult },
      },
    },
    async (request, reply) => {
      const { from, days } = request.query;
      const provisional = request.query.provisional === true;
      const result = await addWorkingDays(deps, contextOf(request), { from, days, provisional });
      // A provisional answer changes when the year is loaded: revalidate it.
      void reply.header('cache-control', result.provisional ? 'no-cache' : PUBLIC_CACHE);
      return provisional
        ? { from, days, date: result.date, provisional: result.provisional }
        : { from, days, date: result.date };
    },
  );

  app.get(
    '/api/v1/calendar/status',
    {
      config: { action: 'calendar.read' },
      schema: {
        tags: ['calendar'],
        summary: 'Which calendar years are loaded, and whether one should be loaded now',
        response: { 200: CalendarStatus },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-cache');
      return calendarStatus(deps, contextOf(request));
    },
  );

  app.get(
    '/api/v1/calendar/:year',
    {
      config: { action: 'calendar.read' },
      schema: {
        tags: ['calendar'],
        summary: 'One year of the official working-day calendar',
        params: YearParams,
        response: { 200: CalendarYearView },
      },
    },
    async (request, reply) => {
      const view = await getCalendarYear(deps, contextOf(request), { year: Number(request.params.year) });
      void reply.header('etag', etagOf(view.version)).header('cache-control', PUBLIC_CACHE);
      return view;
    },
  );

  app.put(
    '/api/v1/calendar/:year',
    {
      config: { action: 'calendar.load' },
      schema: {
        tags: ['calendar'],
        summary: 'Load (or correct) a year of the official calendar from the State Council notice',
        description:
          'Body in the shape of data/reference/calendar/cn-YYYY.json, validated in full. `If-Match` guards a replacement. Every open provisional deadline is recomputed with the year in the same transaction (audited, the parties notified); deadlines computed on an official calendar are not changed.',
        params: YearParams,
        body: CalendarYearBody,
        response: { 200: CalendarLoadResult, 201: CalendarLoadResult },
      },
    },
    async (request, reply) => {
      const { view, created, recomputedDeadlines } = await loadCalendarYear(deps, contextOf(request), {
        year: Number(request.params.year),
        body: request.body,
        ifMatch: request.headers['if-match'],
      });
      return reply
        .code(created ? 201 : 200)
        .header('etag', etagOf(view.version))
        .send({ ...view, recomputedDeadlines });
    },
  );

  app.post(
    '/api/v1/calendar/:year/preview',
    {
      config: { action: 'calendar.load' },
      schema: {
        tags: ['calendar'],
        summary: 'What loading a year would change, without loading it',
        description:
          'The same validation as PUT (422 with a pointer per mistake); the days that differ from the weekends-only count used for provisional deadlines; and every open provisional deadline the load would move. Nothing is stored.',
        params: YearParams,
        body: CalendarYearBody,
        response: { 200: CalendarPreview },
      },
    },
    async (request) =>
      previewCalendarYear(deps, contextOf(request), { year: Number(request.params.year), body: request.body }),
  );
}
