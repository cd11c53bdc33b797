import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `data/reference/passwords/common-10k.txt` of this checkout, found from this file rather than
 * the cwd: the 10,000 most common passwords (source and licence in `SOURCE.md` beside it).
 */
export const DEFAULT_COMMON_PASSWORDS_PATH = fileURLToPath(
  new URL('../../data/reference/passwords/common-10k.txt', import.meta.url),
);

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The common-password list as a set of lower-case entries, for `checkPasswordStrength`. The
 * file (one password per line; blank lines ignored) is read on the first call for a path and
 * the same set is returned afterwards. Throws if the file is missing or holds no entries.
 */
export function loadCommonPasswords(filePath: string = DEFAULT_COMMON_PASSWORDS_PATH): ReadonlySet<string> {
  const resolved = path.resolve(filePath);
  const cached = cache.get(resolved);
  if (cached !== undefined) return cached;

  const entries = readFileSync(resolved, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '');
  if (entries.length === 0) throw new Error(`${resolved}: no common passwords in the file`);

  const passwords: ReadonlySet<string> = new Set(entries);
  cache.set(resolved, passwords);
  return passwords;
}
