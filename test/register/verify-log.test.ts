import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { verifyLogCommand } from '../../src/cli/verify-log.ts';
import { exportSigningKeyPkcs8, generateSigningKey, publicKeyInfo } from '../../src/lib/checkpoint.ts';
import { publishDecisions } from '../../src/modules/register/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { decisionPayload, drain, enqueueStatusChange, publish } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function verifyLog(config: Parameters<typeof verifyLogCommand.run>[0]['config'], args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await verifyLogCommand.run({ config, args, out, err });
  return { code, stdout, stderr };
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/aigov.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('aigov verify-log against a live server: signature, entries, consistency, inclusion — and tampering is caught', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-verify-'));
  const signer = generateSigningKey('regulator.example');
  const { app, deps, db, config } = await buildTestApp(t, {
    env: {
      AIGOV_DATA_DIR: dataDir,
      AIGOV_LOG_SIGNING_KEY: exportSigningKeyPkcs8(signer),
      AIGOV_LOG_KEY_NAME: 'regulator.example',
    },
  });
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const statePath = path.join(dataDir, 'state', 'log-state.json');

  const watched = decisionPayload({ name: '鹏城医疗影像辅助诊断系统', tier: 'high' });
  await publish(deps, [decisionPayload(), watched, ...Array.from({ length: 8 }, () => decisionPayload())]);
  await enqueueStatusChange(db, deps, watched.productId, 'suspended');
  await drain(deps);

  // First run: trust on first use, then remember size, root and key.
  const first = await verifyLog(config, ['--url', address, '--state', statePath, '--product', watched.productId]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /size 11/);
  assert.match(first.stdout, /signature by regulator\.example OK/);
  assert.match(first.stdout, new RegExp(`product ${watched.productId}: 2 decision\\(s\\), each included`));
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as { size: number; root: string; verifierKey: string };
  assert.equal(state.size, 11);
  assert.equal(state.verifierKey, publicKeyInfo(signer).verifierKey);

  // The log grows past one download page; the next run checks consistency with the saved state.
  await db.transaction().execute((trx) =>
    publishDecisions(
      trx,
      deps,
      Array.from({ length: 1200 }, () => ({ eventId: newId(), payload: decisionPayload() })),
    ),
  );
  const second = await verifyLog(config, [
    '--url',
    `${address}/`,
    '--state',
    statePath,
    '--key',
    publicKeyInfo(signer).verifierKey,
    '--product',
    watched.productId,
  ]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /consistency: size 11 → 1211 OK/);

  // A pinned key that did not sign the checkpoint.
  const stranger = publicKeyInfo(generateSigningKey('regulator.example')).verifierKey;
  const wrongKey = await verifyLog(config, ['--url', address, '--key', stranger]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /verify-log FAILED: checkpoint signature does not verify/);

  // A leaf edited in the database: the entries no longer hash to the signed root.
  const [original] = await db.selectFrom('log_leaves').select('leaf').where('leaf_index', '=', '700').execute();
  await db
    .updateTable('log_leaves')
    .set({ leaf: new TextEncoder().encode('{"type":"aigov.decision/v1","productId":"forged"}') })
    .where('leaf_index', '=', '700')
    .execute();
  const forged = await verifyLog(config, ['--url', address]);
  assert.equal(forged.code, 1);
  assert.match(forged.stderr, /not RFC 8785 canonical|entries and checkpoint disagree/);
  await db.updateTable('log_leaves').set({ leaf: original!.leaf }).where('leaf_index', '=', '700').execute();

  const [fifth] = await db.selectFrom('log_leaves').select('leaf').where('leaf_index', '=', '5').execute();
  const canonicalForgery = new TextEncoder().encode('{"productId":"forged","type":"aigov.decision/v1"}');
  await db.updateTable('log_leaves').set({ leaf: canonicalForgery }).where('leaf_index', '=', '5').execute();
  const rewritten = await verifyLog(config, ['--url', address, '--state', statePath]);
  assert.equal(rewritten.code, 1);
  assert.match(rewritten.stderr, /no longer hash to the saved root: the log was rewritten/);
  await db.updateTable('log_leaves').set({ leaf: fifth!.leaf }).where('leaf_index', '=', '5').execute();

  // A stored tree node edited: the inclusion proof of the watched product's leaf breaks.
  const sibling = 0; // the watched decision is leaf 1: its audit path starts with leaf 0's hash
  await sql`UPDATE log_nodes SET hash = sha256(hash) WHERE level = 0 AND idx = ${sibling}`.execute(db);
  const badProof = await verifyLog(config, ['--url', address, '--product', watched.productId]);
  assert.equal(badProof.code, 1);
  assert.match(badProof.stderr, /inclusion proof of leaf 1 in size 1211 does not verify/);
  await sql`UPDATE log_nodes SET hash = ${await leafHashAt(sibling)} WHERE level = 0 AND idx = ${sibling}`.execute(db);

  // A saved state whose root the log never had (or a fork shown to someone else).
  const forkedState = {
    ...JSON.parse(fs.readFileSync(statePath, 'utf8')),
    root: Buffer.alloc(32, 7).toString('base64'),
  } as object;
  const forkPath = path.join(dataDir, 'forked.json');
  fs.writeFileSync(forkPath, JSON.stringify(forkedState));
  const fork = await verifyLog(config, ['--url', address, '--state', forkPath]);
  assert.equal(fork.code, 1);
  assert.match(fork.stderr, /log was rewritten/);

  // A saved state larger than the log: rollback.
  fs.writeFileSync(forkPath, JSON.stringify({ ...forkedState, size: 5000 }));
  const rollback = await verifyLog(config, ['--url', address, '--state', forkPath]);
  assert.equal(rollback.code, 1);
  assert.match(rollback.stderr, /the log shrank/);

  // A product not on the register.
  const unknown = await verifyLog(config, ['--url', address, '--product', newId()]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /answered 404/);

  // Usage errors.
  assert.equal((await verifyLog(config, [])).code, 2);
  assert.equal((await verifyLog(config, ['--url', 'ftp://x'])).code, 2);
  assert.equal((await verifyLog(config, ['--url', address, '--bogus'])).code, 2);

  // The real command line, end to end (the node store is intact again).
  const cli = await runCli(['verify-log', '--url', address, '--product', watched.productId]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /OK: the transparency log at .* verifies \(size 1211\)/);
  const down = await runCli(['verify-log', '--url', 'http://127.0.0.1:1']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /cannot reach/);

  async function leafHashAt(index: number): Promise<Uint8Array> {
    const { leafHash } = await import('../../src/lib/merkle.ts');
    const row = await db
      .selectFrom('log_leaves')
      .select('leaf')
      .where('leaf_index', '=', String(index))
      .executeTakeFirstOrThrow();
    return leafHash(row.leaf);
  }
});
