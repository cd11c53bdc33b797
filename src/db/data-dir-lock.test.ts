import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-lock-'));
}

test('a live holder blocks a second process with a clear message', async () => {
  const dir = tempDir();
  // A real second process holds the lock: write its pid the way acquireDataDirLock does.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    fs.writeFileSync(path.join(dir, 'aigov.lock'), `${holder.pid}\n`);
    assert.throws(
      () => acquireDataDirLock(dir),
      (error: unknown) =>
        error instanceof DataDirLockedError &&
        error.message.includes(`pid ${holder.pid}`) &&
        error.message.includes(dir),
    );
  } finally {
    holder.kill('SIGKILL');
  }
});

test('a stale lock left by a killed process is taken over', async () => {
  const dir = tempDir();
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.on('exit', resolve));
  fs.writeFileSync(path.join(dir, 'aigov.lock'), `${dead.pid}\n`);
  const lock = acquireDataDirLock(dir);
  assert.equal(fs.readFileSync(path.join(dir, 'aigov.lock'), 'utf8').trim(), String(process.pid));
  lock.release();
  assert.equal(fs.existsSync(path.join(dir, 'aigov.lock')), false);
});

test('the same process cannot take its own lock twice', () => {
  const dir = tempDir();
  const lock = acquireDataDirLock(dir);
  assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
  lock.release();
});
