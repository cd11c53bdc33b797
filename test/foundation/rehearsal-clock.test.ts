/**
 * The rehearsal clock of API-CONTRACT-2 §0, on the real `aigov serve` process: refused
 * without the override, loud while on, and a restart on the same data with a later instant
 * shows the later day.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testPostgresUrl } from '../helpers/test-db.ts';
import { freePort, spawnServe, stopServe, waitUntilReady, type ServeProcess } from './serve-process.ts';

async function status(server: ServeProcess) {
  const response = await fetch(`${server.url}/api/v1/calendar/status`);
  assert.equal(response.status, 200);
  return (await response.json()) as { today: string; missingYear: number | null };
}

test(
  'the rehearsal clock: refused without the override, loud while on, later on a later restart',
  { skip: testPostgresUrl !== undefined && 'PGlite only: one process, one data dir' },
  async (t) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-clock-'));
    let server: ServeProcess | undefined;
    t.after(async () => {
      if (server !== undefined) await stopServe(server, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const refused = spawnServe({
      dataDir,
      port: await freePort(),
      env: { AIGOV_CLOCK_START: '2026-12-10T02:00:00Z', AIGOV_ALLOW_CLOCK_OVERRIDE: '' },
    });
    const ended = await refused.exited;
    assert.equal(ended.code, 1);
    assert.match(refused.stderr(), /AIGOV_CLOCK_START is refused unless AIGOV_ALLOW_CLOCK_OVERRIDE=yes/);

    server = spawnServe({ dataDir, port: await freePort(), env: { AIGOV_CLOCK_START: '2026-12-10T02:00:00Z' } });
    await waitUntilReady(server);
    assert.match(server.stderr(), /WARNING — rehearsal clock on \(AIGOV_CLOCK_START=2026-12-10T02:00:00\.000Z\)/);
    const warning = server
      .stdout()
      .split('\n')
      .flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as { level: number; msg: string }] : []))
      .find((entry) => entry.msg.includes('rehearsal clock'));
    assert.equal(warning?.level, 40, 'logged at warn');
    assert.deepEqual(await status(server), { ...(await status(server)), today: '2026-12-10', missingYear: 2027 });
    await stopServe(server, 'SIGTERM');

    server = spawnServe({ dataDir, port: await freePort(), env: { AIGOV_CLOCK_START: '2027-03-01T09:00:00+08:00' } });
    await waitUntilReady(server);
    assert.deepEqual(await status(server), { ...(await status(server)), today: '2027-03-01', missingYear: 2027 });
  },
);
