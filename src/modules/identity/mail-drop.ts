import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { consume, type DeliveredEvent, type OutboxConsumer } from '../../platform/events.ts';
import { PasswordResetMail, RegistrationEmailTakenMail, RegistrationReceivedMail } from './events.ts';

/**
 * Development mail adapter: each message becomes a file in `<data dir>/mail/` (mode 0600),
 * never a log line — a reset token is a credential. A deployment replaces these consumers with
 * its mail service.
 */
function writeMail(deps: AppDeps, event: DeliveredEvent, to: string, subject: string, lines: readonly string[]): void {
  const dir = path.join(deps.config.dataDir, 'mail');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const body = [`To: ${to}`, `Subject: ${subject}`, '', ...lines, ''].join('\n');
  fs.writeFileSync(path.join(dir, `${event.createdAt.toISOString().replace(/[:.]/g, '-')}-${event.id}.txt`), body, {
    mode: 0o600,
  });
}

/** The reset token is scrubbed from the stored outbox event once delivered. */
async function deliverPasswordResetMail(
  deps: AppDeps,
  trx: Transaction<Database>,
  mail: ReturnType<typeof PasswordResetMail.parse>,
  event: DeliveredEvent,
) {
  writeMail(deps, event, mail.to, 'aigov 密码重置 / password reset', [
    `${mail.name}，您好 / Hello,`,
    '',
    `重置令牌 / reset token: ${mail.resetToken}`,
    `有效期 / valid for: ${mail.expiresInMinutes} min`,
  ]);
  await sql`UPDATE outbox_events SET payload = payload - 'resetToken' WHERE id = ${event.id}`.execute(trx);
}

/**
 * Neither registration mail carries free text a registrant typed (an organisation or person
 * name): anyone may register with anyone's address, and the regulator's mail must not carry
 * their words to it.
 */
function deliverRegistrationReceivedMail(
  deps: AppDeps,
  mail: ReturnType<typeof RegistrationReceivedMail.parse>,
  event: DeliveredEvent,
) {
  writeMail(deps, event, mail.to, 'aigov 机构注册已收到 / organisation registration received', [
    '您好 / Hello,',
    '',
    `您提交的机构注册（统一社会信用代码 ${mail.uscc}）已收到，正在等待监管部门核验。` +
      '现在即可登录；核验通过后可以登记产品并备案。',
    '',
    `Your organisation's registration (unified social credit code ${mail.uscc}) was received ` +
      'and awaits verification by the regulator. You can sign in now; once it is verified you can register ' +
      'products and file.',
  ]);
}

function deliverRegistrationEmailTakenMail(
  deps: AppDeps,
  mail: ReturnType<typeof RegistrationEmailTakenMail.parse>,
  event: DeliveredEvent,
) {
  writeMail(deps, event, mail.to, 'aigov 注册尝试 / registration attempt', [
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
  return Object.fromEntries([
    consume(PasswordResetMail, (trx, mail, event) => deliverPasswordResetMail(deps, trx, mail, event)),
    consume(RegistrationReceivedMail, async (_trx, mail, event) => deliverRegistrationReceivedMail(deps, mail, event)),
    consume(RegistrationEmailTakenMail, async (_trx, mail, event) =>
      deliverRegistrationEmailTakenMail(deps, mail, event),
    ),
  ]);
}
