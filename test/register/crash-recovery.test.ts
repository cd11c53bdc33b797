import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { PROCESS_CLOCK_START } from '../helpers/calendar-fixtures.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { AppDeps } from '../../src/platform/deps.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/test-db.ts';
import { decisionPayload, enqueueDecisions } from './helpers.ts';

const CHILD = path.resolve(import.meta.dirname, 'fixtures/crash-child.ts');

/** Runs the child until it reports the append, then kills it with SIGKILL (no cleanup, no commit). */
function runChildUntilAppendThenKill(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child never appended: ${output} ${errors}`));
    }, 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('APPENDED')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && output.includes('APPENDED')) resolve(output.trim());
      else reject(new Error(`child ended without the crash point (${String(signal)}): ${output} ${errors}`));
    });
  });
}

async function counts(database: DatabaseHandle) {
  const one = async (table: 'log_leaves' | 'register_entries' | 'register_decisions' | 'log_checkpoints') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const pending = await database.db
    .selectFrom('outbox_events')
    .select('id')
    .where('processed_at', 'is', null)
    .execute();
  return {
    leaves: await one('log_leaves'),
    entries: await one('register_entries'),
    decisions: await one('register_decisions'),
    checkpoints: await one('log_checkpoints'),
    pending: pending.length,
  };
}

test('a process killed between the decision and the log append: the restart appends exactly once', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-crash-'));
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (testPostgresUrl !== undefined) {
    const created = await createTestDatabase();
    databaseUrl = created.databaseUrl;
    await created.handle.close();
    drop = () => created.drop();
  }
  t.after(async () => {
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const config = loadConfig({
    AIGOV_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
  });
  const open = () => openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const clock = new ManualClock(PROCESS_CLOCK_START);

  // 1. The decision commits (the filings module's transaction writes the outbox row).
  let database = await open();
  await migrateToLatest(database.db);
  const depsOf = (handle: DatabaseHandle): AppDeps => ({ config, db: handle.db, dbKind: handle.kind, clock });
  const payload = decisionPayload();
  await enqueueDecisions(database.db, depsOf(database), [payload]);
  await database.close();

  // 2. A worker process appends the leaf in its delivery transaction and is killed before committing.
  const said = await runChildUntilAppendThenKill(databaseUrl === undefined ? [dataDir] : [dataDir, databaseUrl]);
  assert.equal(said, 'APPENDED 1');

  // 3. Restart: nothing of the killed transaction survived; the event is still pending.
  database = await open();
  assert.deepEqual(await counts(database), { leaves: 0, entries: 0, decisions: 0, checkpoints: 0, pending: 1 });

  // 4. The restarted worker completes the append, once; running it again changes nothing.
  const deps = depsOf(database);
  await drainOutbox(database.db, clock, outboxConsumers(deps));
  await drainOutbox(database.db, clock, outboxConsumers(deps));
  assert.deepEqual(await counts(database), { leaves: 1, entries: 1, decisions: 1, checkpoints: 1, pending: 0 });
  await database.close();

  // 5. And after another restart it is still exactly one leaf.
  database = await open();
  assert.deepEqual(await counts(database), { leaves: 1, entries: 1, decisions: 1, checkpoints: 1, pending: 0 });
  const entry = await database.db
    .selectFrom('register_entries')
    .select(['product_id', 'log_index'])
    .executeTakeFirstOrThrow();
  assert.equal(entry.product_id, payload.productId);
  assert.equal(Number(entry.log_index), 0);
  await database.close();
});
