import type { CategoryAmount, PeriodStatus } from '../../domain/statistics.ts';
import type { ConfidentialityStatus } from '../../lib/disclosure-control.ts';

export interface StatisticsPeriod {
  code: string;
  title: string;
  titleEn: string;
  opensOn: string;
  closesOn: string;
  dueDate: string;
  /** The due date is the statistician's, never computed: never provisional (API-CONTRACT-2 §0). */
  dueDateProvisional: false;
  catalogueVersion: string;
  status: PeriodStatus;
  publishedAt: string | null;
  createdAt: string;
  version: number;
}

export interface StatisticsReturn {
  period: string;
  organizationId: string;
  district: string;
  employees: number;
  aiEmployees: number;
  revenue: number;
  aiRevenue: number;
  rdExpenditure: number;
  byCategory: CategoryAmount[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TableEntry {
  value: number | null;
  status: ConfidentialityStatus;
}

/** `GET …/tables/ai-revenue` (API-CONTRACT-2 §5). */
export interface AiRevenueTable {
  period: string;
  unit: string;
  rows: string[];
  columns: string[];
  cells: ({ row: string; column: string } & TableEntry)[];
  rowTotals: ({ row: string } & TableEntry)[];
  columnTotals: ({ column: string } & TableEntry)[];
  grandTotal: TableEntry;
}

/** `GET …/tables/enterprises`: organisations with a non-zero amount (counts are not confidential). */
export interface EnterprisesTable {
  period: string;
  rows: string[];
  columns: string[];
  cells: { row: string; column: string; count: number }[];
  rowTotals: { row: string; count: number }[];
  columnTotals: { column: string; count: number }[];
  grandTotal: { count: number };
}

/** How the published table was protected (stored with it, shown to the statistician). */
export interface PublicationMethod {
  secondary: string;
  cost: string;
  solver: string;
  primaryCount: number;
  secondaryCount: number;
  secondaryValue: number;
}

/** The audit as stored: `upper` null when the attacker's maximum is unbounded. */
export interface StoredAudit {
  passes: boolean;
  intervals: {
    row: string;
    column: string;
    status: 'C' | 'D';
    lower: number;
    upper: number | null;
    isProtected: boolean;
  }[];
}
