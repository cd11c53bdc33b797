import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_COMMON_PASSWORDS_PATH, loadCommonPasswords } from './common-passwords.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, checkPasswordStrength } from './password-policy.ts';
import type { PasswordContext, PasswordProblem } from './password-policy.ts';

const SMALL_LIST: ReadonlySet<string> = new Set(['password', '123qweasdzxc', 'qwertyuiop123']);

const CASES: ReadonlyArray<{ password: string; context?: PasswordContext; expected: PasswordProblem[]; why: string }> =
  [
    { password: 'correct horse battery staple', expected: [], why: 'a long passphrase' },
    { password: '监管平台的密码要足够长才行', expected: [], why: 'Chinese passphrase of 13 code points' },
    { password: 'abcdefghijk', expected: ['too_short'], why: `${PASSWORD_MIN_LENGTH - 1} characters` },
    { password: 'Tr0ub4dor&3', expected: ['too_short'], why: 'complex but short' },
    { password: '密码太短了', expected: ['too_short'], why: 'five Han characters' },
    { password: 'ab'.repeat(PASSWORD_MAX_LENGTH / 2) + 'c', expected: ['too_long'], why: '257 characters' },
    { password: 'password', expected: ['too_short', 'common'], why: 'the classic' },
    { password: '123QWEasdzxc', expected: ['common'], why: 'common, case-insensitively' },
    { password: 'aaaaaaaaaaaaaaa', expected: ['single_character'], why: 'one character repeated' },
    { password: '一一一一一一一一一一一一', expected: ['single_character'], why: 'one Han character repeated' },
    {
      password: 'zhang.wei@2024!',
      context: { email: 'zhang.wei@example.cn' },
      expected: ['contains_email'],
      why: 'contains the email local part',
    },
    {
      password: 'Zhang.Wei.Secure',
      context: { email: 'ZHANG.WEI@example.cn' },
      expected: ['contains_email'],
      why: 'case-insensitive',
    },
    {
      password: 'alice-is-here-2024',
      context: { email: 'alice+aigov@example.org' },
      expected: ['contains_email'],
      why: 'contains the base of a +tag local part',
    },
    {
      password: 'ab',
      context: { email: 'ab@example.org' },
      expected: ['too_short', 'contains_email'],
      why: 'equal to a short local part',
    },
    {
      password: 'lighthouse keeper',
      context: { email: 'li@example.org' },
      expected: [],
      why: 'a two-letter local part is too unspecific to forbid',
    },
    {
      password: 'my name is Wang Fang!',
      context: { name: 'Wang Fang' },
      expected: ['contains_name'],
      why: 'contains a part of the name',
    },
    {
      password: 'wangfang-loves-tea',
      context: { name: 'Wang Fang' },
      expected: ['contains_name'],
      why: 'contains the name without its space',
    },
    {
      password: '我是张伟我的密码非常安全',
      context: { name: '张伟' },
      expected: ['contains_name'],
      why: 'two-character Chinese name',
    },
    {
      password: 'a long enough passphrase',
      context: { name: 'Al' },
      expected: [],
      why: 'a two-letter Latin name is ignored',
    },
    { password: 'unrelated passphrase', context: {}, expected: [], why: 'empty context' },
  ];

test('checkPasswordStrength reports every problem in policy order', () => {
  for (const { password, context, expected, why } of CASES) {
    assert.deepEqual(checkPasswordStrength(password, context ?? {}, SMALL_LIST), expected, why);
  }
});

test('length counts Unicode code points, not UTF-16 units', () => {
  // Six astral-plane emoji are 12 UTF-16 units but 6 code points.
  assert.deepEqual(checkPasswordStrength('🔒🔒🔑🔑🗝🗝', {}, SMALL_LIST), ['too_short']);
  assert.deepEqual(checkPasswordStrength('🔒🔑🗝'.repeat(4), {}, SMALL_LIST), []);
});

test('the shipped common-password list loads once and holds the top 10,000', () => {
  const list = loadCommonPasswords();
  assert.equal(list.size, 10_000);
  assert.equal(loadCommonPasswords(), list, 'second call returns the cached set');
  assert.equal(loadCommonPasswords(DEFAULT_COMMON_PASSWORDS_PATH), list);
  for (const entry of ['123456', 'password', 'qwerty', 'iloveyou', '1qaz2wsx3edc']) assert.ok(list.has(entry), entry);
  for (const entry of list) assert.equal(entry, entry.toLowerCase(), entry);
  assert.deepEqual(checkPasswordStrength('1QAZ2WSX3EDC', {}, list), ['common']);
  assert.deepEqual(checkPasswordStrength('QwertyuiopAsdfgh', {}, list), []);
});

test('loadCommonPasswords lower-cases entries, skips blank lines and rejects an empty file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aigov-passwords-'));
  const file = path.join(dir, 'list.txt');
  writeFileSync(file, 'Secret123\r\n\r\n  hunter2  \n');
  assert.deepEqual([...loadCommonPasswords(file)].sort(), ['hunter2', 'secret123']);

  const empty = path.join(dir, 'empty.txt');
  writeFileSync(empty, '\n\n');
  assert.throws(() => loadCommonPasswords(empty), /no common passwords/);
  assert.throws(() => loadCommonPasswords(path.join(dir, 'missing.txt')), /ENOENT/);
});
