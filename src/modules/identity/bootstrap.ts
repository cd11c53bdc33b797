import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';
import { recordAudit } from '../../platform/audit.ts';
import { newId } from '../../platform/ids.ts';
import { ANONYMOUS } from '../../platform/principal.ts';
import { randomPassword } from './credentials.ts';
import { hashPassword } from './passwords.ts';
import * as repo from './repo.ts';

const BOOTSTRAP_LOCK = 7_100_002;
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

/**
 * First start: create the first regulator administrator when there is none — from
 * AIGOV_ADMIN_EMAIL/AIGOV_ADMIN_PASSWORD, or with a random password printed once and written
 * to `<data dir>/initial-admin-password` (mode 0600). Safe when several instances start at once.
 */
export async function ensureFirstAdministrator(
  deps: AppDeps,
  log: FastifyBaseLogger,
  out: NodeJS.WritableStream = process.stdout,
) {
  const created = await deps.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(trx);
    if (await repo.hasRegulatorAdmin(trx)) return undefined;
    const email = deps.config.adminEmail ?? 'admin@aigov.local';
    const generated = deps.config.adminPassword === undefined;
    const password = deps.config.adminPassword ?? randomPassword();
    const now = deps.clock.now();
    const user = {
      id: newId(),
      email,
      name: '平台管理员 Administrator',
      roles: ['regulator_admin' as const],
      organizationId: null,
      status: 'active' as const,
      createdAt: now,
      version: 1,
      passwordHash: await hashPassword(password),
      passwordChangedAt: now,
    };
    await repo.insertUser(trx, user);
    await recordAudit(
      trx,
      { principal: ANONYMOUS, requestId: null, clock: deps.clock },
      {
        action: 'user.bootstrapped',
        resourceType: 'user',
        resourceId: user.id,
        summary: { email, roles: user.roles, passwordSource: generated ? 'generated' : 'environment' },
      },
    );
    return { email, password, generated };
  });
  if (created === undefined) return;
  log.info({ email: created.email }, 'created the first regulator administrator');
  if (!created.generated) return;
  fs.mkdirSync(deps.config.dataDir, { recursive: true });
  const file = path.join(deps.config.dataDir, INITIAL_PASSWORD_FILE);
  fs.writeFileSync(file, `${created.email}\n${created.password}\n`, { mode: 0o600 });
  // Printed once to the console on purpose (not through the logger, which may ship logs elsewhere).
  out.write(
    `\n  First administrator: ${created.email}\n  Password: ${created.password}\n  (also in ${file}; change it after signing in)\n\n`,
  );
}
