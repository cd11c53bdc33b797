import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { verifyLogCommand } from '../../src/cli/verify-log.ts';
import { loadConfig } from '../../src/config.ts';
import { parseCheckpoint, verifyCheckpoint } from '../../src/lib/checkpoint.ts';
import type { AppDeps } from '../../src/platform/deps.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { decisionPayload, publish } from './helpers.ts';

/**
 * Issue #17, item 12: the checkpoint key name defaults to the log's origin (C2SP
 * tlog-checkpoint: the key name SHOULD be the origin; witnesses look logs up by it). The key
 * name is hashed into the signed-note key ID, so a log that was signing under the old default
 * (`aigov.local`) keeps that name after the upgrade: its verifiers keep verifying.
 */

const ORIGIN = 'transparency.sz.gov.cn/ai-register';

interface PublicKey {
  keyName: string;
  publicKey: string;
  verifierKey: string;
}

async function publicKey(app: FastifyInstance): Promise<PublicKey> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/transparency/public-key' });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<PublicKey>();
}

async function checkpointNote(app: FastifyInstance): Promise<string> {
  return (await app.inject({ method: 'GET', url: '/api/v1/transparency/checkpoint' })).body;
}

async function verifyLog(app: FastifyInstance, args: string[]) {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await verifyLogCommand.run({
    config: loadConfig({ LOG_LEVEL: 'silent' }, process.cwd()),
    args: ['--url', address, ...args],
    out,
    err,
  });
  return { code, stdout, stderr };
}

/** The same database and data dir served by an upgraded build with another environment. */
async function upgraded(t: TestContext, before: TestApp, env: Record<string, string>) {
  const config = loadConfig(
    { AIGOV_WEB_BUILD: 'never', LOG_LEVEL: 'silent', AIGOV_DATA_DIR: before.config.dataDir, ...env },
    process.cwd(),
  );
  const app = await buildApp({ config, database: before.database, clock: before.clock, logger: false });
  t.after(() => app.close());
  const deps: AppDeps = { ...before.deps, config };
  return { app, deps };
}

function tempDataDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-keyname-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('by default the checkpoint key is named after the origin', async (t) => {
  const { app, deps } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tempDataDir(t), AIGOV_LOG_ORIGIN: ORIGIN } });
  assert.equal(deps.config.logKeyName, ORIGIN);
  await publish(deps, [decisionPayload()]);
  const key = await publicKey(app);
  assert.equal(key.keyName, ORIGIN);
  assert.ok(key.verifierKey.startsWith(`${ORIGIN}+`));
  const note = await checkpointNote(app);
  const parsed = parseCheckpoint(note);
  assert.equal(parsed.checkpoint.origin, ORIGIN);
  assert.deepEqual(
    parsed.signatures.map((s) => s.keyName),
    [ORIGIN],
  );
  assert.equal(verifyCheckpoint(note, key.verifierKey).size, 1);
});

test('a log signed under the old default name keeps it after the upgrade; verify-log with its state passes', async (t) => {
  const dataDir = tempDataDir(t);
  // Before the upgrade the default key name was `aigov.local`, whatever the origin.
  const before = await buildTestApp(t, { env: { AIGOV_DATA_DIR: dataDir, AIGOV_LOG_KEY_NAME: 'aigov.local' } });
  await publish(before.deps, [decisionPayload(), decisionPayload()]);
  const oldKey = await publicKey(before.app);
  assert.equal(oldKey.keyName, 'aigov.local');
  const statePath = path.join(dataDir, 'verifier-state.json');
  const firstRun = await verifyLog(before.app, ['--state', statePath]);
  assert.equal(firstRun.code, 0, firstRun.stderr);

  // The upgraded build, AIGOV_LOG_KEY_NAME unset: the new default would be the origin.
  const after = await upgraded(t, before, {});
  assert.equal(after.deps.config.logKeyName, 'aigov.local/transparency-log');
  assert.deepEqual(await publicKey(after.app), oldKey, 'the log keeps the name its verifiers pinned');
  await publish(after.deps, [decisionPayload()]);
  const note = await checkpointNote(after.app);
  assert.equal(verifyCheckpoint(note, oldKey.verifierKey).size, 3);
  const secondRun = await verifyLog(after.app, ['--state', statePath]);
  assert.equal(secondRun.code, 0, secondRun.stderr);
  assert.match(secondRun.stdout, /signature by aigov\.local OK/);
  assert.match(secondRun.stdout, /consistency: size 2 → 3 OK/);
});

test('an existing log may adopt the origin as key name explicitly: same key, new verifier key', async (t) => {
  const dataDir = tempDataDir(t);
  const before = await buildTestApp(t, { env: { AIGOV_DATA_DIR: dataDir, AIGOV_LOG_KEY_NAME: 'aigov.local' } });
  await publish(before.deps, [decisionPayload()]);
  const oldKey = await publicKey(before.app);
  const oldNote = await checkpointNote(before.app);

  const after = await upgraded(t, before, { AIGOV_LOG_KEY_NAME: 'aigov.local/transparency-log' });
  const newKey = await publicKey(after.app);
  assert.equal(newKey.keyName, 'aigov.local/transparency-log');
  assert.equal(newKey.publicKey, oldKey.publicKey, 'the same Ed25519 key');
  assert.notEqual(newKey.verifierKey, oldKey.verifierKey, 'the name is part of the key ID');
  // The tree head is re-signed under the new name; what was published before still verifies.
  assert.equal(verifyCheckpoint(await checkpointNote(after.app), newKey.verifierKey).size, 1);
  assert.equal(verifyCheckpoint(oldNote, oldKey.verifierKey).size, 1);
  const pinned = await verifyLog(after.app, ['--key', newKey.verifierKey]);
  assert.equal(pinned.code, 0, pinned.stderr);
});

test('a key name the signed-note format forbids is a configuration error, also when it comes from the origin', () => {
  assert.throws(() => loadConfig({ AIGOV_LOG_KEY_NAME: 'two words' }), /AIGOV_LOG_KEY_NAME/);
  assert.throws(() => loadConfig({ AIGOV_LOG_KEY_NAME: 'a+b' }), /AIGOV_LOG_KEY_NAME/);
  assert.throws(
    () => loadConfig({ AIGOV_LOG_ORIGIN: 'Shenzhen AI register' }),
    /AIGOV_LOG_ORIGIN .*AIGOV_LOG_KEY_NAME/,
  );
  // An origin with a space is fine once the key is named explicitly.
  assert.equal(
    loadConfig({ AIGOV_LOG_ORIGIN: 'Shenzhen AI register', AIGOV_LOG_KEY_NAME: 'sz.gov.cn/ai' }).logKeyName,
    'sz.gov.cn/ai',
  );
  assert.equal(loadConfig({ AIGOV_LOG_ORIGIN: 'example.org/log' }).logKeyName, 'example.org/log');
});
