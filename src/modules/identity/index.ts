import type { AppModule } from '../../platform/module.ts';
import type { Executor } from './repo.ts';
import { findOrganizationById, findUserById } from './repo.ts';
import type { Role } from '../../platform/principal.ts';
import { installAuthentication } from './authentication.ts';
import { ensureFirstAdministrator } from './bootstrap.ts';
import { mailConsumers } from './mail-drop.ts';
import { identityRoutes } from './routes.ts';
import { registerIdentityTitles } from './titles.ts';

export type { Organization, OrganizationType, User } from './repo.ts';
export { createStaffUser, decideOrganizationVerification, registerOrganization } from './service.ts';
export { login } from './session-service.ts';
export { firstRegulatorAdministrator, principalOfToken } from './authentication.ts';
export { PasswordResetMail, RegistrationEmailTakenMail, RegistrationReceivedMail } from './events.ts';
export { startStaffSsoSession, type LoginResult } from './session-service.ts';
export { SESSION_COOKIE } from './authentication.ts';

/** Identity: organisations, users, sessions, tokens. Installs authentication for the whole app. */
export const identityModule: AppModule = {
  name: 'identity',
  async routes(app, deps) {
    registerIdentityTitles();
    installAuthentication(app, deps);
    await identityRoutes(app, deps);
  },
  startup: (deps, log) => ensureFirstAdministrator(deps, log),
  // With AIGOV_SMTP_URL the integrations module sends these mails by SMTP instead of the file drop.
  outboxConsumers: (deps) => (deps.config.smtpUrl === undefined ? mailConsumers(deps) : {}),
};

export interface OrganizationSummary {
  id: string;
  name: string;
  nameEn: string | null;
  uscc: string;
  type: string;
  status: string;
}

/** For other modules (filings, register): an organisation's public facts, no authorization. */
export async function getOrganizationSummary(db: Executor, id: string): Promise<OrganizationSummary | undefined> {
  const org = await findOrganizationById(db, id);
  return org === undefined
    ? undefined
    : { id: org.id, name: org.name, nameEn: org.nameEn, uscc: org.uscc, type: org.type, status: org.status };
}

export interface UserSummary {
  id: string;
  name: string;
  roles: Role[];
  organizationId: string | null;
  isActive: boolean;
}

/** For other modules (e.g. assigning a filing to a reviewer): a user's role facts, no secrets, no authorization. */
export async function getUserSummary(db: Executor, id: string): Promise<UserSummary | undefined> {
  const user = await findUserById(db, id);
  return user === undefined
    ? undefined
    : {
        id: user.id,
        name: user.name,
        roles: user.roles,
        organizationId: user.organizationId,
        isActive: user.status === 'active',
      };
}
