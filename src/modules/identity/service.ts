import type { AppDeps } from '../../platform/deps.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import { conflict, found, unprocessable } from '../../platform/errors.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import {
  OrganizationRegistered,
  OrganizationVerificationDecided,
  RegistrationEmailTakenMail,
  RegistrationReceivedMail,
} from './events.ts';
import { newId } from '../../platform/ids.ts';
import { requireUser, type OrganizationRole, type RegulatorRole } from '../../platform/principal.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { validateUscc } from '../../lib/uscc.ts';
import { assertStrongPassword, hashPassword } from './passwords.ts';
import * as repo from './repo.ts';
import type { Organization, OrganizationType, User } from './repo.ts';

export interface RegistrationInput {
  organization: { name: string; nameEn?: string; uscc: string; type: OrganizationType };
  admin: { email: string; name: string; password: string };
}

const USCC_PROBLEM_TEXT = {
  zh: '统一社会信用代码无效（GB 32100-2015）',
  en: 'Invalid unified social credit code (GB 32100-2015)',
};

function organizationResource(id: string) {
  return { type: 'organization', id, organizationId: id };
}

async function assertEmailFree(deps: AppDeps, email: string, pointer: string): Promise<void> {
  if ((await repo.findUserByEmail(deps.db, email)) !== undefined) {
    throw conflict('email_taken', {
      detail: { zh: '该邮箱已注册', en: 'This email address is already registered' },
      errors: [{ pointer, message: { zh: '已注册', en: 'already registered' } }],
    });
  }
}

/** A unique index refused the insert (SQLSTATE 23505), e.g. two requests raced past a check. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

function usccTaken() {
  return conflict('uscc_taken', {
    detail: { zh: '该统一社会信用代码已注册', en: 'This unified social credit code is already registered' },
    errors: [{ pointer: '/organization/uscc', message: { zh: '该统一社会信用代码已注册', en: 'already registered' } }],
  });
}

export interface RegistrationReceipt {
  organizationId: string;
  status: 'pending';
}

/**
 * Self-registration: a pending organisation and its first org_admin, in one transaction.
 * The regulator verifies the organisation before it may file.
 *
 * A taken unified social credit code answers 409 (API contract: a USCC is public, printed on
 * every business licence). A taken e-mail address does NOT: answering so would tell anyone
 * which addresses have accounts (OWASP Authentication Cheat Sheet, account enumeration).
 * Instead the answer is the one a new address gets — 201, `{organizationId, status:
 * "pending"}` with a fresh id that names nothing, after the same argon2 hashing — and the
 * address's owner is told by e-mail. Nothing else is written: no organisation, no user, no
 * audit event (nothing changed). A genuine registration also sends its registrant a mail,
 * so both cases end the same way for the person registering: "check your inbox".
 */
export async function registerOrganization(
  deps: AppDeps,
  context: RequestContext,
  input: RegistrationInput,
): Promise<RegistrationReceipt> {
  assertCan(context.principal, 'registrations.create', systemResource('registration'));
  const uscc = validateUscc(input.organization.uscc);
  if (!uscc.valid) {
    throw unprocessable('invalid_uscc', {
      detail: USCC_PROBLEM_TEXT,
      errors: [
        {
          pointer: '/organization/uscc',
          message: `${context.language === 'en' ? USCC_PROBLEM_TEXT.en : USCC_PROBLEM_TEXT.zh} (${uscc.reason})`,
        },
      ],
    });
  }
  assertStrongPassword(
    input.admin.password,
    { email: input.admin.email, name: input.admin.name },
    '/admin/password',
    context.language,
  );
  if ((await repo.findOrganizationByUscc(deps.db, uscc.normalized)) !== undefined) throw usccTaken();
  // Hashed before the e-mail is looked at: a taken address costs the same argon2 work.
  const passwordHash = await hashPassword(input.admin.password);
  const owner = await repo.findUserByEmail(deps.db, input.admin.email);
  if (owner !== undefined) return answerTakenEmail(deps, owner);
  const now = deps.clock.now();
  const organization: Organization = {
    id: newId(),
    name: input.organization.name.trim(),
    nameEn: input.organization.nameEn?.trim() ?? null,
    uscc: uscc.normalized,
    type: input.organization.type,
    status: 'pending',
    statusReason: null,
    decidedAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const adminId = newId();
  const adminEmail = input.admin.email.trim();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertOrganization(trx, organization);
      await repo.insertUser(trx, {
        id: adminId,
        email: adminEmail,
        name: input.admin.name.trim(),
        roles: ['org_admin'],
        organizationId: organization.id,
        status: 'active',
        createdAt: now,
        version: 1,
        passwordHash,
        passwordChangedAt: now,
      });
      const audit = auditContext(context, deps.clock);
      await recordAudit(trx, audit, {
        action: 'organization.registered',
        resourceType: 'organization',
        resourceId: organization.id,
        organizationId: organization.id,
        summary: {
          after: { name: organization.name, uscc: organization.uscc, type: organization.type, status: 'pending' },
          adminUserId: adminId,
        },
      });
      await enqueueEvent(trx, deps.clock, OrganizationRegistered, organization.id, {
        organizationId: organization.id,
        name: organization.name,
      });
      await enqueueEvent(trx, deps.clock, RegistrationReceivedMail, adminId, {
        to: adminEmail,
        uscc: organization.uscc,
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent registration got in between our checks and the insert: answer as the
    // checks would have, USCC first.
    if ((await repo.findOrganizationByUscc(deps.db, uscc.normalized)) !== undefined) throw usccTaken();
    const winner = await repo.findUserByEmail(deps.db, input.admin.email);
    if (winner !== undefined) return answerTakenEmail(deps, winner);
    throw error;
  }
  return { organizationId: organization.id, status: 'pending' };
}

/** The answer to a registration whose e-mail already has an account: see registerOrganization. */
async function answerTakenEmail(deps: AppDeps, owner: User): Promise<RegistrationReceipt> {
  await deps.db.transaction().execute(async (trx) => {
    // The stored address, not the one typed in; nothing the other registrant chose is mailed.
    await enqueueEvent(trx, deps.clock, RegistrationEmailTakenMail, owner.id, { to: owner.email });
  });
  return { organizationId: newId(), status: 'pending' };
}

/** The regulator verifies or rejects a registered organisation, with reasons for a rejection. */
export async function decideOrganizationVerification(
  deps: AppDeps,
  context: RequestContext,
  input: { organizationId: string; decision: 'verified' | 'rejected'; reason?: string },
): Promise<Organization> {
  const { organizationId } = input;
  assertCan(context.principal, 'organizations.verify', organizationResource(organizationId));
  const actor = requireUser(context.principal);
  if (input.decision === 'rejected' && (input.reason === undefined || input.reason.trim() === '')) {
    throw unprocessable('reason_required', {
      detail: { zh: '驳回须说明理由', en: 'A rejection needs a reason' },
      errors: [{ pointer: '/reason', message: { zh: '不予通过时须说明理由', en: 'required when rejecting' } }],
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const before = found(await repo.lockOrganizationById(trx, organizationId));
    if (before.status === input.decision) {
      throw conflict('illegal_transition', {
        detail: { zh: `机构已是 ${before.status} 状态`, en: `The organisation is already ${before.status}` },
        extensions: { currentStatus: before.status },
      });
    }
    const after = await repo.updateOrganizationStatus(trx, organizationId, {
      status: input.decision,
      reason: input.reason?.trim() ?? null,
      decidedAt: deps.clock.now(),
      decidedBy: actor.userId,
    });
    await recordAudit(trx, auditContext(context, deps.clock), {
      action: `organization.${input.decision}`,
      resourceType: 'organization',
      resourceId: organizationId,
      organizationId,
      summary: { before: { status: before.status }, after: { status: after.status }, reason: after.statusReason },
    });
    await enqueueEvent(trx, deps.clock, OrganizationVerificationDecided[input.decision], organizationId, {
      organizationId,
      status: after.status,
    });
    return after;
  });
}

export async function getOrganization(
  deps: AppDeps,
  context: RequestContext,
  input: { id: string },
): Promise<Organization> {
  const { id } = input;
  const organization = await repo.findOrganizationById(deps.db, id);
  assertCan(context.principal, 'organizations.read', organizationResource(id));
  return found(organization);
}

export async function listOrganizations(
  deps: AppDeps,
  context: RequestContext,
  filter: { status?: Organization['status']; afterId?: string; limit: number },
) {
  assertCan(context.principal, 'organizations.list', systemResource('organization'));
  return repo.listOrganizations(deps.db, filter);
}

async function createUser(
  deps: AppDeps,
  context: RequestContext,
  input: {
    email: string;
    name: string;
    password: string;
    roles: (OrganizationRole | RegulatorRole)[];
    organizationId: string | null;
  },
): Promise<User> {
  assertStrongPassword(input.password, { email: input.email, name: input.name }, '/password', context.language);
  await assertEmailFree(deps, input.email, '/email');
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const user = {
    id: newId(),
    email: input.email.trim(),
    name: input.name.trim(),
    roles: input.roles,
    organizationId: input.organizationId,
    status: 'active' as const,
    createdAt: now,
    version: 1,
    passwordHash,
    passwordChangedAt: now,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertUser(trx, user);
      await recordAudit(trx, auditContext(context, deps.clock), {
        action: 'user.created',
        resourceType: 'user',
        resourceId: user.id,
        organizationId: user.organizationId,
        summary: { after: { email: user.email, roles: user.roles, organizationId: user.organizationId } },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict('email_taken', { detail: { zh: '该邮箱已注册', en: 'Email already registered' } });
    throw error;
  }
  return repo.withoutSecret(user);
}

/** An org admin (or a regulator admin) adds a member to the organisation. */
export async function addOrganizationUser(
  deps: AppDeps,
  context: RequestContext,
  input: { organizationId: string; email: string; name: string; role: OrganizationRole; password: string },
): Promise<User> {
  const { organizationId } = input;
  assertCan(context.principal, 'organizations.users.create', organizationResource(organizationId));
  found(await repo.findOrganizationById(deps.db, organizationId));
  return createUser(deps, context, { ...input, roles: [input.role], organizationId });
}

export async function listOrganizationUsers(
  deps: AppDeps,
  context: RequestContext,
  input: { organizationId: string; afterId?: string; limit: number },
) {
  const { organizationId, ...page } = input;
  assertCan(context.principal, 'organizations.users.list', organizationResource(organizationId));
  found(await repo.findOrganizationById(deps.db, organizationId));
  return repo.listUsers(deps.db, { organizationId, ...page });
}

/** A regulator admin creates staff: reviewers, committee members, stewards… (no organisation). */
export async function createStaffUser(
  deps: AppDeps,
  context: RequestContext,
  input: { email: string; name: string; roles: RegulatorRole[]; password: string },
): Promise<User> {
  assertCan(context.principal, 'users.create', systemResource('user'));
  return createUser(deps, context, { ...input, organizationId: null });
}

export async function listStaffAndUsers(
  deps: AppDeps,
  context: RequestContext,
  page: { afterId?: string; limit: number },
) {
  assertCan(context.principal, 'users.list', systemResource('user'));
  return repo.listUsers(deps.db, page);
}
