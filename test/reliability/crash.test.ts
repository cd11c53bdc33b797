/**
 * kill -9 under the full regulatory workload (issue #9): providers filing and submitting,
 * reviewers claiming and deciding, the public reading. The server is killed mid-flight
 * twice, restarted on the same data (PGlite data dir, or a fresh PostgreSQL database when
 * DATABASE_URL is set), and then: every write the server acknowledged is there, submissions
 * whose answer was lost complete exactly once when retried with their Idempotency-Key, and
 * every invariant holds (audit chain, one decision per filing, the transparency log verifies
 * and holds exactly the public decisions).
 * (test/foundation/crash.test.ts covers the lock file and registrations; this is the workflow.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { TestTimeline, yearEdgeClockStarts } from '../helpers/calendar-fixtures.ts';
import { checkInvariants, describeReport } from './invariants.ts';
import { acknowledgedWrites, newLedger, retryUnanswered, runLoad, verifyAcknowledged } from './load.ts';
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

const CRASHES = 2;
/** Acknowledged writes between two kills (bounded so the file stays within ~1 minute a database). */
const WRITES_BEFORE_KILL = 25;

// The workload runs on the rehearsal clock at the two edges of the calendar (issue #15): mid-
// December of the last year with data, where every assessment's deadline reaches a year not
// loaded yet (provisional), and that year's first working day. The clock continues across the
// kills, as time does.
for (const { name, start } of yearEdgeClockStarts()) {
  test(
    `kill -9 under the filing workload on ${name}: acknowledged writes survive, retries complete once, invariants hold`,
    { timeout: 900_000 },
    async (t) => {
      const databaseUrl = await createEmptyPostgresDatabase();
      const dataDir = tempDir('crash-workflow');
      const timeline = new TestTimeline(start);
      const baseEnv = serverEnv({ AIGOV_DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
      const env = () => ({ ...baseEnv, ...timeline.env() });
      let server: SpawnedServer | undefined;
      t.after(async () => {
        await server?.kill('SIGKILL');
        if (databaseUrl !== undefined) await dropPostgresDatabase(databaseUrl);
        fs.rmSync(dataDir, { recursive: true, force: true });
      });

      server = await spawnServer(env());
      const actors = await createActors(server.client, { reviewers: 2, providers: 3 });
      const ledger = newLedger();
      let survived = 0;
      let retried = 0;
      for (let crash = 1; crash <= CRASHES; crash += 1) {
        const before = acknowledgedWrites(ledger);
        const target = before + WRITES_BEFORE_KILL;
        let killed = false;
        const live = server;
        const load = runLoad(
          {
            clients: [live.client],
            providers: actors.providers,
            reviewers: actors.reviewers,
            publicReaders: 1,
            shouldStop: () => killed,
          },
          ledger,
        );
        // Kill as soon as enough writes were acknowledged, with requests still in flight.
        const deadline = Date.now() + 120_000;
        while (acknowledgedWrites(ledger) < target && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await live.kill('SIGKILL');
        killed = true;
        await load;
        // A slow machine may not reach the target in time: the kill still counts if writes were acknowledged.
        assert.ok(
          acknowledgedWrites(ledger) - before >= 5,
          `only ${acknowledgedWrites(ledger) - before} writes before the kill`,
        );

        server = await spawnServer(env());
        survived += 1;
        retried += await retryUnanswered(server.client, ledger);
        const lost = await verifyAcknowledged(server.client, ledger, actors.admin);
        assert.deepEqual(lost, [], `after crash ${crash}`);
      }

      // The public log catches up with every public decision once the outbox is delivered.
      const keyResponse = await server.client.send({ method: 'GET', url: '/api/v1/transparency/public-key' });
      const verifierKey = expectStatus('public key', keyResponse, 200).json<{ verifierKey: string }>().verifierKey;
      await server.kill('SIGTERM');
      server = undefined;

      // Check the stored state directly (PGlite: the server is stopped, so its directory is free).
      const config = loadConfig(env(), process.cwd());
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
      try {
        const deps = { config, db: database.db, dbKind: database.kind, clock: timeline };
        const delivered = await drainOutbox(database.db, timeline, outboxConsumers(deps));
        const report = await checkInvariants(database.db, { verifierKey });
        const line =
          `crash on ${name}: ${survived} kill -9 survived (${database.kind}), ${acknowledgedWrites(ledger)} acknowledged writes all present ` +
          `(${ledger.products.size} products, ${ledger.filings.size} filings, ${ledger.submitted.size} submissions, ` +
          `${ledger.decisions.size} decisions), ${retried} lost answers retried, ${delivered} outbox events delivered at the end, ` +
          `${ledger.requests} requests; ${describeReport(report)}`;
        console.log(line);
        t.diagnostic(line);
        assert.deepEqual(report.failures, []);
        assert.deepEqual(ledger.problems, []);
        const filed = await database.db
          .selectFrom('filings')
          .select('id')
          .where('submitted_at', 'is not', null)
          .execute();
        for (const id of ledger.submitted.keys()) {
          assert.ok(
            filed.some((row) => row.id === id),
            `acknowledged submission ${id} is stored as submitted`,
          );
        }
      } finally {
        await database.close();
      }
    },
  );
}
