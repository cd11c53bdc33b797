import { hash, verify } from '@node-rs/argon2';
import { loadCommonPasswords } from '../../lib/common-passwords.ts';
import { checkPasswordStrength, type PasswordProblem } from '../../lib/password-policy.ts';
import { unprocessable, type LocalizedText } from '../../platform/errors.ts';

/** argon2id with OWASP's recommended floor (19 MiB, 2 passes); ≈ 13 ms here. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash of a random string: unknown emails are verified against it, so timing does not tell. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}

const PROBLEM_TEXT: Record<PasswordProblem, LocalizedText> = {
  too_short: { zh: '密码至少 12 个字符', en: 'Password must have at least 12 characters' },
  too_long: { zh: '密码最多 256 个字符', en: 'Password must have at most 256 characters' },
  common: { zh: '该密码过于常见，请换一个', en: 'This password is too common; choose another' },
  contains_email: { zh: '密码不能包含邮箱名', en: 'Password must not contain your email name' },
  contains_name: { zh: '密码不能包含姓名', en: 'Password must not contain your name' },
  single_character: { zh: '密码不能由同一字符重复组成', en: 'Password must not repeat a single character' },
};

/** Throws 422 `weak_password` at `pointer` when the password fails the policy (NIST SP 800-63B §5.1.1.2). */
export function assertStrongPassword(
  password: string,
  context: { email?: string; name?: string },
  pointer: string,
  language: 'zh-CN' | 'en',
): void {
  const problems = checkPasswordStrength(password, context, loadCommonPasswords());
  if (problems.length === 0) return;
  throw unprocessable('weak_password', {
    detail: { zh: '密码不符合安全要求', en: 'The password does not meet the policy' },
    errors: problems.map((problem) => ({
      pointer,
      message: language === 'en' ? PROBLEM_TEXT[problem].en : PROBLEM_TEXT[problem].zh,
    })),
  });
}
