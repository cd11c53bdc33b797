import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  USCC_CHARSET,
  USCC_DEPARTMENTS,
  isValidUscc,
  organizationCodeCheckDigit,
  usccCheckCharacter,
  usccLabels,
  validateUscc,
} from './uscc.ts';
import type { UsccProblem } from './uscc.ts';

/**
 * Real codes of real organisations, found in public material (invoice headers, register
 * extracts and public data sets quoted in public repositories and issue threads), each seen
 * with the same holder in more than one place where the source allowed. All satisfy both checks.
 */
const REAL_CODES: ReadonlyArray<{
  code: string;
  holder: string;
  department: string;
  orgType: string;
  division: string;
}> = [
  // Enterprises (9 工商, 1 企业)
  {
    code: '914403001922038216',
    holder: '华为技术有限公司 Huawei Technologies Co., Ltd.',
    department: '9',
    orgType: '1',
    division: '440300',
  },
  {
    code: '91440300708461136T',
    holder: '腾讯科技（深圳）有限公司 Tencent Technology (Shenzhen) Co., Ltd.',
    department: '9',
    orgType: '1',
    division: '440300',
  },
  {
    code: '91330100716105852F',
    holder: '阿里巴巴（中国）网络技术有限公司 Alibaba (China) Technology Co., Ltd.',
    department: '9',
    orgType: '1',
    division: '330100',
  },
  {
    code: '91110000802100433B',
    holder: '北京百度网讯科技有限公司 Beijing Baidu Netcom Science and Technology Co., Ltd.',
    department: '9',
    orgType: '1',
    division: '110000',
  },
  {
    code: '91110108551385082Q',
    holder: '小米科技有限责任公司 Xiaomi Inc.',
    department: '9',
    orgType: '1',
    division: '110108',
  },
  // Check character 0: the "31 → 0" case of the formula.
  {
    code: '911101085923662400',
    holder: '北京抖音信息服务有限公司 (formerly 北京字节跳动科技有限公司, Beijing ByteDance Technology)',
    department: '9',
    orgType: '1',
    division: '110108',
  },
  {
    code: '91310000132260250X',
    holder: '上海汽车集团股份有限公司 SAIC Motor Corporation Limited',
    department: '9',
    orgType: '1',
    division: '310000',
  },
  // 个体工商户 with a post-2015 "MA…" organisation code; cited in jaywcjlove/regexp-example#23 as listed by the national code register.
  {
    code: '92141127MA0KD1Y64A',
    holder: 'an individual business registered in 岚县, Shanxi (name not given by the source)',
    department: '9',
    orgType: '2',
    division: '141127',
  },
  // Public institutions (1 机构编制, 2 事业单位): universities; national-level division 100000.
  {
    code: '12100000400000624D',
    holder: '清华大学 Tsinghua University',
    department: '1',
    orgType: '2',
    division: '100000',
  },
  {
    code: '12100000425006133D',
    holder: '华东师范大学 East China Normal University',
    department: '1',
    orgType: '2',
    division: '100000',
  },
  // Organisation-code check digit X (GB 11714 value 10).
  {
    code: '1210000042500615X0',
    holder: '复旦大学 Fudan University',
    department: '1',
    orgType: '2',
    division: '100000',
  },
  {
    code: '12440300455752807L',
    holder: '清华大学深圳国际研究生院 Tsinghua Shenzhen International Graduate School',
    department: '1',
    orgType: '2',
    division: '440300',
  },
  // Medical institutions (public hospitals and health centres are 事业单位).
  {
    code: '12331000MB0X59176W',
    holder: '台州市中心医院 Taizhou Central Hospital (Zhejiang)',
    department: '1',
    orgType: '2',
    division: '331000',
  },
  {
    code: '12330226419591989H',
    holder: '宁海县前童镇卫生院 Qiantong Township Health Centre, Ninghai (Zhejiang)',
    department: '1',
    orgType: '2',
    division: '330226',
  },
];

test('real codes of well-known organisations are valid and decomposed', () => {
  for (const { code, holder, department, orgType, division } of REAL_CODES) {
    assert.deepEqual(validateUscc(code), { valid: true, normalized: code, department, orgType, division }, holder);
    assert.equal(isValidUscc(code), true, holder);
  }
});

test('every real code passes the GB 11714 organisation-code check at position 17', () => {
  // The reason `org_code_check` is enforced at all: no real example fails it.
  for (const { code, holder } of REAL_CODES) {
    assert.equal(organizationCodeCheckDigit(code.slice(8, 16)), code.charAt(16), holder);
  }
});

test('usccCheckCharacter reproduces the check character of every real code', () => {
  for (const { code, holder } of REAL_CODES) {
    assert.equal(usccCheckCharacter(code.slice(0, 17)), code.charAt(17), holder);
  }
});

test('input is trimmed, upper-cased and full-width characters are folded', () => {
  const cases: ReadonlyArray<{ input: string; normalized: string }> = [
    // 三门县健跳镇毛叶村卫生室, published with a lower-case check character.
    { input: '12331022769610107p', normalized: '12331022769610107P' },
    { input: '  91440300708461136t\n', normalized: '91440300708461136T' },
    { input: '９１４４０３００１９２２０３８２１６', normalized: '914403001922038216' },
  ];
  for (const { input, normalized } of cases) {
    const result = validateUscc(input);
    assert.equal(result.valid, true, input);
    assert.equal(result.valid && result.normalized, normalized, input);
  }
});

/** A code whose org code is wrong at position 17 but whose check character is right for it. */
const BAD_ORG_CHECK = `91440300192203827${usccCheckCharacter('91440300192203827')}`;

const INVALID_CODES: ReadonlyArray<{ code: string; reason: UsccProblem; why: string }> = [
  { code: '', reason: 'length', why: 'empty' },
  { code: '   ', reason: 'length', why: 'only whitespace' },
  { code: '91440300192203821', reason: 'length', why: '17 characters' },
  { code: '9144030019220382160', reason: 'length', why: '19 characters' },
  { code: '440300192203821', reason: 'length', why: 'a pre-2015 15-digit registration number' },
  { code: '9144 0300 1922 0382 16', reason: 'length', why: 'spaces inside are not removed' },
  { code: '91440300192203821I', reason: 'charset', why: 'I is not in the charset' },
  { code: '91440300O92203821G', reason: 'charset', why: 'O is not in the charset' },
  { code: '9144030019220382Z6', reason: 'charset', why: 'Z is not in the charset' },
  { code: 'S14403001922038216', reason: 'charset', why: 'S is not in the charset' },
  { code: '91440300V92203821G', reason: 'charset', why: 'V is not in the charset' },
  { code: '91440300-92203821G', reason: 'charset', why: 'punctuation' },
  { code: '014403001922038216', reason: 'registration_authority', why: 'department 0 does not exist' },
  { code: 'B14403001922038216', reason: 'registration_authority', why: 'department B does not exist' },
  { code: '941403001922038216', reason: 'org_type', why: '工商 has no type 4' },
  { code: '99440300192203821G', reason: 'org_type', why: '工商 has no type 9 (only 1, 2, 3)' },
  { code: 'Y2440300192203821G', reason: 'org_type', why: '其他 only has type 1' },
  { code: '16440300192203821G', reason: 'org_type', why: '机构编制 has no type 6' },
  { code: '9144A300192203821G', reason: 'division', why: 'letter in the division code' },
  { code: '91990300192203821G', reason: 'division', why: 'province 99 does not exist' },
  { code: '91000000192203821G', reason: 'division', why: 'province 00 does not exist' },
  { code: '91200000192203821G', reason: 'division', why: 'only 100000 is a national code, not 200000' },
  { code: BAD_ORG_CHECK, reason: 'org_code_check', why: 'position 17 is not the GB 11714 check digit' },
  { code: '914403001922038217', reason: 'check_character', why: 'Huawei with the last character changed' },
  { code: '914403001922038261', reason: 'org_code_check', why: 'last two characters swapped' },
  { code: '91440300708461136X', reason: 'check_character', why: 'Tencent with a wrong check character' },
  // Published in chinabugotech/hutool#2020 as an issued code whose check character should be J:
  // the standard is enforced even for this known registry error.
  { code: '91350203M0001FUE2P', reason: 'check_character', why: 'known real-world code with a wrong check character' },
];

test('invalid codes are rejected with the first failing check as the reason', () => {
  for (const { code, reason, why } of INVALID_CODES) {
    assert.deepEqual(validateUscc(code), { valid: false, reason }, `${JSON.stringify(code)}: ${why}`);
    assert.equal(isValidUscc(code), false, why);
  }
});

test('usccCheckCharacter makes demo codes that validate, and rejects bad input', () => {
  const orgBody = '12345678';
  const first17 = `91440300${orgBody}${organizationCodeCheckDigit(orgBody)}`;
  const demo = `${first17}${usccCheckCharacter(first17)}`;
  assert.equal(isValidUscc(demo), true, demo);
  assert.throws(() => usccCheckCharacter('9144030019220382'), RangeError);
  assert.throws(() => usccCheckCharacter('9144030019220382i'), RangeError);
  assert.throws(() => organizationCodeCheckDigit('1922038'), RangeError);
});

test('organizationCodeCheckDigit maps 10 to X and 11 to 0 (GB 11714)', () => {
  assert.equal(organizationCodeCheckDigit('42500615'), 'X'); // 复旦大学
  assert.equal(organizationCodeCheckDigit('00000000'), '0'); // sum 0 → 11 → 0
});

test('the department table matches GB 32100-2015', () => {
  const expected: Record<string, string> = {
    '1': '1239',
    '2': '19',
    '3': '123459',
    '4': '19',
    '5': '1239',
    '6': '129',
    '7': '129',
    '8': '19',
    '9': '123',
    A: '19',
    N: '1239',
    Y: '1',
  };
  const actual = Object.fromEntries(
    Object.entries(USCC_DEPARTMENTS).map(([code, entry]) => [code, Object.keys(entry.orgTypes).sort().join('')]),
  );
  assert.deepEqual(actual, expected);
  for (const code of Object.keys(USCC_DEPARTMENTS)) assert.ok(USCC_CHARSET.includes(code), code);
  assert.deepEqual(usccLabels('1', '2'), {
    department: { nameZh: '机构编制', nameEn: 'Public-sector staffing authority' },
    orgType: { nameZh: '事业单位', nameEn: 'Public institution' },
  });
  assert.equal(usccLabels('9', '9'), undefined);
});
