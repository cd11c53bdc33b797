import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from '../../platform/tables.ts';

export interface EthicsCasesTable {
  id: string;
  subject_type: string;
  subject_id: string;
  /** The subject's provider organisation. */
  organization_id: string;
  subject_name: string;
  subject_name_en: string | null;
  reason: string;
  /** JSON array of `ReferralTrigger`s; empty for a reviewer's referral. */
  triggers: Json<string[]>;
  /** The reviewer who referred it; null for an automatic referral. */
  referred_by: string | null;
  referred_at: Timestamp;
  /** Asia/Shanghai date of the referral (day 0 of the 15 working days). */
  referral_date: string;
  due_date: string;
  due_date_provisional: ColumnType<boolean, boolean | undefined, boolean>;
  status: string;
  outcome: string | null;
  public_summary: string | null;
  conditions: Json<string[]> | null;
  tally: Json<{ favourable: number; favourableWithConditions: number; unfavourable: number; abstain: number }> | null;
  eligible_members: number | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EthicsDeclarationsTable {
  id: string;
  case_id: string;
  member_id: string;
  conflict_of_interest: boolean;
  statement: string;
  declared_at: Timestamp;
}

export interface EthicsVotesTable {
  id: string;
  case_id: string;
  member_id: string;
  vote: string;
  comment: string;
  cast_at: Timestamp;
}

export interface EthicsTables {
  ethics_cases: EthicsCasesTable;
  ethics_declarations: EthicsDeclarationsTable;
  ethics_votes: EthicsVotesTable;
}
