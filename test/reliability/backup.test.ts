/**
 * `aigov backup` / `aigov restore` (issue #9): a backup taken after two public decisions,
 * restored into a NEW data directory (PGlite) or a NEW database (PostgreSQL, when
 * DATABASE_URL is set), serves a log that verifies against the checkpoint published before
 * the backup — same key, consistency proof from the old checkpoint to the new head — and
 * every invariant holds. Decisions made after the backup are gone, as documented in
 * docs/operations.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, detectBackupFormat, restoreDatabase } from '../../src/cli/backup.ts';
import { loadConfig } from '../../src/config.ts';
import { DataDirLockedError } from '../../src/db/data-dir-lock.ts';
import { parseCheckpoint, verifyCheckpoint } from '../../src/lib/checkpoint.ts';
import { verifyConsistency } from '../../src/lib/merkle.ts';
import { SIGNING_KEY_FILE } from '../../src/modules/transparency-log/index.ts';
import { TestTimeline, yearEdgeClockStarts } from '../helpers/calendar-fixtures.ts';
import { checkInvariants, describeReport } from './invariants.ts';
import {
  checkpointSize,
  createActors,
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  serverEnv,
  startInProcess,
  tempDir,
  waitFor,
  type InProcessServer,
} from './servers.ts';
import { expectStatus, fileToPublicDecision, type HttpClient } from './workflow.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function checkpointNote(client: HttpClient): Promise<string> {
  return expectStatus('checkpoint', await client.send({ method: 'GET', url: '/api/v1/transparency/checkpoint' }), 200)
    .text;
}

async function verifierKey(client: HttpClient): Promise<string> {
  const res = await client.send({ method: 'GET', url: '/api/v1/transparency/public-key' });
  return expectStatus('public key', res, 200).json<{ verifierKey: string }>().verifierKey;
}

// Run at the two edges of the calendar (issue #15): mid-December of the last year with data
// (assessment deadlines reach a year not loaded yet) and that year's first working day; the
// rehearsal clock continues across the restarts, as time does.
for (const { name, start } of yearEdgeClockStarts()) {
  test(
    `backup → more changes → restore into a new database on ${name}: the log verifies against the old checkpoint`,
    { timeout: 600_000 },
    async (t) => {
      const timeline = new TestTimeline(start);
      const sourceUrl = await createEmptyPostgresDatabase();
      const targetUrl = await createEmptyPostgresDatabase();
      const onPostgres = sourceUrl !== undefined;
      const sourceDir = tempDir('backup-src');
      const targetDir = tempDir('backup-dst');
      const backupFile = path.join(tempDir('backup-file'), onPostgres ? 'aigov.dump' : 'aigov.tar.gz');
      const sourceEnv = () => ({
        ...serverEnv({ AIGOV_DATA_DIR: sourceDir, DATABASE_URL: sourceUrl }),
        ...timeline.env(),
      });
      const targetEnv = () => ({
        ...serverEnv({ AIGOV_DATA_DIR: targetDir, DATABASE_URL: targetUrl }),
        ...timeline.env(),
      });
      const running: InProcessServer[] = [];
      t.after(async () => {
        for (const server of running) await server.close().catch(() => undefined);
        for (const url of [sourceUrl, targetUrl]) if (url !== undefined) await dropPostgresDatabase(url);
        for (const dir of [sourceDir, targetDir, path.dirname(backupFile)])
          fs.rmSync(dir, { recursive: true, force: true });
      });

      let source = await startInProcess(sourceEnv());
      running.push(source);
      const actors = await createActors(source.client, { reviewers: 1, providers: 1 });
      const provider = actors.providers[0]!;
      const reviewer = actors.reviewers[0]!;
      const kept = [
        await fileToPublicDecision(source.client, provider, reviewer, 'low'),
        await fileToPublicDecision(source.client, provider, reviewer, 'high'),
      ];
      await waitFor(
        'two logged decisions',
        () => checkpointSize(source.client),
        (n) => n >= 2,
      );
      const noteBefore = await checkpointNote(source.client);
      const keyBefore = await verifierKey(source.client);
      const before = verifyCheckpoint(noteBefore, keyBefore);
      assert.equal(before.size, 2);

      if (!onPostgres) {
        // PGlite is single-process: a backup while the server runs is refused, clearly.
        await assert.rejects(backupDatabase(source.config, backupFile), DataDirLockedError);
        const cli = spawnSync(process.execPath, ['bin/aigov.js', 'backup', backupFile], {
          cwd: ROOT,
          env: { ...process.env, ...sourceEnv(), AIGOV_DATA_DIR: sourceDir },
          encoding: 'utf8',
        });
        // A second process sees the live holder and names it (this process holds the lock).
        assert.equal(cli.status, 1, cli.stderr);
        assert.match(cli.stderr, new RegExp(`in use by another aigov process \\(pid ${process.pid}\\)`));
        await source.close();
      }
      const written = await backupDatabase(source.config, backupFile);
      assert.equal(written.format, onPostgres ? 'postgres' : 'pglite');
      assert.equal(detectBackupFormat(backupFile), written.format);
      assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600, 'a backup holds personal data: owner-only');
      if (!onPostgres) {
        source = await startInProcess(sourceEnv());
        running.push(source);
      }

      // Changes after the backup: they will not survive the restore.
      const lost = await fileToPublicDecision(source.client, provider, reviewer, 'medium');
      await waitFor(
        'three logged decisions',
        () => checkpointSize(source.client),
        (n) => n >= 3,
      );
      const noteAfterBackup = await checkpointNote(source.client);
      await source.close();

      // Restore into a new place. PGlite keeps its signing key beside the database, not in the
      // backup: the operator brings it along (docs/operations.md). PostgreSQL keeps it in the dump.
      if (!onPostgres) fs.copyFileSync(path.join(sourceDir, SIGNING_KEY_FILE), path.join(targetDir, SIGNING_KEY_FILE));
      const targetConfig = loadConfig(targetEnv(), ROOT);
      const restored = await restoreDatabase(targetConfig, backupFile, false);
      assert.equal(restored.auditChainOk, true);
      await assert.rejects(restoreDatabase(targetConfig, backupFile, false), /already holds/);

      const target = await startInProcess(targetEnv());
      running.push(target);
      assert.equal(await verifierKey(target.client), keyBefore, 'the restored log signs with the same key');
      assert.equal(await checkpointSize(target.client), 2, 'the log as of the backup');
      for (const { productId } of kept) {
        expectStatus(
          'kept product',
          await target.client.send({ method: 'GET', url: `/api/v1/public/products/${productId}` }),
          200,
        );
      }
      expectStatus(
        'post-backup product',
        await target.client.send({ method: 'GET', url: `/api/v1/public/products/${lost.productId}` }),
        404,
      );

      // The restored instance keeps working (old sessions were restored too), and its new head
      // is provably an extension of the checkpoint published before the backup.
      await fileToPublicDecision(target.client, provider, reviewer, 'low');
      await waitFor(
        'a new decision on the restored log',
        () => checkpointSize(target.client),
        (n) => n >= 3,
      );
      const noteNow = await checkpointNote(target.client);
      const now = verifyCheckpoint(noteNow, keyBefore);
      const proof = expectStatus(
        'consistency proof',
        await target.client.send({
          method: 'GET',
          url: `/api/v1/transparency/proofs/consistency?first=${before.size}&second=${now.size}`,
        }),
        200,
      ).json<{ hashes: string[] }>();
      assert.ok(
        verifyConsistency(
          before.size,
          now.size,
          before.root,
          now.root,
          proof.hashes.map((h) => Buffer.from(h, 'base64')),
        ),
        'consistency proof from the pre-backup checkpoint verifies',
      );
      // A checkpoint published after the backup names a history the restored log no longer has:
      // monitors holding it will see the fork. That is why the operator announces a restore.
      const forked = parseCheckpoint(noteAfterBackup).checkpoint;
      assert.equal(forked.size, now.size);
      assert.notDeepEqual(Buffer.from(forked.root), Buffer.from(now.root));

      const invariants = await checkInvariants(target.server.database.db, { verifierKey: keyBefore });
      const line = describeReport(invariants);
      console.log(`backup on ${name} (${written.format}, ${(written.bytes / 1024).toFixed(0)} KiB): ${line}`);
      t.diagnostic(line);
      assert.deepEqual(invariants.failures, []);
    },
  );
}

test('restore refuses a file that is not a backup, and a backup of the other database kind', async (t) => {
  const dir = tempDir('backup-bad');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const junk = path.join(dir, 'junk.bin');
  fs.writeFileSync(junk, 'not a backup');
  const config = loadConfig(serverEnv({ AIGOV_DATA_DIR: path.join(dir, 'data') }), ROOT);
  await assert.rejects(restoreDatabase(config, junk, false), /not an aigov backup/);
  const dump = path.join(dir, 'pg.dump');
  fs.writeFileSync(dump, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(20)]));
  await assert.rejects(
    restoreDatabase(config, dump, false),
    /PostgreSQL \(pg_dump\) backup but DATABASE_URL is not set/,
  );
  assert.equal(fs.existsSync(path.join(dir, 'data', 'pglite')), false, 'nothing was touched');
});
