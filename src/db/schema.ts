import type { CalendarTables } from '../modules/calendar/tables.ts';
import type { CatalogueTables } from '../modules/catalogue/tables.ts';
import type { EthicsTables } from '../modules/ethics/tables.ts';
import type { DataAccessTables } from '../modules/data-access/tables.ts';
import type { FilingTables } from '../modules/filings/tables.ts';
import type { NotificationTables } from '../modules/notifications/tables.ts';
import type { IdentityTables } from '../modules/identity/tables.ts';
import type { MonitoringTables } from '../modules/monitoring/tables.ts';
import type { IntegrationTables } from '../modules/integrations/tables.ts';
import type { ProductTables } from '../modules/products/tables.ts';
import type { PlatformTables } from '../platform/tables.ts';
import type { RegisterTables } from '../modules/register/tables.ts';
import type { StatisticsTables } from '../modules/statistics/tables.ts';
import type { TransparencyLogTables } from '../modules/transparency-log/tables.ts';
import type { TrialTables } from '../modules/trials/tables.ts';

/** The whole database as kysely sees it: each module contributes its tables' interface. */
export type Database = PlatformTables &
  IdentityTables &
  CatalogueTables &
  ProductTables &
  CalendarTables &
  FilingTables &
  NotificationTables &
  RegisterTables &
  TransparencyLogTables &
  StatisticsTables &
  EthicsTables &
  DataAccessTables &
  TrialTables &
  MonitoringTables &
  IntegrationTables;
