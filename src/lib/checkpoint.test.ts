import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, sign } from 'node:crypto';
import {
  CheckpointError,
  exportSigningKeyPkcs8,
  exportSigningKeySeed,
  formatCheckpointBody,
  generateSigningKey,
  importSigningKey,
  keyId,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  publicKeyInfo,
  signCheckpoint,
  signNote,
  verifierKeyString,
  verifyCheckpoint,
  verifyNote,
} from './checkpoint.ts';
import type { CheckpointErrorCode, SigningKey } from './checkpoint.ts';

// Known answer from golang.org/x/mod/sumdb/note (the reference implementation of signed
// notes; Ed25519 is deterministic, so the same key and text must give the same bytes).
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE =
  GO_TEXT +
  '\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

/** The Go private key string is `PRIVATE+KEY+<name>+<id>+base64(0x01 || seed)`. */
function goSigningKey(): SigningKey {
  const encoded = GO_SIGNER_KEY.split('+').slice(4).join('+');
  const bytes = Buffer.from(encoded, 'base64');
  assert.equal(bytes[0], 0x01);
  return importSigningKey('PeterNeumann', bytes.subarray(1).toString('base64'));
}

const ROOT = new Uint8Array(Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex'));
const ORIGIN = 'aigov.example.gov.cn/transparency';

function assertRefused(fn: () => unknown, code: CheckpointErrorCode): void {
  assert.throws(fn, (e: unknown) => e instanceof CheckpointError && e.code === code);
}

function flipBase64Char(s: string, at: number): string {
  const c = s[at] === 'A' ? 'B' : 'A';
  return s.slice(0, at) + c + s.slice(at + 1);
}

test('signed note known answer: key ID, verifier key and signature match golang.org/x/mod/sumdb/note', () => {
  const key = goSigningKey();
  assert.equal(Buffer.from(key.keyId).toString('hex'), 'c74f20a3');
  assert.equal(verifierKeyString(key.keyName, key.publicKey), GO_VERIFIER_KEY);
  assert.equal(signNote(GO_TEXT, key), GO_NOTE);
  assert.equal(verifyNote(GO_NOTE, GO_VERIFIER_KEY), GO_TEXT);
  const parsed = parseVerifierKey(GO_VERIFIER_KEY);
  assert.equal(parsed.keyName, 'PeterNeumann');
  assert.deepEqual(parsed.publicKey, key.publicKey);
});

// API contract: `<origin>\n<size>\n<base64 root>\n\n— <keyName> <base64(keyHash||sig)>\n`.
test('checkpoint note has exactly the format of the API contract', () => {
  const key = generateSigningKey(ORIGIN);
  const note = signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT }, key);
  const match = /^([^\n]+)\n(0|[1-9][0-9]*)\n([A-Za-z0-9+/]{43}=)\n\n\u2014 ([^\s+]+) ([A-Za-z0-9+/]+=*)\n$/.exec(note);
  assert.ok(match, note);
  assert.equal(match[1], ORIGIN);
  assert.equal(match[2], '8');
  assert.equal(match[3], 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=');
  assert.equal(match[4], ORIGIN);
  const blob = Buffer.from(match[5] as string, 'base64');
  assert.equal(blob.length, 4 + 64);
  assert.deepEqual(new Uint8Array(blob.subarray(0, 4)), key.keyId);
  assert.equal(formatCheckpointBody({ origin: ORIGIN, size: 0, root: ROOT }).split('\n')[1], '0');
});

test('sign → verify round trip, with either a verifier key string or {keyName, publicKey}', () => {
  const key = generateSigningKey(ORIGIN);
  for (const size of [0, 1, 8, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
    const note = signCheckpoint({ origin: ORIGIN, size, root: ROOT }, key);
    const byString = verifyCheckpoint(note, verifierKeyString(key.keyName, key.publicKey));
    const byObject = verifyCheckpoint(note, { keyName: key.keyName, publicKey: key.publicKey });
    for (const cp of [byString, byObject]) {
      assert.equal(cp.origin, ORIGIN);
      assert.equal(cp.size, size);
      assert.deepEqual(cp.root, ROOT);
      assert.deepEqual(cp.extensions, []);
    }
  }
  const parsed = parseCheckpoint(signCheckpoint({ origin: ORIGIN, size: 3, root: ROOT }, key));
  assert.equal(parsed.checkpoint.size, 3);
  assert.equal(parsed.signatures.length, 1);
  assert.equal(parsed.signatures[0]?.keyName, ORIGIN);
});

test('tampered body, signature, key name or key are rejected', () => {
  const key = generateSigningKey(ORIGIN);
  const vkey = verifierKeyString(key.keyName, key.publicKey);
  const note = signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT }, key);
  const [origin, size, root, blank, sigLine] = note.split('\n');
  const rebuild = (parts: (string | undefined)[]): string => `${parts.join('\n')}\n`;

  assertRefused(() => verifyCheckpoint(rebuild([origin, '9', root, blank, sigLine]), vkey), 'bad_signature');
  assertRefused(() => verifyCheckpoint(rebuild([`${origin}x`, size, root, blank, sigLine]), vkey), 'bad_signature');
  assertRefused(
    () =>
      verifyCheckpoint(rebuild([origin, size, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', blank, sigLine]), vkey),
    'bad_signature',
  );
  // Base64 character 20 encodes byte 15: inside the 64-byte signature, past the 4-byte key ID.
  const sigB64 = (sigLine as string).split(' ')[2] as string;
  const badSig = (sigLine as string).replace(sigB64, flipBase64Char(sigB64, 20));
  assertRefused(() => verifyCheckpoint(rebuild([origin, size, root, blank, badSig]), vkey), 'bad_signature');
  // Another key name, or another key ID: the signature is not by the trusted key.
  const renamed = (sigLine as string).replace(ORIGIN, 'impostor.example/log');
  assertRefused(() => verifyCheckpoint(rebuild([origin, size, root, blank, renamed]), vkey), 'unknown_key');
  const otherId = (sigLine as string).replace(sigB64, flipBase64Char(sigB64, 0));
  assertRefused(() => verifyCheckpoint(rebuild([origin, size, root, blank, otherId]), vkey), 'unknown_key');
  // The right name with another public key.
  const other = generateSigningKey(ORIGIN);
  assertRefused(() => verifyCheckpoint(note, verifierKeyString(other.keyName, other.publicKey)), 'unknown_key');
  assertRefused(() => verifyCheckpoint(note, { keyName: ORIGIN, publicKey: other.publicKey }), 'unknown_key');
  // A signature by the trusted key that fails rejects the note even if another one is valid.
  assertRefused(() => verifyCheckpoint(rebuild([origin, size, root, blank, sigLine, badSig]), vkey), 'bad_signature');
});

test('signatures by other keys are ignored (witness cosignatures, key rotation)', () => {
  const log = generateSigningKey(ORIGIN);
  const witness = generateSigningKey('witness.example/w1');
  const note = signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT }, log);
  const witnessLine = signNote(note.slice(0, note.indexOf('\n\n') + 1), witness).split('\n\n')[1] as string;
  const cosigned = `${note}${witnessLine}`;
  assert.equal(parseNote(cosigned).signatures.length, 2);
  assert.equal(verifyCheckpoint(cosigned, { keyName: ORIGIN, publicKey: log.publicKey }).size, 8);
  assert.equal(verifyCheckpoint(cosigned, verifierKeyString(witness.keyName, witness.publicKey)).size, 8);
});

test('malformed notes and checkpoints are refused', () => {
  const key = generateSigningKey(ORIGIN);
  const vkey = verifierKeyString(key.keyName, key.publicKey);
  const note = signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT }, key);
  assertRefused(() => verifyCheckpoint(note.slice(0, -1), vkey), 'malformed_note');
  assertRefused(() => verifyCheckpoint(note.replace('\n\n', '\n'), vkey), 'malformed_note');
  assertRefused(() => verifyCheckpoint(note.replace('\u2014', '-'), vkey), 'malformed_note');
  assertRefused(() => verifyCheckpoint(note.replace('\n8\n', '\n8\r\n'), vkey), 'malformed_note');
  assertRefused(() => verifyCheckpoint(`${note.slice(0, note.indexOf('\n\n') + 2)}`, vkey), 'malformed_note');
  assertRefused(() => parseNote('text\n\n— name not*base64\n'), 'malformed_note');

  const signBody = (text: string): string => signNote(text, key);
  assertRefused(
    () => verifyCheckpoint(signBody(`${ORIGIN}\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), vkey),
    'malformed_checkpoint',
  );
  assertRefused(
    () => verifyCheckpoint(signBody(`${ORIGIN}\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), vkey),
    'malformed_checkpoint',
  );
  assertRefused(
    () =>
      verifyCheckpoint(signBody(`${ORIGIN}\n9007199254740993\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), vkey),
    'malformed_checkpoint',
  );
  assertRefused(
    () => verifyCheckpoint(signBody(`${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ\n`), vkey),
    'malformed_checkpoint',
  );
  assertRefused(() => verifyCheckpoint(signBody(`${ORIGIN}\n8\n`), vkey), 'malformed_checkpoint');
  assertRefused(
    () => verifyCheckpoint(signBody(`\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), vkey),
    'malformed_checkpoint',
  );
  // Extension lines are allowed by tlog-checkpoint and surfaced, never dropped silently.
  const withExtension = verifyCheckpoint(
    signBody(`${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nx-ext\n`),
    vkey,
  );
  assert.deepEqual(withExtension.extensions, ['x-ext']);

  assertRefused(() => signCheckpoint({ origin: '', size: 1, root: ROOT }, key), 'malformed_checkpoint');
  assertRefused(() => signCheckpoint({ origin: 'a\nb', size: 1, root: ROOT }, key), 'malformed_checkpoint');
  assertRefused(() => signCheckpoint({ origin: ORIGIN, size: 1.5, root: ROOT }, key), 'malformed_checkpoint');
  assertRefused(() => signCheckpoint({ origin: ORIGIN, size: 1, root: ROOT.subarray(1) }, key), 'malformed_checkpoint');
});

test('key import/export: PKCS #8 and raw seed round-trip to the same key', () => {
  const key = generateSigningKey(ORIGIN);
  const fromPkcs8 = importSigningKey(ORIGIN, exportSigningKeyPkcs8(key));
  const fromSeed = importSigningKey(ORIGIN, exportSigningKeySeed(key));
  assert.equal(Buffer.from(exportSigningKeySeed(key), 'base64').length, 32);
  for (const k of [fromPkcs8, fromSeed]) {
    assert.deepEqual(k.publicKey, key.publicKey);
    assert.deepEqual(k.keyId, key.keyId);
    // Ed25519 is deterministic: identical notes.
    assert.equal(
      signCheckpoint({ origin: ORIGIN, size: 1, root: ROOT }, k),
      signCheckpoint({ origin: ORIGIN, size: 1, root: ROOT }, key),
    );
  }
  // The raw public key is the one node:crypto derives.
  const spki = createPublicKey(key.privateKey).export({ format: 'der', type: 'spki' });
  assert.deepEqual(new Uint8Array(spki.subarray(-32)), key.publicKey);
  assert.equal(sign(null, Buffer.from('x'), key.privateKey).length, 64);

  const info = publicKeyInfo(key);
  assert.equal(info.keyName, ORIGIN);
  assert.equal(info.publicKey, Buffer.from(key.publicKey).toString('base64'));
  assert.equal(info.verifierKey, verifierKeyString(ORIGIN, key.publicKey));
  assert.match(info.verifierKey, /^aigov\.example\.gov\.cn\/transparency\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  assert.equal(Buffer.from(info.verifierKey.split('+').slice(2).join('+'), 'base64')[0], 0x01);

  assertRefused(() => importSigningKey(ORIGIN, 'not base64!'), 'invalid_key');
  assertRefused(() => importSigningKey(ORIGIN, Buffer.alloc(31).toString('base64')), 'invalid_key');
  assertRefused(() => generateSigningKey('has space'), 'invalid_key');
  assertRefused(() => generateSigningKey('has+plus'), 'invalid_key');
  assertRefused(() => generateSigningKey(''), 'invalid_key');
  assertRefused(() => keyId(ORIGIN, new Uint8Array(31)), 'invalid_key');
});

test('verifier keys: wrong ID, type byte or length are refused', () => {
  const [name, id, b64] = ['PeterNeumann', 'c74f20a3', 'ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'];
  assert.doesNotThrow(() => parseVerifierKey(`${name}+${id}+${b64}`));
  assertRefused(() => parseVerifierKey(`${name}+c74f20a4+${b64}`), 'invalid_key');
  assertRefused(() => parseVerifierKey(`${name}+C74F20A3+${b64}`), 'invalid_key');
  assertRefused(() => parseVerifierKey(`Other+${id}+${b64}`), 'invalid_key');
  const raw = Buffer.from(b64, 'base64');
  raw[0] = 0x02;
  assertRefused(() => parseVerifierKey(`${name}+${id}+${raw.toString('base64')}`), 'invalid_key');
  assertRefused(() => parseVerifierKey(`${name}+${id}+${raw.subarray(0, 32).toString('base64')}`), 'invalid_key');
  assertRefused(() => parseVerifierKey(name), 'invalid_key');
});
