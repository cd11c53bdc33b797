/**
 * Issue #17, item 7: `aigov backup` says what the file holds. On PostgreSQL the dump carries
 * the generated transparency-log signing key (`transparency_keys`) — the message used to say
 * the opposite; on PGlite the key file beside the database is not in the tarball.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { backupCommand } from '../../src/cli/backup.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { exportSigningKeyPkcs8, generateSigningKey } from '../../src/lib/checkpoint.ts';
import { prepareLogSigning, SIGNING_KEY_FILE } from '../../src/modules/transparency-log/index.ts';
import { checkpointSigningKey } from '../../src/modules/transparency-log/signing-key.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/test-db.ts';

function tempDir(t: TestContext, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aigov-${prefix}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `aigov backup <file>`; returns its exit code and what it printed. */
async function runBackup(config: Config, file: string) {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const code = await backupCommand.run({
    config,
    args: [file],
    out: sink((text) => (out += text)),
    err: sink((text) => (err += text)),
  });
  return { code, out, err };
}

/** What every backup says: the data it holds and that it must be stored encrypted. */
function assertSaysPersonalDataAndEncryption(out: string): void {
  assert.match(out, /personal data/);
  assert.match(out, /password hashes/);
  assert.match(out, /audit trail/);
  assert.match(out, /transparency log/);
  assert.match(out, /[Ss]tore it encrypted/);
}

const onPostgres = { skip: testPostgresUrl === undefined ? 'set DATABASE_URL to run on PostgreSQL' : false };

test('PGlite backup: says the database is in it and the signing-key file beside it is not', async (t) => {
  const dataDir = tempDir(t, 'backup-pglite');
  const config = loadConfig({ AIGOV_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, process.cwd());
  const database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database.db);
    await prepareLogSigning({ config, db: database.db, dbKind: 'pglite' }); // generates the key file
  } finally {
    await database.close();
  }
  const keyFile = path.join(dataDir, SIGNING_KEY_FILE);
  assert.ok(fs.existsSync(keyFile));

  const { code, out } = await runBackup(config, path.join(tempDir(t, 'backup-file'), 'aigov.tar.gz'));
  assert.equal(code, 0);
  assert.match(out, /embedded database backup written to/);
  assertSaysPersonalDataAndEncryption(out);
  assert.match(
    out,
    new RegExp(`NOT in it: the transparency-log signing key ${keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  assert.match(out, /initial-admin-password/);
});

test('PostgreSQL backup with a generated signing key: says the dump holds it', onPostgres, async (t) => {
  const created = await createTestDatabase();
  t.after(() => created.drop());
  const config = loadConfig(
    { DATABASE_URL: created.databaseUrl, AIGOV_DATA_DIR: tempDir(t, 'backup-pg'), LOG_LEVEL: 'silent' },
    process.cwd(),
  );
  const key = await checkpointSigningKey({ config, db: created.handle.db, dbKind: 'postgres' });
  const file = path.join(tempDir(t, 'backup-file'), 'aigov.dump');
  const { code, out } = await runBackup(config, file);
  assert.equal(code, 0);
  assert.match(out, /PostgreSQL backup written to/);
  assertSaysPersonalDataAndEncryption(out);
  assert.match(out, /the transparency-log PRIVATE SIGNING KEY \(table transparency_keys\)/);
  assert.doesNotMatch(out, /signing key is not in it/i);
  // And that is true: the key's row is in the dump.
  const restoredData = spawnSync('pg_restore', ['--data-only', '--table=transparency_keys', '--file=-', file], {
    encoding: 'utf8',
  });
  assert.equal(restoredData.status, 0, restoredData.stderr);
  assert.ok(restoredData.stdout.includes('checkpoint-signing-key'), 'the dump holds the key row');
  assert.equal(key.keyName, config.logKeyName);
});

test('PostgreSQL backup with AIGOV_LOG_SIGNING_KEY: says the key is not in it', onPostgres, async (t) => {
  const created = await createTestDatabase();
  t.after(() => created.drop());
  const config = loadConfig(
    {
      DATABASE_URL: created.databaseUrl,
      AIGOV_DATA_DIR: tempDir(t, 'backup-pg'),
      AIGOV_LOG_SIGNING_KEY: exportSigningKeyPkcs8(generateSigningKey('regulator.example')),
      LOG_LEVEL: 'silent',
    },
    process.cwd(),
  );
  await prepareLogSigning({ config, db: created.handle.db, dbKind: 'postgres' });
  const { code, out } = await runBackup(config, path.join(tempDir(t, 'backup-file'), 'aigov.dump'));
  assert.equal(code, 0);
  assertSaysPersonalDataAndEncryption(out);
  assert.match(out, /NOT in it: the transparency-log signing key, which comes from AIGOV_LOG_SIGNING_KEY/);
  assert.doesNotMatch(out, /PRIVATE SIGNING KEY/);
});
