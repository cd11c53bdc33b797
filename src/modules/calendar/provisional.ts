/**
 * Provisional deadlines (API-CONTRACT-2 §0). A working-day deadline that reaches a year whose
 * State Council notice is not loaded yet counts weekends only for that year and is marked
 * provisional; loading the year recomputes every open provisional deadline from its own start,
 * in the loading transaction. The modules that own deadlines register here (filings today;
 * monitoring, trials, ethics and data access as they arrive), so the calendar module never
 * imports them.
 *
 * Races between a load and a deadline being computed from a stale cache are closed in the
 * database: the load holds an exclusive advisory lock; a write that stores a provisional
 * deadline takes it shared and checks the years it counted as missing are still missing
 * (`confirmProvisional`). So a provisional deadline either commits before the load (and is
 * recomputed by it) or sees the loaded year and is computed officially.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { WorkingDayCalendar } from '../../lib/calendar.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';

/** Arbitrary constant of the advisory lock between loading a year and storing provisional deadlines. */
const CALENDAR_LOAD_LOCK = 7_100_002;

/** One deadline a loaded year moved (or confirmed). */
export interface RecomputedDeadline {
  /** What it belongs to, e.g. `filing`. */
  readonly resourceType: string;
  readonly resourceId: string;
  /** A name people recognise (the product's), for the administrator's preview. */
  readonly subject: string;
  readonly dueDateBefore: string;
  readonly dueDate: string;
  /** Still provisional when it also reaches another year without a calendar. */
  readonly dueDateProvisional: boolean;
}

export interface RecomputeContext {
  audit: AuditContext;
  clock: Clock;
  actorId: string | null;
  /** The year just loaded. */
  year: number;
}

/** A module that stores working-day deadlines which may be provisional. */
export interface ProvisionalDeadlineOwner {
  readonly name: string;
  /**
   * Recomputes every open provisional deadline from its own start with `calendar` (which holds
   * the year just loaded), writes the changes with their audit rows and notifications in `trx`,
   * and lists them.
   */
  recompute(
    trx: Transaction<Database>,
    calendar: WorkingDayCalendar,
    context: RecomputeContext,
  ): Promise<RecomputedDeadline[]>;
  /** How many open deadlines are provisional now. */
  countOpen(db: Kysely<Database> | Transaction<Database>): Promise<number>;
}

const owners = new Map<string, ProvisionalDeadlineOwner>();

/** Registers a module's provisional deadlines (at import of the module; idempotent by name). */
export function registerProvisionalDeadlineOwner(owner: ProvisionalDeadlineOwner): void {
  owners.set(owner.name, owner);
}

export function provisionalDeadlineOwners(): readonly ProvisionalDeadlineOwner[] {
  return [...owners.values()];
}

/** The cached calendar lacks a year the database has: reload and compute again. */
export class CalendarCacheStaleError extends Error {
  constructor(readonly year: number) {
    super(`The cached calendar lacks ${year}, which is loaded`);
    this.name = 'CalendarCacheStaleError';
  }
}

/** Taken by the transaction that loads a year, before anything else. */
export async function lockCalendarForLoad(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CALENDAR_LOAD_LOCK})`.execute(trx);
}

/**
 * Call before storing a deadline computed provisionally between `from` and `to`: holds the
 * shared side of the load lock until commit and throws `CalendarCacheStaleError` if a year the
 * cached calendar counted with weekends only has been loaded meanwhile.
 */
export async function confirmProvisional(
  trx: Transaction<Database>,
  calendar: WorkingDayCalendar,
  from: string,
  to: string,
): Promise<void> {
  const [low, high] = from <= to ? [from, to] : [to, from];
  const missing: number[] = [];
  for (let year = Number(low.slice(0, 4)); year <= Number(high.slice(0, 4)); year += 1) {
    if (!calendar.hasYear(year)) missing.push(year);
  }
  if (missing.length === 0) return;
  await sql`SELECT pg_advisory_xact_lock_shared(${CALENDAR_LOAD_LOCK})`.execute(trx);
  const loaded = await trx.selectFrom('calendar_years').select('year').where('year', 'in', missing).executeTakeFirst();
  if (loaded !== undefined) throw new CalendarCacheStaleError(Number(loaded.year));
}
