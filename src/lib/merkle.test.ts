import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  MemoryNodeStore,
  assembleProof,
  consistencyProof,
  consistencyProofPlan,
  frontierNodeIds,
  inclusionProof,
  inclusionProofPlan,
  leafHash,
  newPerfectNodes,
  nodeHash,
  rootFromLeafHashes,
  treeRoot,
  treeRootPlan,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
import type { NodeId, ProofPlan } from './merkle.ts';

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const hexList = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex);
/** Cheaper than deepEqual for the tens of thousands of proofs compared below. */
const sameHashes = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean =>
  a.length === b.length && Buffer.concat(a).equals(Buffer.concat(b));

// Known-answer vectors published with the RFC 6962 reference implementations (Google's
// certificate-transparency merkle_tree_test, carried on in transparency-dev/merkle
// proof/verify_test.go). Inclusion vectors there use 1-based leaf numbers; here 0-based indices.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  fromHex,
);

const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const INCLUSION_VECTORS: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const CONSISTENCY_VECTORS: { first: number; second: number; proof: string[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/**
 * Independent reference: the recursive definitions of RFC 6962 §2.1 (MTH), §2.1.1 (PATH) and
 * §2.1.2 (PROOF/SUBPROOF) over an in-memory list of leaf hashes, MTH memoized by range.
 */
class ReferenceTree {
  private readonly memo = new Map<string, Uint8Array>();
  constructor(private readonly leafHashes: readonly Uint8Array[]) {}

  mth(start: number, end: number): Uint8Array {
    if (end === start) return createHashEmpty();
    if (end - start === 1) return this.leafHashes[start] as Uint8Array;
    const key = `${start}:${end}`;
    const cached = this.memo.get(key);
    if (cached !== undefined) return cached;
    const k = largestPowerOfTwoBelow(end - start);
    const hash = nodeHash(this.mth(start, start + k), this.mth(start + k, end));
    this.memo.set(key, hash);
    return hash;
  }

  path(m: number, start: number, end: number): Uint8Array[] {
    const n = end - start;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k
      ? [...this.path(m, start, start + k), this.mth(start + k, end)]
      : [...this.path(m - k, start + k, end), this.mth(start, start + k)];
  }

  proof(m: number, n: number): Uint8Array[] {
    return m === 0 || m === n ? [] : this.subproof(m, 0, n, true);
  }

  private subproof(m: number, start: number, end: number, b: boolean): Uint8Array[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...this.subproof(m, start, start + k, b), this.mth(start + k, end)]
      : [...this.subproof(m - k, start + k, end, false), this.mth(start, start + k)];
  }
}

function createHashEmpty(): Uint8Array {
  return new Uint8Array(createHash('sha256').digest());
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticLeaf(i: number): Uint8Array {
  return new TextEncoder().encode(`leaf-${i}`);
}

async function storeOf(leafCount: number, batch = 37): Promise<{ store: MemoryNodeStore; hashes: Uint8Array[] }> {
  const store = new MemoryNodeStore();
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < leafCount; i += batch) {
    const leaves = Array.from({ length: Math.min(batch, leafCount - i) }, (_, j) => syntheticLeaf(i + j));
    hashes.push(...leaves.map(leafHash));
    await store.appendLeaves(leaves);
  }
  return { store, hashes };
}

const flipBit = (hash: Uint8Array, bit = 3): Uint8Array => {
  const copy = hash.slice();
  copy[0] = (copy[0] as number) ^ (1 << bit);
  return copy;
};
const SOME_HASH = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

/** Variants of a valid inclusion proof that must all be rejected (after transparency-dev's corruptInclusionProof). */
function tamperedInclusions(
  leafHashValue: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
): [string, Parameters<typeof verifyInclusion>][] {
  const cases: [string, Parameters<typeof verifyInclusion>][] = [
    ['index - 1', [leafHashValue, index - 1, size, proof, root]],
    ['index + 1', [leafHashValue, index + 1, size, proof, root]],
    ['index ^ 2', [leafHashValue, index ^ 2, size, proof, root]],
    ['size * 2', [leafHashValue, index, size * 2, proof, root]],
    ['size / 2', [leafHashValue, index, Math.floor(size / 2), proof, root]],
    ['wrong leaf', [leafHash(new TextEncoder().encode('WrongLeaf')), index, size, proof, root]],
    ['empty root', [leafHashValue, index, size, proof, EMPTY_ROOT]],
    ['random root', [leafHashValue, index, size, proof, SOME_HASH]],
    ['trailing garbage', [leafHashValue, index, size, [...proof, new Uint8Array(0)], root]],
    ['trailing root', [leafHashValue, index, size, [...proof, root], root]],
    ['preceding garbage', [leafHashValue, index, size, [new Uint8Array(0), ...proof], root]],
    ['preceding root', [leafHashValue, index, size, [root, ...proof], root]],
  ];
  proof.forEach((_, i) => {
    const wrong = proof.slice();
    wrong[i] = flipBit(wrong[i] as Uint8Array);
    cases.push([`flipped proof[${i}]`, [leafHashValue, index, size, wrong, root]]);
  });
  if (proof.length > 0) cases.push(['removed component', [leafHashValue, index, size, proof.slice(0, -1), root]]);
  if (proof.length > 1) {
    cases.push([
      'inserted component',
      [leafHashValue, index, size, [proof[0] as Uint8Array, SOME_HASH, ...proof.slice(1)], root],
    ]);
  }
  return cases;
}

/** Variants of a valid, non-trivial consistency proof that must be rejected (after corruptConsistencyProof). */
function tamperedConsistencies(
  first: number,
  second: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: Uint8Array[],
): [string, Parameters<typeof verifyConsistency>][] {
  const cases: [string, Parameters<typeof verifyConsistency>][] = [
    ['first - 1', [first - 1, second, root1, root2, proof]],
    ['first + 1', [first + 1, second, root1, root2, proof]],
    ['first ^ 2', [first ^ 2, second, root1, root2, proof]],
    ['second * 2', [first, second * 2, root1, root2, proof]],
    ['second / 2', [first, Math.floor(second / 2), root1, root2, proof]],
    ['wrong root1', [first, second, SOME_HASH, root2, proof]],
    ['wrong root2', [first, second, root1, SOME_HASH, proof]],
    ['swapped roots', [first, second, root2, root1, proof]],
    ['empty proof', [first, second, root1, root2, []]],
    ['trailing garbage', [first, second, root1, root2, [...proof, new Uint8Array(0)]]],
    ['trailing root1', [first, second, root1, root2, [...proof, root1]]],
    ['trailing root2', [first, second, root1, root2, [...proof, root2]]],
    ['preceding garbage', [first, second, root1, root2, [new Uint8Array(0), ...proof]]],
    ['preceding root1', [first, second, root1, root2, [root1, ...proof]]],
    ['preceding root2', [first, second, root1, root2, [root2, ...proof]]],
    ['preceding proof[0]', [first, second, root1, root2, [proof[0] as Uint8Array, ...proof]]],
    ['truncated proof', [first, second, root1, root2, proof.slice(0, -1)]],
  ];
  proof.forEach((_, i) => {
    const wrong = proof.slice();
    wrong[i] = flipBit(wrong[i] as Uint8Array, 4);
    cases.push([`flipped proof[${i}]`, [first, second, root1, root2, wrong]]);
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------

test('RFC 6962 §2.1 hashes: empty tree, leaf and node domain separation', () => {
  assert.equal(toHex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.deepEqual(rootFromLeafHashes([]), EMPTY_ROOT);
  // MTH of the single empty leaf = SHA-256(0x00).
  assert.equal(toHex(leafHash(new Uint8Array(0))), ROOTS[0]);
  const a = leafHash(LEAVES[1] as Uint8Array);
  const b = leafHash(LEAVES[2] as Uint8Array);
  assert.equal(
    toHex(nodeHash(a, b)),
    toHex(new Uint8Array(createHash('sha256').update(Uint8Array.of(1)).update(a).update(b).digest())),
  );
});

test('known-answer roots for the published 8-leaf tree, sizes 1..8', async () => {
  const store = new MemoryNodeStore();
  await store.appendLeaves(LEAVES);
  const hashes = LEAVES.map(leafHash);
  for (let size = 1; size <= 8; size++) {
    assert.equal(toHex(rootFromLeafHashes(hashes.slice(0, size))), ROOTS[size - 1], `rootFromLeafHashes size ${size}`);
    assert.equal(toHex(await treeRoot(size, store.read)), ROOTS[size - 1], `treeRoot size ${size}`);
  }
  assert.deepEqual(await treeRoot(0, store.read), EMPTY_ROOT);
});

test('known-answer inclusion proofs (RFC 6962 §2.1.1) are generated and verify', async () => {
  const store = new MemoryNodeStore();
  await store.appendLeaves(LEAVES);
  for (const v of INCLUSION_VECTORS) {
    const proof = await inclusionProof(v.index, v.size, store.read);
    assert.deepEqual(hexList(proof), v.proof, `inclusion ${v.index}/${v.size}`);
    const leaf = leafHash(LEAVES[v.index] as Uint8Array);
    const root = fromHex(ROOTS[v.size - 1] as string);
    assert.ok(verifyInclusion(leaf, v.index, v.size, v.proof.map(fromHex), root));
    for (const [name, args] of tamperedInclusions(leaf, v.index, v.size, proof, root)) {
      assert.equal(verifyInclusion(...args), false, `inclusion ${v.index}/${v.size}: ${name}`);
    }
  }
});

test('known-answer consistency proofs (RFC 6962 §2.1.2) are generated and verify', async () => {
  const store = new MemoryNodeStore();
  await store.appendLeaves(LEAVES);
  for (const v of CONSISTENCY_VECTORS) {
    const proof = await consistencyProof(v.first, v.second, store.read);
    assert.deepEqual(hexList(proof), v.proof, `consistency ${v.first}→${v.second}`);
    const root1 = fromHex(ROOTS[v.first - 1] as string);
    const root2 = fromHex(ROOTS[v.second - 1] as string);
    assert.ok(verifyConsistency(v.first, v.second, root1, root2, v.proof.map(fromHex)));
    if (proof.length > 0) {
      for (const [name, args] of tamperedConsistencies(v.first, v.second, root1, root2, proof)) {
        assert.equal(verifyConsistency(...args), false, `consistency ${v.first}→${v.second}: ${name}`);
      }
    }
  }
});

test('proof plans read the expected stored nodes (transparency-dev/merkle proof_test.go shapes)', () => {
  // Each element lists its perfect subtrees left to right as [level, index]; a multi-node
  // element is a right-edge subtree rebuilt from them.
  const shape = (plan: ProofPlan): [number, number][][] =>
    plan.elements.map((positions) =>
      positions.map((p) => {
        const id = plan.nodes[p] as NodeId;
        return [id.level, id.index];
      }),
    );
  const inclusion: [number, number, [number, number][][]][] = [
    [0, 1, []],
    [0, 2, [[[0, 1]]]],
    [1, 3, [[[0, 0]], [[0, 2]]]],
    [
      0,
      7,
      [
        [[0, 1]],
        [[1, 1]],
        [
          [1, 2],
          [0, 6],
        ],
      ],
    ],
    [
      3,
      7,
      [
        [[0, 2]],
        [[1, 0]],
        [
          [1, 2],
          [0, 6],
        ],
      ],
    ],
    [4, 7, [[[0, 5]], [[0, 6]], [[2, 0]]]],
    [6, 7, [[[1, 2]], [[2, 0]]]],
    [3, 5, [[[0, 2]], [[1, 0]], [[0, 4]]]],
    [3, 6, [[[0, 2]], [[1, 0]], [[1, 2]]]],
    [
      10,
      15,
      [
        [[0, 11]],
        [[1, 4]],
        [
          [1, 6],
          [0, 14],
        ],
        [[3, 0]],
      ],
    ],
    [
      24,
      31,
      [
        [[0, 25]],
        [[1, 13]],
        [
          [1, 14],
          [0, 30],
        ],
        [[3, 2]],
        [[4, 0]],
      ],
    ],
    [
      81,
      95,
      [
        [[0, 80]],
        [[1, 41]],
        [[2, 21]],
        [
          [2, 22],
          [1, 46],
          [0, 94],
        ],
        [[4, 4]],
        [[6, 0]],
      ],
    ],
  ];
  for (const [index, size, want] of inclusion) {
    assert.deepEqual(shape(inclusionProofPlan(index, size)), want, `inclusion ${index}/${size}`);
  }
  const consistency: [number, number, [number, number][][]][] = [
    [1, 2, [[[0, 1]]]],
    [1, 4, [[[0, 1]], [[1, 1]]]],
    [1, 6, [[[0, 1]], [[1, 1]], [[1, 2]]]],
    [2, 3, [[[0, 2]]]],
    [2, 8, [[[1, 1]], [[2, 1]]]],
    [
      3,
      7,
      [
        [[0, 2]],
        [[0, 3]],
        [[1, 0]],
        [
          [1, 2],
          [0, 6],
        ],
      ],
    ],
    [
      4,
      7,
      [
        [
          [1, 2],
          [0, 6],
        ],
      ],
    ],
    [5, 7, [[[0, 4]], [[0, 5]], [[0, 6]], [[2, 0]]]],
    [6, 7, [[[1, 2]], [[0, 6]], [[2, 0]]]],
    [7, 8, [[[0, 6]], [[0, 7]], [[1, 2]], [[2, 0]]]],
    [5, 5, []],
    [
      10,
      15,
      [
        [[1, 4]],
        [[1, 5]],
        [
          [1, 6],
          [0, 14],
        ],
        [[3, 0]],
      ],
    ],
    [
      24,
      31,
      [
        [[3, 2]],
        [
          [2, 6],
          [1, 14],
          [0, 30],
        ],
        [[4, 0]],
      ],
    ],
    [
      81,
      95,
      [
        [[0, 80]],
        [[0, 81]],
        [[1, 41]],
        [[2, 21]],
        [
          [2, 22],
          [1, 46],
          [0, 94],
        ],
        [[4, 4]],
        [[6, 0]],
      ],
    ],
  ];
  for (const [first, second, want] of consistency) {
    assert.deepEqual(shape(consistencyProofPlan(first, second)), want, `consistency ${first}→${second}`);
  }
  assert.deepEqual(shape(treeRootPlan(13)), [
    [
      [3, 0],
      [2, 2],
      [0, 12],
    ],
  ]);
  assert.deepEqual(treeRootPlan(0).nodes, []);
});

test('every inclusion and consistency proof for tree sizes 1..300 matches the RFC definition and verifies', async () => {
  const MAX = 300;
  const { store, hashes } = await storeOf(MAX);
  const reference = new ReferenceTree(hashes);
  const roots = [EMPTY_ROOT];
  for (let n = 1; n <= MAX; n++) {
    const root = await treeRoot(n, store.read);
    assert.deepEqual(root, reference.mth(0, n), `root ${n}`);
    roots.push(root);
  }
  let inclusionCount = 0;
  let consistencyCount = 0;
  let tamperCount = 0;
  for (let n = 1; n <= MAX; n++) {
    const root = roots[n] as Uint8Array;
    for (let i = 0; i < n; i++) {
      const proof = await inclusionProof(i, n, store.read);
      assert.ok(sameHashes(proof, reference.path(i, 0, n)), `inclusion ${i}/${n}`);
      const leaf = hashes[i] as Uint8Array;
      assert.ok(verifyInclusion(leaf, i, n, proof, root), `verify inclusion ${i}/${n}`);
      inclusionCount++;
      // Exhaustive tampering for small trees, a sample (first, last, one in between) above.
      if (n <= 40 || i === 0 || i === n - 1 || i === n >> 1) {
        for (const [name, args] of tamperedInclusions(leaf, i, n, proof, root)) {
          assert.equal(verifyInclusion(...args), false, `inclusion ${i}/${n}: ${name}`);
          tamperCount++;
        }
      }
    }
    for (let m = 0; m <= n; m++) {
      const proof = await consistencyProof(m, n, store.read);
      assert.ok(sameHashes(proof, reference.proof(m, n)), `consistency ${m}→${n}`);
      const root1 = roots[m] as Uint8Array;
      assert.ok(verifyConsistency(m, n, root1, root, proof), `verify consistency ${m}→${n}`);
      consistencyCount++;
      if (proof.length > 0 && (n <= 40 || m === 1 || m === n - 1 || m === n >> 1)) {
        for (const [name, args] of tamperedConsistencies(m, n, root1, root, proof)) {
          assert.equal(verifyConsistency(...args), false, `consistency ${m}→${n}: ${name}`);
          tamperCount++;
        }
      }
    }
  }
  assert.equal(inclusionCount, (MAX * (MAX + 1)) / 2);
  assert.equal(consistencyCount, ((MAX + 1) * (MAX + 2)) / 2 - 1);
  assert.ok(tamperCount > 50_000, `tamper cases: ${tamperCount}`);
});

test('random sizes up to 100k: proofs from the store verify and read O(log n) nodes', async () => {
  const MAX = 100_000;
  const { store, hashes } = await storeOf(MAX, 4096);
  // 2n − popcount(n) perfect subtrees for n leaves.
  assert.equal(store.nodeCount, 2 * MAX - MAX.toString(2).replaceAll('0', '').length);
  const reference = new ReferenceTree(hashes);
  const rand = prng(6962);
  for (let trial = 0; trial < 40; trial++) {
    const n = 1 + Math.floor(rand() * MAX);
    const m = 1 + Math.floor(rand() * n);
    const i = Math.floor(rand() * n);
    const root = await treeRoot(n, store.read);
    const root1 = await treeRoot(m, store.read);
    assert.deepEqual(root, reference.mth(0, n), `root ${n}`);
    assert.deepEqual(root1, reference.mth(0, m), `root ${m}`);

    const readsBefore = store.reads;
    const inclusion = await inclusionProof(i, n, store.read);
    const inclusionReads = store.reads - readsBefore;
    assert.ok(verifyInclusion(hashes[i] as Uint8Array, i, n, inclusion, root), `inclusion ${i}/${n}`);
    assert.deepEqual(inclusion, reference.path(i, 0, n));

    const readsMid = store.reads;
    const consistency = await consistencyProof(m, n, store.read);
    const consistencyReads = store.reads - readsMid;
    assert.ok(verifyConsistency(m, n, root1, root, consistency), `consistency ${m}→${n}`);
    assert.deepEqual(consistency, reference.proof(m, n));

    const log2 = Math.ceil(Math.log2(n + 1));
    assert.ok(inclusionReads <= 2 * log2, `inclusion ${i}/${n} read ${inclusionReads} nodes`);
    assert.ok(consistencyReads <= 2 * log2 + 1, `consistency ${m}→${n} read ${consistencyReads} nodes`);
    if (consistency.length > 0) {
      assert.equal(
        verifyConsistency(m, n, root1, root, [...consistency.slice(0, -1), flipBit(consistency.at(-1) as Uint8Array)]),
        false,
      );
    }
    assert.equal(verifyInclusion(hashes[i] as Uint8Array, i, n, inclusion, root1 === root ? SOME_HASH : root1), false);
  }
});

test('newPerfectNodes: batches of any size produce the same nodes and roots as one-by-one appends', async () => {
  const N = 200;
  const hashes = Array.from({ length: N }, (_, i) => leafHash(syntheticLeaf(i)));
  const oneByOne = new MemoryNodeStore();
  const emitted = new Map<string, string>();
  for (const h of hashes) {
    const result = await oneByOne.appendLeafHashes([h]);
    for (const node of result.nodes) emitted.set(`${node.level}:${node.index}`, toHex(node.hash));
    assert.deepEqual(result.root, rootFromLeafHashes(hashes.slice(0, result.treeSize)));
  }
  const rand = prng(9162);
  for (let run = 0; run < 20; run++) {
    const store = new MemoryNodeStore();
    const seen = new Map<string, string>();
    let size = 0;
    while (size < N) {
      const batch = Math.min(N - size, Math.floor(rand() * 40));
      const readsBefore = store.reads;
      const result = await store.appendLeafHashes(hashes.slice(size, size + batch));
      assert.equal(store.reads - readsBefore, frontierNodeIds(size).length, 'reads only the frontier');
      for (const node of result.nodes) {
        // A node is complete in the new tree and was not complete before.
        const width = 2 ** node.level;
        assert.ok((node.index + 1) * width > size && (node.index + 1) * width <= size + batch);
        seen.set(`${node.level}:${node.index}`, toHex(node.hash));
      }
      size += batch;
      assert.equal(result.treeSize, size);
      assert.deepEqual(result.root, rootFromLeafHashes(hashes.slice(0, size)));
    }
    assert.deepEqual(seen, emitted);
  }
  assert.equal(emitted.size, 2 * N - N.toString(2).replaceAll('0', '').length);
});

test('newPerfectNodes reports only new nodes and reads through the given reader', async () => {
  const store = new MemoryNodeStore();
  await store.appendLeaves(LEAVES.slice(0, 5));
  const before = store.nodeCount;
  const result = await newPerfectNodes(5, LEAVES.slice(5).map(leafHash), store.read);
  assert.equal(store.nodeCount, before, 'newPerfectNodes itself writes nothing');
  assert.deepEqual(
    result.nodes.map((n) => [n.level, n.index]),
    [
      [0, 5],
      [1, 2],
      [0, 6],
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ],
  );
  assert.equal(toHex(result.root), ROOTS[7]);
  // An empty batch creates nothing but still reports the root (read from the frontier).
  await store.appendLeaves(LEAVES.slice(5));
  const empty = await newPerfectNodes(8, [], store.read);
  assert.deepEqual(empty.nodes, []);
  assert.equal(toHex(empty.root), ROOTS[7]);
  const fresh = await newPerfectNodes(0, [], async () => []);
  assert.deepEqual(fresh.root, EMPTY_ROOT);
  assert.deepEqual(fresh.nodes, []);
});

test('argument checking', async () => {
  const store = new MemoryNodeStore();
  await store.appendLeaves(LEAVES);
  assert.throws(() => inclusionProofPlan(8, 8), RangeError);
  assert.throws(() => inclusionProofPlan(0, 0), RangeError);
  assert.throws(() => inclusionProofPlan(-1, 4), RangeError);
  assert.throws(() => inclusionProofPlan(0.5, 4), RangeError);
  assert.throws(() => consistencyProofPlan(5, 4), RangeError);
  assert.throws(() => treeRootPlan(Number.MAX_SAFE_INTEGER + 1), RangeError);
  await assert.rejects(inclusionProof(0, 9, store.read), /missing node/);
  assert.throws(() => assembleProof(inclusionProofPlan(0, 8), []), /expected 3 node hashes/);
  assert.throws(() => rootFromLeafHashes([new Uint8Array(31)]), TypeError);

  // Trivial consistency cases (outside RFC 9162's 0 < first < second).
  const root8 = fromHex(ROOTS[7] as string);
  assert.ok(verifyConsistency(0, 8, EMPTY_ROOT, root8, []));
  assert.equal(verifyConsistency(0, 8, SOME_HASH, root8, []), false);
  assert.equal(verifyConsistency(0, 8, EMPTY_ROOT, root8, [SOME_HASH]), false);
  assert.ok(verifyConsistency(8, 8, root8, root8, []));
  assert.equal(verifyConsistency(8, 8, root8, SOME_HASH, []), false);
  assert.equal(verifyConsistency(8, 8, root8, root8, [root8]), false);
  assert.equal(verifyConsistency(9, 8, root8, root8, []), false);
  assert.equal(verifyInclusion(leafHash(LEAVES[0] as Uint8Array), 0, 0, [], EMPTY_ROOT), false);
  assert.equal(verifyInclusion(new Uint8Array(0), 0, 1, [], new Uint8Array(0)), false);

  // Large sizes stay exact (no 32-bit bitwise arithmetic): a 2^40-leaf tree's plan.
  const big = 2 ** 40 + 12345;
  const first = inclusionProofPlan(0, big);
  assert.equal(first.elements.length, 41);
  assert.deepEqual(first.nodes[39], { level: 39, index: 1 });
  // The last element is MTH(D[2^40 : big]): perfect subtrees for the bits of 12345.
  assert.deepEqual(
    first.nodes.slice(40).map((id) => [id.level, id.index * 2 ** id.level]),
    [
      [13, 2 ** 40],
      [12, 2 ** 40 + 8192],
      [5, 2 ** 40 + 12288],
      [4, 2 ** 40 + 12320],
      [3, 2 ** 40 + 12336],
      [0, 2 ** 40 + 12344],
    ],
  );
  const last = inclusionProofPlan(big - 1, big);
  assert.deepEqual(last.nodes.at(-1), { level: 40, index: 0 });
  assert.ok(last.nodes.every((id) => Number.isSafeInteger(id.index) && (id.index + 1) * 2 ** id.level <= big));
});
