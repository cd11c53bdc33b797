import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { DeliveredEvent, OutboxConsumer } from '../../platform/outbox-worker.ts';

/** Outbox topics of the identity module's e-mails. */
export const PASSWORD_RESET_MAIL = 'mail.password_reset';
/** To a registrant: the registration arrived and awaits the regulator's verification. */
export const REGISTRATION_RECEIVED_MAIL = 'mail.registration_received';
/** To an account's owner: someone tried to register with the address (the API answered as for a new one). */
export const REGISTRATION_EMAIL_TAKEN_MAIL = 'mail.registration_email_taken';

/**
 * Development mail adapter: each message becomes a file in `<data dir>/mail/` (mode 0600),
 * never a log line — a reset token is a credential. A deployment replaces these consumers with
 * its mail service.
 */
function writeMail(deps: AppDeps, event: DeliveredEvent, subject: string, lines: readonly string[]): void {
  const dir = path.join(deps.config.dataDir, 'mail');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const body = [`To: ${String(event.payload.to)}`, `Subject: ${subject}`, '', ...lines, ''].join('\n');
  fs.writeFileSync(path.join(dir, `${event.createdAt.toISOString().replace(/[:.]/g, '-')}-${event.id}.txt`), body, {
    mode: 0o600,
  });
}

/** The reset token is scrubbed from the stored outbox event once delivered. */
async function deliverPasswordResetMail(deps: AppDeps, trx: Transaction<Database>, event: DeliveredEvent) {
  writeMail(deps, event, 'aigov 密码重置 / password reset', [
    `${String(event.payload.name)}，您好 / Hello,`,
    '',
    `重置令牌 / reset token: ${String(event.payload.resetToken)}`,
    `有效期 / valid for: ${String(event.payload.expiresInMinutes)} min`,
  ]);
  await sql`UPDATE outbox_events SET payload = payload - 'resetToken' WHERE id = ${event.id}`.execute(trx);
}

/**
 * Neither registration mail carries free text a registrant typed (an organisation or person
 * name): anyone may register with anyone's address, and the regulator's mail must not carry
 * their words to it.
 */
function deliverRegistrationReceivedMail(deps: AppDeps, event: DeliveredEvent) {
  writeMail(deps, event, 'aigov 机构注册已收到 / organisation registration received', [
    '您好 / Hello,',
    '',
    `您提交的机构注册（统一社会信用代码 ${String(event.payload.uscc)}）已收到，正在等待监管部门核验。` +
      '现在即可登录；核验通过后可以登记产品并备案。',
    '',
    `Your organisation's registration (unified social credit code ${String(event.payload.uscc)}) was received ` +
      'and awaits verification by the regulator. You can sign in now; once it is verified you can register ' +
      'products and file.',
  ]);
}

function deliverRegistrationEmailTakenMail(deps: AppDeps, event: DeliveredEvent) {
  writeMail(deps, event, 'aigov 注册尝试 / registration attempt', [
    '您好 / Hello,',
    '',
    '有人尝试用此邮箱地址注册新机构。此邮箱已有账户，因此没有创建任何注册。' +
      '如果是您本人：请直接登录，忘记密码可在登录页重置。如果不是您：无需处理，您的账户未受影响。',
    '',
    'Someone tried to register an organisation with this e-mail address. This address already has an account, ' +
      'so no registration was created. If that was you, sign in instead (forgotten your password? reset it from ' +
      'the sign-in page). If it was not you, there is nothing to do: your account is unchanged.',
  ]);
}

export function mailConsumers(deps: AppDeps): Record<string, OutboxConsumer> {
  return {
    [PASSWORD_RESET_MAIL]: (trx, event) => deliverPasswordResetMail(deps, trx, event),
    [REGISTRATION_RECEIVED_MAIL]: async (_trx, event) => deliverRegistrationReceivedMail(deps, event),
    [REGISTRATION_EMAIL_TAKEN_MAIL]: async (_trx, event) => deliverRegistrationEmailTakenMail(deps, event),
  };
}
