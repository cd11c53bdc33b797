import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type {
  EthicsCaseStatus,
  EthicsOutcome,
  EthicsSubjectType,
  EthicsVote,
  ReferralTrigger,
  VoteTally,
} from '../../domain/ethics.ts';
import type { EthicsCasesTable } from './tables.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface CaseRecord {
  id: string;
  subjectType: EthicsSubjectType;
  subjectId: string;
  organizationId: string;
  subjectName: string;
  subjectNameEn: string | null;
  reason: string;
  triggers: ReferralTrigger[];
  referredBy: string | null;
  referredAt: Date;
  referralDate: string;
  dueDate: string;
  dueDateProvisional: boolean;
  status: EthicsCaseStatus;
  outcome: EthicsOutcome | null;
  publicSummary: string | null;
  conditions: string[] | null;
  tally: VoteTally | null;
  eligibleMembers: number | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

function toCase(row: Selectable<EthicsCasesTable>): CaseRecord {
  return {
    id: row.id,
    subjectType: row.subject_type as EthicsSubjectType,
    subjectId: row.subject_id,
    organizationId: row.organization_id,
    subjectName: row.subject_name,
    subjectNameEn: row.subject_name_en,
    reason: row.reason,
    triggers: row.triggers as ReferralTrigger[],
    referredBy: row.referred_by,
    referredAt: new Date(row.referred_at),
    referralDate: row.referral_date,
    dueDate: row.due_date,
    dueDateProvisional: row.due_date_provisional,
    status: row.status as EthicsCaseStatus,
    outcome: row.outcome as EthicsOutcome | null,
    publicSummary: row.public_summary,
    conditions: row.conditions,
    tally: row.tally,
    eligibleMembers: row.eligible_members,
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    decidedBy: row.decided_by,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export interface NewCase {
  id: string;
  subjectType: EthicsSubjectType;
  subjectId: string;
  organizationId: string;
  subjectName: string;
  subjectNameEn: string | null;
  reason: string;
  triggers: readonly ReferralTrigger[];
  referredBy: string | null;
  referredAt: Date;
  referralDate: string;
  dueDate: string;
  dueDateProvisional: boolean;
}

export async function insertCase(trx: Transaction<Database>, c: NewCase): Promise<CaseRecord> {
  const row = await trx
    .insertInto('ethics_cases')
    .values({
      id: c.id,
      subject_type: c.subjectType,
      subject_id: c.subjectId,
      organization_id: c.organizationId,
      subject_name: c.subjectName,
      subject_name_en: c.subjectNameEn,
      reason: c.reason,
      triggers: JSON.stringify(c.triggers),
      referred_by: c.referredBy,
      referred_at: c.referredAt,
      referral_date: c.referralDate,
      due_date: c.dueDate,
      due_date_provisional: c.dueDateProvisional,
      status: 'open',
      outcome: null,
      public_summary: null,
      conditions: null,
      tally: null,
      eligible_members: null,
      decided_at: null,
      decided_by: null,
      version: 1,
      created_at: c.referredAt,
      updated_at: c.referredAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCase(row);
}

export async function findCase(db: Executor, id: string): Promise<CaseRecord | undefined> {
  const row = await db.selectFrom('ethics_cases').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toCase(row);
}

export async function lockCase(trx: Transaction<Database>, id: string): Promise<CaseRecord | undefined> {
  const row = await trx.selectFrom('ethics_cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : toCase(row);
}

export async function updateCase(
  trx: Transaction<Database>,
  id: string,
  changes: Omit<Updateable<EthicsCasesTable>, 'id' | 'version'>,
): Promise<CaseRecord> {
  const row = await trx
    .updateTable('ethics_cases')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCase(row);
}

/** Every case about a subject, oldest first. */
export async function casesOfSubject(
  db: Executor,
  subjectType: EthicsSubjectType,
  subjectId: string,
): Promise<CaseRecord[]> {
  const rows = await db
    .selectFrom('ethics_cases')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('referred_at')
    .orderBy('id')
    .execute();
  return rows.map(toCase);
}

/** Cases by due date (then id), optionally filtered; keyset after `(dueDate, id)`. */
export async function listCases(
  db: Executor,
  options: {
    status?: EthicsCaseStatus;
    subjectType?: EthicsSubjectType;
    subjectId?: string;
    after?: { dueDate: string; id: string };
    limit: number;
  },
): Promise<CaseRecord[]> {
  let query = db.selectFrom('ethics_cases').selectAll();
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  if (options.subjectType !== undefined) query = query.where('subject_type', '=', options.subjectType);
  if (options.subjectId !== undefined) query = query.where('subject_id', '=', options.subjectId);
  if (options.after !== undefined) {
    query = query.where(sql<boolean>`(due_date, id) > (${options.after.dueDate}, ${options.after.id}::uuid)`);
  }
  const rows = await query.orderBy('due_date').orderBy('id').limit(options.limit).execute();
  return rows.map(toCase);
}

// ----- declarations -----

export interface DeclarationRecord {
  id: string;
  caseId: string;
  memberId: string;
  memberName: string;
  conflictOfInterest: boolean;
  statement: string;
  declaredAt: Date;
}

export async function insertDeclaration(
  trx: Transaction<Database>,
  d: Omit<DeclarationRecord, 'memberName'>,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('ethics_declarations')
    .values({
      id: d.id,
      case_id: d.caseId,
      member_id: d.memberId,
      conflict_of_interest: d.conflictOfInterest,
      statement: d.statement,
      declared_at: d.declaredAt,
    })
    .onConflict((oc) => oc.columns(['case_id', 'member_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

function declarationQuery(db: Executor) {
  return db
    .selectFrom('ethics_declarations as d')
    .leftJoin('users as u', 'u.id', 'd.member_id')
    .select([
      'd.id',
      'd.case_id',
      'd.member_id',
      'd.conflict_of_interest',
      'd.statement',
      'd.declared_at',
      'u.name as member_name',
    ]);
}

type DeclarationRow = Awaited<ReturnType<ReturnType<typeof declarationQuery>['execute']>>[number];

function toDeclaration(row: DeclarationRow): DeclarationRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    memberId: row.member_id,
    memberName: row.member_name ?? '',
    conflictOfInterest: row.conflict_of_interest,
    statement: row.statement,
    declaredAt: new Date(row.declared_at),
  };
}

export async function findDeclaration(
  db: Executor,
  caseId: string,
  memberId: string,
): Promise<DeclarationRecord | undefined> {
  const row = await declarationQuery(db)
    .where('d.case_id', '=', caseId)
    .where('d.member_id', '=', memberId)
    .executeTakeFirst();
  return row === undefined ? undefined : toDeclaration(row);
}

export async function listDeclarations(db: Executor, caseId: string): Promise<DeclarationRecord[]> {
  const rows = await declarationQuery(db).where('d.case_id', '=', caseId).orderBy('d.declared_at').execute();
  return rows.map(toDeclaration);
}

/** A member's declarations on every case, newest first, with the case's subject. */
export async function listDeclarationsOfMember(
  db: Executor,
  memberId: string,
): Promise<Array<DeclarationRecord & { subjectType: EthicsSubjectType; subjectName: string; caseStatus: string }>> {
  const rows = await declarationQuery(db)
    .innerJoin('ethics_cases as c', 'c.id', 'd.case_id')
    .select(['c.subject_type', 'c.subject_name', 'c.status as case_status'])
    .where('d.member_id', '=', memberId)
    .orderBy('d.declared_at', 'desc')
    .orderBy('d.id', 'desc')
    .execute();
  return rows.map((row) => ({
    ...toDeclaration(row),
    subjectType: row.subject_type as EthicsSubjectType,
    subjectName: row.subject_name,
    caseStatus: row.case_status,
  }));
}

// ----- votes -----

export interface VoteRecord {
  id: string;
  caseId: string;
  memberId: string;
  memberName: string;
  vote: EthicsVote;
  comment: string;
  castAt: Date;
}

/** Inserts the vote; false when the member had voted already (the unique pair). */
export async function insertVote(trx: Transaction<Database>, v: Omit<VoteRecord, 'memberName'>): Promise<boolean> {
  const inserted = await trx
    .insertInto('ethics_votes')
    .values({
      id: v.id,
      case_id: v.caseId,
      member_id: v.memberId,
      vote: v.vote,
      comment: v.comment,
      cast_at: v.castAt,
    })
    .onConflict((oc) => oc.columns(['case_id', 'member_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listVotes(db: Executor, caseId: string): Promise<VoteRecord[]> {
  const rows = await db
    .selectFrom('ethics_votes as v')
    .leftJoin('users as u', 'u.id', 'v.member_id')
    .select(['v.id', 'v.case_id', 'v.member_id', 'v.vote', 'v.comment', 'v.cast_at', 'u.name as member_name'])
    .where('v.case_id', '=', caseId)
    .orderBy('v.cast_at')
    .orderBy('v.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    memberId: row.member_id,
    memberName: row.member_name ?? '',
    vote: row.vote as EthicsVote,
    comment: row.comment,
    castAt: new Date(row.cast_at),
  }));
}

// ----- members -----

export interface MemberRecord {
  id: string;
  name: string;
  email: string;
  roles: string[];
  active: boolean;
}

/** Users holding an ethics role (active or not), by name. */
export async function listMembers(db: Executor): Promise<MemberRecord[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'roles', 'status'])
    .where(sql<boolean>`(roles @> '["ethics_member"]'::jsonb OR roles @> '["ethics_secretary"]'::jsonb)`)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles,
    active: row.status === 'active',
  }));
}

/**
 * The eligible members of a case (API-CONTRACT-2 §3): every active `ethics_member` except
 * those who declared a conflict of interest on it.
 */
export async function countEligibleMembers(db: Executor, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'active')
    .where(sql<boolean>`roles @> '["ethics_member"]'::jsonb`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('ethics_declarations as d')
            .select('d.id')
            .whereRef('d.member_id', '=', 'users.id')
            .where('d.case_id', '=', caseId)
            .where('d.conflict_of_interest', '=', true),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ----- public opinions -----

export interface PublishedOpinionRow extends CaseRecord {
  providerName: string;
  providerNameEn: string | null;
  providerUscc: string;
}

export async function listPublishedOpinions(
  db: Executor,
  options: { after?: { decidedAt: string; id: string }; limit: number },
): Promise<PublishedOpinionRow[]> {
  let query = db
    .selectFrom('ethics_cases')
    .innerJoin('organizations', 'organizations.id', 'ethics_cases.organization_id')
    .selectAll('ethics_cases')
    .select([
      'organizations.name as provider_name',
      'organizations.name_en as provider_name_en',
      'organizations.uscc as provider_uscc',
    ])
    .where('ethics_cases.status', '=', 'decided');
  if (options.after !== undefined) {
    query = query.where(
      sql<boolean>`(ethics_cases.decided_at, ethics_cases.id) < (${options.after.decidedAt}::timestamptz, ${options.after.id}::uuid)`,
    );
  }
  const rows = await query
    .orderBy('ethics_cases.decided_at', 'desc')
    .orderBy('ethics_cases.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    ...toCase(row),
    providerName: row.provider_name,
    providerNameEn: row.provider_name_en,
    providerUscc: row.provider_uscc,
  }));
}

/** Open cases whose due date counted a year without an official calendar, locked. */
export async function lockOpenProvisionalCases(trx: Transaction<Database>): Promise<CaseRecord[]> {
  const rows = await trx
    .selectFrom('ethics_cases')
    .selectAll()
    .where('status', '=', 'open')
    .where('due_date_provisional', '=', true)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toCase);
}

export async function countOpenProvisionalCases(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('ethics_cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'open')
    .where('due_date_provisional', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
