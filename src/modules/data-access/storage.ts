/**
 * Where a dataset version's CSV lives (see migration 0014): files under
 * `AIGOV_DATA_DIR/datasets/` on PGlite, 1 MiB chunks in `dataset_data_chunks` on PostgreSQL
 * (the same choice as the filings document store, `documentStorageOf`).
 *
 * An upload is spooled to a temporary file while it is validated (nothing reaches the
 * database until the whole file has passed); the bytes are stored as sent (a BOM, CRLF…
 * are read the same way again) and re-read with the same reader for every download.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { validateDatasetCsv, type CsvSource, type DatasetField } from '../../lib/csv-dataset.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { newId } from '../../platform/ids.ts';
import type { Executor, VersionRow } from './repo.ts';

const CHUNK_BYTES = 1024 * 1024;

export interface SpooledUpload {
  tempPath: string;
  rows: number;
  bytes: number;
  sha256: string;
}

function datasetsDir(deps: Pick<AppDeps, 'config'>): string {
  return path.join(deps.config.dataDir, 'datasets');
}

/**
 * Validates the upload while copying its bytes to a temporary file. Throws the reader's
 * `DatasetCsvError` (the file removed) when the CSV does not pass.
 */
export async function spoolUpload(
  deps: Pick<AppDeps, 'config'>,
  source: AsyncIterable<Uint8Array | string>,
  fields: readonly DatasetField[],
): Promise<SpooledUpload> {
  const dir = path.join(datasetsDir(deps), 'tmp');
  await fsp.mkdir(dir, { recursive: true });
  const tempPath = path.join(dir, `${newId()}.csv`);
  const out = fs.createWriteStream(tempPath);
  const hash = crypto.createHash('sha256');
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure = error;
  });
  async function* tee(): AsyncGenerator<Uint8Array> {
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      if (failure !== undefined) throw failure;
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      yield chunk;
    }
  }
  try {
    const summary = await validateDatasetCsv(tee() as CsvSource, fields, { batchSize: 4096 });
    out.end();
    await once(out, 'finish');
    if (failure !== undefined) throw failure;
    return { tempPath, rows: summary.rows, bytes: summary.bytes, sha256: hash.digest('hex') };
  } catch (error) {
    out.destroy();
    await fsp.rm(tempPath, { force: true });
    throw error;
  }
}

/**
 * Stores a spooled upload as version `versionId` inside `trx`. Returns a function that undoes
 * the file side if the transaction does not commit.
 */
export async function storeVersion(
  trx: Transaction<Database>,
  deps: Pick<AppDeps, 'config' | 'dbKind'>,
  versionId: string,
  spooled: SpooledUpload,
): Promise<{ storage: 'files' | 'database'; undo: () => Promise<void> }> {
  if (versionStorageOf(deps) === 'files') {
    const target = path.join(datasetsDir(deps), `${versionId}.csv`);
    const handle = await fsp.open(spooled.tempPath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(spooled.tempPath, target);
    return { storage: 'files', undo: () => fsp.rm(target, { force: true }) };
  }
  let seq = 0;
  const stream = fs.createReadStream(spooled.tempPath, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    await trx.insertInto('dataset_data_chunks').values({ version_id: versionId, seq, content: chunk }).execute();
    seq += 1;
  }
  return { storage: 'database', undo: async () => {} };
}

export async function discardSpool(spooled: SpooledUpload): Promise<void> {
  await fsp.rm(spooled.tempPath, { force: true });
}

/** Where a new version's bytes go: the document store's setting and default (`documentStorageOf`). */
export function versionStorageOf(deps: Pick<AppDeps, 'config' | 'dbKind'>): 'files' | 'database' {
  return (deps.config.documentStore ?? (deps.dbKind === 'pglite' ? 'files' : 'database')) === 'files'
    ? 'files'
    : 'database';
}

/** The bytes of a stored version, chunk by chunk (never the whole file at once). */
export async function* readVersion(
  deps: Pick<AppDeps, 'config'>,
  db: Executor,
  version: VersionRow,
): AsyncGenerator<Uint8Array> {
  if (version.storage === 'files') {
    yield* fs.createReadStream(path.join(datasetsDir(deps), `${version.id}.csv`), { highWaterMark: 256 * 1024 });
    return;
  }
  for (let seq = 0; ; seq += 1) {
    const row = await db
      .selectFrom('dataset_data_chunks')
      .select('content')
      .where('version_id', '=', version.id)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (row === undefined) return;
    yield row.content;
  }
}
