import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { outboxConsumers } from '../modules/index.ts';
import { DecisionPublished } from '../modules/filings/index.ts';
import { generateDemoDecisions, publishDecisions, type DecisionToPublish } from '../modules/register/index.ts';
import { clockOf, type Clock } from '../platform/clock.ts';
import type { AppDeps } from '../platform/deps.ts';
import { drainOutbox } from '../platform/outbox-worker.ts';
import { enqueueEvent } from '../platform/outbox.ts';
import type { Command } from './command.ts';

const USAGE =
  'usage: aigov demo [--products N] [--seed S] [--via outbox|bulk] [--batch B]\n' +
  '  --products  how many public decisions to generate (default 200, at most 2,000,000)\n' +
  '  --via       outbox: enqueue register.decision_published events and let the real consumer\n' +
  '              publish them (default up to 2,000); bulk: publish batches directly (default above)\n' +
  '  --batch     decisions per transaction in bulk mode (default 5,000)\n';

/** Above this many products the demo publishes in bulk batches instead of one event each. */
const OUTBOX_DEFAULT_LIMIT = 2000;

export interface DemoRun {
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
export async function runDemo(
  deps: AppDeps,
  options: { products: number; seed?: number; via?: 'outbox' | 'bulk'; batch?: number },
  progress?: (done: number) => void,
): Promise<DemoRun> {
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

function depsFor(config: Config, db: Kysely<Database>, kind: AppDeps['dbKind'], clock: Clock): AppDeps {
  return { config, db, dbKind: kind, clock };
}

export const demoCommand: Command = {
  summary: 'demo [--products N] — fill the public register and transparency log with realistic products',
  async run({ config, args, out, err }) {
    let options: { products: number; seed: number; via?: 'outbox' | 'bulk'; batch?: number };
    try {
      const { values, positionals } = parseArgs({
        args,
        options: {
          products: { type: 'string', default: '200' },
          seed: { type: 'string', default: '1' },
          via: { type: 'string' },
          batch: { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      });
      const products = Number(values.products);
      const seed = Number(values.seed);
      const batch = values.batch === undefined ? undefined : Number(values.batch);
      if (
        positionals.length > 0 ||
        !Number.isSafeInteger(products) ||
        products < 1 ||
        products > 2_000_000 ||
        !Number.isSafeInteger(seed) ||
        (values.via !== undefined && values.via !== 'outbox' && values.via !== 'bulk') ||
        (batch !== undefined && (!Number.isSafeInteger(batch) || batch < 1 || batch > 50_000))
      ) {
        throw new Error('usage');
      }
      options = { products, seed, via: values.via, batch };
    } catch {
      err.write(USAGE);
      return 2;
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrateToLatest(database.db);
      const deps = depsFor(config, database.db, database.kind, clockOf(config));
      let reported = 0;
      const run = await runDemo(deps, options, (done) => {
        if (done - reported >= 50_000 || done === options.products) {
          reported = done;
          out.write(`aigov demo: ${done} / ${options.products} published\n`);
        }
      });
      out.write(
        `aigov demo: ${run.published} products on the public register and in the transparency log in ${run.seconds.toFixed(1)} s (${Math.round(run.published / run.seconds)} /s)\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
