/**
 * Issue #17 item 8: `aigov backup` / `aigov restore` carry the document files (embedded
 * database) or the bytea rows (PostgreSQL), and `aigov audit verify` checks every document's
 * bytes against its recorded SHA-256, naming missing and corrupt ones. A backup from before
 * the file store (a bare PGlite dump with the bytes in the rows) still restores, and the
 * bytes move to the file store at the next start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { auditCommand } from '../../src/cli/audit.ts';
import { backupDatabase, detectBackupFormat, restoreDatabase } from '../../src/cli/backup.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { fileStoreOf } from '../../src/modules/filings/index.ts';
import {
  createActors,
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  serverEnv,
  startInProcess,
  tempDir,
  type InProcessServer,
} from './servers.ts';
import { createFiling, createProduct, expectStatus, multipartBody } from './workflow.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Uploaded {
  id: string;
  sha256: string;
  bytes: Buffer;
}

async function uploadDocuments(source: InProcessServer, count: number): Promise<Uploaded[]> {
  const { providers } = await createActors(source.client, { reviewers: 0, providers: 1 });
  const provider = providers[0]!;
  const product = await createProduct(source.client, provider, 'high');
  const filing = await createFiling(source.client, provider, product.id, 'high');
  const uploaded: Uploaded[] = [];
  for (let i = 0; i < count; i += 1) {
    const bytes = Buffer.from(`风险评估报告 ${i}\n${crypto.randomBytes(2000).toString('base64')}\n`);
    const { boundary, body } = multipartBody(
      { documentType: 'risk_assessment_report' },
      { name: `report-${i}.txt`, contentType: 'text/plain', bytes },
    );
    const res = await source.client.send({
      method: 'POST',
      url: `/api/v1/filings/${filing.id}/documents`,
      headers: { ...provider, 'content-type': `multipart/form-data; boundary=${boundary}` },
      raw: body,
    });
    const { id, sha256 } = expectStatus('upload', res, 201).json<{ id: string; sha256: string }>();
    uploaded.push({ id, sha256, bytes });
  }
  return uploaded;
}

async function auditVerify(config: Config) {
  const chunks = { out: '', err: '' };
  const stream = (key: 'out' | 'err') =>
    ({
      write(text: string) {
        chunks[key] += text;
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const code = await auditCommand.run({ config, args: ['verify'], out: stream('out'), err: stream('err') });
  return { code, ...chunks };
}

/** The document as the restored server serves it to a regulator administrator. */
async function download(server: InProcessServer, id: string): Promise<Buffer> {
  const login = await server.server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'admin@reliability.example.cn', password: 'Reliability-admin-2026!' },
  });
  const token = login.json<{ token: string }>().token;
  const res = await server.server.app.inject({
    method: 'GET',
    url: `/api/v1/documents/${id}`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.rawPayload;
}

test(
  'backup → restore carries every document; audit verify names missing and corrupt ones',
  { timeout: 600_000 },
  async (t) => {
    const sourceUrl = await createEmptyPostgresDatabase();
    const targetUrl = await createEmptyPostgresDatabase();
    const onPostgres = sourceUrl !== undefined;
    const sourceDir = tempDir('docbackup-src');
    const targetDir = tempDir('docbackup-dst');
    const backupFile = path.join(tempDir('docbackup-file'), onPostgres ? 'aigov.dump' : 'aigov.tar');
    const running: InProcessServer[] = [];
    t.after(async () => {
      for (const server of running) await server.close().catch(() => undefined);
      for (const url of [sourceUrl, targetUrl]) if (url !== undefined) await dropPostgresDatabase(url);
      for (const dir of [sourceDir, targetDir, path.dirname(backupFile)])
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const sourceEnv = serverEnv({ AIGOV_DATA_DIR: sourceDir, DATABASE_URL: sourceUrl });
    const targetEnv = serverEnv({ AIGOV_DATA_DIR: targetDir, DATABASE_URL: targetUrl });

    const source = await startInProcess(sourceEnv);
    running.push(source);
    const documents = await uploadDocuments(source, 3);
    await source.close();

    const written = await backupDatabase(source.config, backupFile);
    assert.equal(detectBackupFormat(backupFile), onPostgres ? 'postgres' : 'pglite');
    assert.equal(written.documents, onPostgres ? 0 : 3, 'embedded: the three files are in the archive');
    assert.deepEqual(written.missingDocuments, []);
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600);

    const targetConfig = loadConfig(targetEnv, ROOT);
    const restored = await restoreDatabase(targetConfig, backupFile, false);
    assert.equal(restored.auditChainOk, true);
    assert.deepEqual(restored.documents, { checked: 3, missing: [], corrupt: [] });
    if (!onPostgres) {
      assert.deepEqual(await fileStoreOf(targetConfig).list(), documents.map((d) => d.sha256).sort());
    }

    const target = await startInProcess(targetEnv);
    running.push(target);
    for (const document of documents) assert.deepEqual(await download(target, document.id), document.bytes);
    await target.close();

    const intact = await auditVerify(targetConfig);
    assert.equal(intact.code, 0, intact.err);
    assert.match(intact.out, /documents OK: 3 documents match their SHA-256/);

    // Damage one document's bytes and lose another's.
    const [damaged, lost] = documents as [Uploaded, Uploaded, Uploaded];
    if (onPostgres) {
      const database = await openDatabase({ databaseUrl: targetUrl, dataDir: targetDir });
      await sql`UPDATE filing_documents SET content = ${Buffer.from('bit rot')} WHERE id = ${damaged.id}`.execute(
        database.db,
      );
      await sql`UPDATE filing_documents SET content = NULL WHERE id = ${lost.id}`.execute(database.db);
      await database.close();
    } else {
      const store = fileStoreOf(targetConfig);
      fs.writeFileSync(store.pathOf(damaged.sha256), 'bit rot');
      fs.rmSync(store.pathOf(lost.sha256));
    }
    const broken = await auditVerify(targetConfig);
    assert.equal(broken.code, 1);
    assert.match(broken.out, /audit chain OK/);
    assert.match(broken.err, new RegExp(`document ${damaged.id} CORRUPT: recorded sha256 ${damaged.sha256}`));
    assert.match(broken.err, new RegExp(`document ${lost.id} MISSING`));
    assert.match(broken.err, /documents BROKEN: 1 missing, 1 corrupt of 3 checked/);

    if (!onPostgres) {
      // A backup of a data directory that lost a file says so, and still writes what it has.
      const second = path.join(path.dirname(backupFile), 'second.tar');
      const partial = await backupDatabase(targetConfig, second);
      assert.deepEqual(partial.missingDocuments, [lost.id]);
      assert.equal(partial.documents, 2);
      // Restoring over existing data needs --force and keeps the replaced files aside.
      await assert.rejects(restoreDatabase(targetConfig, backupFile, false), /already holds/);
      const forced = await restoreDatabase(targetConfig, backupFile, true);
      assert.deepEqual(forced.documents, { checked: 3, missing: [], corrupt: [] });
      assert.ok(forced.previousDocumentsMovedTo !== undefined && fs.existsSync(forced.previousDocumentsMovedTo));
    }
  },
);

test(
  'an older embedded backup (bare PGlite dump, bytes in the rows) restores; the bytes move to files at the next start',
  { timeout: 600_000, skip: process.env.DATABASE_URL !== undefined && 'embedded database only' },
  async (t) => {
    const sourceDir = tempDir('docold-src');
    const targetDir = tempDir('docold-dst');
    const backupFile = path.join(tempDir('docold-file'), 'old.tar.gz');
    t.after(() => {
      for (const dir of [sourceDir, targetDir, path.dirname(backupFile)])
        fs.rmSync(dir, { recursive: true, force: true });
    });
    // The database keeps the bytes, as every version before the file store did.
    const source = await startInProcess(serverEnv({ AIGOV_DATA_DIR: sourceDir, AIGOV_DOCUMENT_STORE: 'database' }));
    const documents = await uploadDocuments(source, 2).finally(() => source.close());
    // What `aigov backup` wrote then: PGlite's gzipped dump, nothing else.
    const database = await openDatabase({ dataDir: sourceDir });
    const dump = await database.pglite!.dumpDataDir('gzip');
    fs.writeFileSync(backupFile, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    await database.close();
    assert.equal(detectBackupFormat(backupFile), 'pglite');

    const targetEnv = serverEnv({ AIGOV_DATA_DIR: targetDir });
    const targetConfig = loadConfig(targetEnv, ROOT);
    const restored = await restoreDatabase(targetConfig, backupFile, false);
    assert.deepEqual(restored.documents, { checked: 2, missing: [], corrupt: [] });
    assert.deepEqual(await fileStoreOf(targetConfig).list(), []);

    const target = await startInProcess(targetEnv);
    try {
      assert.deepEqual(await fileStoreOf(targetConfig).list(), documents.map((d) => d.sha256).sort(), 'moved at start');
      const rows = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM filing_documents WHERE content IS NOT NULL`.execute(target.server.database.db);
      assert.equal(Number(rows.rows[0]!.n), 0);
      for (const document of documents) assert.deepEqual(await download(target, document.id), document.bytes);
    } finally {
      await target.close();
    }
    assert.equal((await auditVerify(targetConfig)).code, 0);
  },
);
