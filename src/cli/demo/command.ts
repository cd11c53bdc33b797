import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { runStartupTasks } from '../../modules/index.ts';
import { transparencyLogSize } from '../../modules/transparency-log/index.ts';
import { clockOf } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { Command } from '../command.ts';
import { fillRegister } from './register-fill.ts';
import { seedDemo } from './workflow.ts';

const USAGE =
  'usage: aigov demo [--force]\n' +
  '       aigov demo --products N [--seed S] [--via outbox|bulk] [--batch B] [--force]\n' +
  '  (no options)  seed a demonstration install through the real workflow: demo organisations,\n' +
  '                staff and logins, products, filings in every status over the last year\n' +
  '  --products    load testing only: N synthetic public decisions of providers that do not\n' +
  '                exist here, straight into the register and transparency log (at most 2,000,000)\n' +
  '  --via         outbox (default up to 2,000) or bulk batches (default above)\n' +
  '  --batch       decisions per transaction in bulk mode (default 5,000)\n' +
  '  --force       run although the transparency log is not empty (see the warning)\n';

const FORCE_WARNING =
  '\n' +
  '  !!! aigov demo --force: this install already has public decisions in its transparency log.\n' +
  '  !!! The demo writes permanent, signed log leaves and public register entries, and demo\n' +
  '  !!! organisations and logins with a published password. None of it can be removed.\n' +
  '  !!! Never do this on an install the public relies on.\n\n';

interface DemoOptions {
  force: boolean;
  fill?: { products: number; seed: number; via?: 'outbox' | 'bulk'; batch?: number };
}

function parseOptions(args: string[]): DemoOptions {
  const { values, positionals } = parseArgs({
    args,
    options: {
      products: { type: 'string' },
      seed: { type: 'string', default: '1' },
      via: { type: 'string' },
      batch: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const seed = Number(values.seed);
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  const products = values.products === undefined ? undefined : Number(values.products);
  const fillOnly = values.via !== undefined || values.batch !== undefined;
  if (
    positionals.length > 0 ||
    (products === undefined && fillOnly) ||
    (products !== undefined && (!Number.isSafeInteger(products) || products < 1 || products > 2_000_000)) ||
    !Number.isSafeInteger(seed) ||
    (values.via !== undefined && values.via !== 'outbox' && values.via !== 'bulk') ||
    (batch !== undefined && (!Number.isSafeInteger(batch) || batch < 1 || batch > 50_000))
  ) {
    throw new Error('usage');
  }
  const via = values.via;
  return { force: values.force, ...(products === undefined ? {} : { fill: { products, seed, via, batch } }) };
}

export const demoCommand: Command = {
  summary: 'demo [--force] — seed a fresh install with demo organisations, logins and filings (refuses a live log)',
  async run({ config, args, out, err }) {
    let options: DemoOptions;
    try {
      options = parseOptions(args);
    } catch {
      err.write(USAGE);
      return 2;
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrateToLatest(database.db);
      const deps: AppDeps = { config, db: database.db, dbKind: database.kind, clock: clockOf(config) };
      const size = await transparencyLogSize(deps.db);
      if (size > 0 && !options.force) {
        err.write(
          `aigov demo: refused — the transparency log already holds ${size} public decisions, and the demo's ` +
            'entries would be permanent and signed. Run it on a fresh install (or pass --force on a throw-away one).\n',
        );
        return 1;
      }
      if (size > 0) err.write(FORCE_WARNING);
      if (options.fill !== undefined) return await fill(deps, options.fill, out);
      return await seed(deps, config, out);
    } finally {
      await database.close();
    }
  },
};

async function fill(deps: AppDeps, options: NonNullable<DemoOptions['fill']>, out: NodeJS.WritableStream) {
  let reported = 0;
  const run = await fillRegister(deps, options, (done) => {
    if (done - reported >= 50_000 || done === options.products) {
      reported = done;
      out.write(`aigov demo: ${done} / ${options.products} published\n`);
    }
  });
  out.write(
    `aigov demo: ${run.published} products on the public register and in the transparency log in ${run.seconds.toFixed(1)} s (${Math.round(run.published / run.seconds)} /s)\n`,
  );
  return 0;
}

async function seed(deps: AppDeps, config: Config, out: NodeJS.WritableStream) {
  // What the server does when it starts: reference data, signing key, the first administrator.
  await runStartupTasks(deps, pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn' }));
  const seeded = await seedDemo(deps);
  const statuses = Object.entries(seeded.filings)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  out.write(
    `aigov demo: ${seeded.organizations} organisations, ${seeded.products} products, filings: ${statuses}\n\n` +
      '  Demo logins (demonstration installs only):\n' +
      seeded.logins
        .map(
          (login) =>
            `    ${login.email.padEnd(32)} ${login.password}  ${login.role}${login.organization === undefined ? '' : ` — ${login.organization}`}\n`,
        )
        .join('') +
      '\n',
  );
  return 0;
}
