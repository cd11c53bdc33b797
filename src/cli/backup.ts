import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import * as tar from 'tar';
import { redactUrl, type Config } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/connection.ts';
import { acquireDataDirLock } from '../db/data-dir-lock.ts';
import { verifyAuditChain } from '../platform/audit.ts';
import {
  DOCUMENTS_DIR,
  fileStoreOf,
  verifyDocumentContents,
  type DocumentVerification,
} from '../modules/filings/index.ts';
import { SIGNING_KEY_FILE } from '../modules/transparency-log/index.ts';
import type { Command, CommandContext } from './command.ts';

/**
 * `aigov backup <file>` and `aigov restore <file>`.
 *
 * - Embedded PGlite: a tar archive of `aigov-backup.json` (what it holds), `pglite.tar.gz` (the
 *   database, PGlite's `dumpDataDir('gzip')`) and `documents/sha256/…` (every document file a
 *   row names: document bytes live beside the database, filings/document-store.ts). The
 *   server must be stopped: PGlite is single-process and the data-dir lock refuses a second
 *   opener, so a backup of a running instance fails with a clear message instead of copying a
 *   database that is changing underneath it. Older backups — the bare gzipped dump, from
 *   before the document store — still restore; their document bytes are in the rows and move
 *   out at the next start.
 * - PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists` from PATH, on
 *   DATABASE_URL. pg_dump takes a consistent snapshot, so the server may keep running.
 *
 * The file says what it is through its first bytes (a tar whose first member is
 * `aigov-backup.json`, gzip `1f 8b` for an older PGlite backup, or pg_dump's `PGDMP`), so
 * restoring a PGlite backup into PostgreSQL (or the reverse) is refused before anything is
 * touched. Whether the transparency-log signing key is in the backup depends on where it
 * lives (see describeBackup and docs/operations.md).
 */

export type BackupFormat = 'pglite' | 'postgres';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const PGDMP_MAGIC = Buffer.from('PGDMP', 'ascii');
/** The first member of an embedded-database backup archive, and the database inside it. */
const BACKUP_MANIFEST = 'aigov-backup.json';
const PGLITE_MEMBER = 'pglite.tar.gz';
const DOCUMENT_MEMBER = /^documents\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}$/;

/** How a backup file is laid out: the archive with documents, an older bare PGlite dump, pg_dump. */
type BackupLayout = 'pglite-archive' | 'pglite-dump' | 'postgres';

function detectBackupLayout(file: string): BackupLayout | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const read = fs.readSync(fd, head, 0, 512, 0);
    if (read >= 2 && head.subarray(0, 2).equals(GZIP_MAGIC)) return 'pglite-dump';
    if (read >= 5 && head.subarray(0, 5).equals(PGDMP_MAGIC)) return 'postgres';
    // A POSIX tar header: the name, NUL-padded, in the first 100 bytes; "ustar" at 257.
    const name = head.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (read === 512 && head.subarray(257, 262).toString('ascii') === 'ustar' && name === BACKUP_MANIFEST) {
      return 'pglite-archive';
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** What kind of backup a file holds, from its first bytes; undefined if none. */
export function detectBackupFormat(file: string): BackupFormat | undefined {
  const layout = detectBackupLayout(file);
  return layout === undefined ? undefined : layout === 'postgres' ? 'postgres' : 'pglite';
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

export interface BackupResult {
  format: BackupFormat;
  bytes: number;
  /** A generated signing key is stored in the database (`transparency_keys`), hence in the backup. */
  holdsSigningKey: boolean;
  /** Embedded database: document files written into the backup. */
  documents: number;
  /** Embedded database: documents whose file was missing (see `aigov audit verify`). */
  missingDocuments: string[];
}

/** Whether the database keeps a generated checkpoint signing key (PostgreSQL without AIGOV_LOG_SIGNING_KEY). */
async function storesSigningKey(database: DatabaseHandle): Promise<boolean> {
  const result = await sql<{ present: boolean }>`
    SELECT to_regclass('public.transparency_keys') IS NOT NULL
      AND EXISTS (SELECT 1 FROM transparency_keys) AS present`.execute(database.db);
  return result.rows[0]?.present === true;
}

/** Writes a backup of the configured database to `file`; returns what it holds. */
export async function backupDatabase(config: Config, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written beside the target and renamed at the end: a failed backup never leaves a
  // truncated file under the name an operator will later restore from.
  const partial = `${target}.partial-${process.pid}`;
  let holdsSigningKey: boolean;
  const staging = `${partial}.d`;
  let documents = 0;
  let missingDocuments: string[] = [];
  try {
    if (config.databaseUrl === undefined) {
      const pgDir = path.join(config.dataDir, 'pglite');
      if (!fs.existsSync(pgDir) || fs.readdirSync(pgDir).length === 0) {
        throw new BackupError(`there is no aigov database in ${config.dataDir} (AIGOV_DATA_DIR) to back up`);
      }
      // Takes the data-dir lock: throws DataDirLockedError while a server runs on it. Held
      // until the document files are in too, so no server writes any meanwhile.
      const database = await openDatabase({ dataDir: config.dataDir });
      try {
        holdsSigningKey = await storesSigningKey(database);
        const dump = await database.pglite!.dumpDataDir('gzip');
        const files = await documentFilesOf(database, config);
        documents = files.present.length;
        missingDocuments = files.missing;
        fs.mkdirSync(staging, { mode: 0o700 });
        fs.writeFileSync(
          path.join(staging, BACKUP_MANIFEST),
          `${JSON.stringify({ format: 'aigov-pglite-backup', version: 1, documents }, null, 2)}\n`,
        );
        fs.writeFileSync(path.join(staging, PGLITE_MEMBER), Buffer.from(await dump.arrayBuffer()));
        fs.writeFileSync(partial, '', { mode: 0o600 });
        await tar.c({ file: partial, cwd: staging, portable: true }, [BACKUP_MANIFEST, PGLITE_MEMBER]);
        // Appended in batches (tar.r reads its file list into one argument vector).
        for (let i = 0; i < files.present.length; i += 1000) {
          await tar.r({ file: partial, cwd: config.dataDir, portable: true }, files.present.slice(i, i + 1000));
        }
      } finally {
        await database.close();
      }
    } else {
      await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`], config);
      fs.chmodSync(partial, 0o600);
      // Asked after the dump: a key is never deleted, so absent now means absent from the dump.
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
      holdsSigningKey = await storesSigningKey(database).finally(() => database.close());
    }
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { format: targetKind(config), bytes: fs.statSync(target).size, holdsSigningKey, documents, missingDocuments };
}

/**
 * What a backup holds and what it leaves out, for the operator who must store it: the whole
 * database (personal data, password hashes, the audit trail, the transparency log) and, when
 * the database keeps the generated key (PostgreSQL without AIGOV_LOG_SIGNING_KEY), the log's
 * private signing key; never the files beside the database in the data directory.
 */
export function describeBackup(config: Config, result: BackupResult): string {
  const holds =
    'It holds the whole database: every record with its personal data and password hashes, the audit trail ' +
    'and the transparency log';
  const keyFile = path.join(config.dataDir, SIGNING_KEY_FILE);
  let key: string;
  if (result.holdsSigningKey) {
    key =
      ', and the transparency-log PRIVATE SIGNING KEY (table transparency_keys): whoever reads the file can sign ' +
      'checkpoints as this log.';
  } else if (config.logSigningKey !== undefined) {
    key = '. NOT in it: the transparency-log signing key, which comes from AIGOV_LOG_SIGNING_KEY (your secret store).';
  } else if (result.format === 'pglite') {
    key =
      `. NOT in it: the transparency-log signing key ${keyFile} — copy that file separately (encrypted as well) ` +
      'or set AIGOV_LOG_SIGNING_KEY, or a restored log cannot go on with the same key.';
  } else {
    key = '. No transparency-log signing key is stored in the database yet.';
  }
  const beside =
    result.format === 'pglite'
      ? ` With it, the ${result.documents} document files. Not in it: the other files in ${config.dataDir} (initial-admin-password, the mail/ drop).`
      : '';
  return `${holds}${key}${beside} Store it encrypted.`;
}

/** The document files the rows name (relative to the data dir), and the documents whose file is missing. */
async function documentFilesOf(
  database: DatabaseHandle,
  config: Config,
): Promise<{ present: string[]; missing: string[] }> {
  const rows = await database.db
    .selectFrom('filing_documents')
    .select(['id', 'sha256'])
    .where('content', 'is', null)
    .orderBy('id')
    .execute();
  const store = fileStoreOf(config);
  const present = new Set<string>();
  const missing: string[] = [];
  for (const row of rows) {
    const file = store.pathOf(row.sha256);
    if (fs.existsSync(file)) present.add(path.relative(config.dataDir, file).split(path.sep).join('/'));
    else missing.push(row.id);
  }
  return { present: [...present].sort(), missing };
}

export interface RestoreReport {
  format: BackupFormat;
  /** PGlite: where the replaced data directory was moved (kept until the operator deletes it). */
  previousDataMovedTo?: string;
  /** PGlite: where the replaced document files were moved. */
  previousDocumentsMovedTo?: string;
  auditEvents: number;
  /** Audit rows the backup holds unchained (taken while a sequencer was behind): chained at the next start. */
  auditPending: number;
  auditChainOk: boolean;
  /** Every restored document checked against its recorded SHA-256. */
  documents: DocumentVerification;
}

/**
 * Replaces the configured database with the backup in `file`. Refuses to overwrite a
 * database that already holds data unless `force` is set.
 */
export async function restoreDatabase(config: Config, file: string, force: boolean): Promise<RestoreReport> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError(`backup file ${source} does not exist`);
  const layout = detectBackupLayout(source);
  const format = layout === undefined ? undefined : layout === 'postgres' ? 'postgres' : 'pglite';
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
  let previousDocumentsMovedTo: string | undefined;
  let database: DatabaseHandle;
  if (kind === 'pglite') {
    const pgDir = path.join(config.dataDir, 'pglite');
    const documentsDir = path.join(config.dataDir, DOCUMENTS_DIR);
    const staging = path.join(config.dataDir, `restore-${process.pid}.partial`);
    fs.mkdirSync(config.dataDir, { recursive: true });
    // Take the lock before touching anything: a running server must be stopped first.
    const probe = await openDatabaseIfPresent(config.dataDir, pgDir);
    const suffix = `.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    if (probe !== undefined) {
      const hasData = await hasAigovData(probe);
      await probe.close();
      if (hasData && !force) {
        throw new BackupError(
          `${config.dataDir} already holds an aigov database; add --force to replace it (the current one is moved aside, not deleted)`,
        );
      }
      previousDataMovedTo = `${pgDir}${suffix}`;
      fs.renameSync(pgDir, previousDataMovedTo);
    }
    // The documents belong to the database they came with: moved aside together.
    if (fs.existsSync(documentsDir)) {
      previousDocumentsMovedTo = `${documentsDir}${suffix}`;
      fs.renameSync(documentsDir, previousDocumentsMovedTo);
    }
    try {
      let dump: Buffer;
      if (layout === 'pglite-archive') {
        fs.rmSync(staging, { recursive: true, force: true });
        fs.mkdirSync(staging, { mode: 0o700 });
        // Only the members an aigov backup has; node-tar also refuses absolute and `..` paths.
        await tar.x({
          file: source,
          cwd: staging,
          strict: true,
          filter: (member) => member === BACKUP_MANIFEST || member === PGLITE_MEMBER || DOCUMENT_MEMBER.test(member),
        });
        if (!fs.existsSync(path.join(staging, PGLITE_MEMBER))) {
          throw new BackupError(`${source} holds no ${PGLITE_MEMBER}: not a complete aigov backup`);
        }
        dump = fs.readFileSync(path.join(staging, PGLITE_MEMBER));
        if (fs.existsSync(path.join(staging, DOCUMENTS_DIR))) {
          fs.renameSync(path.join(staging, DOCUMENTS_DIR), documentsDir);
        }
      } else {
        dump = fs.readFileSync(source);
      }
      database = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([new Uint8Array(dump)]) });
    } catch (error) {
      // Put the previous database back: a failed restore must not leave the operator with nothing.
      if (previousDataMovedTo !== undefined) {
        fs.rmSync(pgDir, { recursive: true, force: true });
        fs.renameSync(previousDataMovedTo, pgDir);
        previousDataMovedTo = undefined;
      }
      if (previousDocumentsMovedTo !== undefined) {
        fs.rmSync(documentsDir, { recursive: true, force: true });
        fs.renameSync(previousDocumentsMovedTo, documentsDir);
        previousDocumentsMovedTo = undefined;
      }
      throw error;
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
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
    const documents = await verifyDocumentContents(database.db, config);
    return {
      format,
      previousDataMovedTo,
      previousDocumentsMovedTo,
      auditEvents: audit.checked,
      auditPending: audit.pending,
      auditChainOk: audit.ok,
      documents,
    };
  } finally {
    await database.close();
  }
}

async function openDatabaseIfPresent(dataDir: string, pgDir: string): Promise<DatabaseHandle | undefined> {
  if (fs.existsSync(pgDir) && fs.readdirSync(pgDir).length > 0) return openDatabase({ dataDir });
  // Nothing to replace, but a server starting on this directory must still be noticed.
  (await acquireDataDirLock(dataDir)).release();
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
    const result = await backupDatabase(context.config, file);
    context.out.write(
      `aigov: ${result.format === 'pglite' ? 'embedded database' : 'PostgreSQL'} backup written to ${path.resolve(file)} ` +
        `(${(result.bytes / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s). ` +
        `${describeBackup(context.config, result)}\n`,
    );
    const { missingDocuments } = result;
    if (missingDocuments.length > 0) {
      context.err.write(
        `aigov: WARNING: the files of ${missingDocuments.length} documents are missing and not in the backup ` +
          `(${missingDocuments.slice(0, 10).join(', ')}${missingDocuments.length > 10 ? ', …' : ''}); run aigov audit verify\n`,
      );
      return 1;
    }
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
    if (report.previousDocumentsMovedTo !== undefined) {
      context.out.write(
        `aigov: the previous document files were moved to ${report.previousDocumentsMovedTo}; delete them once satisfied\n`,
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
    const { documents } = report;
    if (documents.missing.length + documents.corrupt.length > 0) {
      context.err.write(
        `aigov: WARNING: of ${documents.checked} restored documents, ${documents.missing.length} are missing and ` +
          `${documents.corrupt.length} do not match their SHA-256; run aigov audit verify for the list\n`,
      );
    }
    if (!report.auditChainOk) {
      context.err.write('aigov: WARNING: the audit chain of the restored database does not verify\n');
      return 1;
    }
    if (documents.missing.length + documents.corrupt.length > 0) return 1;
    const pending =
      report.auditPending > 0 ? `, ${report.auditPending} pending that the server chains when it starts` : '';
    context.out.write(
      `aigov: audit chain verifies (${report.auditEvents} events${pending}), ${documents.checked} documents match their SHA-256; start the server to apply any newer migrations\n`,
    );
    return 0;
  },
};
