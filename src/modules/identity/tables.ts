import type { Json, Timestamp } from '../../platform/tables.ts';

export interface OrganizationsTable {
  id: string;
  name: string;
  name_en: string | null;
  uscc: string;
  type: string;
  status: string;
  status_reason: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: Json<string[]>;
  organization_id: string | null;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  password_changed_at: Timestamp;
  version: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: Json<string[]>;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface IdentityTables {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  login_throttle: LoginThrottleTable;
}
