/**
 * Two `aigov serve` processes on one PostgreSQL database (issue #9): providers create
 * products and filings and submit them (a third of the submissions sent twice at once, same
 * Idempotency-Key, to both servers), reviewers claim and decide (half the decisions raced:
 * two at once to different servers, exactly one may win), the public searches the register
 * and reads the log — for a bounded time. Then: every acknowledged write exists exactly
 * once, one decision per filing, the audit chain and the transparency log verify, and the
 * log holds exactly the public decisions. PGlite is single-process, so this is skipped there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { PROCESS_CLOCK_START, TestTimeline } from '../helpers/calendar-fixtures.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { testPostgresUrl } from '../helpers/test-db.ts';
import { checkInvariants, describeReport } from './invariants.ts';
import { runLoad, verifyAcknowledged } from './load.ts';
import {
  createActors,
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  serverEnv,
  spawnServer,
  tempDir,
  type SpawnedServer,
} from './servers.ts';
import { expectStatus } from './workflow.ts';

const DURATION_MS = 30_000;

test(
  'two servers, one PostgreSQL: concurrent filing, deciding and searching keep every invariant',
  {
    timeout: 600_000,
    skip: testPostgresUrl === undefined ? 'PostgreSQL only: set DATABASE_URL (PGlite is single-process)' : false,
  },
  async (t) => {
    const databaseUrl = (await createEmptyPostgresDatabase())!;
    const servers: SpawnedServer[] = [];
    const dirs: string[] = [];
    t.after(async () => {
      for (const server of servers) await server.kill('SIGKILL');
      await dropPostgresDatabase(databaseUrl);
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });
    const timeline = new TestTimeline(PROCESS_CLOCK_START);
    const env = (name: string) => {
      const dir = tempDir(`concurrency-${name}`);
      dirs.push(dir);
      return { ...serverEnv({ DATABASE_URL: databaseUrl, AIGOV_DATA_DIR: dir }), ...timeline.env() };
    };
    // Both start at once: migrations, the first administrator and the shared signing key race too.
    servers.push(...(await Promise.all([spawnServer(env('a')), spawnServer(env('b'))])));
    const [a, b] = servers as [SpawnedServer, SpawnedServer];
    const actors = await createActors(a.client, { reviewers: 3, providers: 4 });

    const started = Date.now();
    const ledger = await runLoad({
      clients: [a.client, b.client],
      providers: actors.providers,
      reviewers: actors.reviewers,
      publicReaders: 2,
      race: true,
      shouldStop: () => Date.now() - started > DURATION_MS,
    });
    const seconds = (Date.now() - started) / 1000;
    assert.deepEqual(ledger.problems, []);
    assert.equal(ledger.networkErrors, 0);
    assert.ok(ledger.submitted.size >= 5, `only ${ledger.submitted.size} submissions in ${seconds} s`);

    // Every acknowledged write is visible through either server.
    assert.deepEqual(await verifyAcknowledged(b.client, ledger, actors.admin), []);
    const key = expectStatus(
      'public key',
      await a.client.send({ method: 'GET', url: '/api/v1/transparency/public-key' }),
      200,
    );
    const keyB = expectStatus(
      'public key',
      await b.client.send({ method: 'GET', url: '/api/v1/transparency/public-key' }),
      200,
    );
    assert.equal(key.text, keyB.text, 'both instances sign with one key');
    const verifierKey = key.json<{ verifierKey: string }>().verifierKey;

    const config = loadConfig(env('check'), process.cwd());
    const database = await openDatabase({ databaseUrl, dataDir: config.dataDir, poolSize: 2 });
    try {
      const deps = { config, db: database.db, dbKind: database.kind, clock: timeline };
      await drainOutbox(database.db, timeline, outboxConsumers(deps));
      const report = await checkInvariants(database.db, { verifierKey });
      // Exactly once: each acknowledged submission is one stored, submitted filing with one
      // submission in the audit trail, however many times its key was sent.
      const submissions = await sql<{ resource_id: string; n: number }>`
        SELECT resource_id, count(*)::int AS n FROM audit_events
        WHERE resource_type = 'filing' AND action IN ('filing.submitted', 'filing.accepted')
        GROUP BY resource_id`.execute(database.db);
      const perFiling = new Map(submissions.rows.map((row) => [row.resource_id, row.n]));
      for (const id of ledger.submitted.keys()) {
        assert.equal(perFiling.get(id), 1, `filing ${id}: one submission in the audit trail`);
      }
      const stored = await database.db.selectFrom('filings').select(['id', 'status']).execute();
      assert.equal(
        stored.filter((row) => ledger.filings.has(row.id)).length,
        ledger.filings.size,
        'every acknowledged filing stored exactly once',
      );
      for (const [id, decision] of ledger.decisions) {
        assert.equal(
          stored.find((row) => row.id === id)?.status,
          decision.outcome,
          `filing ${id} decided once, as acknowledged`,
        );
      }
      const line =
        `concurrency: 2 servers × ${seconds.toFixed(0)} s, ${ledger.requests} requests, ` +
        `${ledger.submitted.size} submissions (${ledger.duplicateSubmits} sent twice with one key), ` +
        `${ledger.decisions.size} decisions (${ledger.racedDecisions} raced, one winner each), ` +
        `${ledger.publicReads} public reads, 0 server errors; ${describeReport(report)}`;
      console.log(line);
      t.diagnostic(line);
      assert.deepEqual(report.failures, []);
    } finally {
      await database.close();
    }
  },
);
