/** Public surface of the catalogue module: the versioned AI industry classification catalogue. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppModule } from '../index.ts';

/** Is `code` listed in catalogue `version`? */
export async function catalogueCodeExists(
  _db: Kysely<Database> | Transaction<Database>,
  _version: string,
  _code: string,
): Promise<boolean> {
  throw new Error('not implemented');
}

export const catalogueModule: AppModule = { name: 'catalogue' };
