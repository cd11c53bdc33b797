import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';

/** Every migration in order. Never edit one that has shipped: add the next number. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
};
