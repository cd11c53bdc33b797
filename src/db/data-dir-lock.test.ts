import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

/**
 * The PGlite data-directory lock (issue #3, item 4; issue #17, item 2). Holders are real
 * processes: the lock must refuse a live one and never be fooled by a dead one, whatever pid
 * a leftover file names — a reused pid (containers restart pids from 1), our own, a zombie.
 */

function tempDir(t: TestContext, prefix = 'aigov-lock-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const MODULE = path.join(import.meta.dirname, 'data-dir-lock.ts');

/**
 * Another process that tries the lock on `dir` and prints `held` or `refused <message>`; it
 * holds the lock until killed, and releases it on SIGTERM.
 */
function lockingProcess(t: TestContext, dir: string): { child: ChildProcess; outcome: Promise<string> } {
  const script = `
    import { acquireDataDirLock } from ${JSON.stringify(MODULE)};
    try {
      const lock = await acquireDataDirLock(process.argv[1]);
      process.on('SIGTERM', () => { lock.release(); process.exit(0); });
      process.stdout.write('held\\n');
      setInterval(() => undefined, 60_000);
    } catch (error) {
      process.stdout.write('refused ' + error.message + '\\n');
      process.exit(3);
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const outcome = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code, signal) => reject(new Error(`exited (${code}, ${signal}) before answering: ${out}`)));
  });
  return { child, outcome };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Everything a lock may have left in the directory. */
function lockEntries(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.includes('aigov.lock'));
}

test('a live holder in another process blocks: one line naming the directory and its pid', async (t) => {
  const dir = tempDir(t);
  const holder = lockingProcess(t, dir);
  assert.equal(await holder.outcome, 'held');
  await assert.rejects(
    acquireDataDirLock(dir),
    (error: unknown) =>
      error instanceof DataDirLockedError &&
      error.message.includes(dir) &&
      error.message.includes(`pid ${holder.child.pid}`) &&
      !error.message.includes('\n'),
  );
  // The loser touched nothing of the winner's: a third process is refused the same way.
  const third = lockingProcess(t, dir);
  assert.match(
    await third.outcome,
    new RegExp(`^refused .*in use by another aigov process \\(pid ${holder.child.pid}\\)`),
  );
});

test('a holder killed with SIGKILL blocks nothing: the next one takes the lock', async (t) => {
  const dir = tempDir(t);
  const holder = lockingProcess(t, dir);
  assert.equal(await holder.outcome, 'held');
  holder.child.kill('SIGKILL');
  await exited(holder.child);
  assert.notDeepEqual(lockEntries(dir), [], 'kill -9 runs no cleanup: the dead holder left its lock');
  const lock = await acquireDataDirLock(dir);
  lock.release();
  assert.deepEqual(lockEntries(dir), []);
});

test('a stale lock file naming a live pid — our own, or 1 — does not block', async (t) => {
  for (const pid of [process.pid, 1]) {
    const dir = tempDir(t);
    // What an older aigov left after kill -9, once its pid was reused by someone else.
    fs.writeFileSync(path.join(dir, 'aigov.lock'), `${pid}\n`);
    const lock = await acquireDataDirLock(dir);
    lock.release();
    assert.deepEqual(lockEntries(dir), [], `pid ${pid}`);
  }
});

test('a dead holder whose pid now belongs to a live process does not block', async (t) => {
  const dir = tempDir(t);
  const holder = lockingProcess(t, dir);
  assert.equal(await holder.outcome, 'held');
  holder.child.kill('SIGKILL');
  await exited(holder.child);
  // The dead holder's pid reused: by pid 1 (a container's init) and by this very process.
  const [left] = lockEntries(dir);
  assert.ok(left !== undefined);
  if (left !== 'aigov.lock') {
    for (const pid of [1, process.pid]) {
      fs.linkSync(path.join(dir, left), path.join(dir, left.replace(String(holder.child.pid), String(pid))));
    }
  }
  fs.writeFileSync(path.join(dir, 'aigov.lock'), `${process.pid}\n`);
  const lock = await acquireDataDirLock(dir);
  lock.release();
  assert.deepEqual(lockEntries(dir), []);
});

test(
  'a lock file naming a zombie does not block',
  { skip: process.platform !== 'linux' ? 'needs Linux process semantics' : false },
  async (t) => {
    const dir = tempDir(t);
    // `sleep 0` exits, but its parent (exec'd into `sleep 30`) never reaps it: a zombie that
    // kill(pid, 0) still reports as alive.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => parent.kill('SIGKILL'));
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout.setEncoding('utf8').once('data', (chunk: string) => resolve(Number.parseInt(chunk, 10))),
    );
    for (let i = 0; i < 200 && !fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z '); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.match(fs.readFileSync(`/proc/${zombie}/stat`, 'utf8'), /\) Z /, 'the child is a zombie');
    fs.writeFileSync(path.join(dir, 'aigov.lock'), `${zombie}\n`);
    const lock = await acquireDataDirLock(dir);
    lock.release();
  },
);

test('the same process cannot take its own lock twice; a release lets it in again', async (t) => {
  const dir = tempDir(t);
  const lock = await acquireDataDirLock(dir);
  await assert.rejects(acquireDataDirLock(dir), DataDirLockedError);
  lock.release();
  lock.release();
  assert.deepEqual(lockEntries(dir), [], 'a graceful release leaves nothing behind');
  (await acquireDataDirLock(dir)).release();
});

test('processes starting together: exactly one gets the lock, the others are refused', async (t) => {
  const dir = tempDir(t);
  const contenders = Array.from({ length: 4 }, () => lockingProcess(t, dir));
  const outcomes = await Promise.all(contenders.map((c) => c.outcome));
  const winners = contenders.filter((_, i) => outcomes[i] === 'held');
  assert.equal(winners.length, 1, outcomes.join('\n'));
  for (const outcome of outcomes.filter((o) => o !== 'held')) {
    assert.match(outcome, new RegExp(`^refused .*\\(pid ${winners[0]!.child.pid}\\)`));
  }
  winners[0]!.child.kill('SIGTERM');
  await exited(winners[0]!.child);
  assert.deepEqual(lockEntries(dir), [], 'SIGTERM released the lock');
});

test('a data directory deeper than a socket path allows still locks', async (t) => {
  const deep = path.join(
    tempDir(t),
    'deployments-2026-spring-release',
    'shenzhen-ai-regulator',
    'production',
    'aigov-embedded-database',
    'data',
  );
  fs.mkdirSync(deep, { recursive: true });
  assert.ok(Buffer.byteLength(deep) > 110);
  const holder = lockingProcess(t, deep);
  assert.equal(await holder.outcome, 'held');
  await assert.rejects(acquireDataDirLock(deep), DataDirLockedError);
  holder.child.kill('SIGKILL');
  await exited(holder.child);
  (await acquireDataDirLock(deep)).release();
  assert.deepEqual(lockEntries(deep), []);
});
