/**
 * Issue #17 item 8: on the embedded database, document bytes live in content-addressed files
 * in the data directory (PGlite's WebAssembly memory never shrinks); on PostgreSQL they stay
 * in the row. Rolled-back uploads leave no file behind, bytes still in rows move out at start,
 * orphans are swept, and every document can be checked against its recorded SHA-256.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import {
  moveDocumentsToFileStore,
  sweepOrphanDocumentFiles,
  verifyDocumentContents,
} from '../../src/modules/filings/document-content.ts';
import { documentStorageOf, fileStoreOf, FileDocumentStore } from '../../src/modules/filings/document-store.ts';
import { testPostgresUrl } from '../helpers/test-db.ts';
import { createDraft, filingWorld, upload, type FilingWorld } from './helpers.ts';

const MIB = 1024 * 1024;
const onPostgres = testPostgresUrl !== undefined;
const quiet = { info: () => undefined, warn: () => undefined };

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

function textFile(fill: string, size = 1000) {
  return { name: `${fill}.txt`, contentType: 'text/plain', data: Buffer.alloc(size, fill) };
}

async function draftOf(world: FilingWorld): Promise<string> {
  const product = await world.createProduct('high');
  return (await createDraft(world, product.id, { kind: 'assessment', summary: 's' })).id;
}

async function rowContent(world: FilingWorld, id: string): Promise<Buffer | null> {
  const row = await world.t.db
    .selectFrom('filing_documents')
    .select('content')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.content === null ? null : Buffer.from(row.content);
}

/** Files under documents/ other than the content-addressed ones (temporary leftovers). */
function leftovers(store: FileDocumentStore): string[] {
  const tmp = path.join(store.root, 'tmp');
  return fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
}

test('document bytes: a file named by its SHA-256 on PGlite, the row on PostgreSQL; served the same', async (t) => {
  const world = await filingWorld(t);
  const filingId = await draftOf(world);
  const store = fileStoreOf(world.t.config);
  assert.equal(documentStorageOf(world.t.deps), onPostgres ? 'database' : 'files');

  const file = textFile('a', 3 * MIB);
  const response = await upload(world, filingId, file);
  assert.equal(response.statusCode, 201, response.body);
  const { id, sha256: recorded } = response.json<{ id: string; sha256: string }>();
  assert.equal(recorded, sha256(file.data));
  const target = path.join(world.t.config.dataDir, 'documents', 'sha256', recorded.slice(0, 2), recorded.slice(2));
  if (onPostgres) {
    assert.deepEqual(await rowContent(world, id), file.data);
    assert.equal(fs.existsSync(target), false);
  } else {
    assert.equal(await rowContent(world, id), null, 'the bytes never entered PGlite');
    assert.deepEqual(fs.readFileSync(target), file.data);
    assert.equal(fs.statSync(target).mode & 0o777, 0o600);
  }
  assert.deepEqual(leftovers(store), []);

  const download = await world.inject('GET', `/api/v1/documents/${id}`, world.provider);
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-length'], String(file.data.length));
  assert.equal(download.headers.etag, `"${recorded}"`);
  assert.deepEqual(download.rawPayload, file.data);

  // The same bytes again (another filing, another name): a second row, one file.
  const again = await upload(world, await draftOf(world), { ...file, name: 'copy.txt' });
  assert.equal(again.statusCode, 201, again.body);
  assert.equal((await store.list()).length, onPostgres ? 0 : 1);
  assert.deepEqual(
    (await world.inject('GET', `/api/v1/documents/${again.json().id}`, world.provider)).rawPayload,
    file.data,
  );
});

test(
  'document bytes: an upload whose transaction rolls back leaves no file (unless other rows share it)',
  { skip: onPostgres && 'PostgreSQL keeps bytes in the row' },
  async (t) => {
    const world = await filingWorld(t, { env: { AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: String(20 * MIB) } });
    const filingId = await draftOf(world);
    const store = fileStoreOf(world.t.config);
    const kept = textFile('k', 12 * MIB);
    assert.equal((await upload(world, filingId, kept)).statusCode, 201);

    // The quota is checked inside the transaction, after the file was written: the refusal
    // rolls the row back and the file goes with it.
    const refused = textFile('r', 12 * MIB);
    const response = await upload(world, filingId, refused);
    assert.equal(response.statusCode, 413, response.body);
    assert.equal(fs.existsSync(store.pathOf(sha256(refused.data))), false, 'no orphan');
    assert.deepEqual(leftovers(store), []);

    // The same bytes as a stored document, refused in this filing: the stored one keeps its file.
    const other = await draftOf(world);
    assert.equal((await upload(world, other, kept)).statusCode, 201);
    assert.equal((await upload(world, other, { ...kept, name: 'twice.txt' })).statusCode, 413);
    assert.ok(fs.existsSync(store.pathOf(sha256(kept.data))));
    assert.deepEqual(await store.list(), [sha256(kept.data)]);
  },
);

test('file store: an upload in flight pins its file against clean-ups; removals and writes of one content take turns', async () => {
  const root = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'aigov-store-'));
  const store = new FileDocumentStore(root);
  try {
    const bytes = Buffer.from('pinned content');
    const hash = sha256(bytes);
    const release = await store.put(hash, bytes);
    assert.equal(await store.discardIfUnreferenced(hash, async () => false), false, 'pinned');
    assert.deepEqual(await store.read(hash), bytes);
    release();
    release(); // twice is harmless
    assert.equal(await store.discardIfUnreferenced(hash, async () => true), false, 'a row names it');

    // A clean-up that has asked the database, and an upload of the same bytes starting meanwhile.
    let answer!: () => void;
    const asked = new Promise<void>((resolve) => (answer = resolve));
    const discarding = store.discardIfUnreferenced(hash, async () => {
      await asked;
      return false;
    });
    const putting = store.put(hash, bytes);
    answer();
    assert.equal(await discarding, false, 'the new upload pinned it before the removal');
    (await putting)();
    assert.deepEqual(await store.read(hash), bytes);

    // Removal first, then a new upload: the file is written again.
    assert.equal(await store.discardIfUnreferenced(hash, async () => false), true);
    assert.equal(await store.read(hash), undefined);
    (await store.put(hash, bytes))();
    assert.deepEqual(await store.read(hash), bytes);
    assert.throws(() => store.pathOf('../../etc/passwd'), /not a SHA-256/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test(
  'at start: bytes still in rows move to the file store; orphaned files and interrupted writes are swept',
  { skip: onPostgres && 'the file store is for the embedded database' },
  async (t) => {
    // Uploaded while the database held the bytes (before migration 0010, or configured so).
    const world = await filingWorld(t, { env: { AIGOV_DOCUMENT_STORE: 'database' } });
    const filingId = await draftOf(world);
    const files = [textFile('x', 2 * MIB), textFile('y'), textFile('z')];
    const ids: string[] = [];
    for (const file of files) {
      const response = await upload(world, filingId, file);
      assert.equal(response.statusCode, 201, response.body);
      ids.push(response.json<{ id: string }>().id);
    }
    for (const id of ids) assert.notEqual(await rowContent(world, id), null);
    const store = fileStoreOf(world.t.config);
    assert.deepEqual(await store.list(), []);

    const deps = { ...world.t.deps, config: { ...world.t.config, documentStore: 'files' as const } };
    // Damaged bytes stay in their row for an operator to look at.
    await sql`UPDATE filing_documents SET content = ${Buffer.from('tampered')} WHERE id = ${ids[2]!}`.execute(
      world.t.db,
    );
    assert.equal(await moveDocumentsToFileStore(deps, quiet), 2);
    assert.equal(await rowContent(world, ids[0]!), null);
    assert.equal(await rowContent(world, ids[1]!), null);
    assert.deepEqual(await rowContent(world, ids[2]!), Buffer.from('tampered'));
    assert.deepEqual(await store.list(), [sha256(files[0]!.data), sha256(files[1]!.data)].sort());
    assert.equal(await moveDocumentsToFileStore(deps, quiet), 0, 'nothing left to move');
    for (const [i, id] of ids.slice(0, 2).entries()) {
      assert.deepEqual(
        (await world.inject('GET', `/api/v1/documents/${id}`, world.provider)).rawPayload,
        files[i]!.data,
      );
    }

    // A crash between a file's write and its row's commit, and one in the middle of a write.
    const orphan = Buffer.from('never committed');
    (await store.put(sha256(orphan), orphan))();
    fs.mkdirSync(path.join(store.root, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(store.root, 'tmp', 'half-written'), 'x');
    assert.equal(await sweepOrphanDocumentFiles(deps, quiet), 1);
    assert.equal(await store.read(sha256(orphan)), undefined);
    assert.deepEqual(leftovers(store), []);
    assert.deepEqual(
      await store.list(),
      [sha256(files[0]!.data), sha256(files[1]!.data)].sort(),
      'referenced files stay',
    );
  },
);

test('verifyDocumentContents: every document against its recorded SHA-256, missing and corrupt named', async (t) => {
  const world = await filingWorld(t);
  const filingId = await draftOf(world);
  const ids: string[] = [];
  for (const fill of ['p', 'q', 'r']) {
    const response = await upload(world, filingId, textFile(fill));
    assert.equal(response.statusCode, 201, response.body);
    ids.push(response.json<{ id: string }>().id);
  }
  const config = world.t.config;
  assert.deepEqual(await verifyDocumentContents(world.t.db, config), { checked: 3, missing: [], corrupt: [] });

  const store = fileStoreOf(config);
  const [p, q] = [sha256(textFile('p').data), sha256(textFile('q').data)];
  if (onPostgres) {
    await sql`UPDATE filing_documents SET content = ${Buffer.from('bit rot')} WHERE id = ${ids[0]!}`.execute(
      world.t.db,
    );
    await sql`UPDATE filing_documents SET content = NULL WHERE id = ${ids[1]!}`.execute(world.t.db);
  } else {
    fs.writeFileSync(store.pathOf(p), 'bit rot');
    fs.rmSync(store.pathOf(q));
  }
  const result = await verifyDocumentContents(world.t.db, config);
  assert.equal(result.checked, 3);
  assert.deepEqual(result.corrupt, [{ id: ids[0], sha256: p, actual: sha256(Buffer.from('bit rot')) }]);
  assert.deepEqual(result.missing, [{ id: ids[1], sha256: q }]);
});
