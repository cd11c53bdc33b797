import type { Kysely, Transaction } from 'kysely';
import { publicKeyInfo, signCheckpoint, type PublicKeyInfo, type SigningKey } from '../../lib/checkpoint.ts';
import {
  EMPTY_ROOT,
  assembleProof,
  consistencyProofPlan,
  inclusionProofPlan,
  leafHash,
  newPerfectNodes,
  type ProofPlan,
} from '../../lib/merkle.ts';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { badRequest } from '../../platform/errors.ts';
import {
  findLatestCheckpoint,
  findLeaves,
  findNodesAndLogSize,
  findLogSize,
  insertCheckpoint,
  insertLeaves,
  insertNodes,
  lockLogSequencer,
  nodeReader,
  type StoredLeaf,
} from './repo.ts';
import { checkpointSigningKey } from './signing-key.ts';

/** Most leaves one `GET /transparency/entries` returns. */
export const MAX_ENTRIES_PER_REQUEST = 1000;

export interface AppendedLeaves {
  /** Index of the first appended leaf; the others follow in order. */
  firstIndex: number;
  /** Size of the log after the append (and of the checkpoint signed for it). */
  treeSize: number;
  root: Uint8Array;
}

type LogDeps = Pick<AppDeps, 'config' | 'db' | 'dbKind' | 'clock'>;

/**
 * Appends a batch of leaves in the caller's transaction — the single sequencer of the log.
 *
 * The advisory lock serialises appenders (instances, outbox batches, the demo loader); in
 * READ COMMITTED the size read after taking it is the last committed one. The leaves, every
 * perfect subtree they complete (RFC 6962 hashes, at most ~2 rows a leaf) and one checkpoint
 * re-signed for the new size commit or roll back together with whatever the caller did —
 * the register entry and decision row, and the outbox event marked processed — so a public
 * decision is logged exactly once. Reads only the ≤ log2(n) frontier nodes.
 */
export async function appendLeaves(
  trx: Transaction<Database>,
  deps: LogDeps,
  leaves: readonly Uint8Array[],
): Promise<AppendedLeaves> {
  // The key is loaded before the lock, outside the transaction (see checkpointSigningKey).
  const key = await checkpointSigningKey(deps, trx);
  await lockLogSequencer(trx);
  const existingSize = await findLogSize(trx);
  if (leaves.length === 0) {
    const latest = await findLatestCheckpoint(trx);
    return { firstIndex: existingSize, treeSize: existingSize, root: latest?.root ?? EMPTY_ROOT };
  }
  const appended = await newPerfectNodes(existingSize, leaves.map(leafHash), nodeReader(trx));
  const now = deps.clock.now();
  await insertLeaves(trx, existingSize, leaves, now);
  await insertNodes(trx, appended.nodes);
  await insertCheckpoint(trx, signedCheckpoint(deps, key, appended.treeSize, appended.root), now);
  return { firstIndex: existingSize, treeSize: appended.treeSize, root: appended.root };
}

/** Takes the sequencer lock early, for callers that must decide what to append under it. */
export async function lockTransparencyLog(trx: Transaction<Database>): Promise<void> {
  await lockLogSequencer(trx);
}

function signedCheckpoint(deps: Pick<AppDeps, 'config'>, key: SigningKey, size: number, root: Uint8Array) {
  const origin = deps.config.logOrigin;
  return {
    size,
    root,
    origin,
    keyId: Buffer.from(key.keyId).toString('hex'),
    note: signCheckpoint({ origin, size, root }, key),
  };
}

export interface CurrentCheckpoint {
  size: number;
  root: Uint8Array;
  note: string;
}

/**
 * The latest checkpoint as a signed note. The stored note is served as is; if the operator
 * has since rotated the key or renamed the origin, the same tree head is signed afresh with
 * the current key (Ed25519 is deterministic, so every instance serves the same bytes). An
 * empty log has a size-0 checkpoint over the empty-tree hash.
 */
export async function currentCheckpoint(deps: LogDeps, _ctx: RequestContext): Promise<CurrentCheckpoint> {
  const [key, latest] = await Promise.all([checkpointSigningKey(deps), findLatestCheckpoint(deps.db)]);
  const size = latest?.size ?? 0;
  const root = latest?.root ?? EMPTY_ROOT;
  const keyId = Buffer.from(key.keyId).toString('hex');
  if (latest !== undefined && latest.keyId === keyId && latest.origin === deps.config.logOrigin) {
    return { size, root, note: latest.note };
  }
  return { size, root, note: signedCheckpoint(deps, key, size, root).note };
}

/** `GET /transparency/public-key`: the key verifiers pin. */
export async function checkpointPublicKey(deps: LogDeps, _ctx: RequestContext): Promise<PublicKeyInfo> {
  return publicKeyInfo(await checkpointSigningKey(deps));
}

function rangeError(code: string, zh: string, en: string, pointer: string): never {
  throw badRequest(code, { detail: { zh, en }, errors: [{ pointer, message: en }] });
}

/** Leaves [start, end) of the published log; at most {@link MAX_ENTRIES_PER_REQUEST}. */
export async function logEntries(
  deps: Pick<AppDeps, 'db'>,
  _ctx: RequestContext,
  input: { start: number; end: number },
): Promise<StoredLeaf[]> {
  const { db } = deps;
  const { start, end } = input;
  if (end <= start) rangeError('invalid_range', 'end 必须大于 start', 'end must be greater than start', '/end');
  if (end - start > MAX_ENTRIES_PER_REQUEST) {
    rangeError(
      'invalid_range',
      `一次最多读取 ${MAX_ENTRIES_PER_REQUEST} 条`,
      `at most ${MAX_ENTRIES_PER_REQUEST} entries per request`,
      '/end',
    );
  }
  const size = await findLogSize(db);
  if (end > size) {
    rangeError('range_beyond_log', `日志当前只有 ${size} 条`, `the log has ${size} entries`, '/end');
  }
  return findLeaves(db, start, end);
}

/** Reads a proof plan's nodes and the log size in one query; `needed` beyond the size → 400. */
async function provePlan(
  db: Kysely<Database>,
  plan: ProofPlan,
  needed: number,
  pointer: string,
): Promise<Uint8Array[]> {
  const { size, hashes } = await findNodesAndLogSize(db, plan.nodes);
  if (needed > size) {
    rangeError(
      'range_beyond_log',
      `日志当前只有 ${size} 条`,
      `${pointer.slice(1)} exceeds the log size ${size}`,
      pointer,
    );
  }
  return assembleProof(
    plan,
    hashes.map((hash, i) => {
      if (hash === undefined) throw new Error(`transparency log: missing node ${JSON.stringify(plan.nodes[i])}`);
      return hash;
    }),
  );
}

/**
 * RFC 6962 §2.1.1 audit path of leaf `leafIndex` in the tree of size `treeSize`, from stored
 * nodes in one query. `treeSize` beyond the published size is a 400 (not 404: the tree of that
 * size does not exist *yet*, and a client asking for it has made a request error).
 */
export async function logInclusionProof(
  deps: Pick<AppDeps, 'db'>,
  _ctx: RequestContext,
  input: { leafIndex: number; treeSize: number },
): Promise<Uint8Array[]> {
  const { leafIndex, treeSize } = input;
  if (leafIndex >= treeSize) {
    rangeError('invalid_range', 'leafIndex 必须小于 treeSize', 'leafIndex must be less than treeSize', '/leafIndex');
  }
  return provePlan(deps.db, inclusionProofPlan(leafIndex, treeSize), treeSize, '/treeSize');
}

/** RFC 6962 §2.1.2 consistency proof between two published sizes (empty when first is 0 or equal). */
export async function logConsistencyProof(
  deps: Pick<AppDeps, 'db'>,
  _ctx: RequestContext,
  input: { first: number; second: number },
): Promise<Uint8Array[]> {
  const { first, second } = input;
  if (first > second) {
    rangeError('invalid_range', 'first 不能大于 second', 'first must not exceed second', '/first');
  }
  return provePlan(deps.db, consistencyProofPlan(first, second), second, '/second');
}
