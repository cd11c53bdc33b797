/**
 * E-mail by SMTP (API-CONTRACT-2 §7): with `AIGOV_SMTP_URL` set, this module sends the
 * identity module's mails (password reset, registration) and a mail for every in-app
 * notification to each addressee; unset, the identity module's file drop keeps writing files
 * into the data dir as before and notifications are not mailed.
 *
 * Identity mails are sent by outbox consumers (a failed send throws: the event is retried
 * with the outbox's backoff; the stable Message-ID lets a mail client fold a repeat). In-app
 * notifications are not outbox events, so a background job mails the ones created since SMTP
 * was first turned on, each in a transaction that marks it mailed (`notification_mails`) —
 * a failed send rolls the mark back and the notification is tried again at the next poll.
 */
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  notificationMail,
  passwordResetMail,
  registrationEmailTakenMail,
  registrationReceivedMail,
} from '../../lib/email-templates.ts';
import { createMailSender, defaultMailFrom, type MailSender } from '../../lib/email-transport.ts';
import { createFileDropMailSender } from '../../lib/mail-drop-files.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { consume, type OutboxConsumer } from '../../platform/events.ts';
import { startPoller } from '../../platform/poller.ts';
import { PasswordResetMail, RegistrationEmailTakenMail, RegistrationReceivedMail } from '../identity/index.ts';

const senders = new WeakMap<AppDeps['config'], MailSender>();

/** The SMTP sender (or the file drop without `AIGOV_SMTP_URL`), one per configuration. */
export function mailSenderOf(deps: AppDeps): MailSender {
  let sender = senders.get(deps.config);
  if (sender === undefined) {
    sender = createMailSender({
      smtpUrl: deps.config.smtpUrl,
      from: deps.config.smtpFrom ?? defaultMailFrom(deps.config.publicUrl),
      fallback: () => createFileDropMailSender(path.join(deps.config.dataDir, 'mail'), deps.clock),
    });
    senders.set(deps.config, sender);
  }
  return sender;
}

/** A Message-ID-safe id from a UUID and a suffix. */
function mailId(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_-]/g, '');
}

/** Consumers of the identity module's mail events, by SMTP. Only registered with `AIGOV_SMTP_URL`. */
export function smtpMailConsumers(deps: AppDeps): Record<string, OutboxConsumer> {
  const context = { publicUrl: deps.config.publicUrl };
  return Object.fromEntries([
    consume(PasswordResetMail, async (trx, mail, event) => {
      await mailSenderOf(deps).send({
        id: mailId(event.id),
        to: mail.to,
        date: deps.clock.now(),
        ...passwordResetMail(mail, context),
      });
      // The token is a credential: it does not stay in the outbox once sent.
      await sql`UPDATE outbox_events SET payload = payload - 'resetToken' WHERE id = ${event.id}`.execute(trx);
    }),
    consume(RegistrationReceivedMail, async (_trx, mail, event) => {
      await mailSenderOf(deps).send({
        id: mailId(event.id),
        to: mail.to,
        date: deps.clock.now(),
        ...registrationReceivedMail(mail, context),
      });
    }),
    consume(RegistrationEmailTakenMail, async (_trx, mail, event) => {
      await mailSenderOf(deps).send({
        id: mailId(event.id),
        to: mail.to,
        date: deps.clock.now(),
        ...registrationEmailTakenMail(context),
      });
    }),
  ]);
}

const MAIL_SINCE_KEY = 'notification_mail_since';

/** Notifications created before SMTP was first configured are not mailed (no flood of old news). */
export async function ensureNotificationMailStart(deps: AppDeps): Promise<void> {
  await deps.db
    .insertInto('integration_settings')
    .values({
      key: MAIL_SINCE_KEY,
      value: JSON.stringify(deps.clock.now().toISOString()),
      updated_at: deps.clock.now(),
      updated_by: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

interface PendingNotification {
  id: string;
  user_id: string | null;
  organization_id: string | null;
  role: string | null;
  title_zh: string;
  title_en: string;
  link: string | null;
}

/** Active users a notification is addressed to (the notifications module's targeting rules). */
async function recipientsOf(trx: Transaction<Database>, n: PendingNotification): Promise<string[]> {
  let query = trx.selectFrom('users').select('email').where('status', '=', 'active');
  if (n.user_id !== null) query = query.where('id', '=', n.user_id);
  else if (n.organization_id !== null) {
    query = query.where('organization_id', '=', n.organization_id);
    if (n.role !== null) query = query.where(sql<boolean>`roles @> ${JSON.stringify([n.role])}::jsonb`);
  } else if (n.role !== null) {
    query = query.where(sql<boolean>`roles @> ${JSON.stringify([n.role])}::jsonb`);
  } else return [];
  return (await query.execute()).map((row) => row.email);
}

/** Mails up to `limit` notifications not mailed yet; returns how many were handled. */
export async function mailNotifications(deps: AppDeps, limit = 20): Promise<number> {
  const since = await deps.db
    .selectFrom('integration_settings')
    .select('value')
    .where('key', '=', MAIL_SINCE_KEY)
    .executeTakeFirst();
  if (since === undefined) return 0;
  const sinceAt = new Date(String(since.value));
  let handled = 0;
  for (let i = 0; i < limit; i++) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const result = await sql<PendingNotification>`
        SELECT n.id, n.user_id, n.organization_id, n.role, n.title_zh, n.title_en, n.link
          FROM notifications n
         WHERE n.created_at >= ${sinceAt}
           AND NOT EXISTS (SELECT 1 FROM notification_mails m WHERE m.notification_id = n.id)
         ORDER BY n.id
         LIMIT 1
         FOR UPDATE OF n SKIP LOCKED`.execute(trx);
      const n = result.rows[0];
      if (n === undefined) return false;
      const recipients = await recipientsOf(trx, n);
      const rendered = notificationMail(
        { titleZh: n.title_zh, titleEn: n.title_en, link: n.link },
        { publicUrl: deps.config.publicUrl },
      );
      for (const [index, to] of recipients.entries()) {
        await mailSenderOf(deps).send({ id: mailId(n.id, String(index)), to, date: deps.clock.now(), ...rendered });
      }
      await trx
        .insertInto('notification_mails')
        .values({ notification_id: n.id, recipients: recipients.length, mailed_at: deps.clock.now() })
        .execute();
      return true;
    });
    if (!done) break;
    handled++;
  }
  return handled;
}

/** The background notification mailer (only with `AIGOV_SMTP_URL`). */
export function startNotificationMailer(deps: AppDeps, log: FastifyBaseLogger): () => Promise<void> {
  return startPoller({
    poll: () => mailNotifications(deps),
    subscribe: () => () => undefined,
    timing: { busyMs: 250, idleMs: 5000, wakeMs: 25 },
    log,
    failure: 'mailing notifications failed',
  });
}
