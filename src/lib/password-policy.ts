/**
 * Password policy for every account the platform creates (first administrator, registration,
 * organisation users, regulator staff). It follows NIST SP 800-63B §5.1.1.2 (memorized secret
 * verifiers): a length floor and ceiling, no composition rules, and a check against a list of
 * commonly used, breached and context-specific values.
 */

/** Minimum length in Unicode code points (SP 800-63B counts each code point as one character). */
export const PASSWORD_MIN_LENGTH = 12;
/** Maximum length: SP 800-63B asks for at least 64; the ceiling only bounds hashing work. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * - `too_short` / `too_long`: outside `PASSWORD_MIN_LENGTH`…`PASSWORD_MAX_LENGTH` code points.
 * - `common`: in the common-password list (case-insensitive).
 * - `contains_email`: equals or contains the local part of the user's email address.
 * - `contains_name`: contains the user's name, or a part of it.
 * - `single_character`: one character repeated.
 */
export const PASSWORD_PROBLEMS = [
  'too_short',
  'too_long',
  'common',
  'contains_email',
  'contains_name',
  'single_character',
] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

/** What the platform knows about the account, to reject context-specific passwords. */
export interface PasswordContext {
  email?: string;
  name?: string;
}

/** Shorter fragments (a local part `li`, a given name `Al`) would forbid too many passwords. */
const MIN_FRAGMENT_LENGTH = 3;
/** A two-character Chinese name (张伟) is as specific as a five-letter Latin one. */
const MIN_HAN_FRAGMENT_LENGTH = 2;

function codePointLength(text: string): number {
  return [...text].length;
}

function isSpecificEnough(fragment: string): boolean {
  const length = codePointLength(fragment);
  if (length >= MIN_FRAGMENT_LENGTH) return true;
  return length >= MIN_HAN_FRAGMENT_LENGTH && /\p{Script=Han}/u.test(fragment);
}

/** The local part and, for `alice+aigov@…`, its base `alice`; lower-cased. */
function emailFragments(email: string): string[] {
  const at = email.lastIndexOf('@');
  const local = (at === -1 ? email : email.slice(0, at)).trim().toLowerCase();
  if (local === '') return [];
  const base = local.split('+')[0] ?? '';
  return base !== '' && base !== local ? [local, base] : [local];
}

/** The whole name without spaces and each of its space-separated parts; lower-cased. */
function nameFragments(name: string): string[] {
  const parts = name
    .trim()
    .toLowerCase()
    .split(/[\s\u00b7\u30fb.-]+/u)
    .filter((part) => part !== '');
  const joined = parts.join('');
  return [...new Set([joined, ...parts])].filter((fragment) => fragment !== '');
}

/**
 * The policy's problems with `password`, in `PASSWORD_PROBLEMS` order; empty when it is
 * acceptable. `commonList` holds lower-case entries (see `loadCommonPasswords`).
 */
export function checkPasswordStrength(
  password: string,
  context: PasswordContext,
  commonList: ReadonlySet<string>,
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = codePointLength(password);
  const lowered = password.toLowerCase();

  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (commonList.has(lowered)) problems.push('common');

  // SP 800-63B §5.1.1.2: context-specific words such as the username must be rejected.
  if (context.email !== undefined) {
    const fragments = emailFragments(context.email);
    if (
      fragments.some((fragment) => lowered === fragment || (isSpecificEnough(fragment) && lowered.includes(fragment)))
    ) {
      problems.push('contains_email');
    }
  }
  if (context.name !== undefined) {
    const fragments = nameFragments(context.name).filter(isSpecificEnough);
    if (fragments.some((fragment) => lowered.includes(fragment))) problems.push('contains_name');
  }

  // SP 800-63B §5.1.1.2 lists repetitive characters ("aaaaaa") among the values to reject.
  const [first] = password;
  if (first !== undefined && [...password].every((character) => character === first)) {
    problems.push('single_character');
  }
  return problems;
}
