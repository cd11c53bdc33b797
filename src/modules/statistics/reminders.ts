/**
 * Reminders before the due date: once per period, `REMINDER_DAYS` calendar days before its
 * due date (or on the first check after that, while the period is open), every organisation
 * expected to return (verified, with a product in the public register) and without a return
 * gets an in-app notification. The job checks hourly; the check itself is idempotent (the
 * period's `reminded_at` is set in the same transaction as the notifications).
 */
import type { FastifyBaseLogger } from 'fastify';
import { addCalendarDays } from '../../domain/civil-date.ts';
import { shanghaiDate } from '../../lib/calendar.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notify } from '../notifications/index.ts';
import { missingReturnOrganizations } from './service.ts';

export const REMINDER_DAYS = 7;
const CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** Sends the due reminders of every period that needs them now; returns how many organisations were reminded. */
export async function sendDueReminders(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  const today = shanghaiDate(deps.clock.now());
  const periods = await deps.db
    .selectFrom('statistics_periods')
    .selectAll()
    .where('published_at', 'is', null)
    .where('reminded_at', 'is', null)
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .execute();
  let reminded = 0;
  for (const candidate of periods) {
    if (addCalendarDays(candidate.due_date, -REMINDER_DAYS) > today) continue;
    reminded += await deps.db.transaction().execute(async (trx) => {
      const period = await trx
        .selectFrom('statistics_periods')
        .selectAll()
        .where('code', '=', candidate.code)
        .where('reminded_at', 'is', null)
        .where('published_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (period === undefined) return 0;
      const missing = await missingReturnOrganizations(trx, period.code);
      if (missing.length > 0) {
        await notify(
          trx,
          deps.clock,
          missing.map((organization) => ({
            target: { organizationId: organization.id },
            kind: 'statistics.return_due',
            titleZh: `请于 ${period.due_date} 前报送 ${period.title} 人工智能产业统计报表`,
            titleEn: `Your AI-industry statistics return for ${period.title_en} is due by ${period.due_date}`,
            link: `/statistics/returns/${period.code}`,
          })),
        );
      }
      await trx
        .updateTable('statistics_periods')
        .set({ reminded_at: deps.clock.now() })
        .where('code', '=', period.code)
        .execute();
      return missing.length;
    });
  }
  return reminded;
}

export function startReminderJob(deps: AppDeps, log: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sendDueReminders(deps).then(
      (count) => {
        if (count > 0) log.info({ count }, 'statistics return reminders sent');
      },
      (error: unknown) => log.error({ err: error }, 'statistics return reminders failed'),
    );
  };
  const timer = setInterval(tick, CHECK_INTERVAL_MS);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
