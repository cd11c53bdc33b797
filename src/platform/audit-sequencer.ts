import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { onAuditRecorded, tryChainPendingAuditEvents } from './audit.ts';
import { startPoller, type PollerTiming } from './poller.ts';

/**
 * Chaining is cheap (a hash per row, one UPDATE per batch), so the sequencer keeps close
 * behind the writes: 25 ms after this process records a row, every 100 ms while rows keep
 * coming, backing off to 2 s while none do (rows of other instances and the CLI are chained
 * by their own sequencer, or within that idle interval).
 */
export const DEFAULT_SEQUENCER_TIMING: PollerTiming = { busyMs: 100, idleMs: 2000, wakeMs: 25 };

/**
 * The server's audit sequencer: chains pending audit rows in the background. When another
 * instance's sequencer holds the lock it gives way and comes back at the busy pace. Stopping
 * waits for the current pass and chains what is still pending once more (a clean shutdown
 * leaves nothing pending that it can see); rows left by a crash are chained on the next start.
 */
export function startAuditSequencer(
  db: Kysely<Database>,
  log: FastifyBaseLogger,
  timing: PollerTiming = DEFAULT_SEQUENCER_TIMING,
): () => Promise<void> {
  const stop = startPoller({
    poll: async () => (await tryChainPendingAuditEvents(db)) ?? 1,
    subscribe: onAuditRecorded,
    timing,
    log,
    failure: 'audit sequencer failed',
  });
  return async () => {
    await stop();
    await tryChainPendingAuditEvents(db).catch((error: unknown) =>
      log.error({ err: error }, 'audit sequencer failed at shutdown'),
    );
  };
}
