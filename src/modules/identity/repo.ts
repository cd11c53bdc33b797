import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { OrganizationStatus, Role } from '../../platform/principal.ts';
import type { OrganizationsTable, UsersTable } from './tables.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export type OrganizationType = 'enterprise' | 'medical_institution' | 'research_institution';

export interface Organization {
  id: string;
  name: string;
  nameEn: string | null;
  uscc: string;
  type: OrganizationType;
  status: OrganizationStatus;
  statusReason: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  organizationId: string | null;
  status: 'active' | 'disabled';
  createdAt: Date;
  version: number;
}

export interface UserWithSecret extends User {
  passwordHash: string;
  passwordChangedAt: Date;
}

function toOrganization(row: Selectable<OrganizationsTable>): Organization {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    uscc: row.uscc,
    type: row.type as OrganizationType,
    status: row.status as OrganizationStatus,
    statusReason: row.status_reason,
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: row.version,
  };
}

function toUser(row: Selectable<UsersTable>): UserWithSecret {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles as Role[],
    organizationId: row.organization_id,
    status: row.status as User['status'],
    createdAt: new Date(row.created_at),
    version: row.version,
    passwordHash: row.password_hash,
    passwordChangedAt: new Date(row.password_changed_at),
  };
}

export function withoutSecret(user: UserWithSecret): User {
  const { passwordHash: _hash, passwordChangedAt: _changed, ...rest } = user;
  return rest;
}

export async function findOrganizationById(db: Executor, id: string): Promise<Organization | undefined> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toOrganization(row);
}

export async function lockOrganizationById(trx: Transaction<Database>, id: string): Promise<Organization | undefined> {
  const row = await trx.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : toOrganization(row);
}

export async function findOrganizationByUscc(db: Executor, uscc: string): Promise<Organization | undefined> {
  const row = await db.selectFrom('organizations').selectAll().where('uscc', '=', uscc).executeTakeFirst();
  return row === undefined ? undefined : toOrganization(row);
}

export async function insertOrganization(trx: Transaction<Database>, org: Organization): Promise<void> {
  await trx
    .insertInto('organizations')
    .values({
      id: org.id,
      name: org.name,
      name_en: org.nameEn,
      uscc: org.uscc,
      type: org.type,
      status: org.status,
      status_reason: org.statusReason,
      created_at: org.createdAt,
      updated_at: org.updatedAt,
      version: org.version,
    })
    .execute();
}

export async function updateOrganizationStatus(
  trx: Transaction<Database>,
  id: string,
  change: { status: OrganizationStatus; reason: string | null; decidedAt: Date; decidedBy: string },
): Promise<Organization> {
  const row = await trx
    .updateTable('organizations')
    .set({
      status: change.status,
      status_reason: change.reason,
      decided_at: change.decidedAt,
      decided_by: change.decidedBy,
      updated_at: change.decidedAt,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOrganization(row);
}

export async function listOrganizations(
  db: Executor,
  filter: { status?: OrganizationStatus; afterId?: string; limit: number },
): Promise<Organization[]> {
  let query = db.selectFrom('organizations').selectAll().orderBy('id').limit(filter.limit);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map(toOrganization);
}

export async function findUserById(db: Executor, id: string): Promise<UserWithSecret | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserWithSecret | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

export async function insertUser(trx: Transaction<Database>, user: UserWithSecret): Promise<void> {
  await trx
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      roles: JSON.stringify(user.roles),
      organization_id: user.organizationId,
      status: user.status,
      created_at: user.createdAt,
      updated_at: user.createdAt,
      password_changed_at: user.passwordChangedAt,
      version: user.version,
    })
    .execute();
}

export async function updateUserPassword(trx: Transaction<Database>, id: string, passwordHash: string, at: Date) {
  await trx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: at, updated_at: at, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function listUsers(
  db: Executor,
  filter: { organizationId?: string | null; afterId?: string; limit: number },
): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().orderBy('id').limit(filter.limit);
  if (filter.organizationId === null) query = query.where('organization_id', 'is', null);
  else if (filter.organizationId !== undefined) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map((row) => withoutSecret(toUser(row)));
}

export async function hasRegulatorAdmin(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`roles @> '["regulator_admin"]'::jsonb`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
