import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { redactUrl, type Config } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/connection.ts';
import { acquireDataDirLock } from '../db/data-dir-lock.ts';
import { verifyAuditChain } from '../platform/audit.ts';
import { SIGNING_KEY_FILE } from '../modules/transparency-log/index.ts';
import type { Command, CommandContext } from './commands.ts';

/**
 * `aigov backup <file>` and `aigov restore <file>`.
 *
 * - Embedded PGlite: the whole data directory as a gzipped tarball (`dumpDataDir('gzip')`).
 *   The server must be stopped: PGlite is single-process and the data-dir lock refuses a
 *   second opener, so a backup of a running instance fails with a clear message instead of
 *   copying a database that is changing underneath it.
 * - PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists` from PATH, on
 *   DATABASE_URL. pg_dump takes a consistent snapshot, so the server may keep running.
 *
 * The file says what it is through its first bytes (gzip `1f 8b` or pg_dump's `PGDMP`), so
 * restoring a PGlite backup into PostgreSQL (or the reverse) is refused before anything is
 * touched. The transparency-log signing key is NOT in the backup: see docs/operations.md.
 */

export type BackupFormat = 'pglite' | 'postgres';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const PGDMP_MAGIC = Buffer.from('PGDMP', 'ascii');

/** What kind of backup a file holds, from its magic bytes; undefined if neither. */
export function detectBackupFormat(file: string): BackupFormat | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    const read = fs.readSync(fd, head, 0, 5, 0);
    if (read >= 2 && head.subarray(0, 2).equals(GZIP_MAGIC)) return 'pglite';
    if (read === 5 && head.equals(PGDMP_MAGIC)) return 'postgres';
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

function targetKind(config: Config): BackupFormat {
  return config.databaseUrl === undefined ? 'pglite' : 'postgres';
}

/** Writes a backup of the configured database to `file`; returns its size in bytes. */
export async function backupDatabase(config: Config, file: string): Promise<{ format: BackupFormat; bytes: number }> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written beside the target and renamed at the end: a failed backup never leaves a
  // truncated file under the name an operator will later restore from.
  const partial = `${target}.partial-${process.pid}`;
  try {
    if (config.databaseUrl === undefined) {
      const pgDir = path.join(config.dataDir, 'pglite');
      if (!fs.existsSync(pgDir) || fs.readdirSync(pgDir).length === 0) {
        throw new BackupError(`there is no aigov database in ${config.dataDir} (AIGOV_DATA_DIR) to back up`);
      }
      // Takes the data-dir lock: throws DataDirLockedError while a server runs on it.
      const database = await openDatabase({ dataDir: config.dataDir });
      try {
        const dump = await database.pglite!.dumpDataDir('gzip');
        fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      } finally {
        await database.close();
      }
    } else {
      await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`], config);
      fs.chmodSync(partial, 0o600);
    }
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { format: targetKind(config), bytes: fs.statSync(target).size };
}

export interface RestoreReport {
  format: BackupFormat;
  /** PGlite: where the replaced data directory was moved (kept until the operator deletes it). */
  previousDataMovedTo?: string;
  auditEvents: number;
  /** Audit rows the backup holds unchained (taken while a sequencer was behind): chained at the next start. */
  auditPending: number;
  auditChainOk: boolean;
}

/**
 * Replaces the configured database with the backup in `file`. Refuses to overwrite a
 * database that already holds data unless `force` is set.
 */
export async function restoreDatabase(config: Config, file: string, force: boolean): Promise<RestoreReport> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError(`backup file ${source} does not exist`);
  const format = detectBackupFormat(source);
  if (format === undefined) {
    throw new BackupError(`${source} is not an aigov backup (neither a PGlite tarball nor a pg_dump custom archive)`);
  }
  const kind = targetKind(config);
  if (format !== kind) {
    throw new BackupError(
      format === 'pglite'
        ? `${source} is an embedded-database (PGlite) backup but DATABASE_URL points to PostgreSQL: unset DATABASE_URL to restore it into AIGOV_DATA_DIR`
        : `${source} is a PostgreSQL (pg_dump) backup but DATABASE_URL is not set: set it to the PostgreSQL database to restore into`,
    );
  }
  let previousDataMovedTo: string | undefined;
  let database: DatabaseHandle;
  if (kind === 'pglite') {
    const pgDir = path.join(config.dataDir, 'pglite');
    fs.mkdirSync(config.dataDir, { recursive: true });
    // Take the lock before touching anything: a running server must be stopped first.
    const probe = await openDatabaseIfPresent(config.dataDir, pgDir);
    if (probe !== undefined) {
      const hasData = await hasAigovData(probe);
      await probe.close();
      if (hasData && !force) {
        throw new BackupError(
          `${config.dataDir} already holds an aigov database; add --force to replace it (the current one is moved aside, not deleted)`,
        );
      }
      previousDataMovedTo = `${pgDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(pgDir, previousDataMovedTo);
    }
    const bytes = fs.readFileSync(source);
    try {
      database = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([new Uint8Array(bytes)]) });
    } catch (error) {
      // Put the previous database back: a failed restore must not leave the operator with nothing.
      if (previousDataMovedTo !== undefined) {
        fs.rmSync(pgDir, { recursive: true, force: true });
        fs.renameSync(previousDataMovedTo, pgDir);
        previousDataMovedTo = undefined;
      }
      throw error;
    }
  } else {
    const existing = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    const hasData = await hasAigovData(existing).finally(() => existing.close());
    if (hasData && !force) {
      throw new BackupError(
        `the PostgreSQL database ${redactUrl(config.databaseUrl!)} already holds aigov data; add --force to replace it (stop every server on it first)`,
      );
    }
    await runPgTool(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', source],
      config,
    );
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  }
  try {
    const audit = await verifyAuditChain(database.db);
    return {
      format,
      previousDataMovedTo,
      auditEvents: audit.checked,
      auditPending: audit.pending,
      auditChainOk: audit.ok,
    };
  } finally {
    await database.close();
  }
}

async function openDatabaseIfPresent(dataDir: string, pgDir: string): Promise<DatabaseHandle | undefined> {
  if (fs.existsSync(pgDir) && fs.readdirSync(pgDir).length > 0) return openDatabase({ dataDir });
  // Nothing to replace, but a server starting on this directory must still be noticed.
  acquireDataDirLock(dataDir).release();
  fs.rmSync(pgDir, { recursive: true, force: true });
  return undefined;
}

async function hasAigovData(database: DatabaseHandle): Promise<boolean> {
  const result = await sql<{ present: boolean }>`
    SELECT to_regclass('public.kysely_migration') IS NOT NULL AS present`.execute(database.db);
  return result.rows[0]?.present === true;
}

/**
 * Runs pg_dump/pg_restore on DATABASE_URL. The password goes through PGPASSWORD, not the
 * command line, where any local user could read it in the process list.
 */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], config: Config): Promise<void> {
  const url = new URL(config.databaseUrl!);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (url.password !== '') env.PGPASSWORD = decodeURIComponent(url.password);
  url.password = '';
  const dbArg = `--dbname=${url.toString()}`;
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [dbArg, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new BackupError(
              `${tool} was not found on PATH: install the PostgreSQL client tools (same major version as the server or newer)`,
            )
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${tool} failed (exit ${String(code)}): ${redactUrl(stderr.trim()).slice(0, 2000)}`));
    });
  });
}

function usage(context: CommandContext, text: string): number {
  context.err.write(`${text}\n`);
  return 2;
}

export const backupCommand: Command = {
  summary: 'write a backup of the database to <file> (PGlite: stop the server first)',
  async run(context) {
    const [file, ...rest] = context.args;
    if (file === undefined || rest.length > 0) return usage(context, 'usage: aigov backup <file>');
    const started = Date.now();
    const { format, bytes } = await backupDatabase(context.config, file);
    context.out.write(
      `aigov: ${format === 'pglite' ? 'embedded database' : 'PostgreSQL'} backup written to ${path.resolve(file)} ` +
        `(${(bytes / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s). ` +
        'The transparency-log signing key is not in it: keep it separately.\n',
    );
    return 0;
  },
};

export const restoreCommand: Command = {
  summary: 'replace the database with the backup in <file> (stop every server first; --force to overwrite)',
  async run(context) {
    const force = context.args.includes('--force');
    const files = context.args.filter((arg) => arg !== '--force');
    if (files.length !== 1 || files[0]!.startsWith('-')) {
      return usage(context, 'usage: aigov restore <file> [--force]');
    }
    const report = await restoreDatabase(context.config, files[0]!, force);
    context.out.write(`aigov: restored ${path.resolve(files[0]!)} (${report.format})\n`);
    if (report.previousDataMovedTo !== undefined) {
      context.out.write(
        `aigov: the previous database was moved to ${report.previousDataMovedTo}; delete it once satisfied\n`,
      );
    }
    const { config } = context;
    if (
      config.databaseUrl === undefined &&
      config.logSigningKey === undefined &&
      !fs.existsSync(path.join(config.dataDir, SIGNING_KEY_FILE))
    ) {
      context.err.write(
        `aigov: WARNING: no transparency-log signing key in ${config.dataDir}. Before starting the server, copy ` +
          `${SIGNING_KEY_FILE} from the old data directory (or set AIGOV_LOG_SIGNING_KEY): otherwise a new key is ` +
          'generated and verifiers holding the published key will reject every new checkpoint.\n',
      );
    }
    if (!report.auditChainOk) {
      context.err.write('aigov: WARNING: the audit chain of the restored database does not verify\n');
      return 1;
    }
    const pending =
      report.auditPending > 0 ? `, ${report.auditPending} pending that the server chains when it starts` : '';
    context.out.write(
      `aigov: audit chain verifies (${report.auditEvents} events${pending}); start the server to apply any newer migrations\n`,
    );
    return 0;
  },
};
