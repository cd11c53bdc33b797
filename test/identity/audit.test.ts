import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/test-app.ts';
import { createUser, randomUscc } from '../factories.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { auditCommand } from '../../src/cli/audit.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { testPostgresUrl } from '../helpers/test-db.ts';

async function someHistory(ta: Awaited<ReturnType<typeof buildTestApp>>) {
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  for (let i = 0; i < 3; i += 1) {
    const response = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      payload: {
        organization: { name: `审计测试公司${i}`, uscc: randomUscc(), type: 'enterprise' },
        admin: { email: `audit${i}@example.cn`, name: '测试', password: 'Guangming-district-2026' },
      },
    });
    assert.equal(response.statusCode, 201);
    const { organizationId } = response.json<{ organizationId: string }>();
    await ta.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${organizationId}/verification`,
      headers: admin.headers,
      payload: { decision: 'verified' },
    });
  }
  return admin;
}

function capture() {
  const chunks: string[] = [];
  return {
    stream: { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream,
    text: () => chunks.join(''),
  };
}

test('the audit trail is a verifiable hash chain; editing or deleting a row is detected and named', async (t) => {
  const ta = await buildTestApp(t);
  await someHistory(ta);
  const ok = await verifyAuditChain(ta.db);
  assert.equal(ok.ok, true);
  assert.equal(ok.checked, 6);

  const victim = await ta.db
    .selectFrom('audit_events')
    .select(['id', 'seq'])
    .where('seq', '=', '3')
    .executeTakeFirstOrThrow();
  await sql`UPDATE audit_events SET summary = '{"after":{"status":"forged"}}'::jsonb WHERE id = ${victim.id}`.execute(
    ta.db,
  );
  const edited = await verifyAuditChain(ta.db);
  assert.equal(edited.ok, false);
  assert.deepEqual(edited.firstBroken, { seq: '3', id: victim.id, problem: 'hash_mismatch' });
});

test('aigov audit verify exits 0 on an intact chain and 1 naming a deleted row', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-audit-cli-'));
  let config = loadConfig({ AIGOV_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  let ta: Awaited<ReturnType<typeof buildTestApp>>;
  let closeFileDb: (() => Promise<void>) | undefined;
  if (testPostgresUrl !== undefined) {
    ta = await buildTestApp(t);
    config = { ...config, databaseUrl: ta.databaseUrl };
  } else {
    // The CLI opens the data directory itself, so this test uses an on-disk PGlite database.
    const database = await openDatabase({ dataDir });
    await migrateToLatest(database.db);
    const app = await buildApp({ config, database, logger: false, clock: new ManualClock() });
    ta = {
      app,
      database,
      db: database.db,
      clock: new ManualClock(),
      config,
      deps: { config, db: database.db, dbKind: 'pglite', clock: new ManualClock() },
    };
    closeFileDb = async () => {
      await app.close();
      await database.close();
    };
  }
  await someHistory(ta);
  const run = async () => {
    const out = capture();
    const err = capture();
    const code = await auditCommand.run({ config, args: ['verify'], out: out.stream, err: err.stream });
    return { code, out: out.text(), err: err.text() };
  };
  if (closeFileDb !== undefined) await closeFileDb();
  const intact = await run();
  assert.equal(intact.code, 0);
  assert.match(intact.out, /audit chain OK: 6 events verified/);

  const tamper = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await sql`DELETE FROM audit_events WHERE seq = 4`.execute(tamper.db);
  await tamper.close();
  const broken = await run();
  assert.equal(broken.code, 1);
  assert.match(broken.err, /audit chain BROKEN at seq 4: sequence gap; 3 events before it verified/);
});

test('GET /api/v1/audit: regulator admins only, filters, cursor paging, CSV export', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await someHistory(ta);
  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  assert.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode, 401);
  assert.equal(
    (await ta.app.inject({ method: 'GET', url: '/api/v1/audit', headers: reviewer.headers })).statusCode,
    403,
  );

  const first = await ta.app.inject({ method: 'GET', url: '/api/v1/audit?limit=4', headers: admin.headers });
  assert.equal(first.statusCode, 200);
  const page1 = first.json<{ items: Array<{ seq: string; action: string }>; nextCursor: string }>();
  assert.deepEqual(
    page1.items.map((e) => e.seq),
    ['6', '5', '4', '3'],
  );
  const second = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/audit?limit=4&cursor=${page1.nextCursor}`,
    headers: admin.headers,
  });
  const page2 = second.json<{ items: Array<{ seq: string }>; nextCursor: string | null }>();
  assert.deepEqual(
    page2.items.map((e) => e.seq),
    ['2', '1'],
  );
  assert.equal(page2.nextCursor, null);

  const filtered = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/audit?action=organization.verified',
    headers: admin.headers,
  });
  assert.equal(filtered.json<{ items: unknown[] }>().items.length, 3);
  const badCursor = await ta.app.inject({ method: 'GET', url: '/api/v1/audit?cursor=!!!', headers: admin.headers });
  assert.equal(badCursor.statusCode, 400);

  const csv = await ta.app.inject({ method: 'GET', url: '/api/v1/audit/export.csv', headers: admin.headers });
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.ok(csv.body.startsWith('\uFEFFseq,occurredAt'));
  assert.equal(csv.body.trim().split('\r\n').length, 7);
});
