/**
 * RFC 6962 Merkle tree hashing, proofs and proof verification for the public transparency log.
 *
 * Storage scheme. The tree is never held in memory. The store keeps the hash of every
 * *perfect* (complete) subtree, addressed by {@link NodeId} `(level, index)`: the node at level
 * L, index i covers leaves [i·2^L, (i+1)·2^L). Level 0 holds the leaf hashes. A node is written
 * once, when its last leaf is appended, and never changes afterwards (the log is append-only),
 * so one store serves proofs and roots for every past tree size as well as the current one.
 *
 * Every element of an RFC 6962 proof, and the root itself, is MTH(D[a:b]) for a range that is
 * either a perfect subtree or a "right-edge" subtree ending at the tree size. Either way the
 * range splits into at most ⌈log2 n⌉ perfect subtrees of strictly decreasing size, whose hashes
 * fold right-to-left into MTH (RFC 6962 §2.1: the left child is always the largest power of
 * two). A proof therefore costs O(log n) stored nodes, fetched in one batch: the `*Plan`
 * functions list the nodes to read, {@link assembleProof} folds them, and the async helpers
 * ({@link inclusionProof}, {@link consistencyProof}, {@link treeRoot}) do both around a
 * {@link NodeReader}.
 *
 * Sizes and indices are JavaScript numbers restricted to safe integers; arithmetic avoids the
 * 32-bit bitwise operators so that trees beyond 2^31 leaves stay correct.
 */
import { createHash } from 'node:crypto';

/** SHA-256 output length; every RFC 6962 hash here has this many bytes. */
export const HASH_SIZE = 32;

/** Address of a stored perfect subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A stored perfect-subtree hash. */
export interface MerkleNode extends NodeId {
  readonly hash: Uint8Array;
}

/**
 * Batch read of stored nodes: resolves to their hashes in the same order as `ids`. The DB
 * layer implements it with one query (`WHERE (level, index) IN (...)`); a missing node is a
 * storage bug and should reject.
 */
export type NodeReader = (ids: readonly NodeId[]) => Promise<readonly Uint8Array[]>;

/**
 * What to read and how to fold it. `elements[k]` lists positions in `nodes` whose hashes,
 * folded right-to-left with {@link nodeHash}, give proof element k (RFC 6962 §2.1 MTH of a
 * right-edge subtree; a single position is a perfect subtree taken as is).
 */
export interface ProofPlan {
  readonly nodes: readonly NodeId[];
  readonly elements: readonly (readonly number[])[];
}

/** Result of {@link newPerfectNodes}. */
export interface AppendResult {
  /** Every perfect subtree completed by the batch, leaves (level 0) included, to be stored. */
  readonly nodes: readonly MerkleNode[];
  /** Tree size after the batch. */
  readonly treeSize: number;
  /** MTH of the tree after the batch (RFC 6962 §2.1). */
  readonly root: Uint8Array;
}

// RFC 6962 §2.1: domain separation between leaves and interior nodes (second-preimage defence).
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  const digest = h.digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** RFC 6962 §2.1: MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256();

/** RFC 6962 §2.1: MTH({d(0)}) = SHA-256(0x00 || d(0)). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, leaf);
}

/** RFC 6962 §2.1: interior node = SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/**
 * RFC 6962 §2.1 MTH(D[n]) of in-memory leaf hashes, for any n including 0. Runs in O(n) with an
 * O(log n) stack instead of the recursive definition.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  const stack: MerkleNode[] = [];
  hashes.forEach((hash, index) => {
    assertHash(hash, `leaf hash ${index}`);
    pushLeaf(stack, { level: 0, index, hash }, () => undefined);
  });
  return foldRange(stack.map((n) => n.hash));
}

// ---------------------------------------------------------------------------------------------
// Range decomposition

function assertSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
}

function assertHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new TypeError(`${what} must be a ${HASH_SIZE}-byte Uint8Array`);
  }
}

/** The largest power of two strictly less than n (n ≥ 2): RFC 6962 §2.1's split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Perfect subtrees covering [start, end), left to right, each the largest aligned one that fits.
 * Only called for ranges of the RFC 6962 tree shape (start aligned to a power of two ≥ the
 * length), for which the sizes strictly decrease and the right fold of their hashes is MTH.
 */
function perfectCover(start: number, end: number): NodeId[] {
  const ids: NodeId[] = [];
  let pos = start;
  let previous = Infinity;
  while (pos < end) {
    let level = 0;
    let width = 1;
    while (pos % (width * 2) === 0 && pos + width * 2 <= end) {
      width *= 2;
      level += 1;
    }
    if (width >= previous) throw new Error(`internal: [${start}, ${end}) is not an RFC 6962 subtree`);
    previous = width;
    ids.push({ level, index: pos / width });
    pos += width;
  }
  return ids;
}

/** Right fold of a perfect cover's hashes into MTH of the covered range (RFC 6962 §2.1). */
function foldRange(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  if (acc === undefined) throw new Error('internal: empty range');
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Uint8Array, acc);
  return acc;
}

class PlanBuilder {
  readonly nodes: NodeId[] = [];
  readonly elements: number[][] = [];

  /** Adds MTH(D[start:end]) as the next proof element. */
  range(start: number, end: number): void {
    const positions: number[] = [];
    for (const id of perfectCover(start, end)) {
      positions.push(this.nodes.length);
      this.nodes.push(id);
    }
    this.elements.push(positions);
  }

  build(): ProofPlan {
    return { nodes: this.nodes, elements: this.elements };
  }
}

// ---------------------------------------------------------------------------------------------
// Plans (pure)

/** Stored nodes whose fold is MTH of the first `treeSize` leaves. Size 0 has no nodes: use {@link EMPTY_ROOT}. */
export function treeRootPlan(treeSize: number): ProofPlan {
  assertSize(treeSize, 'treeSize');
  const plan = new PlanBuilder();
  if (treeSize > 0) plan.range(0, treeSize);
  return plan.build();
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) as a plan; requires leafIndex < treeSize. */
export function inclusionProofPlan(leafIndex: number, treeSize: number): ProofPlan {
  assertSize(leafIndex, 'leafIndex');
  assertSize(treeSize, 'treeSize');
  if (leafIndex >= treeSize) {
    throw new RangeError(`leafIndex ${leafIndex} is not in a tree of size ${treeSize}`);
  }
  const plan = new PlanBuilder();
  // PATH(m, D[start:end]); elements are emitted leaf-side first, as the RFC's list order.
  const path = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return; // PATH(0, {d(0)}) = {}
    const k = splitPoint(n);
    if (m < k) {
      path(m, start, start + k); // PATH(m, D[0:k]) : MTH(D[k:n])
      plan.range(start + k, end);
    } else {
      path(m - k, start + k, end); // PATH(m - k, D[k:n]) : MTH(D[0:k])
      plan.range(start, start + k);
    }
  };
  path(leafIndex, 0, treeSize);
  return plan.build();
}

/**
 * RFC 6962 §2.1.2 PROOF(m, D[n]) as a plan, for 0 ≤ first ≤ second. The proof is empty when
 * first is 0 or equals second (RFC 9162 §2.1.4.1 only defines 0 < first < second; these
 * trivial cases are consistent by definition).
 */
export function consistencyProofPlan(first: number, second: number): ProofPlan {
  assertSize(first, 'first');
  assertSize(second, 'second');
  if (first > second) {
    throw new RangeError(`first (${first}) must not exceed second (${second})`);
  }
  const plan = new PlanBuilder();
  if (first === 0 || first === second) return plan.build();
  // SUBPROOF(m, D[start:end], b)
  const subproof = (m: number, start: number, end: number, isOriginal: boolean): void => {
    const n = end - start;
    if (m === n) {
      // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}
      if (!isOriginal) plan.range(start, end);
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, start + k, isOriginal); // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      plan.range(start + k, end);
    } else {
      subproof(m - k, start + k, end, false); // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      plan.range(start, start + k);
    }
  };
  subproof(first, 0, second, true);
  return plan.build();
}

/** Folds the hashes read for `plan.nodes` (same order) into the proof's hashes. */
export function assembleProof(plan: ProofPlan, hashes: readonly Uint8Array[]): Uint8Array[] {
  if (hashes.length !== plan.nodes.length) {
    throw new Error(`expected ${plan.nodes.length} node hashes, got ${hashes.length}`);
  }
  hashes.forEach((hash, i) => assertHash(hash, `node hash ${i}`));
  return plan.elements.map((positions) => foldRange(positions.map((p) => hashes[p] as Uint8Array)));
}

// ---------------------------------------------------------------------------------------------
// Proofs from a node store (async, one batch read each)

async function readPlan(plan: ProofPlan, read: NodeReader): Promise<Uint8Array[]> {
  const hashes = plan.nodes.length === 0 ? [] : await read(plan.nodes);
  return assembleProof(plan, hashes);
}

/** MTH of the first `treeSize` leaves from stored nodes (≤ ⌈log2 n⌉ reads). */
export async function treeRoot(treeSize: number, read: NodeReader): Promise<Uint8Array> {
  const [root] = await readPlan(treeRootPlan(treeSize), read);
  return root ?? EMPTY_ROOT;
}

/** RFC 6962 §2.1.1 inclusion proof of leaf `leafIndex` in the tree of size `treeSize`. */
export async function inclusionProof(leafIndex: number, treeSize: number, read: NodeReader): Promise<Uint8Array[]> {
  return readPlan(inclusionProofPlan(leafIndex, treeSize), read);
}

/** RFC 6962 §2.1.2 consistency proof between tree sizes `first` and `second`. */
export async function consistencyProof(first: number, second: number, read: NodeReader): Promise<Uint8Array[]> {
  return readPlan(consistencyProofPlan(first, second), read);
}

// ---------------------------------------------------------------------------------------------
// Appending

/**
 * The stored nodes that are left siblings of anything appended after `treeSize` leaves: the
 * perfect cover of [0, treeSize) (one node per set bit of treeSize). Same as treeRootPlan's nodes.
 */
export function frontierNodeIds(treeSize: number): NodeId[] {
  assertSize(treeSize, 'treeSize');
  return treeSize === 0 ? [] : perfectCover(0, treeSize);
}

/** Pushes a node onto a frontier stack, merging equal-level neighbours into their parent. */
function pushLeaf(stack: MerkleNode[], leaf: MerkleNode, emit: (node: MerkleNode) => void): void {
  emit(leaf);
  let top: MerkleNode = leaf;
  for (;;) {
    const left = stack[stack.length - 1];
    if (left === undefined || left.level !== top.level) break;
    stack.pop();
    top = { level: top.level + 1, index: left.index / 2, hash: nodeHash(left.hash, top.hash) };
    emit(top);
  }
  stack.push(top);
}

/**
 * Appends `newLeafHashes` to a tree of `existingSize` leaves and returns every perfect subtree
 * the batch completes (level 0 included) — exactly the rows the DB must insert — plus the new
 * size and root. Reads only the ≤ ⌈log2 n⌉ frontier nodes ({@link frontierNodeIds}), in one batch.
 */
export async function newPerfectNodes(
  existingSize: number,
  newLeafHashes: readonly Uint8Array[],
  read: NodeReader,
): Promise<AppendResult> {
  assertSize(existingSize, 'existingSize');
  const treeSize = existingSize + newLeafHashes.length;
  assertSize(treeSize, 'new tree size');
  newLeafHashes.forEach((hash, i) => assertHash(hash, `new leaf hash ${i}`));

  const frontierIds = frontierNodeIds(existingSize);
  const frontierHashes = frontierIds.length === 0 ? [] : await read(frontierIds);
  if (frontierHashes.length !== frontierIds.length) {
    throw new Error(`expected ${frontierIds.length} frontier hashes, got ${frontierHashes.length}`);
  }
  const stack: MerkleNode[] = frontierIds.map((id, i) => {
    const hash = frontierHashes[i] as Uint8Array;
    assertHash(hash, `frontier node (${id.level}, ${id.index})`);
    return { ...id, hash };
  });

  const nodes: MerkleNode[] = [];
  newLeafHashes.forEach((hash, i) => {
    pushLeaf(stack, { level: 0, index: existingSize + i, hash }, (node) => nodes.push(node));
  });
  const root = stack.length === 0 ? EMPTY_ROOT : foldRange(stack.map((n) => n.hash));
  return { nodes, treeSize, root };
}

// ---------------------------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2 and §2.1.4.2)

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function isValidHashList(hashes: readonly Uint8Array[]): boolean {
  return hashes.every((h) => h instanceof Uint8Array && h.length === HASH_SIZE);
}

/**
 * RFC 9162 §2.1.3.2: verifies that `leafHash` is leaf `leafIndex` of the tree of size
 * `treeSize` whose root is `root`. Returns false for any malformed input.
 */
export function verifyInclusion(
  leafHashValue: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0) return false;
  if (!isValidHashList([leafHashValue, root, ...proof])) return false;
  // 1. leaf_index must be < tree_size.
  if (leafIndex >= treeSize) return false;
  // 2-3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHashValue;
  // 4.
  for (const p of proof) {
    if (sn === 0) return false; // 4a
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r); // 4b.i
      // 4b.ii: if LSB(fn) is not set, climb the levels where the node has no right sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn); // 4c
    sn = half(sn);
  }
  // 5.
  return sn === 0 && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: verifies that the tree of size `first` with root `firstRoot` is a prefix of
 * the tree of size `second` with root `secondRoot`. Trivial cases, outside the RFC's
 * 0 < first < second: first == second needs an empty proof and equal roots; first == 0 needs
 * an empty proof and `firstRoot` equal to the empty-tree hash.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0) return false;
  if (!isValidHashList([firstRoot, secondRoot, ...proof])) return false;
  if (first > second) return false;
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && bytesEqual(firstRoot, EMPTY_ROOT);

  // 1. An empty path fails.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  // 3.
  let fn = first - 1;
  let sn = second - 1;
  // 4. Right-shift both while LSB(fn) is set.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0] as Uint8Array;
  let sr = fr;
  // 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false; // 6a
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr); // 6b.1
      sr = nodeHash(c, sr); // 6b.2
      // 6b.3: if LSB(fn) is not set, shift until it is or fn is 0.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn); // 6c
    sn = half(sn);
  }
  // 7.
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

function isPowerOfTwo(x: number): boolean {
  let p = 1;
  while (p < x) p *= 2;
  return p === x;
}

// ---------------------------------------------------------------------------------------------
// In-memory store (tests, tools)

const nodeKey = (level: number, index: number): string => `${level}:${index}`;

/** An in-memory node store with the same scheme the database uses. */
export class MemoryNodeStore {
  private readonly nodes = new Map<string, Uint8Array>();
  private size = 0;
  /** Total node reads served (to check that proofs cost O(log n) reads). */
  reads = 0;

  get treeSize(): number {
    return this.size;
  }

  /** Number of stored nodes (2n − popcount(n) for n leaves). */
  get nodeCount(): number {
    return this.nodes.size;
  }

  /** Batch read, in request order; rejects on a missing node. Bound, so it can be passed as a {@link NodeReader}. */
  readonly read: NodeReader = async (ids) => {
    this.reads += ids.length;
    return ids.map(({ level, index }) => {
      const hash = this.nodes.get(nodeKey(level, index));
      if (hash === undefined) throw new Error(`missing node (${level}, ${index})`);
      return hash;
    });
  };

  /** Appends leaf hashes, storing every new perfect node. */
  async appendLeafHashes(hashes: readonly Uint8Array[]): Promise<AppendResult> {
    const result = await newPerfectNodes(this.size, hashes, this.read);
    for (const node of result.nodes) {
      const key = nodeKey(node.level, node.index);
      if (this.nodes.has(key)) throw new Error(`node (${node.level}, ${node.index}) written twice`);
      this.nodes.set(key, node.hash);
    }
    this.size = result.treeSize;
    return result;
  }

  /** Appends raw leaves (hashing them with {@link leafHash}). */
  async appendLeaves(leaves: readonly Uint8Array[]): Promise<AppendResult> {
    return this.appendLeafHashes(leaves.map(leafHash));
  }
}
