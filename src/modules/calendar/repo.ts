import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HolidayCalendarYear } from '../../lib/calendar.ts';
import type { CalendarYearsTable } from './tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export type CalendarOrigin = 'reference' | 'admin';

export interface StoredCalendarYear {
  year: number;
  data: HolidayCalendarYear;
  origin: CalendarOrigin;
  loadedAt: Date;
  loadedBy: string | null;
  version: number;
}

function toStored(row: Selectable<CalendarYearsTable>): StoredCalendarYear {
  return {
    year: Number(row.year),
    data: row.data,
    origin: row.origin as CalendarOrigin,
    loadedAt: new Date(row.loaded_at),
    loadedBy: row.loaded_by,
    version: Number(row.version),
  };
}

export async function listCalendarYears(db: Executor): Promise<StoredCalendarYear[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  return rows.map(toStored);
}

export async function lockCalendarYear(
  trx: Transaction<Database>,
  year: number,
): Promise<StoredCalendarYear | undefined> {
  const row = await trx
    .selectFrom('calendar_years')
    .selectAll()
    .where('year', '=', year)
    .forUpdate()
    .executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

/** Inserts shipped reference years that are not in the database yet; never overwrites a loaded year. */
export async function insertReferenceYears(
  db: Executor,
  years: readonly HolidayCalendarYear[],
  now: Date,
): Promise<void> {
  if (years.length === 0) return;
  await db
    .insertInto('calendar_years')
    .values(
      years.map((data) => ({
        year: data.year,
        data: JSON.stringify(data),
        origin: 'reference',
        loaded_at: now,
        loaded_by: null,
        version: 1,
      })),
    )
    .onConflict((oc) => oc.column('year').doNothing())
    .execute();
}

/** Creates or replaces a year (version 1 when new, else bumped). */
export async function saveCalendarYear(
  trx: Transaction<Database>,
  data: HolidayCalendarYear,
  loadedBy: string | null,
  now: Date,
): Promise<StoredCalendarYear> {
  const row = await trx
    .insertInto('calendar_years')
    .values({
      year: data.year,
      data: JSON.stringify(data),
      origin: 'admin',
      loaded_at: now,
      loaded_by: loadedBy,
      version: 1,
    })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet((eb) => ({
        data: eb.ref('excluded.data'),
        origin: eb.ref('excluded.origin'),
        loaded_at: eb.ref('excluded.loaded_at'),
        loaded_by: eb.ref('excluded.loaded_by'),
        version: eb('calendar_years.version', '+', 1),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toStored(row);
}
