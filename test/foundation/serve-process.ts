import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { clockEnv } from '../helpers/calendar-fixtures.ts';

/** The repository root: `serve` runs from there, as an operator would start it. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export const ADMIN_EMAIL = 'crash-admin@example.cn';
export const ADMIN_PASSWORD = 'Crash-test-admin-2026!';

/** A port nobody listens on right now: bind to 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeOptions {
  dataDir: string;
  port: number;
  /** PostgreSQL; unset → the embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  env?: Record<string, string>;
}

/**
 * `node bin/aigov.js serve` (what `npm start` runs: the server bundle) as a child process, with a clean environment:
 * nothing from the test runner's own configuration (DATABASE_URL, NODE_TEST_CONTEXT…) leaks in.
 */
export function spawnServe(options: ServeOptions): ServeProcess {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(AIGOV_|DATABASE_URL$|TEST_DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|NODE_TEST)/.test(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    PORT: String(options.port),
    HOST: '127.0.0.1',
    AIGOV_DATA_DIR: options.dataDir,
    AIGOV_WEB_BUILD: 'never',
    AIGOV_ADMIN_EMAIL: ADMIN_EMAIL,
    AIGOV_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    ...clockEnv(),
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    ...options.env,
  });
  const child = spawn(process.execPath, ['bin/aigov.js', 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    pid: child.pid!,
    url: `http://127.0.0.1:${options.port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
  };
}

/** Polls /readyz until 200; fails early with the process's output if it exits first. */
export async function waitUntilReady(server: ServeProcess, timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void server.exited.then((result) => (ended = result));
  while (performance.now() - started < timeoutMs) {
    if (ended !== undefined) {
      throw new Error(
        `serve exited (code ${ended.code}, signal ${ended.signal}) before it was ready:\n${server.stdout()}\n${server.stderr()}`,
      );
    }
    try {
      const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`serve was not ready within ${timeoutMs} ms:\n${server.stdout()}\n${server.stderr()}`);
}

/** Sends a signal and waits for the exit (SIGKILL after `graceMs` if it hangs). */
export async function stopServe(server: ServeProcess, signal: NodeJS.Signals, graceMs = 20_000) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill(signal);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Signs in as the bootstrap administrator over HTTP; returns Bearer headers. */
export async function adminHeaders(server: ServeProcess): Promise<Record<string, string>> {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`admin login: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** Every item of a paged list endpoint (`{items, nextCursor}`), following cursors. */
export async function listAll<T>(server: ServeProcess, pathAndQuery: string, headers: Record<string, string>) {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = pathAndQuery.includes('?') ? '&' : '?';
    const url: string = `${server.url}${pathAndQuery}${separator}limit=200${cursor === null ? '' : `&cursor=${cursor}`}`;
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { items: T[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}
