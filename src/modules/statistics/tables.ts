import type { CategoryAmount } from '../../domain/statistics.ts';
import type { Int8, Json, Timestamp } from '../../platform/tables.ts';
import type { AiRevenueTable, EnterprisesTable, PublicationMethod, StoredAudit } from './types.ts';

export interface StatisticsPeriodsTable {
  code: string;
  title: string;
  title_en: string;
  opens_on: string;
  closes_on: string;
  due_date: string;
  /** The catalogue version whose level-2 codes are the columns (current when the period was opened). */
  catalogue_version: string;
  created_at: Timestamp;
  created_by: string | null;
  published_at: Timestamp | null;
  published_by: string | null;
  /** When the due-date reminder went out (once per period). */
  reminded_at: Timestamp | null;
  version: number;
}

export interface StatisticsReturnsTable {
  period_code: string;
  organization_id: string;
  district: string;
  employees: number;
  ai_employees: number;
  revenue: Int8;
  ai_revenue: Int8;
  rd_expenditure: Int8;
  by_category: Json<CategoryAmount[]>;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface StatisticsPublicationsTable {
  period_code: string;
  published_at: Timestamp;
  returns: number;
  ai_revenue_table: Json<Omit<AiRevenueTable, 'period' | 'unit'>>;
  enterprises_table: Json<Omit<EnterprisesTable, 'period'>>;
  /** The attacker's interval for every suppressed position, as the audit found it. */
  audit: Json<StoredAudit>;
  method: Json<PublicationMethod>;
}

export interface StatisticsTables {
  statistics_periods: StatisticsPeriodsTable;
  statistics_returns: StatisticsReturnsTable;
  statistics_publications: StatisticsPublicationsTable;
}
