import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { DatabaseKind } from '../db/connection.ts';
import type { Clock } from './clock.ts';

/**
 * What every module gets: configuration, the database, the clock — passed, never imported.
 *
 * Some state is per process on purpose, as read-only data loaded once or as caches that
 * only save work (none is a source of truth; a restart loses nothing):
 * - authz (`platform/authz.ts`): the Cedar policies loaded once, and a cache of decisions;
 * - outbox and audit (`platform/outbox.ts`, `platform/audit.ts`): listeners that wake this
 *   process's outbox poller and audit sequencer after a commit (the rows are the queue);
 * - problem titles (`platform/problem-titles.ts`): each module registers its error codes'
 *   titles when it is imported, so every answer of a code has the same title;
 * - risk rulesets (`modules/risk/rulesets.ts`) and compiled rulesets: shipped reference data,
 *   loaded and compiled once;
 * - caches of sessions (identity, seconds), calendars, signing keys, document stores, the
 *   Chinese word segmenter and the common-password list.
 */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly dbKind: DatabaseKind;
  readonly clock: Clock;
}
