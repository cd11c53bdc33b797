import { Type, type Static } from '@fastify/type-provider-typebox';
import { DISPLAY_NAME_FORMAT } from '../../platform/validation.ts';

/** Longest span `working-days/add` computes: ten years of days is far past any statutory clock. */
export const CALENDAR_LIMITS = { maxDays: 3660 } as const;

const DateString = Type.String({ format: 'date', description: 'Civil date YYYY-MM-DD (Asia/Shanghai)' });

export const AddWorkingDaysQuery = Type.Object(
  {
    from: DateString,
    days: Type.Integer({
      minimum: 0,
      maximum: CALENDAR_LIMITS.maxDays,
      description: 'How many working days to add; `from` itself is day 0',
    }),
  },
  { additionalProperties: false },
);
export type AddWorkingDaysQuery = Static<typeof AddWorkingDaysQuery>;

export const AddWorkingDaysResult = Type.Object({
  from: Type.String(),
  days: Type.Integer(),
  date: Type.String({ description: 'The `days`-th working day after `from`' }),
});

export const YearParams = Type.Object({
  year: Type.String({ pattern: '^[0-9]{4}$', description: 'Four-digit year' }),
});

const Source = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500, description: 'Title of the State Council notice' }),
    documentNo: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'https URL of the notice on www.gov.cn' }),
    published: Type.String({ minLength: 1, maxLength: 10, description: 'YYYY-MM-DD' }),
  },
  { additionalProperties: false },
);

const NamedDay = Type.Object(
  {
    date: Type.String({ minLength: 1, maxLength: 10 }),
    // Holiday names are shown on public pages: no control or bidi characters.
    nameZh: Type.String({ minLength: 1, maxLength: 100, format: DISPLAY_NAME_FORMAT }),
    nameEn: Type.String({ minLength: 1, maxLength: 100, format: DISPLAY_NAME_FORMAT }),
  },
  { additionalProperties: false },
);

/** The shape of `data/reference/calendar/cn-YYYY.json`; its rules are checked by `validateCalendarYear`. */
export const CalendarYearBody = Type.Object(
  {
    year: Type.Integer({ minimum: 1000, maximum: 9999 }),
    source: Source,
    offDays: Type.Array(NamedDay, { maxItems: 366, description: 'Every day of every holiday block' }),
    workDays: Type.Array(NamedDay, { maxItems: 366, description: 'Weekend days made working days (调休)' }),
  },
  { additionalProperties: false },
);
export type CalendarYearBody = Static<typeof CalendarYearBody>;

export const CalendarYearView = Type.Object({
  year: Type.Integer(),
  offDays: Type.Array(Type.String(), {
    description: 'Days off that would otherwise be working days or fall in a holiday block',
  }),
  workDays: Type.Array(Type.String(), { description: 'Weekend days that are working days (调休上班)' }),
  holidays: Type.Array(Type.Object({ date: Type.String(), nameZh: Type.String(), nameEn: Type.String() }), {
    description: 'offDays with the holiday names',
  }),
  adjustedWorkDays: Type.Array(Type.Object({ date: Type.String(), nameZh: Type.String(), nameEn: Type.String() }), {
    description: 'workDays with the holiday they make up for',
  }),
  source: Type.Object({
    title: Type.String(),
    documentNo: Type.String(),
    url: Type.String(),
    published: Type.String(),
  }),
  origin: Type.Union([Type.Literal('reference'), Type.Literal('admin')]),
  loadedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});
export type CalendarYearView = Static<typeof CalendarYearView>;
