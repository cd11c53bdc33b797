import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { canonicalize } from '../../src/lib/canonical-json.ts';
import {
  exportSigningKeyPkcs8,
  generateSigningKey,
  parseVerifierKey,
  verifyCheckpoint,
  type Checkpoint,
} from '../../src/lib/checkpoint.ts';
import { EMPTY_ROOT, leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../src/lib/merkle.ts';
import { publishDecisions } from '../../src/modules/register/index.ts';
import { SIGNING_KEY_FILE } from '../../src/modules/transparency-log/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { testPostgresUrl } from '../helpers/test-db.ts';
import { decisionPayload, enqueueDecisions, drain, publish } from './helpers.ts';

const tmpDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-tlog-'));
const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

async function getJson<T>(app: FastifyInstance, url: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json<T>();
}

async function signedCheckpoint(app: FastifyInstance): Promise<Checkpoint> {
  const { verifierKey } = await getJson<{ verifierKey: string }>(app, '/api/v1/transparency/public-key');
  const response = await app.inject({ method: 'GET', url: '/api/v1/transparency/checkpoint' });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/plain/);
  return verifyCheckpoint(response.body, parseVerifierKey(verifierKey));
}

async function allLeaves(app: FastifyInstance, size: number): Promise<Uint8Array[]> {
  const leaves: Uint8Array[] = [];
  for (let start = 0; start < size; start += 1000) {
    const end = Math.min(size, start + 1000);
    const { entries } = await getJson<{ entries: { leafIndex: number; leaf: string }[] }>(
      app,
      `/api/v1/transparency/entries?start=${start}&end=${end}`,
    );
    entries.forEach((entry, i) => assert.equal(entry.leafIndex, start + i));
    leaves.push(...entries.map((entry) => b64(entry.leaf)));
  }
  return leaves;
}

async function leafCount(deps: { db: Kysely<Database> }) {
  const row = await deps.db
    .selectFrom('log_leaves')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test('an empty log has a signed size-0 checkpoint over the empty-tree hash', async (t) => {
  const { app } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tmpDataDir() } });
  const checkpoint = await signedCheckpoint(app);
  assert.equal(checkpoint.size, 0);
  assert.deepEqual(checkpoint.root, EMPTY_ROOT);
  assert.equal(checkpoint.origin, 'aigov.local/transparency-log');
});

test('proof round trip: a few hundred leaves through the real append path, proofs verified against signed checkpoints', async (t) => {
  const { app, deps, db } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tmpDataDir() } });
  // One event per outbox delivery (the consumer path), then bulk batches of varied sizes.
  await publish(
    deps,
    Array.from({ length: 37 }, () => decisionPayload()),
  );
  for (const size of [1, 64, 100, 2, 129]) {
    await db.transaction().execute((trx) =>
      publishDecisions(
        trx,
        deps,
        Array.from({ length: size }, () => ({ eventId: newId(), payload: decisionPayload() })),
      ),
    );
  }
  const checkpoint = await signedCheckpoint(app);
  assert.equal(checkpoint.size, 333);
  const leaves = await allLeaves(app, checkpoint.size);
  const hashes = leaves.map(leafHash);
  assert.deepEqual(rootFromLeafHashes(hashes), checkpoint.root);

  // Every leaf is the canonical JSON of a public decision.
  const first = JSON.parse(Buffer.from(leaves[0]!).toString('utf8')) as Record<string, unknown>;
  assert.equal(canonicalize(first), Buffer.from(leaves[0]!).toString('utf8'));
  assert.deepEqual(Object.keys(first).sort(), [
    'catalogueVersion',
    'decidedAt',
    'filingId',
    'outcome',
    'productId',
    'productName',
    'providerName',
    'providerUscc',
    'rulesetVersion',
    'tier',
    'type',
  ]);
  assert.equal(first.type, 'aigov.decision/v1');

  // Every checkpoint stored on the way (one per batch) is signed and matches the recomputed root.
  const stored = await db.selectFrom('log_checkpoints').select(['size', 'note']).orderBy('size').execute();
  assert.deepEqual(
    stored.map((row) => Number(row.size)),
    [...Array.from({ length: 37 }, (_, i) => i + 1), 38, 102, 202, 204, 333],
  );
  const { verifierKey } = await getJson<{ verifierKey: string }>(app, '/api/v1/transparency/public-key');
  const roots = new Map<number, Uint8Array>();
  for (const row of stored) {
    const verified = verifyCheckpoint(row.note, verifierKey);
    assert.deepEqual(verified.root, rootFromLeafHashes(hashes.slice(0, verified.size)));
    roots.set(verified.size, verified.root);
  }
  roots.set(0, EMPTY_ROOT);

  for (const treeSize of [1, 2, 3, 37, 38, 102, 204, 333]) {
    const root = roots.get(treeSize)!;
    for (const leafIndex of new Set(
      [0, 1, treeSize >> 1, treeSize - 2, treeSize - 1].filter((i) => i >= 0 && i < treeSize),
    )) {
      const proof = await getJson<{ leafIndex: number; treeSize: number; hashes: string[] }>(
        app,
        `/api/v1/transparency/proofs/inclusion?leafIndex=${leafIndex}&treeSize=${treeSize}`,
      );
      assert.deepEqual([proof.leafIndex, proof.treeSize], [leafIndex, treeSize]);
      assert.ok(proof.hashes.length <= Math.ceil(Math.log2(treeSize)));
      const path = proof.hashes.map(b64);
      assert.ok(
        verifyInclusion(hashes[leafIndex]!, leafIndex, treeSize, path, root),
        `inclusion ${leafIndex}/${treeSize}`,
      );
      // A proof for one leaf does not prove another.
      if (treeSize > 1) {
        assert.ok(!verifyInclusion(hashes[(leafIndex + 1) % treeSize]!, leafIndex, treeSize, path, root));
      }
    }
  }
  const sizes = [0, 1, 2, 3, 7, 37, 38, 102, 202, 204, 333];
  for (const firstSize of sizes) {
    for (const secondSize of sizes.filter((s) => s >= firstSize)) {
      const proof = await getJson<{ first: number; second: number; hashes: string[] }>(
        app,
        `/api/v1/transparency/proofs/consistency?first=${firstSize}&second=${secondSize}`,
      );
      const firstRoot = roots.get(firstSize) ?? rootFromLeafHashes(hashes.slice(0, firstSize));
      const secondRoot = roots.get(secondSize) ?? rootFromLeafHashes(hashes.slice(0, secondSize));
      assert.ok(
        verifyConsistency(firstSize, secondSize, firstRoot, secondRoot, proof.hashes.map(b64)),
        `consistency ${firstSize} → ${secondSize}`,
      );
    }
  }
  // Proofs read O(log n) stored nodes: the node table holds 2n − popcount(n) rows.
  const nodes = await db
    .selectFrom('log_nodes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(nodes.n), 2 * 333 - 5);
});

test('transparency endpoints: bad ranges are 400, immutable answers are cacheable', async (t) => {
  const { app, deps } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tmpDataDir() } });
  await publish(
    deps,
    Array.from({ length: 5 }, () => decisionPayload()),
  );
  const bad = [
    '/api/v1/transparency/entries?start=3&end=3',
    '/api/v1/transparency/entries?start=4&end=2',
    '/api/v1/transparency/entries?start=0&end=6',
    '/api/v1/transparency/entries?start=0&end=1001',
    '/api/v1/transparency/entries?start=-1&end=2',
    '/api/v1/transparency/entries?start=a&end=2',
    '/api/v1/transparency/entries?end=2',
    '/api/v1/transparency/entries?start=0&end=99999999999999999999',
    '/api/v1/transparency/proofs/inclusion?leafIndex=5&treeSize=5',
    '/api/v1/transparency/proofs/inclusion?leafIndex=0&treeSize=6',
    '/api/v1/transparency/proofs/inclusion?leafIndex=0&treeSize=0',
    '/api/v1/transparency/proofs/inclusion?leafIndex=1.5&treeSize=3',
    '/api/v1/transparency/proofs/inclusion?treeSize=3',
    '/api/v1/transparency/proofs/consistency?first=3&second=2',
    '/api/v1/transparency/proofs/consistency?first=1&second=6',
    '/api/v1/transparency/proofs/consistency?first=x&second=2',
  ];
  for (const url of bad) {
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 400, `${url} → ${response.statusCode}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  }
  const beyond = await app.inject({
    method: 'GET',
    url: '/api/v1/transparency/proofs/inclusion?leafIndex=0&treeSize=6',
  });
  assert.equal(beyond.json<{ code: string }>().code, 'range_beyond_log');

  const entries = await app.inject({ method: 'GET', url: '/api/v1/transparency/entries?start=1&end=3' });
  assert.equal(entries.headers['cache-control'], 'public, max-age=31536000, immutable');
  const etag = String(entries.headers.etag);
  const cached = await app.inject({
    method: 'GET',
    url: '/api/v1/transparency/entries?start=1&end=3',
    headers: { 'if-none-match': etag },
  });
  assert.equal(cached.statusCode, 304);
  const checkpoint = await app.inject({ method: 'GET', url: '/api/v1/transparency/checkpoint' });
  assert.equal(checkpoint.headers['cache-control'], 'public, max-age=5');
  const key = await app.inject({ method: 'GET', url: '/api/v1/transparency/public-key' });
  assert.equal(key.headers['cache-control'], 'public, max-age=3600');
  const info = key.json<{ keyName: string; publicKey: string; verifierKey: string }>();
  assert.equal(info.keyName, 'aigov.local/transparency-log', 'the key is named after the origin');
  assert.equal(b64(info.publicKey).length, 32);
  const trivial = await getJson<{ hashes: string[] }>(app, '/api/v1/transparency/proofs/consistency?first=0&second=5');
  assert.deepEqual(trivial.hashes, []);
});

test('exactly once: draining twice, and the same decision sent twice, give one leaf', async (t) => {
  const { deps, db } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tmpDataDir() } });
  const payload = decisionPayload();
  await enqueueDecisions(db, deps, [payload]);
  assert.equal(await drain(deps), 1);
  assert.equal(await drain(deps), 0);
  // The filings module retries and enqueues the same decision again (a second outbox row).
  await enqueueDecisions(db, deps, [payload, { ...payload }]);
  assert.equal(await drain(deps), 2);
  assert.equal(await leafCount(deps), 1);
  const decisions = await db.selectFrom('register_decisions').selectAll().execute();
  assert.equal(decisions.length, 1);
  const pending = await db.selectFrom('outbox_events').select('id').where('processed_at', 'is', null).execute();
  assert.deepEqual(pending, []);
});

test('a crash after the append and before the commit rolls everything back; the retry appends once', async (t) => {
  const { deps, db, clock } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tmpDataDir() } });
  const { outboxConsumers } = await import('../../src/modules/index.ts');
  const { drainOutbox } = await import('../../src/platform/outbox-worker.ts');
  const payload = decisionPayload();
  await enqueueDecisions(db, deps, [payload]);
  // The register consumer runs first and appends the leaf; then the process "dies" (a
  // consumer after it throws) before the transaction that marks the event commits.
  let crashes = 1;
  const consumers = outboxConsumers(deps);
  const topic = 'register.decision_published';
  const crashing = new Map(consumers);
  crashing.set(topic, [
    ...(consumers.get(topic) ?? []),
    async (trx) => {
      const appended = await trx.selectFrom('log_leaves').select('leaf_index').execute();
      assert.equal(appended.length, 1, 'the leaf was appended inside the transaction');
      if (crashes-- > 0) throw new Error('simulated crash between the append and the commit');
    },
  ]);
  await drainOutbox(db, clock, crashing);
  assert.equal(await leafCount(deps), 0);
  assert.equal((await db.selectFrom('register_entries').selectAll().execute()).length, 0);
  assert.equal((await db.selectFrom('log_checkpoints').selectAll().execute()).length, 0);
  const [event] = await db.selectFrom('outbox_events').selectAll().execute();
  assert.equal(event!.processed_at, null);
  assert.equal(event!.attempts, 1);

  clock.advanceMs(10 * 60_000); // past the retry backoff
  await drainOutbox(db, clock, crashing);
  await drainOutbox(db, clock, crashing);
  assert.equal(await leafCount(deps), 1);
  const entries = await db.selectFrom('register_entries').select(['product_id', 'log_index']).execute();
  assert.deepEqual(entries, [{ product_id: payload.productId, log_index: entries[0]!.log_index }]);
  assert.equal(Number(entries[0]!.log_index), 0);
});

test('concurrent appenders are serialised: unique indexes, one consistent tree', async (t) => {
  const { app, deps, db } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: tmpDataDir() } });
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      db.transaction().execute((trx) =>
        publishDecisions(
          trx,
          deps,
          Array.from({ length: 10 + i }, () => ({ eventId: newId(), payload: decisionPayload() })),
        ),
      ),
    ),
  );
  const checkpoint = await signedCheckpoint(app);
  assert.equal(checkpoint.size, 75);
  const leaves = await allLeaves(app, checkpoint.size);
  assert.deepEqual(rootFromLeafHashes(leaves.map(leafHash)), checkpoint.root);
  const indexes = await db.selectFrom('register_decisions').select('log_index').orderBy('log_index').execute();
  assert.deepEqual(
    indexes.map((row) => Number(row.log_index)),
    Array.from({ length: 75 }, (_, i) => i),
  );
});

test('the signing key: generated once into the data dir (0600) and reused; the configured key wins', async (t) => {
  const dataDir = tmpDataDir();
  const first = await buildTestApp(t, { env: { AIGOV_DATA_DIR: dataDir } });
  const key = await getJson<{ verifierKey: string }>(first.app, '/api/v1/transparency/public-key');
  if (testPostgresUrl === undefined) {
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const second = await buildTestApp(t, { env: { AIGOV_DATA_DIR: dataDir } });
    assert.deepEqual(await getJson(second.app, '/api/v1/transparency/public-key'), key);
  } else {
    const rows = await first.db.selectFrom('transparency_keys').select('id').execute();
    assert.equal(rows.length, 1);
  }
  const configured = generateSigningKey('regulator.example');
  const withKey = await buildTestApp(t, {
    env: { AIGOV_LOG_SIGNING_KEY: exportSigningKeyPkcs8(configured), AIGOV_LOG_KEY_NAME: 'regulator.example' },
  });
  const info = await getJson<{ keyName: string; verifierKey: string }>(withKey.app, '/api/v1/transparency/public-key');
  assert.equal(info.keyName, 'regulator.example');
  assert.notEqual(info.verifierKey, key.verifierKey);
  await publish(withKey.deps, [decisionPayload()]);
  const checkpoint = await signedCheckpoint(withKey.app);
  assert.equal(checkpoint.size, 1);
});
