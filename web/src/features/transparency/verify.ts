/**
 * In-browser checks of the public log, so anyone can see the maths work without installing
 * anything: RFC 9162 §2.1.3.2 inclusion proofs (RFC 6962 hashing) and the C2SP signed-note
 * Ed25519 signature of a checkpoint. `aigov verify-log` does the same offline.
 */

export interface ParsedCheckpoint {
  origin: string;
  size: number;
  root: string;
  /** The signed text: the three checkpoint lines (plus any extension lines), each ending in "\n". */
  text: string;
  signatures: { keyName: string; signature: string }[];
}

/** `<origin>\n<size>\n<base64 root>\n\n— <keyName> <base64(keyId||sig)>\n` (c2sp.org/signed-note). */
export function parseCheckpoint(note: string): ParsedCheckpoint | undefined {
  const separator = note.indexOf('\n\n');
  if (separator < 0) return undefined;
  const text = note.slice(0, separator + 1);
  const [origin, size, root] = text.split('\n');
  if (origin === undefined || size === undefined || root === undefined || !/^\d+$/.test(size)) return undefined;
  const signatures = note
    .slice(separator + 2)
    .split('\n')
    .filter((line) => line.startsWith('\u2014 '))
    .map((line) => {
      const [keyName = '', signature = ''] = line.slice(2).split(' ');
      return { keyName, signature };
    });
  return { origin, size: Number(size), root, text, signatures };
}

export function base64ToBytes(value: string): Uint8Array<ArrayBuffer> {
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** WebCrypto exists only in secure contexts (https, localhost). */
export function canVerifyInBrowser(): boolean {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ leaf). */
export async function leafHash(leaf: Uint8Array): Promise<Uint8Array> {
  return sha256(LEAF_PREFIX, leaf);
}

/** RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its inclusion path. */
export async function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  hash: Uint8Array,
  path: Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (leafIndex >= treeSize) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = hash;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(NODE_PREFIX, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(NODE_PREFIX, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/**
 * Verifies the checkpoint's Ed25519 signature (signature line = base64(keyId(4) ‖ sig(64))).
 * Returns undefined when this browser's WebCrypto has no Ed25519.
 */
export async function verifyCheckpointSignature(
  checkpoint: ParsedCheckpoint,
  keyName: string,
  publicKeyBase64: string,
): Promise<boolean | undefined> {
  const line = checkpoint.signatures.find((signature) => signature.keyName === keyName);
  if (line === undefined) return false;
  const raw = base64ToBytes(line.signature);
  if (raw.length !== 68) return false;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', base64ToBytes(publicKeyBase64), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return undefined;
  }
  return crypto.subtle.verify({ name: 'Ed25519' }, key, raw.slice(4), new TextEncoder().encode(checkpoint.text));
}
