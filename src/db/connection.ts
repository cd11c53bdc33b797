import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { BYTEA_OID, parseBytea, serializeBytea } from './pglite-bytea.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the kysely handle plus what is needed to close it cleanly. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** Present on PGlite only: used for snapshots (backup) in tests and the CLI. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** A PGlite data-dir tarball to start from (test snapshots, restore). */
  loadDataDir?: Blob;
  /** PGlite only: keep the database in memory (tests); no lock file, nothing on disk. */
  inMemory?: boolean;
  /** PostgreSQL pool size; small by default because PGlite-sized tests are the norm. */
  poolSize?: number;
}

// Parse int8 and numeric as JS numbers/strings consistently on both drivers: counts come
// back as bigint strings from pg, so repos cast explicitly where they need numbers.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value));

/**
 * PGlite keeps PostgreSQL's 128 MB of shared buffers, zeroed on every open (≈ 0.3 s of each
 * start and of each test database). One embedded process serving a small deployment works
 * from far less, and the operating system's page cache still holds the files beneath it.
 */
const PGLITE_OPTIONS = {
  extensions: { pg_trgm },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
  serializers: { [BYTEA_OID]: serializeBytea },
  parsers: { [BYTEA_OID]: parseBytea },
};

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl !== undefined) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  if (options.inMemory === true) return openMemoryPglite(options.loadDataDir);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openMemoryPglite(loadDataDir?: Blob): Promise<DatabaseHandle> {
  const pglite = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: once(async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    }),
  };
}

/** close() may be called by a test and again by its teardown: the second call is a no-op. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: once(() => db.destroy()) };
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<DatabaseHandle> {
  fs.mkdirSync(dataDir, { recursive: true });
  const pgDir = path.join(dataDir, 'pglite');
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  try {
    // Restoring a snapshot replaces the directory's contents (see `aigov restore`).
    if (loadDataDir !== undefined) fs.rmSync(pgDir, { recursive: true, force: true });
    const pglite = await PGlite.create({ ...PGLITE_OPTIONS, dataDir: pgDir, loadDataDir });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      pglite,
      close: once(async () => {
        try {
          await db.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          lock.release();
        }
      }),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
