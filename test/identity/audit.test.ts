import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/test-app.ts';
import { createUser, randomUscc } from '../factories.ts';
import { Migrator } from 'kysely';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import {
  AUDIT_GENESIS_HASH,
  auditHash,
  chainPendingAuditEvents,
  recordAudit,
  tryChainPendingAuditEvents,
  verifyAuditChain,
} from '../../src/platform/audit.ts';
import { startAuditSequencer } from '../../src/platform/audit-sequencer.ts';
import { ANONYMOUS } from '../../src/platform/principal.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import type { Database } from '../../src/db/schema.ts';
import { auditCommand } from '../../src/cli/audit.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/test-db.ts';
import type { Kysely } from 'kysely';

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
  // Written without taking any lock: pending until the sequencer chains them.
  assert.deepEqual(await verifyAuditChain(ta.db), { ok: true, checked: 0, pending: 6 });
  assert.equal(await chainPendingAuditEvents(ta.db), 6);
  assert.equal(await chainPendingAuditEvents(ta.db), 0, 'nothing left to chain');
  const ok = await verifyAuditChain(ta.db);
  assert.deepEqual(ok, { ok: true, checked: 6, pending: 0 });
  const chained = await ta.db.selectFrom('audit_events').select(['id', 'seq']).orderBy('seq').execute();
  assert.deepEqual(
    chained.map((row) => String(row.seq)),
    ['1', '2', '3', '4', '5', '6'],
  );
  assert.deepEqual(
    chained.map((row) => row.id),
    [...chained.map((row) => row.id)].sort(),
    'rows committed one after the other are chained in the order they were recorded',
  );

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

/** Swaps two chained rows' positions, each keeping its stored hashes (seq is unique: in three steps). */
async function swapPositions(db: Kysely<Database>, a: number, b: number): Promise<void> {
  await sql`UPDATE audit_events SET seq = -1 WHERE seq = ${a}`.execute(db);
  await sql`UPDATE audit_events SET seq = ${a} WHERE seq = ${b}`.execute(db);
  await sql`UPDATE audit_events SET seq = ${b} WHERE seq = -1`.execute(db);
}

test('reordering chained rows, or un-chaining one, breaks the chain', async (t) => {
  const ta = await buildTestApp(t);
  await someHistory(ta);
  await chainPendingAuditEvents(ta.db);
  // Swapping two rows' positions (each keeping its stored hashes) is a reorder.
  await swapPositions(ta.db, 2, 3);
  const swapped = await verifyAuditChain(ta.db);
  assert.equal(swapped.ok, false);
  assert.equal(swapped.firstBroken?.seq, '2');
  assert.equal(swapped.firstBroken?.problem, 'chain_broken');
  await swapPositions(ta.db, 2, 3);
  assert.equal((await verifyAuditChain(ta.db)).ok, true);

  // Turning a chained row back into a pending one leaves a gap where it was.
  await sql`UPDATE audit_events SET seq = NULL, prev_hash = NULL, hash = NULL WHERE seq = 5`.execute(ta.db);
  const unchained = await verifyAuditChain(ta.db);
  assert.deepEqual(unchained, {
    ok: false,
    checked: 4,
    pending: 1,
    firstBroken: { seq: '5', id: null, problem: 'sequence_gap' },
  });
  // A row is chained or pending, never half of each.
  await assert.rejects(sql`UPDATE audit_events SET hash = NULL WHERE seq = 1`.execute(ta.db), /chained_or_pending/);
});

function auditContextOf(requestId: string) {
  return { principal: ANONYMOUS, requestId, clock: new ManualClock() };
}

async function record(db: Kysely<Database>, requestId: string): Promise<void> {
  await db.transaction().execute((trx) =>
    recordAudit(trx, auditContextOf(requestId), {
      action: 'session.created',
      resourceType: 'test',
      resourceId: requestId,
      summary: { requestId },
    }),
  );
}

test('a row that commits after later-recorded rows were chained is chained after them, never lost', async (t) => {
  const ta = await buildTestApp(t);
  await record(ta.db, 'first');
  await chainPendingAuditEvents(ta.db);
  // What a transaction that recorded its row early but committed late leaves behind: a
  // pending row whose id sorts before rows already chained. (On PostgreSQL the next test
  // does it with real concurrent transactions.)
  const late = '00000000-0000-7000-8000-000000000001';
  await ta.db
    .insertInto('audit_events')
    .values({
      id: late,
      occurred_at: new Date('2026-01-01T00:00:00Z'),
      actor_id: null,
      actor_label: 'anonymous',
      action: 'session.created',
      resource_type: 'test',
      resource_id: 'late',
      organization_id: null,
      summary: JSON.stringify({ late: true }),
      request_id: 'late',
    })
    .execute();
  await record(ta.db, 'after');
  assert.equal((await verifyAuditChain(ta.db)).pending, 2);
  assert.equal(await chainPendingAuditEvents(ta.db), 2);
  const rows = await ta.db.selectFrom('audit_events').select(['resource_id', 'seq']).orderBy('seq').execute();
  assert.deepEqual(
    rows.map((row) => [String(row.seq), row.resource_id]),
    [
      ['1', 'first'],
      ['2', 'late'],
      ['3', 'after'],
    ],
  );
  assert.deepEqual(await verifyAuditChain(ta.db), { ok: true, checked: 3, pending: 0 });
});

test('PostgreSQL: concurrent writers and two sequencers make one unbroken chain, with late commits chained last', async (t) => {
  if (testPostgresUrl === undefined) {
    t.skip('PGlite is one connection: no concurrent transactions');
    return;
  }
  const ta = await buildTestApp(t);
  const other = await openDatabase({ databaseUrl: ta.databaseUrl, dataDir: os.tmpdir(), poolSize: 4 });
  t.after(() => other.close());

  // A transaction records its row first and commits last; the sequencer chains what it sees.
  let releaseLate!: () => void;
  const lateMayCommit = new Promise<void>((resolve) => (releaseLate = resolve));
  let lateRecorded!: () => void;
  const lateHasRecorded = new Promise<void>((resolve) => (lateRecorded = resolve));
  const late = other.db.transaction().execute(async (trx) => {
    await recordAudit(trx, auditContextOf('late'), {
      action: 'session.created',
      resourceType: 'test',
      resourceId: 'late',
      summary: {},
    });
    lateRecorded();
    await lateMayCommit;
  });
  await lateHasRecorded;
  await record(ta.db, 'early');
  assert.equal(await chainPendingAuditEvents(ta.db), 1, 'the uncommitted row is not seen, nor waited for');
  releaseLate();
  await late;

  // Many writers on both handles while two sequencers chain side by side.
  const writes = Array.from({ length: 60 }, (_, i) => record(i % 2 === 0 ? ta.db : other.db, `w${i}`));
  let sequencing = true;
  const sequencer = async (db: Kysely<Database>) => {
    while (sequencing) {
      await tryChainPendingAuditEvents(db);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const sequencers = [sequencer(ta.db), sequencer(other.db)];
  await Promise.all(writes);
  sequencing = false;
  await Promise.all(sequencers);
  await chainPendingAuditEvents(other.db);

  const verification = await verifyAuditChain(ta.db);
  assert.deepEqual(verification, { ok: true, checked: 62, pending: 0 });
  const order = await ta.db.selectFrom('audit_events').select(['resource_id', 'seq']).orderBy('seq').limit(2).execute();
  assert.deepEqual(
    order.map((row) => row.resource_id),
    ['early', 'late'],
    'the late commit is chained after the row chained before it committed',
  );
});

test('the background sequencer chains rows of its own process at once, and the rest when it stops', async (t) => {
  const ta = await buildTestApp(t);
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  // Idle polls a minute apart: only the wake-up on this process's write can chain within the test.
  const stop = startAuditSequencer(ta.db, log, { busyMs: 60_000, idleMs: 60_000, wakeMs: 10 });
  let stopped = false;
  t.after(async () => {
    if (!stopped) await stop();
  });
  await record(ta.db, 'woken');
  const deadline = Date.now() + 10_000;
  while ((await verifyAuditChain(ta.db)).checked < 1) {
    assert.ok(Date.now() < deadline, 'chained within 10 s of the write');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Written as another process would (no wake-up here): chained by the final pass of stop().
  await ta.db
    .insertInto('audit_events')
    .values({
      id: '00000000-0000-7000-8000-000000000002',
      occurred_at: new Date(),
      action: 'session.created',
      resource_type: 'test',
      resource_id: 'elsewhere',
      summary: JSON.stringify({}),
    })
    .execute();
  await stop();
  stopped = true;
  assert.deepEqual(await verifyAuditChain(ta.db), { ok: true, checked: 2, pending: 0 });
});

test('migration 0009 keeps a chain written before it valid, and the sequencer extends it', async (t) => {
  const created = await createTestDatabase();
  t.after(() => created.drop());
  const db = created.handle.db;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const down = await migrator.migrateTo('0007-register-decision-reasons');
  assert.equal(down.error, undefined);
  // Three rows as recordAudit wrote them before the sequencer: chained at insert.
  let prevHash = AUDIT_GENESIS_HASH;
  for (let seq = 1; seq <= 3; seq += 1) {
    const fields = {
      seq: String(seq),
      id: `00000000-0000-7000-8000-00000000000${seq}`,
      occurredAt: `2026-03-0${seq}T08:00:00.000Z`,
      actorId: null,
      actorLabel: 'anonymous',
      action: 'legacy.recorded',
      resourceType: 'test',
      resourceId: `legacy-${seq}`,
      organizationId: null,
      summary: { seq },
      requestId: null,
    };
    const hash = auditHash(prevHash, fields);
    await sql`INSERT INTO audit_events (id, seq, occurred_at, actor_id, actor_label, action, resource_type,
        resource_id, organization_id, summary, request_id, prev_hash, hash)
      VALUES (${fields.id}, ${seq}, ${fields.occurredAt}, NULL, 'anonymous', 'legacy.recorded', 'test',
        ${fields.resourceId}, NULL, ${JSON.stringify(fields.summary)}::jsonb, NULL, ${prevHash}, ${hash})`.execute(db);
    prevHash = hash;
  }
  const up = await migrator.migrateToLatest();
  assert.equal(up.error, undefined);
  assert.deepEqual(await verifyAuditChain(db), { ok: true, checked: 3, pending: 0 });
  await record(db, 'new');
  assert.equal(await chainPendingAuditEvents(db), 1);
  assert.deepEqual(await verifyAuditChain(db), { ok: true, checked: 4, pending: 0 });
  const newest = await db
    .selectFrom('audit_events')
    .select(['seq', 'prev_hash'])
    .where('seq', '=', '4')
    .executeTakeFirstOrThrow();
  assert.equal(newest.prev_hash, prevHash, 'the new row hangs off the last row written before the migration');
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
  const readOnly = await (async () => {
    const out = capture();
    const err = capture();
    const code = await auditCommand.run({ config, args: ['verify', '--no-chain'], out: out.stream, err: err.stream });
    return { code, out: out.text() };
  })();
  assert.equal(readOnly.code, 0);
  assert.match(
    readOnly.out,
    /^audit chain OK: 0 events verified; 6 events pending, not chained yet\ndocuments OK: 0 documents match their SHA-256\n$/,
  );
  const intact = await run();
  assert.equal(intact.code, 0);
  assert.match(
    intact.out,
    /^chained 6 pending audit events\naudit chain OK: 6 events verified\ndocuments OK: 0 documents match their SHA-256\n$/,
  );
  assert.equal((await run()).out, 'audit chain OK: 6 events verified\ndocuments OK: 0 documents match their SHA-256\n');

  const tamper = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await sql`DELETE FROM audit_events WHERE seq = 4`.execute(tamper.db);
  await tamper.close();
  const broken = await run();
  assert.equal(broken.code, 1);
  assert.match(broken.err, /audit chain BROKEN at seq 4: sequence gap; 3 events before it verified/);
  const usage = capture();
  assert.equal(await auditCommand.run({ config, args: ['verify', '--fast'], out: usage.stream, err: usage.stream }), 2);
});

test('GET /api/v1/audit and its CSV show a row not yet chained as pending', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await someHistory(ta);
  const list = async () =>
    (await ta.app.inject({ method: 'GET', url: '/api/v1/audit?limit=2', headers: admin.headers })).json<{
      items: Array<{ seq: string | null; hash: string | null; chainStatus: string }>;
    }>().items;
  assert.deepEqual(
    (await list()).map(({ seq, hash, chainStatus }) => ({ seq, hash, chainStatus })),
    [
      { seq: null, hash: null, chainStatus: 'pending' },
      { seq: null, hash: null, chainStatus: 'pending' },
    ],
  );
  const csvBefore = await ta.app.inject({ method: 'GET', url: '/api/v1/audit/export.csv', headers: admin.headers });
  const lines = csvBefore.body.trim().split('\r\n');
  assert.ok(lines[0]!.endsWith(',hash,chainStatus'));
  assert.ok(
    lines.slice(1).every((line) => line.startsWith(',') && line.endsWith(',,pending')),
    'no seq, no hash, pending',
  );

  await chainPendingAuditEvents(ta.db);
  const after = await list();
  assert.deepEqual(
    after.map(({ seq, chainStatus }) => ({ seq, chainStatus })),
    [
      { seq: '6', chainStatus: 'chained' },
      { seq: '5', chainStatus: 'chained' },
    ],
  );
  assert.match(after[0]!.hash!, /^[0-9a-f]{64}$/);

  // A cursor taken while rows were pending still pages on correctly once they are chained.
  await record(ta.db, 'late-a');
  await record(ta.db, 'late-b');
  const page = async (cursor?: string) =>
    (
      await ta.app.inject({
        method: 'GET',
        url: `/api/v1/audit?limit=4${cursor === undefined ? '' : `&cursor=${cursor}`}`,
        headers: admin.headers,
      })
    ).json<{ items: Array<{ id: string; chainStatus: string }>; nextCursor: string | null }>();
  const first = await page();
  assert.deepEqual(
    first.items.map((item) => item.chainStatus),
    ['pending', 'pending', 'chained', 'chained'],
  );
  await chainPendingAuditEvents(ta.db);
  const second = await page(first.nextCursor!);
  const ids = [...first.items, ...second.items].map((item) => item.id);
  assert.equal(ids.length, 8);
  assert.equal(new Set(ids).size, 8, 'no row twice, none left out');
  const csvAfter = await ta.app.inject({ method: 'GET', url: '/api/v1/audit/export.csv', headers: admin.headers });
  assert.ok(
    csvAfter.body
      .trim()
      .split('\r\n')
      .slice(1)
      .every((line) => /^\d,.*,[0-9a-f]{64},chained$/.test(line)),
  );
});

test('GET /api/v1/audit: regulator admins only, filters, cursor paging, CSV export', async (t) => {
  const ta = await buildTestApp(t);
  const admin = await someHistory(ta);
  await chainPendingAuditEvents(ta.db);
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
  // A cursor of the old form (a chain position) or any non-id value: 400, not a database error.
  const oldCursor = Buffer.from(JSON.stringify(['4'])).toString('base64url');
  const stale = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/audit?cursor=${oldCursor}`,
    headers: admin.headers,
  });
  assert.equal(stale.statusCode, 400);
  assert.equal(stale.json<{ code: string }>().code, 'invalid_cursor');

  const csv = await ta.app.inject({ method: 'GET', url: '/api/v1/audit/export.csv', headers: admin.headers });
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.ok(csv.body.startsWith('\uFEFFseq,occurredAt'));
  assert.equal(csv.body.trim().split('\r\n').length, 7);
});
