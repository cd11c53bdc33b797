import { Type } from '@fastify/type-provider-typebox';

const Index = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const Size = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** base64 of a 32-byte SHA-256 (RFC 6962) hash. */
const Hash = Type.String({ description: 'base64 of a 32-byte RFC 6962 hash' });

export const PublicKeyResponse = Type.Object({
  keyName: Type.String({ description: 'signed-note key name' }),
  publicKey: Type.String({ description: 'base64 of the raw 32-byte Ed25519 public key' }),
  verifierKey: Type.String({ description: 'signed-note verifier key <name>+<hex id>+<base64(0x01‖key)>' }),
});

export const EntriesQuery = Type.Object({
  start: Index('first leaf index (inclusive)'),
  end: Size('last leaf index (exclusive); at most start + 1000 and at most the log size'),
});

export const EntriesResponse = Type.Object({
  entries: Type.Array(
    Type.Object({
      leafIndex: Type.Integer(),
      leaf: Type.String({ description: 'base64 of the exact leaf bytes (RFC 8785 canonical JSON)' }),
    }),
  ),
});

export const InclusionQuery = Type.Object({
  leafIndex: Index('leaf index'),
  treeSize: Size('tree size, at most the current log size'),
});

export const InclusionResponse = Type.Object({
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  hashes: Type.Array(Hash, { description: 'RFC 6962 §2.1.1 audit path, leaf side first' }),
});

export const ConsistencyQuery = Type.Object({
  first: Index('older tree size (0 and first = second give an empty proof)'),
  second: Index('newer tree size, at most the current log size'),
});

export const ConsistencyResponse = Type.Object({
  first: Type.Integer(),
  second: Type.Integer(),
  hashes: Type.Array(Hash, { description: 'RFC 6962 §2.1.2 consistency proof' }),
});

/** Answer of a conditional GET whose ETag matched (RFC 9110 §15.4.5): no body. */
export const NotModified = Type.Null({ description: 'Not modified: the If-None-Match ETag is current' });
