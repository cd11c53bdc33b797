/**
 * Where uploaded documents' bytes live.
 *
 * - `files` (the default on PGlite): content-addressed files,
 *   `AIGOV_DATA_DIR/documents/sha256/ab/cdef…` (the SHA-256 of the bytes, split after two hex
 *   digits). PGlite runs PostgreSQL in WebAssembly, whose memory grows with every large value
 *   it handles and can never shrink: a server that had taken a few dozen 19 MB uploads sat at
 *   ≈ 1 GB RSS for good (bench/README.md, "document-storage"). Only the row goes through it now.
 * - `database` (the default on PostgreSQL): the `content` bytea column. Instances on
 *   PostgreSQL share nothing but the database, so that is where every instance finds the bytes.
 *
 * A file is written to `documents/tmp/`, fsynced, renamed into place and its directory fsynced
 * before the row that names it commits; the row is the only thing that makes it a document.
 * The same bytes uploaded twice share one file. An upload whose transaction rolls back removes
 * its file again unless another row or an upload in flight uses it (`abandon`); a crash between
 * write and commit leaves an orphan that the sweep at start removes (`sweepOrphanFiles`).
 * Documents are never deleted otherwise.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config, DocumentStoreKind } from '../../config.ts';
import type { DatabaseKind } from '../../db/connection.ts';

/** The store's directory inside `AIGOV_DATA_DIR`. */
export const DOCUMENTS_DIR = 'documents';
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The storage new uploads go to: configured, else by database kind. */
export function documentStorageOf(deps: { config: Config; dbKind: DatabaseKind }): DocumentStoreKind {
  return deps.config.documentStore ?? (deps.dbKind === 'pglite' ? 'files' : 'database');
}

/** The file store of a data directory (one instance per directory in this process). */
export function fileStoreOf(config: Pick<Config, 'dataDir'>): FileDocumentStore {
  const root = path.join(config.dataDir, DOCUMENTS_DIR);
  let store = stores.get(root);
  if (store === undefined) {
    store = new FileDocumentStore(root);
    stores.set(root, store);
  }
  return store;
}

// The pins of uploads in flight must be seen by every clean-up in this process. PGlite is
// single-process per data directory (aigov.lock), so this process sees all of them.
const stores = new Map<string, FileDocumentStore>();

export class FileDocumentStore {
  /** Uploads in flight per content: their file must survive any clean-up until they end. */
  private readonly pins = new Map<string, number>();
  /** Writes and removals of one content run one after another. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  /** `documents/sha256/ab/cdef…` for a SHA-256 in lower-case hex. */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  /**
   * Makes sure the bytes are on disk under their hash, durably (file and directory fsynced),
   * and pins them until the returned function is called: call it once the row that names
   * them has committed or rolled back.
   */
  async put(sha256: string, bytes: Uint8Array): Promise<() => void> {
    const target = this.pathOf(sha256);
    this.pins.set(sha256, (this.pins.get(sha256) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.pins.get(sha256) ?? 1) - 1;
      if (left === 0) this.pins.delete(sha256);
      else this.pins.set(sha256, left);
    };
    try {
      await this.serialised(sha256, () => this.writeIfMissing(target, sha256, bytes));
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Removes the content's file unless an upload in flight pins it or `isReferenced()` (asked
   * after the pins, so that no row can commit in between unseen) finds a row naming it.
   */
  async discardIfUnreferenced(sha256: string, isReferenced: () => Promise<boolean>): Promise<boolean> {
    const target = this.pathOf(sha256);
    return this.serialised(sha256, async () => {
      if (this.pins.has(sha256) || (await isReferenced()) || this.pins.has(sha256)) return false;
      await fsp.rm(target, { force: true });
      return true;
    });
  }

  /** The bytes, or undefined when the file is missing. */
  async read(sha256: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(this.pathOf(sha256));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** A stream of the bytes, or undefined when the file is missing. */
  async open(sha256: string): Promise<Readable | undefined> {
    try {
      const handle = await fsp.open(this.pathOf(sha256), 'r');
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** The SHA-256 of what the file holds now, or undefined when it is missing. */
  async hashOf(sha256: string): Promise<string | undefined> {
    const stream = await this.open(sha256);
    if (stream === undefined) return undefined;
    const hash = crypto.createHash('sha256');
    await pipeline(stream, hash);
    return hash.digest('hex');
  }

  /** Every content hash that has a file. */
  async list(): Promise<string[]> {
    const hashes: string[] = [];
    const base = path.join(this.root, 'sha256');
    for (const prefix of await readDirectory(base)) {
      for (const rest of await readDirectory(path.join(base, prefix))) {
        if (SHA256_HEX.test(prefix + rest)) hashes.push(prefix + rest);
      }
    }
    return hashes.sort();
  }

  /**
   * Removes files no row names and not pinned, and leftovers of interrupted writes. Meant for
   * the start, before any upload: a write in flight in another process would lose its
   * temporary file (PGlite's lock guarantees there is none).
   */
  async sweepOrphanFiles(isReferenced: (sha256: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const sha256 of await this.list()) {
      if (await this.discardIfUnreferenced(sha256, () => isReferenced(sha256))) removed += 1;
    }
    await fsp.rm(path.join(this.root, 'tmp'), { recursive: true, force: true });
    return removed;
  }

  private serialised<T>(sha256: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sha256) ?? Promise.resolve();
    const result = previous.then(task);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(sha256, done);
    void done.then(() => {
      if (this.queues.get(sha256) === done) this.queues.delete(sha256);
    });
    return result;
  }

  private async writeIfMissing(target: string, sha256: string, bytes: Uint8Array): Promise<void> {
    const existing = await fsp.stat(target).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    // Same hash and size: the same bytes (a damaged file is found by `aigov audit verify`).
    if (existing?.size === bytes.length) return;
    const temporaryDir = path.join(this.root, 'tmp');
    await makeDirectory(temporaryDir);
    const temporary = path.join(temporaryDir, `${sha256}.${process.pid}.${crypto.randomBytes(6).toString('hex')}`);
    const handle = await fsp.open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const directory = path.dirname(target);
    await makeDirectory(directory);
    await fsp.rename(temporary, target);
    await syncDirectory(directory);
  }
}

/** `mkdir -p`, fsyncing the parent of every directory it creates (so the new entries survive a crash). */
async function makeDirectory(directory: string): Promise<void> {
  const first = await fsp.mkdir(directory, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  const created: string[] = [];
  for (let current = directory; current.length >= first.length; current = path.dirname(current)) {
    created.push(current);
  }
  for (const dir of created.reverse()) await syncDirectory(path.dirname(dir));
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await fsp.open(directory, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readDirectory(directory: string): Promise<string[]> {
  try {
    return await fsp.readdir(directory);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
