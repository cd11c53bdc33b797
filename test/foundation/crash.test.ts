import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.ts';
import { chainPendingAuditEvents, verifyAuditChain } from '../../src/platform/audit.ts';
import { randomUscc } from '../factories.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/test-db.ts';
import {
  adminHeaders,
  freePort,
  listAll,
  spawnServe,
  stopServe,
  waitUntilReady,
  type ServeProcess,
} from './serve-process.ts';

/**
 * Issue #3, items 2–4: the real `aigov serve` as a child process. kill -9 in the middle of
 * concurrent writes loses nothing that was acknowledged, keeps the audit chain intact and
 * leaves a stale lock that the restart takes over — even when the dead holder's pid now belongs
 * to a live process; a second process on the same PGlite directory fails fast; SIGTERM shuts
 * down cleanly and removes the lock.
 */

const KILL_AFTER_ACKNOWLEDGED = 40;

function tempDataDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-crash-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid that the lock socket in the data dir names (alive or not), undefined when there is none. */
function lockHolder(dataDir: string): number | undefined {
  const sockets = lockEntries(dataDir);
  assert.ok(sockets.length <= 1, `one lock at most: ${sockets.join(', ')}`);
  const match = /^aigov\.lock\.(\d+)\./.exec(sockets[0] ?? '');
  return match === null ? undefined : Number(match[1]);
}

function lockEntries(dataDir: string): string[] {
  return fs.readdirSync(dataDir).filter((name) => name.startsWith('aigov.lock'));
}

/**
 * Issue #17, item 2: what a container restart leaves — the dead holder's lock, its pid now in
 * use by a live process (pid 1, or anyone), plus an older aigov's pid file naming a live pid.
 */
function simulatePidReuse(dataDir: string, deadPid: number): void {
  const [dead] = lockEntries(dataDir);
  assert.ok(dead !== undefined);
  for (const livePid of [1, process.pid]) {
    fs.linkSync(path.join(dataDir, dead), path.join(dataDir, dead.replace(`.${deadPid}.`, `.${livePid}.`)));
  }
  fs.rmSync(path.join(dataDir, dead));
  fs.writeFileSync(path.join(dataDir, 'aigov.lock'), `${process.pid}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server the test left running (a failed assertion), so no child outlives the run. */
function ensureStopped(t: TestContext, server: () => ServeProcess | undefined): void {
  t.after(async () => {
    const running = server();
    if (running !== undefined) await stopServe(running, 'SIGKILL');
  });
}

let sequence = 0;
function registration() {
  sequence += 1;
  const tag = `${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    organization: { name: `深圳市崩溃测试科技有限公司 ${tag}`, uscc: randomUscc(), type: 'enterprise' },
    admin: { email: `crash-${tag}@example.cn`, name: '崩溃测试', password: 'Longhua-crash-2026-pass' },
  };
}

function staffUser() {
  sequence += 1;
  const tag = `${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
  return { email: `staff-${tag}@example.cn`, name: '审查员', roles: ['reviewer'], password: 'Luohu-review-2026-pass' };
}

interface Acknowledged {
  organizations: Set<string>;
  staff: Set<string>;
  /** Requests still waiting for an answer when the process was killed. */
  inFlightAtKill: number;
  unexpected: string[];
}

/**
 * Registration workers (anonymous) and staff-account workers (the admin) write as fast as
 * the server answers; once enough writes are acknowledged the process gets SIGKILL while
 * requests are still in flight. Only 201s count as acknowledged.
 */
async function writeUntilKilled(server: ServeProcess, admin: Record<string, string>): Promise<Acknowledged> {
  const acknowledged: Acknowledged = { organizations: new Set(), staff: new Set(), inFlightAtKill: 0, unexpected: [] };
  let inFlight = 0;
  let killed = false;
  const post = async (url: string, body: unknown, headers: Record<string, string>) => {
    inFlight += 1;
    try {
      const response = await fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    } finally {
      inFlight -= 1;
    }
  };
  const maybeKill = () => {
    if (killed || acknowledged.organizations.size + acknowledged.staff.size < KILL_AFTER_ACKNOWLEDGED) return;
    killed = true;
    acknowledged.inFlightAtKill = inFlight;
    server.child.kill('SIGKILL');
  };
  const worker = async (kind: 'organization' | 'staff') => {
    while (!killed) {
      let answer: { status: number; body: Record<string, unknown> };
      try {
        answer =
          kind === 'organization'
            ? await post('/api/v1/registrations', registration(), {})
            : await post('/api/v1/users', staffUser(), admin);
      } catch {
        return; // the connection died with the process: this write was never acknowledged
      }
      if (answer.status !== 201) {
        acknowledged.unexpected.push(`${kind}: ${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      if (kind === 'organization') acknowledged.organizations.add(String(answer.body.organizationId));
      else acknowledged.staff.add(String(answer.body.id));
      maybeKill();
    }
  };
  await Promise.all([
    ...Array.from({ length: 6 }, () => worker('organization')),
    ...Array.from({ length: 2 }, () => worker('staff')),
  ]);
  return acknowledged;
}

/** Every acknowledged write is there after the restart, read back through the API. */
async function assertAcknowledgedWritesSurvived(server: ServeProcess, acknowledged: Acknowledged) {
  const admin = await adminHeaders(server);
  const pending = await listAll<{ id: string }>(server, '/api/v1/organizations?status=pending', admin);
  const pendingIds = new Set(pending.map((org) => org.id));
  const lostOrganizations = [...acknowledged.organizations].filter((id) => !pendingIds.has(id));
  assert.deepEqual(lostOrganizations, [], 'acknowledged registrations lost by the crash');
  const users = await listAll<{ id: string }>(server, '/api/v1/users', admin);
  const userIds = new Set(users.map((user) => user.id));
  const lostStaff = [...acknowledged.staff].filter((id) => !userIds.has(id));
  assert.deepEqual(lostStaff, [], 'acknowledged staff accounts lost by the crash');
  // And the database takes new writes.
  const response = await fetch(`${server.url}/api/v1/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registration()),
  });
  assert.equal(response.status, 201, await response.text());
}

/** Audit chain intact, and no organisation without its audit event (same transaction). */
async function assertAuditIntact(database: DatabaseHandle, acknowledged: Acknowledged) {
  // Rows the killed server had not chained yet are chained now, as its next start would.
  await chainPendingAuditEvents(database.db);
  const verification = await verifyAuditChain(database.db);
  assert.equal(verification.ok, true, JSON.stringify(verification));
  const counts = await sql<{ organizations: string; registered: string; created: string }>`
    SELECT
      (SELECT count(*) FROM organizations) AS organizations,
      (SELECT count(*) FROM audit_events WHERE action = 'organization.registered') AS registered,
      (SELECT count(*) FROM audit_events WHERE action = 'user.created') AS created
  `.execute(database.db);
  const row = counts.rows[0]!;
  assert.equal(Number(row.organizations), Number(row.registered), 'every organisation has its audit event');
  assert.ok(Number(row.registered) >= acknowledged.organizations.size + 1);
  assert.ok(Number(row.created) >= acknowledged.staff.size);
  assert.ok(verification.checked >= acknowledged.organizations.size + acknowledged.staff.size + 2);
}

test('PGlite: kill -9 during concurrent writes loses no acknowledged write; restart takes the stale lock over', async (t) => {
  const dataDir = tempDataDir(t);
  let current: ServeProcess | undefined;
  ensureStopped(t, () => current);

  const first = spawnServe({ dataDir, port: await freePort() });
  current = first;
  await waitUntilReady(first);
  assert.equal(lockHolder(dataDir), first.pid);

  const acknowledged = await writeUntilKilled(first, await adminHeaders(first));
  const killed = await first.exited;
  assert.equal(killed.signal, 'SIGKILL');
  assert.deepEqual(acknowledged.unexpected, []);
  assert.ok(acknowledged.organizations.size + acknowledged.staff.size >= KILL_AFTER_ACKNOWLEDGED);
  assert.ok(acknowledged.inFlightAtKill > 0, 'the kill landed while writes were in flight');
  t.diagnostic(
    `acknowledged before kill -9: ${acknowledged.organizations.size} registrations, ${acknowledged.staff.size} staff; ${acknowledged.inFlightAtKill} in flight`,
  );
  // kill -9 runs no exit handler: the lock socket still names the dead process.
  assert.equal(lockHolder(dataDir), first.pid);
  assert.equal(isAlive(first.pid), false);
  simulatePidReuse(dataDir, first.pid);

  const second = spawnServe({ dataDir, port: await freePort() });
  current = second;
  const readyMs = await waitUntilReady(second);
  t.diagnostic(`restart after kill -9 ready in ${Math.round(readyMs)} ms (not asserted: see bench/startup)`);
  assert.equal(lockHolder(dataDir), second.pid, 'the stale locks naming live pids were taken over');
  await assertAcknowledgedWritesSurvived(second, acknowledged);

  const stopped = await stopServe(second, 'SIGTERM');
  current = undefined;
  assert.deepEqual(stopped, { code: 0, signal: null });
  assert.equal(lockHolder(dataDir), undefined);

  const database = await openDatabase({ dataDir });
  try {
    await assertAuditIntact(database, acknowledged);
  } finally {
    await database.close();
  }
  assert.equal(lockHolder(dataDir), undefined, 'closing the database releases its lock too');
});

test(
  'PostgreSQL: kill -9 during concurrent writes loses no acknowledged write',
  { skip: testPostgresUrl === undefined ? 'set DATABASE_URL or TEST_DATABASE_URL to run on PostgreSQL' : false },
  async (t) => {
    const created = await createTestDatabase();
    t.after(() => created.drop());
    const dataDir = tempDataDir(t);
    let current: ServeProcess | undefined;
    ensureStopped(t, () => current);

    const first = spawnServe({ dataDir, port: await freePort(), databaseUrl: created.databaseUrl });
    current = first;
    await waitUntilReady(first);
    assert.equal(lockHolder(dataDir), undefined, 'no lock file: PostgreSQL serves several processes');
    const acknowledged = await writeUntilKilled(first, await adminHeaders(first));
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.deepEqual(acknowledged.unexpected, []);
    assert.ok(acknowledged.inFlightAtKill > 0, 'the kill landed while writes were in flight');
    t.diagnostic(
      `acknowledged before kill -9: ${acknowledged.organizations.size} registrations, ${acknowledged.staff.size} staff; ${acknowledged.inFlightAtKill} in flight`,
    );

    const second = spawnServe({ dataDir, port: await freePort(), databaseUrl: created.databaseUrl });
    current = second;
    await waitUntilReady(second);
    await assertAcknowledgedWritesSurvived(second, acknowledged);
    assert.deepEqual(await stopServe(second, 'SIGTERM'), { code: 0, signal: null });
    current = undefined;
    await assertAuditIntact(created.handle, acknowledged);
  },
);

test('a second process on the same PGlite directory fails fast; SIGTERM stops the first cleanly', async (t) => {
  const dataDir = tempDataDir(t);
  let first: ServeProcess | undefined;
  let second: ServeProcess | undefined;
  ensureStopped(t, () => first);
  ensureStopped(t, () => second);

  first = spawnServe({ dataDir, port: await freePort() });
  await waitUntilReady(first);
  assert.equal(lockHolder(dataDir), first.pid);

  second = spawnServe({ dataDir, port: await freePort() });
  const outcome = await Promise.race([
    second.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 60_000)),
  ]);
  assert.notEqual(outcome, 'still running', 'the second process must not hang');
  assert.notEqual((outcome as { code: number | null }).code, 0);
  assert.match(second.stderr(), /in use by another aigov process/);
  assert.match(second.stderr(), new RegExp(`pid ${first.pid}\\b`));
  second = undefined;
  // The loser neither stole nor removed the winner's lock, and the winner still serves.
  assert.equal(lockHolder(dataDir), first.pid);
  const health = await fetch(`${first.url}/readyz`);
  assert.equal(health.status, 200);

  const stopped = await stopServe(first, 'SIGTERM');
  assert.deepEqual(stopped, { code: 0, signal: null }, first.stderr());
  assert.match(first.stdout(), /SIGTERM received, shutting down/);
  assert.equal(lockHolder(dataDir), undefined, 'graceful shutdown removes the lock file');
  first = undefined;
});
