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
    provisional: Type.Optional(
      Type.Boolean({
        description:
          'true: a year without an official calendar counts weekends only and the answer carries `provisional` (API-CONTRACT-2 §0); default strict (422 `calendar_year_missing`)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AddWorkingDaysQuery = Static<typeof AddWorkingDaysQuery>;

export const AddWorkingDaysResult = Type.Object({
  from: Type.String(),
  days: Type.Integer(),
  date: Type.String({ description: 'The `days`-th working day after `from`' }),
  provisional: Type.Optional(
    Type.Boolean({ description: 'Only with `?provisional=true`: a year without an official calendar was counted' }),
  ),
});

export const YearParams = Type.Object({
  year: Type.String({ pattern: '^[0-9]{4}$', description: 'Four-digit year' }),
});

// Lengths only: what a person gets wrong (an empty name, a date outside the year, a URL not on
// gov.cn) is checked by validateCalendarYear and answered 422 all at once, with pointers.
const Source = Type.Object(
  {
    title: Type.String({ maxLength: 500, description: 'Title of the State Council notice' }),
    documentNo: Type.String({ maxLength: 200 }),
    url: Type.String({ maxLength: 2000, description: 'https URL of the notice on www.gov.cn' }),
    published: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
  },
  { additionalProperties: false },
);

const NamedDay = Type.Object(
  {
    date: Type.String({ maxLength: 10 }),
    // Holiday names are shown on public pages: no control or bidi characters (an empty one is
    // a mistake validateCalendarYear reports with the others, 422).
    nameZh: Type.String({ maxLength: 100, format: DISPLAY_NAME_FORMAT }),
    nameEn: Type.String({ maxLength: 100, format: DISPLAY_NAME_FORMAT }),
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

const RecomputedDeadline = Type.Object({
  resourceType: Type.String({ description: 'What the deadline belongs to, e.g. filing' }),
  resourceId: Type.String(),
  subject: Type.String({ description: 'The product or case it concerns' }),
  dueDateBefore: Type.String({ format: 'date' }),
  dueDate: Type.String({ format: 'date' }),
  dueDateProvisional: Type.Boolean(),
});

export const CalendarLoadResult = Type.Object({
  ...CalendarYearView.properties,
  recomputedDeadlines: Type.Array(RecomputedDeadline, {
    description: 'Open provisional deadlines this load recomputed (audited; the parties are notified)',
  }),
});

const DiffDay = Type.Object({ date: Type.String(), nameZh: Type.String(), nameEn: Type.String() });

export const CalendarPreview = Type.Object({
  year: Type.Integer(),
  replaces: Type.Union([
    Type.Object({
      version: Type.Integer(),
      origin: Type.Union([Type.Literal('reference'), Type.Literal('admin')]),
      loadedAt: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  diff: Type.Object({
    weekdaysOff: Type.Array(DiffDay, { description: 'Holidays on Monday–Friday: off instead of working' }),
    weekendsWorked: Type.Array(DiffDay, { description: 'Weekend days made working days (调休上班)' }),
    weekendHolidays: Type.Array(DiffDay, { description: 'Holidays on a weekend: no change' }),
    workingDays: Type.Object({ weekendsOnly: Type.Integer(), official: Type.Integer() }),
  }),
  recomputedDeadlines: Type.Array(RecomputedDeadline, {
    description: 'The open provisional deadlines loading this year would move',
  }),
});
export type CalendarPreview = Static<typeof CalendarPreview>;

export const CalendarStatus = Type.Object({
  today: Type.String({ format: 'date', description: 'Today in Asia/Shanghai, on the server clock' }),
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      origin: Type.Union([Type.Literal('reference'), Type.Literal('admin')]),
      version: Type.Integer(),
      loadedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  missingYear: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'A year the administrator should load now: this year if missing, else next year from 1 November while it is missing',
  }),
  provisionalDeadlines: Type.Integer({ description: 'Open deadlines counted with weekends only' }),
});
export type CalendarStatus = Static<typeof CalendarStatus>;
