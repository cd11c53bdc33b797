import type { PlatformTables } from '../platform/tables.ts';

/** The whole database as kysely sees it: each module contributes its tables' interface. */
export type Database = PlatformTables;
