/**
 * Load-test data for the public register and the transparency log: synthetic decisions of
 * providers that have no organisation, account or filing here (benchmarks; `aigov demo
 * --products N`). A demonstration install is seeded by {@link seedDemo} instead.
 */
import { DecisionPublished } from '../../modules/filings/index.ts';
import { outboxConsumers } from '../../modules/index.ts';
import { publishDecisions, type DecisionToPublish } from '../../modules/register/index.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { drainOutbox } from '../../platform/outbox-worker.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { generateDemoDecisions } from './register-data.ts';

/** Above this many products the fill publishes in bulk batches instead of one event each. */
export const OUTBOX_DEFAULT_LIMIT = 2000;

export interface RegisterFill {
  published: number;
  seconds: number;
}

/**
 * Fills the register and the transparency log with realistic decisions. Small runs go
 * through the outbox and the register's own consumer (one event, one transaction each —
 * exactly what a decision from the filings module does); large runs (benchmarks) call the
 * same publishDecisions in batches, so one transaction appends thousands of leaves and signs
 * one checkpoint.
 */
export async function fillRegister(
  deps: AppDeps,
  options: { products: number; seed?: number; via?: 'outbox' | 'bulk'; batch?: number },
  progress?: (done: number) => void,
): Promise<RegisterFill> {
  const started = performance.now();
  const via = options.via ?? (options.products <= OUTBOX_DEFAULT_LIMIT ? 'outbox' : 'bulk');
  const batch = options.batch ?? 5000;
  const chunk = via === 'outbox' ? 500 : batch;
  let published = 0;
  for (let start = 0; start < options.products; start += chunk) {
    const count = Math.min(chunk, options.products - start);
    // One seed per chunk, so a large run never holds all decisions in memory at once.
    const decisions = generateDemoDecisions(count, {
      seed: (options.seed ?? 1) * 1_000_003 + start,
      now: deps.clock.now(),
    });
    if (via === 'outbox') await publishThroughOutbox(deps, decisions);
    else await deps.db.transaction().execute((trx) => publishDecisions(trx, deps, decisions));
    published += count;
    progress?.(published);
  }
  return { published, seconds: (performance.now() - started) / 1000 };
}

async function publishThroughOutbox(deps: AppDeps, decisions: readonly DecisionToPublish[]): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    for (const { payload } of decisions) {
      await enqueueEvent(trx, deps.clock, DecisionPublished, payload.filingId, payload);
    }
  });
  await drainOutbox(deps.db, deps.clock, outboxConsumers(deps));
}
