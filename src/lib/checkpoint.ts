/**
 * Signed tree heads for the public transparency log: C2SP signed notes
 * (https://c2sp.org/signed-note) carrying C2SP checkpoints (https://c2sp.org/tlog-checkpoint),
 * signed with Ed25519 (RFC 8032) through node:crypto. Pure functions, no I/O.
 *
 *     <origin>\n<size>\n<base64 root>\n
 *     \n
 *     — <keyName> <base64(keyId(4) || Ed25519 signature(64))>\n
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** signed-note "Signature types": 0x01 is Ed25519. */
export const ED25519_SIGNATURE_TYPE = 0x01;

const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SEED_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;
const ROOT_HASH_SIZE = 32;
// signed-note: verifiers MUST accept at least 16 signatures and SHOULD cap them.
const MAX_SIGNATURES = 100;
// signed-note "Format": em dash (U+2014) and a space open every signature line.
const SIGNATURE_PREFIX = '\u2014 ';

// RFC 8410 §7 / §4: fixed DER prefixes wrapping a raw Ed25519 seed (PKCS #8) or public key (SPKI).
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** Why a note, key or checkpoint was refused. */
export type CheckpointErrorCode =
  'invalid_key' | 'malformed_note' | 'malformed_checkpoint' | 'unknown_key' | 'bad_signature';

export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string) {
    super(message);
    this.name = 'CheckpointError';
    this.code = code;
  }
}

/** An Ed25519 note-signing key with its signed-note name. */
export interface SigningKey {
  readonly keyName: string;
  readonly privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key (RFC 8032). */
  readonly publicKey: Uint8Array;
  /** signed-note key ID (4 bytes). */
  readonly keyId: Uint8Array;
}

/** The public half: what a verifier needs. */
export interface VerifierKey {
  readonly keyName: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** The three mandatory lines of a checkpoint (tlog-checkpoint "Note text"). */
export interface CheckpointBody {
  readonly origin: string;
  readonly size: number;
  /** RFC 6962 root hash, 32 bytes. */
  readonly root: Uint8Array;
}

/** A parsed checkpoint; `extensions` are the optional opaque lines after the root (usually none). */
export interface Checkpoint extends CheckpointBody {
  readonly extensions: readonly string[];
}

/** One signature line of a note, decoded but not verified. */
export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

/** A note split into its text (final newline included) and its signature lines. */
export interface SignedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A checkpoint note as read, signatures NOT verified: use {@link verifyCheckpoint} to trust it. */
export interface ParsedCheckpointNote extends SignedNote {
  readonly checkpoint: Checkpoint;
}

/** The `GET /api/v1/transparency/public-key` payload. */
export interface PublicKeyInfo {
  readonly keyName: string;
  /** base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string;
  /** signed-note verifier key `<name>+<hex keyId>+<base64(0x01 || publicKey)>`. */
  readonly verifierKey: string;
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers

const utf8 = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard base64 (RFC 4648 §4, as both C2SP specs require), strictly: padding required and
 * canonical, so that one byte string has exactly one accepted spelling.
 */
function fromBase64Strict(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * signed-note "Format": valid UTF-8 (for a JS string: no lone surrogates) and no ASCII control
 * characters (below U+0020) other than newline.
 */
function isValidNoteText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return false;
  }
  return !LONE_SURROGATE.test(text);
}

/**
 * signed-note: key names are non-empty and contain no Unicode spaces and no "+" (a "/" is
 * fine, so a log's origin such as `example.org/log` is a valid name).
 */
export function isValidKeyName(keyName: string): boolean {
  return keyName !== '' && !/[\s+]/u.test(keyName) && isValidNoteText(keyName);
}

function assertKeyName(keyName: string): void {
  if (!isValidKeyName(keyName)) {
    throw new CheckpointError('invalid_key', `invalid key name ${JSON.stringify(keyName)}`);
  }
}

function assertPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new CheckpointError('invalid_key', `an Ed25519 public key is ${ED25519_PUBLIC_KEY_SIZE} bytes`);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * signed-note "Ed25519 signatures":
 * key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4].
 */
export function keyId(keyName: string, publicKey: Uint8Array): Uint8Array {
  assertKeyName(keyName);
  assertPublicKey(publicKey);
  const digest = createHash('sha256')
    .update(utf8.encode(keyName))
    .update(Uint8Array.of(0x0a, ED25519_SIGNATURE_TYPE))
    .update(publicKey)
    .digest();
  return new Uint8Array(digest.subarray(0, KEY_ID_SIZE));
}

/** The signed-note verifier key string: `<name>+<hex8 keyId>+<base64(0x01 || publicKey)>`. */
export function verifierKeyString(keyName: string, publicKey: Uint8Array): string {
  const id = keyId(keyName, publicKey);
  return `${keyName}+${toHex(id)}+${toBase64(concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey))}`;
}

/** Parses a verifier key string, checking that its key ID matches its name and key. */
export function parseVerifierKey(verifierKey: string): VerifierKey {
  // The name and the hex ID cannot contain "+"; the base64 key may, so split at the first two.
  const first = verifierKey.indexOf('+');
  const second = first < 0 ? -1 : verifierKey.indexOf('+', first + 1);
  if (second < 0) throw new CheckpointError('invalid_key', 'verifier key must be <name>+<hex id>+<base64 key>');
  const keyName = verifierKey.slice(0, first);
  const idHex = verifierKey.slice(first + 1, second);
  const keyBytes = fromBase64Strict(verifierKey.slice(second + 1));
  assertKeyName(keyName);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new CheckpointError('invalid_key', 'key ID must be 8 lowercase hex digits');
  if (keyBytes === undefined || keyBytes.length !== 1 + ED25519_PUBLIC_KEY_SIZE) {
    throw new CheckpointError('invalid_key', 'verifier key must encode 0x01 followed by a 32-byte Ed25519 key');
  }
  if (keyBytes[0] !== ED25519_SIGNATURE_TYPE) {
    throw new CheckpointError('invalid_key', `unsupported signature type 0x${toHex(keyBytes.subarray(0, 1))}`);
  }
  const publicKey = keyBytes.slice(1);
  if (toHex(keyId(keyName, publicKey)) !== idHex) {
    throw new CheckpointError('invalid_key', 'key ID does not match the key name and public key');
  }
  return { keyName, publicKey };
}

function signingKeyFrom(keyName: string, privateKey: KeyObject): SigningKey {
  assertKeyName(keyName);
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CheckpointError('invalid_key', 'not an Ed25519 private key');
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new CheckpointError('invalid_key', 'cannot derive the public key');
  const publicKey = new Uint8Array(Buffer.from(jwk.x, 'base64url'));
  return { keyName, privateKey, publicKey, keyId: keyId(keyName, publicKey) };
}

/** A fresh Ed25519 key for `keyName` (the log's origin, by tlog-checkpoint's recommendation). */
export function generateSigningKey(keyName: string): SigningKey {
  return signingKeyFrom(keyName, generateKeyPairSync('ed25519').privateKey);
}

/**
 * Imports a key from base64: either the 32-byte RFC 8032 seed or a PKCS #8 DER document
 * (RFC 8410), as produced by {@link exportSigningKeySeed} / {@link exportSigningKeyPkcs8}.
 */
export function importSigningKey(keyName: string, base64Key: string): SigningKey {
  const bytes = fromBase64Strict(base64Key.trim());
  if (bytes === undefined) throw new CheckpointError('invalid_key', 'signing key is not valid base64');
  const der = bytes.length === ED25519_SEED_SIZE ? concatBytes(PKCS8_ED25519_PREFIX, bytes) : bytes;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new CheckpointError('invalid_key', `signing key is neither a 32-byte seed nor PKCS #8 DER: ${String(cause)}`);
  }
  return signingKeyFrom(keyName, privateKey);
}

/** base64 of the PKCS #8 DER encoding of the private key. */
export function exportSigningKeyPkcs8(key: SigningKey): string {
  return key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/** base64 of the raw 32-byte RFC 8032 seed. */
export function exportSigningKeySeed(key: SigningKey): string {
  const jwk = key.privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') throw new CheckpointError('invalid_key', 'cannot export the seed');
  return Buffer.from(jwk.d, 'base64url').toString('base64');
}

/** The payload of `GET /api/v1/transparency/public-key`. */
export function publicKeyInfo(key: SigningKey | VerifierKey): PublicKeyInfo {
  return {
    keyName: key.keyName,
    publicKey: toBase64(key.publicKey),
    verifierKey: verifierKeyString(key.keyName, key.publicKey),
  };
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  assertPublicKey(publicKey);
  return createPublicKey({
    key: Buffer.from(concatBytes(SPKI_ED25519_PREFIX, publicKey)),
    format: 'der',
    type: 'spki',
  });
}

// ---------------------------------------------------------------------------------------------
// Signed notes

/** Signs `text` (which must end in a newline) as a one-signature note. */
export function signNote(text: string, key: SigningKey): string {
  if (!text.endsWith('\n') || !isValidNoteText(text)) {
    throw new CheckpointError(
      'malformed_note',
      'note text must be valid UTF-8, end in a newline and contain no control characters',
    );
  }
  // signed-note "Ed25519 signatures": RFC 8032 Ed25519 over the note text, final newline included.
  const signature = new Uint8Array(sign(null, utf8.encode(text), key.privateKey));
  return `${text}\n${SIGNATURE_PREFIX}${key.keyName} ${toBase64(concatBytes(key.keyId, signature))}\n`;
}

/** Splits a note into text and signature lines (signed-note "Format"). Does not verify. */
export function parseNote(note: string): SignedNote {
  const malformed = (why: string): CheckpointError => new CheckpointError('malformed_note', why);
  if (!isValidNoteText(note)) throw malformed('note contains control characters or invalid Unicode');
  if (!note.endsWith('\n')) throw malformed('note must end in a newline');
  // The text is separated from the signatures by the last empty line in the note.
  const blank = note.lastIndexOf('\n\n');
  if (blank < 0) throw malformed('note has no blank line before its signatures');
  const text = note.slice(0, blank + 1);
  const lines = note.slice(blank + 2, -1).split('\n');
  if (lines.length === 1 && lines[0] === '') throw malformed('note has no signature lines');
  if (lines.length > MAX_SIGNATURES) throw malformed(`note has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('signature line must start with "— "');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space <= 0) throw malformed('signature line must be "— <key name> <base64 signature>"');
    const keyName = rest.slice(0, space);
    if (keyName === '' || /[\s+]/u.test(keyName)) throw malformed('invalid key name in signature line');
    const blob = fromBase64Strict(rest.slice(space + 1));
    if (blob === undefined || blob.length <= KEY_ID_SIZE)
      throw malformed('signature is not base64 of key ID || signature');
    return { keyName, keyId: blob.slice(0, KEY_ID_SIZE), signature: blob.slice(KEY_ID_SIZE) };
  });
  return { text, signatures };
}

function toVerifierKey(verifier: string | VerifierKey): VerifierKey {
  if (typeof verifier === 'string') return parseVerifierKey(verifier);
  assertKeyName(verifier.keyName);
  assertPublicKey(verifier.publicKey);
  return verifier;
}

/**
 * Verifies a note against one trusted key and returns its text. signed-note "Signatures":
 * signatures from other keys (name or ID differs) are ignored; a signature from the trusted
 * key that fails rejects the whole note; at least one must verify.
 */
export function verifyNote(note: string, verifier: string | VerifierKey): string {
  const trusted = toVerifierKey(verifier);
  const trustedId = keyId(trusted.keyName, trusted.publicKey);
  const { text, signatures } = parseNote(note);
  const known = signatures.filter((s) => s.keyName === trusted.keyName && bytesEqual(s.keyId, trustedId));
  if (known.length === 0) {
    throw new CheckpointError('unknown_key', `note carries no signature by ${trusted.keyName}`);
  }
  const key = publicKeyObject(trusted.publicKey);
  const message = utf8.encode(text);
  for (const s of known) {
    if (s.signature.length !== ED25519_SIGNATURE_SIZE || !verify(null, message, key, s.signature)) {
      throw new CheckpointError('bad_signature', `signature by ${trusted.keyName} does not verify`);
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

/** The checkpoint note text: origin, decimal size, base64 root, each newline-terminated. */
export function formatCheckpointBody(body: CheckpointBody): string {
  if (body.origin === '' || body.origin.includes('\n') || !isValidNoteText(body.origin)) {
    throw new CheckpointError(
      'malformed_checkpoint',
      'origin must be a non-empty single line without control characters',
    );
  }
  if (!Number.isSafeInteger(body.size) || body.size < 0) {
    throw new CheckpointError('malformed_checkpoint', 'size must be a non-negative safe integer');
  }
  if (!(body.root instanceof Uint8Array) || body.root.length !== ROOT_HASH_SIZE) {
    throw new CheckpointError('malformed_checkpoint', `root must be ${ROOT_HASH_SIZE} bytes`);
  }
  // tlog-checkpoint: decimal size without leading zeroes; standard base64 root.
  return `${body.origin}\n${String(body.size)}\n${toBase64(body.root)}\n`;
}

/** Parses checkpoint note text (tlog-checkpoint "Note text"). */
export function parseCheckpointBody(text: string): Checkpoint {
  const malformed = (why: string): CheckpointError => new CheckpointError('malformed_checkpoint', why);
  if (!text.endsWith('\n')) throw malformed('checkpoint text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw malformed('checkpoint needs origin, size and root lines');
  }
  if (origin === '') throw malformed('origin must be non-empty');
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeLine)) throw malformed('size must be decimal without leading zeroes');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw malformed('size is too large');
  const root = fromBase64Strict(rootLine);
  if (root === undefined || root.length !== ROOT_HASH_SIZE) throw malformed('root must be base64 of 32 bytes');
  if (extensions.some((line) => line === '')) throw malformed('extension lines must be non-empty');
  return { origin, size, root, extensions };
}

/** Signs a checkpoint: the body of {@link formatCheckpointBody} as a signed note. */
export function signCheckpoint(body: CheckpointBody, key: SigningKey): string {
  return signNote(formatCheckpointBody(body), key);
}

/** Parses a checkpoint note WITHOUT verifying it (e.g. to show it or pick a key). */
export function parseCheckpoint(note: string): ParsedCheckpointNote {
  const parsed = parseNote(note);
  return { ...parsed, checkpoint: parseCheckpointBody(parsed.text) };
}

/**
 * Verifies a checkpoint note against the log's key (a verifier key string or
 * `{keyName, publicKey}`) and returns the checkpoint. Throws {@link CheckpointError} on a
 * malformed note, a missing signature by that key, or a bad signature.
 */
export function verifyCheckpoint(note: string, verifier: string | VerifierKey): Checkpoint {
  return parseCheckpointBody(verifyNote(note, verifier));
}
