import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { DeliveredEvent } from '../../platform/outbox-worker.ts';

/**
 * Development mail adapter: each message becomes a file in `<data dir>/mail/` (mode 0600),
 * never a log line — a reset token is a credential. A deployment replaces this consumer with
 * its mail service. Once delivered, the token is scrubbed from the stored outbox event.
 */
export async function deliverPasswordResetMail(deps: AppDeps, trx: Transaction<Database>, event: DeliveredEvent) {
  const dir = path.join(deps.config.dataDir, 'mail');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const to = String(event.payload.to);
  const body = [
    `To: ${to}`,
    'Subject: aigov 密码重置 / password reset',
    '',
    `${String(event.payload.name)}，您好 / Hello,`,
    '',
    `重置令牌 / reset token: ${String(event.payload.resetToken)}`,
    `有效期 / valid for: ${String(event.payload.expiresInMinutes)} min`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, `${event.createdAt.toISOString().replace(/[:.]/g, '-')}-${event.id}.txt`), body, {
    mode: 0o600,
  });
  await sql`UPDATE outbox_events SET payload = payload - 'resetToken' WHERE id = ${event.id}`.execute(trx);
}
