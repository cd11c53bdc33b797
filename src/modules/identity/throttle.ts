import { sql } from 'kysely';
import type { AppDeps } from '../../platform/deps.ts';
import { tooManyRequests } from '../../platform/errors.ts';

/**
 * Failed-login throttling shared by every instance (OWASP authentication cheat sheet):
 * 5 failures for one account or 20 from one address within 15 minutes lock further
 * attempts for 15 minutes. The limits are deliberately in code, not config: they are policy.
 */
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;
export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 20;

function keys(email: string, ip: string) {
  return [
    { key: `account:${email.toLowerCase()}`, limit: ACCOUNT_LIMIT },
    { key: `address:${ip}`, limit: ADDRESS_LIMIT },
  ];
}

export async function assertNotThrottled(deps: AppDeps, email: string, ip: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const rows = await deps.db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until'])
    .where(
      'key',
      'in',
      keys(email, ip).map((k) => k.key),
    )
    .execute();
  const lockedUntil = Math.max(
    0,
    ...rows.map((row) => (row.locked_until === null ? 0 : new Date(row.locked_until).getTime())),
  );
  if (lockedUntil > now) {
    throw tooManyRequests((lockedUntil - now) / 1000, {
      detail: { zh: '登录失败次数过多，请稍后再试', en: 'Too many failed sign-ins; try again later' },
    });
  }
}

export async function recordLoginFailure(deps: AppDeps, email: string, ip: string): Promise<void> {
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  for (const { key, limit } of keys(email, ip)) {
    // One statement per key: a fresh window resets the count, otherwise it grows; reaching the limit locks.
    await sql`
      INSERT INTO login_throttle (key, failures, window_started_at, locked_until)
      VALUES (${key}, 1, ${now}, NULL)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_started_at < ${windowStart} THEN 1 ELSE login_throttle.failures + 1 END,
        window_started_at = CASE WHEN login_throttle.window_started_at < ${windowStart} THEN ${now} ELSE login_throttle.window_started_at END,
        locked_until = CASE
          WHEN login_throttle.window_started_at >= ${windowStart} AND login_throttle.failures + 1 >= ${limit}
          THEN ${new Date(now.getTime() + LOCK_MS)} ELSE login_throttle.locked_until END
    `.execute(deps.db);
  }
}

export async function clearAccountFailures(deps: AppDeps, email: string): Promise<void> {
  await deps.db.deleteFrom('login_throttle').where('key', '=', `account:${email.toLowerCase()}`).execute();
}
