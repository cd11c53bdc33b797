/**
 * bytea in PGlite's text protocol, through Node's hex codec. PGlite's own serializer builds
 * one string per byte (`Array.from(bytes).map(…).join('')`) and its parser calls `parseInt`
 * per byte: a 20 MB document — the contract's upload limit — cost ≈ 6 s of CPU and gigabytes
 * of garbage to store. The format is PostgreSQL's hex form either way (`\x` + two digits a
 * byte); node-postgres already reads bytea into a Buffer, so both databases hand the app the
 * same type.
 */
export const BYTEA_OID = 17;

export function serializeBytea(value: Uint8Array): string {
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
}

export function parseBytea(text: string): Buffer {
  // PostgreSQL's bytea_output is `hex` by default; the escape form never reaches us.
  return Buffer.from(text.slice(2), 'hex');
}
