import crypto from 'node:crypto';

/** Token kinds, visible in the prefix so a leaked string is recognisable (and greppable by scanners). */
export const SESSION_PREFIX = 'aigov_s_';
export const API_TOKEN_PREFIX = 'aigov_pat_';
export const RESET_PREFIX = 'aigov_rst_';

/** 256 bits of randomness; only the SHA-256 is stored, so a database leak yields no usable token. */
export function newSecretToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}${crypto.randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function randomPassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}
