import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { assertIfMatch, etagOf } from '../../platform/http.ts';
import { auditContext, contextOf } from '../../platform/request-context.ts';
import {
  AddWorkingDaysQuery,
  AddWorkingDaysResult,
  CalendarYearBody,
  CalendarYearView,
  YearParams,
} from './schemas.ts';
import { addWorkingDays, getCalendarYear, loadCalendarYear } from './service.ts';

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
          'The `days`-th working day after `from` (from itself is day 0): weekends and statutory holidays off, adjusted weekend working days on. A year without an official calendar → 422 `calendar_year_missing`, never a guess.',
        querystring: AddWorkingDaysQuery,
        response: { 200: AddWorkingDaysResult },
      },
    },
    async (request, reply) => {
      const { from, days } = request.query;
      const date = await addWorkingDays(deps, from, days);
      void reply.header('cache-control', PUBLIC_CACHE);
      return { from, days, date };
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
      const view = await getCalendarYear(deps, Number(request.params.year));
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
          'Body in the shape of data/reference/calendar/cn-YYYY.json, validated in full. `If-Match` guards a replacement. Due dates already computed are not changed.',
        params: YearParams,
        body: CalendarYearBody,
        response: { 200: CalendarYearView, 201: CalendarYearView },
      },
    },
    async (request, reply) => {
      const context = contextOf(request);
      const { view, created } = await loadCalendarYear(
        deps,
        auditContext(context, deps.clock),
        Number(request.params.year),
        request.body,
        (version) => assertIfMatch(request, version),
      );
      return reply
        .code(created ? 201 : 200)
        .header('etag', etagOf(view.version))
        .send(view);
    },
  );
}
