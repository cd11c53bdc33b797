import type { DatasetField, FieldClassification } from '../../lib/csv-dataset.ts';
import type { DataTheme, DatasetOpenness, Frequency } from '../../lib/dcat.ts';
import type { ExtractStats } from './tables.ts';

export const ACCESS_REQUEST_STATUSES = ['pending', 'granted', 'refused'] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];
export const GRANT_STATUSES = ['active', 'expired'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** Working days a steward has to decide an access request (API-CONTRACT-2 §4). */
export const ACCESS_REQUEST_WORKING_DAYS = 10;
export const DEFAULT_K = 5;

/** Classifications an open dataset may not hold (API-CONTRACT-2 §4). */
export const PERSONAL_CLASSIFICATIONS: readonly FieldClassification[] = [
  'direct_identifier',
  'quasi_identifier',
  'sensitive',
];

export interface DatasetRecord {
  id: string;
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  publisher: string;
  openness: DatasetOpenness;
  themes: DataTheme[];
  license: string;
  updateFrequency: Frequency;
  fields: DatasetField[];
  rows: number;
  dataVersion: number;
  dataUpdatedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface GrantRecord {
  id: string;
  requestId: string;
  datasetId: string;
  organizationId: string;
  fields: string[];
  k: number;
  grantedAt: string;
  expiresAt: string;
  downloads: number;
  lastExtract: ExtractStats | null;
}

export interface AccessRequestRecord {
  id: string;
  datasetId: string;
  datasetTitle: string;
  datasetTitleEn: string;
  organizationId: string;
  requestedBy: string | null;
  purpose: string;
  legalBasis: string;
  fields: string[];
  durationDays: number;
  status: AccessRequestStatus;
  submittedAt: string;
  dueDate: string;
  dueDateProvisional: boolean;
  decidedAt: string | null;
  reasons: string | null;
  version: number;
}
