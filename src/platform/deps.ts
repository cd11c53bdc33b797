import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { DatabaseKind } from '../db/connection.ts';
import type { Clock } from './clock.ts';

/** What every module gets: configuration, the database, the clock. Nothing global. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly dbKind: DatabaseKind;
  readonly clock: Clock;
}
