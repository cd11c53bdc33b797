/**
 * Start-up time: from spawning the server to the first 200 from /readyz — on a fresh data
 * directory (initdb, migrations, first administrator) and on a restart with existing data
 * (SIGTERM'd cleanly before). The server is started as `npm start` starts it (`node
 * bin/aigov.js serve`: the esbuild bundle in dist/server, built beforehand), and the restart
 * once more through `npm start` itself. The web UI build is timed separately (vite, into a
 * temporary directory so dist/web is never disturbed) and added to the fresh start for the
 * "first start on a fresh clone" figure. Each restart's phases come from the server's own
 * `listening` log line (src/server.ts).
 *
 * Targets: restart ≤ 3 s; fresh start including the web build ≤ 60 s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, createBenchDatabase } from './lib/http.ts';
import { median, type BenchOptions, type BenchResult } from './lib/types.ts';

export const name = 'startup';
export const description = 'spawn → /readyz: fresh data dir and restart (≤ 3 s); fresh incl. web build (≤ 60 s)';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESTART_TARGET_MS = 3000;
const FRESH_WITH_BUILD_TARGET_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function serveEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AIGOV_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOST: '127.0.0.1',
    AIGOV_DATA_DIR: dataDir,
    AIGOV_WEB_BUILD: 'never',
    AIGOV_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
    AIGOV_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * CPU time (user + system, all threads) a process has used so far, from /proc (Linux): on a
 * shared machine the wall time to ready depends on the neighbours, the CPU time far less.
 */
function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields 14 and 15 of stat (utime, stime) in clock ticks, nearly always 100 per second.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface ReadyTime {
  wallMs: number;
  cpuMs: number | undefined;
  phases: Record<string, number> | undefined;
}

const SERVE_COMMANDS = {
  node: [process.execPath, 'bin/aigov.js', 'serve'],
  npm: ['npm', 'start', '--silent'],
} as const;

/** Spawns the server, measures until /readyz answers 200, then stops it with SIGTERM. */
async function timeToReady(
  dataDir: string,
  databaseUrl?: string,
  command: keyof typeof SERVE_COMMANDS = 'node',
): Promise<ReadyTime> {
  const port = await freePort();
  const [file, ...args] = SERVE_COMMANDS[command];
  const started = performance.now();
  const child = spawn(file, args, {
    cwd: ROOT,
    env: serveEnv(dataDir, {
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: npm's children are stopped with it.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${stderr}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.status === 200) {
          const wallMs = performance.now() - started;
          return { wallMs, cpuMs: command === 'node' ? cpuMsOf(child.pid!) : undefined, phases: phasesIn(stdout) };
        }
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 300_000) throw new Error('serve not ready after 300 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await stop(child);
  }
}

/** The `startupPhases` of the server's `listening` log line. */
function phasesIn(stdout: string): Record<string, number> | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.includes('"startupPhases"')) continue;
    return (JSON.parse(line) as { startupPhases: Record<string, number> }).startupPhases;
  }
  return undefined;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  const force = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(force);
}

/** `npm run build`'s work (vite build of web/), into a temporary outDir. */
async function timeWebBuild(): Promise<number | undefined> {
  if (!fs.existsSync(path.join(ROOT, 'web', 'vite.config.ts'))) return undefined;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bench-web-'));
  const script = `const { build } = await import('vite');
await build({ configFile: 'web/vite.config.ts', logLevel: 'warn', build: { outDir: ${JSON.stringify(outDir)}, emptyOutDir: true } });`;
  const started = performance.now();
  try {
    const code = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: 'inherit' }).on(
        'exit',
        resolve,
      );
    });
    if (code !== 0) throw new Error(`web build exited with ${code}`);
    return performance.now() - started;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

async function measureDatabase(
  label: string,
  options: BenchOptions,
  databaseUrl: () => Promise<{ url?: string; drop(): Promise<void> }>,
): Promise<{ results: BenchResult[]; fresh: number }> {
  const freshRuns: ReadyTime[] = [];
  const restartRuns: ReadyTime[] = [];
  const npmRuns: ReadyTime[] = [];
  let dataDir = '';
  let lastDatabase: { url?: string; drop(): Promise<void> } | undefined;
  const dirs: string[] = [];
  const show = (time: ReadyTime) => `${Math.round(time.wallMs)} ms (CPU ${time.cpuMs ?? '?'} ms)`;
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      await lastDatabase?.drop();
      lastDatabase = await databaseUrl();
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bench-startup-'));
      dirs.push(dataDir);
      freshRuns.push(await timeToReady(dataDir, lastDatabase.url));
      console.log(`startup ${label}: fresh ${show(freshRuns.at(-1)!)}`);
    }
    for (let round = 0; round < Math.max(3, options.rounds); round += 1) {
      restartRuns.push(await timeToReady(dataDir, lastDatabase!.url));
      console.log(
        `startup ${label}: restart ${show(restartRuns.at(-1)!)} ${JSON.stringify(restartRuns.at(-1)!.phases)}`,
      );
    }
    for (let round = 0; round < Math.max(3, options.rounds); round += 1) {
      npmRuns.push(await timeToReady(dataDir, lastDatabase!.url, 'npm'));
      console.log(`startup ${label}: restart through npm start ${Math.round(npmRuns.at(-1)!.wallMs)} ms`);
    }
    const summary = (runs: ReadyTime[]) => ({
      runs: runs.map((run) => Math.round(run.wallMs)).join(' '),
      cpuMs: median(runs.map((run) => run.cpuMs ?? Number.NaN)),
    });
    const medianPhases = (runs: ReadyTime[]) =>
      Object.fromEntries(
        Object.keys(runs[0]?.phases ?? {}).map((key) => [
          key,
          median(runs.map((run) => run.phases?.[key] ?? Number.NaN)),
        ]),
      );
    const restart = median(restartRuns.map((run) => run.wallMs));
    const restartNpm = median(npmRuns.map((run) => run.wallMs));
    const fresh = median(freshRuns.map((run) => run.wallMs));
    return {
      fresh,
      results: [
        {
          name: `fresh start → /readyz (${label}, AIGOV_WEB_BUILD=never)`,
          metric: 'ms',
          value: fresh,
          details: summary(freshRuns),
        },
        {
          name: `restart on existing data → /readyz (${label}, node bin/aigov.js serve)`,
          metric: 'ms',
          value: restart,
          details: { ...summary(restartRuns), ...medianPhases(restartRuns) },
        },
        {
          name: `restart on existing data → /readyz (${label}, npm start)`,
          metric: 'ms',
          value: restartNpm,
          target: `≤ ${RESTART_TARGET_MS} ms`,
          pass: restartNpm <= RESTART_TARGET_MS,
          details: summary(npmRuns),
        },
      ],
    };
  } finally {
    await lastDatabase?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  // Builds the server bundle if a source changed, so that no timed start includes it.
  spawnSync(process.execPath, ['bin/aigov.js', 'help'], { cwd: ROOT, stdio: 'ignore' });
  const webBuildPresent = fs.existsSync(path.join(ROOT, 'dist', 'web', 'index.html'));
  console.log(`startup: dist/web ${webBuildPresent ? 'present (served)' : 'absent (API only)'}`);
  const pglite = await measureDatabase('PGlite', options, async () => ({ drop: async () => undefined }));
  const results = pglite.results;
  const build = await timeWebBuild();
  if (build !== undefined) {
    console.log(`startup: web build ${Math.round(build)} ms`);
    results.push(
      { name: 'web UI build (vite, as npm run build)', metric: 'ms', value: build },
      {
        name: 'first start on a fresh clone: fresh start + web build (PGlite)',
        metric: 'ms',
        value: pglite.fresh + build,
        target: `≤ ${FRESH_WITH_BUILD_TARGET_MS} ms`,
        pass: pglite.fresh + build <= FRESH_WITH_BUILD_TARGET_MS,
      },
    );
  }
  if (options.databaseUrl !== undefined) {
    const serverUrl = options.databaseUrl;
    const postgres = await measureDatabase('PostgreSQL', options, () => createBenchDatabase(serverUrl));
    results.push(...postgres.results);
  }
  for (const result of results) result.details = { ...result.details, webBuildPresent: String(webBuildPresent) };
  return results;
}
