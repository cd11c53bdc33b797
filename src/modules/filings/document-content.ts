/**
 * Document bytes between the rows and the store (document-store.ts): staging an upload's
 * bytes before its row commits, reading them back, moving bytea content out to the file store
 * at start, sweeping orphans, and checking every document against its recorded SHA-256
 * (`aigov audit verify`, `aigov restore`).
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { documentStorageOf, fileStoreOf } from './document-store.ts';
import { clearDocumentContent, findDocumentContent, isDocumentContentReferenced, listDocumentsAfter } from './repo.ts';

/** An upload's bytes, ready for its row. */
export interface StagedContent {
  /** What the row's `content` column gets: the bytes (database storage) or null (file store). */
  readonly content: Uint8Array | null;
  /** The row has committed: its file needs no more protection. */
  settle(): void;
  /** The row did not commit: its file goes, unless another row or upload uses the same bytes. */
  abandon(): Promise<void>;
}

/** Puts an upload's bytes where its row will find them — before the row's transaction. */
export async function stageDocumentContent(deps: AppDeps, sha256: string, bytes: Uint8Array): Promise<StagedContent> {
  if (documentStorageOf(deps) === 'database') {
    return { content: bytes, settle: () => undefined, abandon: () => Promise.resolve() };
  }
  const store = fileStoreOf(deps.config);
  const release = await store.put(sha256, bytes);
  return {
    content: null,
    settle: release,
    async abandon() {
      release();
      await store.discardIfUnreferenced(sha256, () => isDocumentContentReferenced(deps.db, sha256));
    },
  };
}

/** Runs an upload's write with its staged bytes, cleaning the store up if the write fails. */
export async function withStagedContent<T>(
  deps: AppDeps,
  sha256: string,
  bytes: Uint8Array,
  write: (content: Uint8Array | null) => Promise<T>,
): Promise<T> {
  const staged = await stageDocumentContent(deps, sha256, bytes);
  let result: T;
  try {
    result = await write(staged.content);
  } catch (error) {
    await staged.abandon();
    throw error;
  }
  staged.settle();
  return result;
}

/** After a document's row is gone: its file goes too, unless another document has the same bytes. */
export async function discardRemovedContent(
  deps: Pick<AppDeps, 'db' | 'config' | 'dbKind'>,
  sha256: string,
): Promise<void> {
  if (documentStorageOf(deps) === 'database') return;
  await fileStoreOf(deps.config).discardIfUnreferenced(sha256, () => isDocumentContentReferenced(deps.db, sha256));
}

/**
 * A document's bytes: from its row, or streamed from the file store. A row without its bytes
 * anywhere is data loss, not a client error: it throws (→ 500, logged) and `aigov audit
 * verify` names it.
 */
export async function readDocumentContent(
  deps: Pick<AppDeps, 'db' | 'config'>,
  document: { id: string; sha256: string },
): Promise<Buffer | Readable> {
  const inRow = await findDocumentContent(deps.db, document.id);
  if (inRow !== null && inRow !== undefined) return inRow;
  const stream = await fileStoreOf(deps.config).open(document.sha256);
  if (stream === undefined) {
    throw new Error(`The bytes of document ${document.id} (sha256 ${document.sha256}) are missing from the store`);
  }
  return stream;
}

/**
 * At start, with the file store in use: moves every document whose bytes are still in its row
 * (uploaded before migration 0010, or restored from an older backup) into the file store, one
 * document per transaction — file written and fsynced, then the row's bytes cleared — so a
 * crash at any point leaves every document readable and the next start carries on. Then the
 * table is compacted (VACUUM FULL), which gives the space back to the file system.
 */
export async function moveDocumentsToFileStore(
  deps: Pick<AppDeps, 'db' | 'config' | 'dbKind'>,
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
): Promise<number> {
  if (documentStorageOf(deps) !== 'files') return 0;
  const store = fileStoreOf(deps.config);
  let moved = 0;
  let afterId: string | undefined;
  for (;;) {
    const [next] = await listDocumentsAfter(deps.db, { afterId, limit: 1, onlyWithContent: true });
    if (next === undefined) break;
    afterId = next.id;
    const bytes = await findDocumentContent(deps.db, next.id);
    if (bytes === null || bytes === undefined) continue;
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== next.sha256) {
      // Keep damaged bytes where they are, for an operator to look at; audit verify reports them.
      log.warn({ documentId: next.id }, 'document bytes do not match their sha256; left in the database');
      continue;
    }
    const release = await store.put(next.sha256, bytes);
    try {
      if (await clearDocumentContent(deps.db, next.id, next.sha256)) moved += 1;
    } finally {
      release();
    }
  }
  if (moved > 0) {
    await sql`VACUUM FULL filing_documents`.execute(deps.db);
    log.info({ moved }, 'document bytes moved from the database to the file store');
  }
  return moved;
}

/**
 * At start, on the embedded database only (one process per data directory, so no upload can
 * be in flight): removes files that no document names — left by a crash between a file's
 * write and its row's commit — and interrupted writes.
 */
export async function sweepOrphanDocumentFiles(
  deps: Pick<AppDeps, 'db' | 'config' | 'dbKind'>,
  log: Pick<FastifyBaseLogger, 'info'>,
): Promise<number> {
  if (deps.dbKind !== 'pglite') return 0;
  const referenced = new Set(
    (await deps.db.selectFrom('filing_documents').select('sha256').distinct().execute()).map((row) => row.sha256),
  );
  const removed = await fileStoreOf(deps.config).sweepOrphanFiles(async (sha256) =>
    referenced.has(sha256) ? true : isDocumentContentReferenced(deps.db, sha256),
  );
  if (removed > 0) log.info({ removed }, 'orphaned document files removed');
  return removed;
}

/** What `verifyDocumentContents` found. */
export interface DocumentVerification {
  checked: number;
  /** Documents whose bytes are nowhere. */
  missing: Array<{ id: string; sha256: string }>;
  /** Documents whose bytes are there but hash to something else. */
  corrupt: Array<{ id: string; sha256: string; actual: string }>;
}

/**
 * Checks every stored document's bytes — in its row or in the file store — against the
 * SHA-256 recorded at upload, one document in memory at a time.
 */
export async function verifyDocumentContents(
  db: Kysely<Database>,
  config: Pick<Config, 'dataDir'>,
): Promise<DocumentVerification> {
  const store = fileStoreOf(config);
  const result: DocumentVerification = { checked: 0, missing: [], corrupt: [] };
  let afterId: string | undefined;
  for (;;) {
    const page = await listDocumentsAfter(db, { afterId, limit: 100 });
    if (page.length === 0) break;
    for (const document of page) {
      result.checked += 1;
      let actual: string | undefined;
      if (document.inDatabase) {
        const bytes = await findDocumentContent(db, document.id);
        actual = bytes === null || bytes === undefined ? undefined : sha256Of(bytes);
      } else {
        actual = await store.hashOf(document.sha256);
      }
      if (actual === undefined) result.missing.push({ id: document.id, sha256: document.sha256 });
      else if (actual !== document.sha256) result.corrupt.push({ id: document.id, sha256: document.sha256, actual });
    }
    afterId = page.at(-1)!.id;
  }
  return result;
}

function sha256Of(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
