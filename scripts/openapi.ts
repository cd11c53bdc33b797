/**
 * The OpenAPI document, outside the server:
 *   node --import tsx scripts/openapi.ts lint    Redocly (recommended) and Spectral (spectral:oas) must report
 *                                                nothing at all; web/src/api/openapi.d.ts must be what
 *                                                openapi-typescript makes of the document, and compile strictly.
 *   node --import tsx scripts/openapi.ts types   regenerate web/src/api/openapi.d.ts
 *   node --import tsx scripts/openapi.ts write <file>
 * The document comes from the real application, built on an empty in-memory database (building
 * the routes reads nothing).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { generatedApiTypes, GENERATED_TYPES_FILE } from './openapi-types.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

async function openApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-openapi-'));
  const config = loadConfig({ AIGOV_WEB_BUILD: 'never', LOG_LEVEL: 'silent', AIGOV_DATA_DIR: dataDir }, root);
  const database = await openDatabase({ dataDir, inMemory: true });
  const app = await buildApp({ config, database, logger: false });
  try {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json answered ${response.statusCode}`);
    return response.json<Record<string, unknown>>();
  } finally {
    await app.close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs a linter; true when it exited 0. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error !== undefined) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

// Redocly: no usage telemetry, no update notice.
const REDOCLY_ENV = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

/** Redocly exits 0 on warnings: count every problem from its JSON report instead. */
function redocly(file: string): boolean {
  const report = run(bin('redocly'), ['lint', file, '--format=json', '--lint-config=error'], REDOCLY_ENV);
  // stdout is the report; stderr carries its banners (e.g. Node 20's end of support).
  const { totals } = JSON.parse(report.stdout) as { totals: { errors: number; warnings: number } };
  if (totals.errors + totals.warnings === 0) {
    console.log('openapi: Redocly (recommended): no problems');
    return true;
  }
  console.log(run(bin('redocly'), ['lint', file, '--format=codeframe', '--max-problems=1000'], REDOCLY_ENV).output);
  console.error(`openapi: Redocly: ${totals.errors} errors, ${totals.warnings} warnings`);
  return false;
}

function spectral(file: string): boolean {
  const report = run(bin('spectral'), ['lint', file, '--ruleset', path.join(root, '.spectral.yaml'), '-F', 'hint']);
  if (report.ok) {
    console.log('openapi: Spectral (spectral:oas): no problems');
    return true;
  }
  console.log(report.output);
  console.error('openapi: Spectral reported problems');
  return false;
}

function typesUpToDate(generated: string): boolean {
  const committed = fs.existsSync(GENERATED_TYPES_FILE) ? fs.readFileSync(GENERATED_TYPES_FILE, 'utf8') : '';
  if (committed === generated) {
    console.log(`openapi: ${path.relative(root, GENERATED_TYPES_FILE)} is up to date`);
    return true;
  }
  console.error(
    `openapi: ${path.relative(root, GENERATED_TYPES_FILE)} is out of date: run \`npm run openapi:types\` and commit it`,
  );
  return false;
}

function typesCompile(): boolean {
  const report = run(bin('tsc'), ['--noEmit', '--strict', '--skipLibCheck', 'false', GENERATED_TYPES_FILE]);
  if (report.ok) {
    console.log('openapi: the generated types compile with tsc --strict');
    return true;
  }
  console.log(report.output);
  return false;
}

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command ?? '') {
    case 'write': {
      const file = args[0];
      if (file === undefined) throw new Error('usage: scripts/openapi.ts write <file>');
      fs.writeFileSync(file, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
      return 0;
    }
    case 'types': {
      fs.writeFileSync(GENERATED_TYPES_FILE, await generatedApiTypes(await openApiDocument()));
      console.log(`openapi: wrote ${path.relative(root, GENERATED_TYPES_FILE)}`);
      return 0;
    }
    case 'lint': {
      const document = await openApiDocument();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-openapi-lint-'));
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, JSON.stringify(document, null, 2));
      try {
        const results = [
          redocly(file),
          spectral(file),
          typesUpToDate(await generatedApiTypes(document)),
          typesCompile(),
        ];
        return results.every(Boolean) ? 0 : 1;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    default:
      console.error('usage: scripts/openapi.ts lint | types | write <file>');
      return 2;
  }
}

process.exitCode = await main(process.argv[2], process.argv.slice(3));
