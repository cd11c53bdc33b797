import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalize } from '../lib/canonical-json.ts';
import {
  CheckpointError,
  parseVerifierKey,
  verifyCheckpoint,
  verifierKeyString,
  type VerifierKey,
} from '../lib/checkpoint.ts';
import {
  EMPTY_ROOT,
  frontierNodeIds,
  leafHash,
  newPerfectNodes,
  verifyConsistency,
  verifyInclusion,
  type MerkleNode,
} from '../lib/merkle.ts';
import type { Command } from './command.ts';

/**
 * `aigov verify-log`: an independent check of a running aigov's transparency log, with
 * nothing but its public HTTP API. It trusts only the key (pinned with --key, or the one
 * remembered in --state, or — first use — the one the server announces) and the state it
 * saved last time:
 *
 * 1. the checkpoint's Ed25519 signature (C2SP signed note) by that key;
 * 2. every entry downloaded and hashed (RFC 6962): their tree root must be the signed root;
 *    each leaf must be canonical JSON (RFC 8785) of an aigov decision;
 * 3. with --state: the log still starts with the tree saved last time (same root at the old
 *    size, recomputed from the entries) and the server's consistency proof verifies;
 * 4. each --product: its register entry's decisions are leaves of this log about that
 *    product, each with a verifying inclusion proof;
 * then saves the new state. Any mismatch: a message saying what, and exit code 1.
 */

const USAGE = 'usage: aigov verify-log --url <base URL> [--state <file>] [--product <id>]... [--key <verifier key>]\n';
const PAGE = 1000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface SavedState {
  origin: string;
  size: number;
  root: string;
  verifierKey: string;
  checkpoint: string;
  verifiedAt: string;
}

class VerificationError extends Error {}

function fail(message: string): never {
  throw new VerificationError(message);
}

const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** HTTP client for one log: every answer checked for status and shape before use. */
class LogClient {
  constructor(private readonly base: string) {}

  private async get(pathAndQuery: string): Promise<Response> {
    const url = `${this.base}/api/v1${pathAndQuery}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(30_000), headers: { 'accept-language': 'en' } });
    } catch (error) {
      fail(`cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      fail(`GET ${url} answered ${response.status}${body === '' ? '' : `: ${body.slice(0, 300)}`}`);
    }
    return response;
  }

  async json<T>(pathAndQuery: string): Promise<T> {
    const response = await this.get(pathAndQuery);
    try {
      return (await response.json()) as T;
    } catch {
      fail(`GET ${pathAndQuery} did not answer JSON`);
    }
  }

  async text(pathAndQuery: string): Promise<string> {
    return (await this.get(pathAndQuery)).text();
  }
}

function hashList(value: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(value) || !value.every((h) => typeof h === 'string'))
    fail(`${what}: hashes must be a list of base64 strings`);
  return value.map(fromBase64);
}

/** Root of the log recomputed from its entries, keeping only the O(log n) frontier in memory. */
class StreamingTree {
  private frontier = new Map<string, Uint8Array>();
  size = 0;
  root: Uint8Array = EMPTY_ROOT;

  async append(hashes: readonly Uint8Array[]): Promise<void> {
    const key = (level: number, index: number) => `${level}:${index}`;
    const result = await newPerfectNodes(this.size, hashes, async (ids) =>
      ids.map((id) => this.frontier.get(key(id.level, id.index))!),
    );
    const known = new Map(this.frontier);
    result.nodes.forEach((node: MerkleNode) => known.set(key(node.level, node.index), node.hash));
    this.frontier = new Map(
      frontierNodeIds(result.treeSize).map((id) => [key(id.level, id.index), known.get(key(id.level, id.index))!]),
    );
    this.size = result.treeSize;
    this.root = result.root;
  }
}

interface LeafFacts {
  hash: Uint8Array;
  productId: string;
  filingId: string | null;
  outcome: string;
  decidedAt: string;
}

function parseLeaf(bytes: Uint8Array, index: number): Omit<LeafFacts, 'hash'> {
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    fail(`leaf ${index} is not UTF-8 JSON`);
  }
  if (canonicalize(value) !== text) fail(`leaf ${index} is not RFC 8785 canonical JSON`);
  const leaf = value as Record<string, unknown>;
  if (leaf.type !== 'aigov.decision/v1' || typeof leaf.productId !== 'string') {
    fail(`leaf ${index} is not an aigov.decision/v1 record`);
  }
  return {
    productId: leaf.productId,
    filingId: typeof leaf.filingId === 'string' ? leaf.filingId : null,
    outcome: String(leaf.outcome),
    decidedAt: String(leaf.decidedAt),
  };
}

function readState(file: string): SavedState | undefined {
  if (!fs.existsSync(file)) return undefined;
  let state: SavedState;
  try {
    state = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedState;
  } catch {
    fail(`state file ${file} is not valid JSON`);
  }
  if (
    typeof state.origin !== 'string' ||
    !Number.isSafeInteger(state.size) ||
    typeof state.root !== 'string' ||
    typeof state.verifierKey !== 'string'
  ) {
    fail(`state file ${file} is not an aigov verify-log state`);
  }
  return state;
}

function writeState(file: string, state: SavedState): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

export interface VerifyLogOptions {
  url: string;
  statePath?: string | undefined;
  products: readonly string[];
  key?: string | undefined;
}

/** Runs every check; resolves with the verified size, or rejects with a VerificationError. */
export async function verifyLog(options: VerifyLogOptions, out: NodeJS.WritableStream): Promise<{ size: number }> {
  const client = new LogClient(options.url.replace(/\/+$/, ''));
  const saved = options.statePath === undefined ? undefined : readState(options.statePath);

  // 1. The key, then the signature.
  let verifier: VerifierKey;
  try {
    if (options.key !== undefined) {
      verifier = parseVerifierKey(options.key);
    } else {
      const announced = await client.json<{ verifierKey?: unknown }>('/transparency/public-key');
      if (typeof announced.verifierKey !== 'string') fail('the public-key answer has no verifierKey');
      verifier = parseVerifierKey(announced.verifierKey);
      if (saved !== undefined && announced.verifierKey !== saved.verifierKey) {
        fail(
          `the log's key changed since the saved state (saved ${saved.verifierKey}, now ${announced.verifierKey}); pin the new one with --key after checking it out of band`,
        );
      }
    }
  } catch (error) {
    if (error instanceof CheckpointError) fail(`invalid verifier key: ${error.message}`);
    throw error;
  }
  const note = await client.text('/transparency/checkpoint');
  let checkpoint: ReturnType<typeof verifyCheckpoint>;
  try {
    checkpoint = verifyCheckpoint(note, verifier);
  } catch (error) {
    if (error instanceof CheckpointError)
      fail(`checkpoint signature does not verify with ${verifier.keyName}: ${error.message}`);
    throw error;
  }
  const { origin, size, root } = checkpoint;
  out.write(`checkpoint: ${origin}, size ${size}, root ${toBase64(root)} — signature by ${verifier.keyName} OK\n`);
  if (saved !== undefined) {
    if (saved.origin !== origin) fail(`origin changed since the saved state ("${saved.origin}" → "${origin}")`);
    if (size < saved.size) fail(`the log shrank: saved size ${saved.size}, checkpoint size ${size} (rollback or fork)`);
  }

  // 2. Every entry, hashed; the root must be the signed one. 3. The saved prefix is intact.
  const wanted = new Set(options.products);
  const leavesOf = new Map<number, LeafFacts>();
  const tree = new StreamingTree();
  let savedPrefixChecked = saved === undefined || saved.size === 0;
  while (tree.size < size) {
    let end = Math.min(size, tree.size + PAGE);
    if (saved !== undefined && tree.size < saved.size && saved.size < end) end = saved.size;
    const { entries } = await client.json<{ entries?: unknown }>(`/transparency/entries?start=${tree.size}&end=${end}`);
    if (!Array.isArray(entries) || entries.length !== end - tree.size) {
      fail(`entries [${tree.size}, ${end}) answered ${Array.isArray(entries) ? entries.length : 'no'} entries`);
    }
    const hashes = (entries as { leafIndex?: unknown; leaf?: unknown }[]).map((entry, i) => {
      const index = tree.size + i;
      if (entry.leafIndex !== index || typeof entry.leaf !== 'string')
        fail(`entry ${index} is malformed or out of order`);
      const bytes = fromBase64(entry.leaf);
      const facts = parseLeaf(bytes, index);
      const hash = leafHash(bytes);
      if (wanted.has(facts.productId)) leavesOf.set(index, { ...facts, hash });
      return hash;
    });
    await tree.append(hashes);
    if (saved !== undefined && tree.size === saved.size) {
      if (!sameBytes(tree.root, fromBase64(saved.root))) {
        fail(`the first ${saved.size} entries no longer hash to the saved root: the log was rewritten`);
      }
      savedPrefixChecked = true;
    }
  }
  if (!sameBytes(tree.root, root)) {
    fail(
      `the ${size} entries hash to ${toBase64(tree.root)}, not to the signed root ${toBase64(root)}: entries and checkpoint disagree`,
    );
  }
  if (!savedPrefixChecked) fail('internal: the saved prefix was not checked');
  out.write(`entries: ${size} downloaded, every leaf canonical, root recomputed and equal to the checkpoint\n`);

  if (saved !== undefined) {
    const proof = await client.json<{ hashes?: unknown }>(
      `/transparency/proofs/consistency?first=${saved.size}&second=${size}`,
    );
    if (
      !verifyConsistency(saved.size, size, fromBase64(saved.root), root, hashList(proof.hashes, 'consistency proof'))
    ) {
      fail(`consistency proof from the saved size ${saved.size} to ${size} does not verify`);
    }
    out.write(`consistency: size ${saved.size} → ${size} OK (append-only since ${saved.verifiedAt})\n`);
  }

  // 4. Products: every public decision of theirs is a leaf of this tree, with a proof.
  for (const productId of options.products) {
    const entry = await client.json<{ decisions?: unknown }>(`/public/products/${encodeURIComponent(productId)}`);
    const decisions = Array.isArray(entry.decisions)
      ? (entry.decisions as { logIndex?: unknown; outcome?: unknown; decidedAt?: unknown; filingId?: unknown }[])
      : fail(`product ${productId}: the register entry has no decision history`);
    if (decisions.length === 0) fail(`product ${productId}: no public decision to check`);
    for (const decision of decisions) {
      const index = decision.logIndex;
      if (typeof index !== 'number' || !Number.isSafeInteger(index))
        fail(`product ${productId}: a decision has no log index`);
      if (index >= size) {
        fail(
          `product ${productId}: decision at leaf ${index} is not in the checkpoint (size ${size}); retry in a few seconds`,
        );
      }
      const leaf = leavesOf.get(index);
      if (leaf === undefined) fail(`product ${productId}: leaf ${index} is about another product`);
      if (
        leaf.outcome !== decision.outcome ||
        leaf.decidedAt !== decision.decidedAt ||
        leaf.filingId !== (decision.filingId ?? null)
      ) {
        fail(`product ${productId}: the register's decision at leaf ${index} differs from the logged one`);
      }
      const proof = await client.json<{ hashes?: unknown }>(
        `/transparency/proofs/inclusion?leafIndex=${index}&treeSize=${size}`,
      );
      if (!verifyInclusion(leaf.hash, index, size, hashList(proof.hashes, 'inclusion proof'), root)) {
        fail(`product ${productId}: inclusion proof of leaf ${index} in size ${size} does not verify`);
      }
    }
    out.write(`product ${productId}: ${decisions.length} decision(s), each included in the log\n`);
  }

  if (options.statePath !== undefined) {
    writeState(options.statePath, {
      origin,
      size,
      root: toBase64(root),
      verifierKey: verifierKeyString(verifier.keyName, verifier.publicKey),
      checkpoint: note,
      verifiedAt: new Date().toISOString(),
    });
    out.write(`state saved to ${options.statePath}\n`);
  }
  return { size };
}

export const verifyLogCommand: Command = {
  summary: 'verify-log --url <base> — check a transparency log: signature, entries, consistency, inclusion',
  async run({ args, out, err }) {
    let options: VerifyLogOptions;
    try {
      const { values, positionals } = parseArgs({
        args,
        options: {
          url: { type: 'string' },
          state: { type: 'string' },
          product: { type: 'string', multiple: true },
          key: { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      });
      if (values.url === undefined || positionals.length > 0 || !/^https?:\/\//.test(values.url))
        throw new Error('usage');
      options = { url: values.url, statePath: values.state, products: values.product ?? [], key: values.key };
    } catch {
      err.write(USAGE);
      return 2;
    }
    try {
      const { size } = await verifyLog(options, out);
      out.write(`OK: the transparency log at ${options.url} verifies (size ${size})\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      err.write(`verify-log FAILED: ${error.message}\n`);
      return 1;
    }
  },
};
