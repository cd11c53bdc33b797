import type { Timestamp } from '../../platform/tables.ts';

export interface NotificationsTable {
  id: string;
  /** Exactly one user… */
  user_id: string | null;
  /** …or an organisation's members (all of them, or only those with `role`)… */
  organization_id: string | null;
  /** …or every regulator user with this role (e.g. all reviewers). */
  role: string | null;
  kind: string;
  title_zh: string;
  title_en: string;
  link: string | null;
  created_at: Timestamp;
}

export interface NotificationReadsTable {
  notification_id: string;
  user_id: string;
  read_at: Timestamp;
}

export interface NotificationTables {
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
}
