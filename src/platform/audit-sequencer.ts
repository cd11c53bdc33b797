import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { onAuditRecorded, tryChainPendingAuditEvents } from './audit.ts';
import { startPoller, type PollerTiming } from './poller.ts';

/**
 * Chaining costs a transaction of six statements however many rows it chains, so the
 * sequencer gathers rows for a moment rather than chase every write: 100 ms after this
 * process records a row (under a stream of writes: a pass every ≈ 100 ms), every 250 ms while
 * rows keep coming, backing off to 2 s while none do (rows of other instances and the CLI
 * are chained by their own sequencer, or within that idle interval).
 */
export const DEFAULT_SEQUENCER_TIMING: PollerTiming = { busyMs: 250, idleMs: 2000, wakeMs: 100 };

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
