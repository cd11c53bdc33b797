#!/usr/bin/env node
// Runs node's test runner over explicit files (node:test finds nothing without them), then
// drops every PostgreSQL database the tests created. `--e2e` runs the browser tests instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureServerBundle } from './server-bundle.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const explicit = args.filter((a) => !a.startsWith('--'));

function collect(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const all = [...collect(path.join(root, 'src')), ...collect(path.join(root, 'test'))].sort();
const files =
  explicit.length > 0 ? explicit : all.filter((f) => (e2e ? f.startsWith('test/e2e/') : !f.startsWith('test/e2e/')));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

// Tests that start `aigov` as a process run the server bundle, as `npm start` does: build it
// once here rather than in several test processes at once.
await ensureServerBundle();

const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
console.log(`run-tests: ${files.length} files on ${pgUrl ? 'PostgreSQL' : 'PGlite'}`);
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${e2e ? 1 : 2}`,
    `--test-timeout=${e2e ? 600000 : 300000}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: root, env: process.env },
);

if (pgUrl) {
  const { default: pg } = await import('pg');
  const url = new URL(pgUrl);
  const base = decodeURIComponent(url.pathname.slice(1)) || 'aigov';
  const prefix = `${base.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 30)}_t`;
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    if (rows.length > 0) console.log(`run-tests: dropped ${rows.length} test databases`);
  } catch (error) {
    console.error(`run-tests: could not clean up test databases: ${error.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
process.exit(result.status ?? 1);
