import type { RiskAnswers, RiskObligation, RiskReason } from '../../lib/risk-rules.ts';
import type { Json, Timestamp } from '../../platform/tables.ts';

export interface ProductsTable {
  id: string;
  organization_id: string;
  name: string;
  name_en: string | null;
  description: string;
  catalogue_code: string;
  catalogue_version: string;
  product_version: string;
  intended_use: string;
  risk_answers: Json<RiskAnswers>;
  tier: string;
  risk_reasons: Json<RiskReason[]>;
  obligations: Json<RiskObligation[]>;
  ruleset_version: string;
  status: string;
  version: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductTables {
  products: ProductsTable;
}
