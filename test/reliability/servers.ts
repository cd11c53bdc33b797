/**
 * Real servers for the reliability tests: in-process (`startServer`, for backup/restore) or
 * spawned `aigov serve` processes (for concurrency and kill -9), plus the actors every
 * workflow needs, created through the API only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { randomUscc } from '../factories.ts';
import { clockEnv } from '../helpers/calendar-fixtures.ts';
import { testDatabasePrefix, testPostgresUrl } from '../helpers/test-db.ts';
import { bearer, expectStatus, fetchClient, type HttpClient } from './workflow.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const ADMIN_EMAIL = 'admin@reliability.example.cn';
export const ADMIN_PASSWORD = 'Reliability-admin-2026!';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aigov-${prefix}-`));
}

/**
 * The environment of a test server: silent, no web build, a known first administrator, and
 * the rehearsal clock at `PROCESS_CLOCK_START` (pass `AIGOV_CLOCK_START` to start elsewhere).
 */
export function serverEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {
    ...clockEnv(),
    PORT: '0',
    HOST: '127.0.0.1',
    AIGOV_WEB_BUILD: 'never',
    LOG_LEVEL: 'silent',
    AIGOV_ADMIN_EMAIL: ADMIN_EMAIL,
    AIGOV_ADMIN_PASSWORD: ADMIN_PASSWORD,
    AIGOV_SELF_CHECK_RATE_LIMIT: '0',
  };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

export interface InProcessServer {
  server: RunningServer;
  config: Config;
  client: HttpClient;
  close(): Promise<void>;
}

export async function startInProcess(env: Record<string, string>): Promise<InProcessServer> {
  const config = loadConfig(env, ROOT);
  const server = await startServer(config);
  return { server, config, client: fetchClient(server.url), close: () => server.close() };
}

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  client: HttpClient;
  output(): string;
  /** Resolves when the process has exited (for kill -9 and graceful stops alike). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `aigov serve` (tsx) and waits for its "ready" line. */
export async function spawnServer(env: Record<string, string>, timeoutMs = 180_000): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['bin/aigov.js', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = () => {
      const match = /ready at (http:\/\/\S+?) /.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    url,
    client: fetchClient(url),
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A fresh, empty PostgreSQL database (dropped by scripts/run-tests.mjs with the others). */
export async function createEmptyPostgresDatabase(): Promise<string | undefined> {
  if (testPostgresUrl === undefined) return undefined;
  const name = `${testDatabasePrefix(testPostgresUrl)}_rel_${crypto.randomBytes(5).toString('hex')}`;
  const adminUrl = new URL(testPostgresUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function login(client: HttpClient, email: string, password: string): Promise<Record<string, string>> {
  const res = await client.send({ method: 'POST', url: '/api/v1/auth/login', body: { email, password } });
  return bearer(expectStatus(`login ${email}`, res, 200).json<{ token: string }>().token);
}

export interface Actors {
  admin: Record<string, string>;
  reviewers: Array<Record<string, string>>;
  /** Members of verified organisations (one organisation each). */
  providers: Array<Record<string, string>>;
}

/**
 * Through the API only: the bootstrap administrator signs in, creates reviewers, and
 * organisations register and get verified; their administrators sign in.
 */
export async function createActors(
  client: HttpClient,
  counts: { reviewers: number; providers: number },
): Promise<Actors> {
  const admin = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD);
  const password = 'Provider-password-2026!';
  const reviewers: Array<Record<string, string>> = [];
  for (let i = 0; i < counts.reviewers; i += 1) {
    const email = `reviewer-${crypto.randomBytes(4).toString('hex')}@regulator.example.cn`;
    const res = await client.send({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      body: { email, name: `审查员 ${i}`, roles: ['reviewer'], password },
    });
    expectStatus('create reviewer', res, 201);
    reviewers.push(await login(client, email, password));
  }
  const providers: Array<Record<string, string>> = [];
  for (let i = 0; i < counts.providers; i += 1) {
    const email = `provider-${crypto.randomBytes(4).toString('hex')}@company.example.cn`;
    const registered = await client.send({
      method: 'POST',
      url: '/api/v1/registrations',
      body: {
        organization: { name: `深圳可靠性科技有限公司 ${i}`, uscc: randomUscc(), type: 'enterprise' },
        admin: { email, name: `管理员 ${i}`, password },
      },
    });
    const { organizationId } = expectStatus('register', registered, 201).json<{ organizationId: string }>();
    const verified = await client.send({
      method: 'POST',
      url: `/api/v1/organizations/${organizationId}/verification`,
      headers: admin,
      body: { decision: 'verified' },
    });
    expectStatus('verify', verified, 200);
    providers.push(await login(client, email, password));
  }
  return { admin, reviewers, providers };
}

/** Polls until `condition` holds (outbox delivery is asynchronous). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!condition(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await probe();
  }
  return last;
}

/** Size of the published log, from the signed checkpoint. */
export async function checkpointSize(client: HttpClient): Promise<number> {
  const res = await client.send({ method: 'GET', url: '/api/v1/transparency/checkpoint' });
  expectStatus('checkpoint', res, 200);
  return Number(res.text.split('\n')[1]);
}
