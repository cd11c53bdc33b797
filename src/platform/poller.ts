import type { FastifyBaseLogger } from 'fastify';

export interface PollerTiming {
  /** Between polls while work keeps coming. */
  busyMs: number;
  /** The longest pause while there is none (work from other processes waits this long at most). */
  idleMs: number;
  /** After this process writes work: long enough for its transaction to commit. */
  wakeMs: number;
}

/** The pause before the next poll: back to `busyMs` after work, doubling towards `idleMs` without. */
export function nextPollDelay(previousMs: number, processed: number, timing: PollerTiming): number {
  return processed > 0 ? timing.busyMs : Math.min(timing.idleMs, Math.max(timing.busyMs, previousMs * 2));
}

export interface PollerOptions {
  /** One poll: does the work there is and says how much it did (> 0 keeps the busy pace). */
  poll: () => Promise<number>;
  /** Registers the wake-up: called when this process writes work; returns the unsubscribe. */
  subscribe: (wake: () => void) => () => void;
  timing: PollerTiming;
  log: FastifyBaseLogger;
  /** Logged when a poll fails (the next one still comes). */
  failure: string;
}

/**
 * A background poll of the database that backs off while idle and wakes early on this
 * process's own writes (the outbox worker, the audit sequencer). Work written by other
 * processes (the CLI, other instances on PostgreSQL) is found within `idleMs`. Returns a stop
 * function that waits for the current poll.
 */
export function startPoller(options: PollerOptions): () => Promise<void> {
  const { poll, timing, log } = options;
  let stopped = false;
  let polling = false;
  let wokenWhilePolling = false;
  let delay = timing.busyMs;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let dueAt = 0;
  const schedule = (ms: number) => {
    if (timer !== undefined) clearTimeout(timer);
    dueAt = performance.now() + ms;
    timer = setTimeout(tick, ms);
  };
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    polling = true;
    wokenWhilePolling = false;
    current = poll()
      .then(
        (processed) => (delay = nextPollDelay(delay, processed, timing)),
        (error: unknown) => log.error({ err: error }, options.failure),
      )
      .finally(() => {
        polling = false;
        if (!stopped) schedule(wokenWhilePolling ? timing.wakeMs : delay);
      });
  };
  const unsubscribe = options.subscribe(() => {
    if (stopped) return;
    // If the transaction has not committed when the poll runs, the next one comes soon.
    delay = timing.busyMs;
    if (polling) wokenWhilePolling = true;
    // Only ever brought forward: a stream of writes must not keep pushing the poll back.
    else if (timer === undefined || dueAt > performance.now() + timing.wakeMs) schedule(timing.wakeMs);
  });
  tick();
  return async () => {
    stopped = true;
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
    await current;
  };
}
