/** Events the calendar module produces. */
import { Type } from '@fastify/type-provider-typebox';
import { defineEvent } from '../../platform/events.ts';

/** A year of the official calendar was loaded or corrected (and the provisional deadlines it moved). */
export const CalendarYearLoaded = defineEvent(
  'calendar.year_loaded',
  'calendar_year',
  Type.Object({
    year: Type.Integer(),
    documentNo: Type.String(),
    offDays: Type.Integer({ minimum: 0 }),
    workDays: Type.Integer({ minimum: 0 }),
    previousVersion: Type.Union([Type.Integer(), Type.Null()]),
    version: Type.Integer({ minimum: 1 }),
    recomputedDeadlines: Type.Integer({ minimum: 0 }),
  }),
);
