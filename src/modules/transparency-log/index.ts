/**
 * Public surface of the transparency log: an append-only RFC 6962 Merkle log of every public
 * decision, with C2SP signed checkpoints. The register module appends through
 * {@link appendLeaves}, in the transaction that records the decision.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { AppModule } from '../../platform/module.ts';
import { transparencyLogRoutes } from './routes.ts';
import { checkpointSigningKey } from './signing-key.ts';

export type { TransparencyLogTables } from './tables.ts';
export { appendLeaves, lockTransparencyLog, type AppendedLeaves } from './service.ts';
export { SIGNING_KEY_FILE } from './signing-key.ts';
/** How many leaves the log has published (0 on a fresh install). */
export { findLogSize as transparencyLogSize } from './repo.ts';

/**
 * Loads the checkpoint signing key (from the environment, the database or the data dir).
 * Appenders call it before taking the sequencer lock, so no I/O ever happens under it, and
 * pass the transaction they are in.
 */
export async function prepareLogSigning(
  deps: Pick<AppDeps, 'config' | 'db' | 'dbKind'>,
  trx?: Transaction<Database>,
): Promise<void> {
  await checkpointSigningKey(deps, trx);
}

export const transparencyLogModule: AppModule = {
  name: 'transparency-log',
  routes: transparencyLogRoutes,
  async startup(deps, log) {
    const key = await checkpointSigningKey(deps);
    if (key.keyName !== deps.config.logKeyName) {
      log.warn(
        { keyName: key.keyName, origin: deps.config.logOrigin },
        'the transparency log keeps signing under its previous key name; to name the key after the origin, ' +
          'set AIGOV_LOG_KEY_NAME and announce the new verifier key (docs/operations.md, "Keys")',
      );
    }
  },
};
