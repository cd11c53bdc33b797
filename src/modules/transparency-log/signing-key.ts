import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { exportSigningKeyPkcs8, generateSigningKey, importSigningKey, type SigningKey } from '../../lib/checkpoint.ts';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';

/** File that holds the generated key on the embedded database (one machine, one data dir). */
export const SIGNING_KEY_FILE = 'transparency-signing-key';
/** Row id of the generated key on PostgreSQL (every instance must sign with the same key). */
const SIGNING_KEY_ROW = 'checkpoint-signing-key';

const cache = new WeakMap<object, { config: AppDeps['config']; key: Promise<SigningKey> }>();

/**
 * The Ed25519 key that signs checkpoints, loaded once per database handle:
 * 1. `AIGOV_LOG_SIGNING_KEY` (base64 PKCS #8 or seed) — what production should use, from a
 *    secret store;
 * 2. otherwise on PostgreSQL a key generated once and kept in `transparency_keys`: several
 *    instances behind a load balancer must sign with one key, and the first to start wins
 *    (INSERT … ON CONFLICT DO NOTHING, then everyone reads the winner);
 * 3. otherwise (embedded PGlite, one machine) a key generated once into
 *    `<dataDir>/transparency-signing-key`, mode 0600.
 * The key is never logged. It is read outside any caller transaction, so a rolled-back
 * transaction can never leave an instance with a key no one else has.
 */
export function checkpointSigningKey(deps: Pick<AppDeps, 'config' | 'db' | 'dbKind'>): Promise<SigningKey> {
  const cached = cache.get(deps.db);
  if (cached !== undefined && cached.config === deps.config) return cached.key;
  const key = loadSigningKey(deps);
  cache.set(deps.db, { config: deps.config, key });
  key.catch(() => cache.delete(deps.db));
  return key;
}

async function loadSigningKey(deps: Pick<AppDeps, 'config' | 'db' | 'dbKind'>): Promise<SigningKey> {
  const { config } = deps;
  if (config.logSigningKey !== undefined) return importSigningKey(config.logKeyName, config.logSigningKey);
  if (deps.dbKind === 'postgres') return sharedDatabaseKey(deps.db, config.logKeyName, new Date());
  return dataDirKey(path.join(config.dataDir, SIGNING_KEY_FILE), config.logKeyName);
}

async function sharedDatabaseKey(db: Kysely<Database>, keyName: string, now: Date): Promise<SigningKey> {
  await db
    .insertInto('transparency_keys')
    .values({ id: SIGNING_KEY_ROW, private_key: exportSigningKeyPkcs8(generateSigningKey(keyName)), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('transparency_keys')
    .select('private_key')
    .where('id', '=', SIGNING_KEY_ROW)
    .executeTakeFirstOrThrow();
  return importSigningKey(keyName, row.private_key);
}

function dataDirKey(file: string, keyName: string): SigningKey {
  try {
    return importSigningKey(keyName, fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written to a private temporary file, then hard-linked into place: link() fails if the
  // file exists, so two processes racing never overwrite each other and nobody ever reads
  // a half-written key. The loser reads the winner's key.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${exportSigningKeyPkcs8(generateSigningKey(keyName))}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return importSigningKey(keyName, fs.readFileSync(file, 'utf8'));
}
