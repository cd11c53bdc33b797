/**
 * Unified social credit code (统一社会信用代码) of legal entities and other organisations,
 * GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》.
 *
 * 18 characters: position 1 registration-management department, 2 organisation type,
 * 3–8 the registering authority's administrative division (GB/T 2260), 9–17 the organisation
 * code (GB 11714, with its own check digit at 17), 18 the check character (GB/T 17710, MOD 31-3).
 */

/** GB 32100-2015 code character set: 31 characters, in value order (no I, O, Z, S, V). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * Why a code was rejected, in the order the checks run (the first failing check is reported).
 * - `length`: not 18 characters after trimming.
 * - `charset`: a character outside the GB 32100 character set.
 * - `registration_authority`: position 1 is no registration-management department.
 * - `org_type`: position 2 is no organisation type of that department.
 * - `division`: positions 3–8 are not a plausible GB/T 2260 division code.
 * - `org_code_check`: position 17 is not the GB 11714 check digit of positions 9–16.
 * - `check_character`: position 18 is not the GB 32100 check character.
 */
export const USCC_PROBLEMS = [
  'length',
  'charset',
  'registration_authority',
  'org_type',
  'division',
  'org_code_check',
  'check_character',
] as const;
export type UsccProblem = (typeof USCC_PROBLEMS)[number];

export type UsccValidation =
  | { valid: true; normalized: string; department: string; orgType: string; division: string }
  | { valid: false; reason: UsccProblem };

interface UsccLabel {
  readonly nameZh: string;
  readonly nameEn: string;
}

interface UsccDepartment extends UsccLabel {
  readonly orgTypes: Readonly<Record<string, UsccLabel>>;
}

const OTHER: UsccLabel = { nameZh: '其他', nameEn: 'Other' };

/**
 * GB 32100-2015 登记管理部门代码 and 机构类别代码: the
 * registration-management departments and, for each, its organisation types. `A` (CMC reform
 * and staffing office) and `N` (agriculture, rural collective economic organisations) were
 * added to the table after the 2015 text; they are in the table the code administration
 * publishes today.
 */
export const USCC_DEPARTMENTS: Readonly<Record<string, UsccDepartment>> = {
  '1': {
    nameZh: '机构编制',
    nameEn: 'Public-sector staffing authority',
    orgTypes: {
      '1': { nameZh: '机关', nameEn: 'Government organ' },
      '2': { nameZh: '事业单位', nameEn: 'Public institution' },
      '3': {
        nameZh: '中央编办直接管理机构编制的群众团体',
        nameEn: 'Mass organisation staffed directly by the central staffing office',
      },
      '9': OTHER,
    },
  },
  '2': {
    nameZh: '外交',
    nameEn: 'Foreign affairs',
    orgTypes: { '1': { nameZh: '外国常驻新闻机构', nameEn: 'Resident foreign news agency' }, '9': OTHER },
  },
  '3': {
    nameZh: '司法行政',
    nameEn: 'Judicial administration',
    orgTypes: {
      '1': { nameZh: '律师执业机构', nameEn: 'Law firm' },
      '2': { nameZh: '公证处', nameEn: 'Notary office' },
      '3': { nameZh: '基层法律服务所', nameEn: 'Grassroots legal service office' },
      '4': { nameZh: '司法鉴定机构', nameEn: 'Forensic appraisal institution' },
      '5': { nameZh: '仲裁委员会', nameEn: 'Arbitration commission' },
      '9': OTHER,
    },
  },
  '4': {
    nameZh: '文化',
    nameEn: 'Culture',
    orgTypes: { '1': { nameZh: '外国在华文化中心', nameEn: 'Foreign cultural centre in China' }, '9': OTHER },
  },
  '5': {
    nameZh: '民政',
    nameEn: 'Civil affairs',
    orgTypes: {
      '1': { nameZh: '社会团体', nameEn: 'Social organisation' },
      '2': { nameZh: '民办非企业单位', nameEn: 'Private non-enterprise unit' },
      '3': { nameZh: '基金会', nameEn: 'Foundation' },
      '9': OTHER,
    },
  },
  '6': {
    nameZh: '旅游',
    nameEn: 'Tourism',
    orgTypes: {
      '1': { nameZh: '外国旅游部门常驻代表机构', nameEn: 'Resident office of a foreign tourism authority' },
      '2': {
        nameZh: '港澳台地区旅游部门常驻内地（大陆）代表机构',
        nameEn: 'Resident mainland office of a Hong Kong, Macao or Taiwan tourism authority',
      },
      '9': OTHER,
    },
  },
  '7': {
    nameZh: '宗教',
    nameEn: 'Religious affairs',
    orgTypes: {
      '1': { nameZh: '宗教活动场所', nameEn: 'Venue for religious activities' },
      '2': { nameZh: '宗教院校', nameEn: 'Religious college' },
      '9': OTHER,
    },
  },
  '8': {
    nameZh: '工会',
    nameEn: 'Trade unions',
    orgTypes: { '1': { nameZh: '基层工会', nameEn: 'Grassroots trade union' }, '9': OTHER },
  },
  '9': {
    nameZh: '工商',
    nameEn: 'Market regulation (industry and commerce)',
    orgTypes: {
      '1': { nameZh: '企业', nameEn: 'Enterprise' },
      '2': { nameZh: '个体工商户', nameEn: 'Individual business' },
      '3': { nameZh: '农民专业合作社', nameEn: "Farmers' specialised cooperative" },
    },
  },
  A: {
    nameZh: '中央军委改革和编制办公室',
    nameEn: 'CMC Reform and Organisation Office',
    orgTypes: { '1': { nameZh: '军队事业单位', nameEn: 'Military public institution' }, '9': OTHER },
  },
  N: {
    nameZh: '农业',
    nameEn: 'Agriculture and rural affairs',
    orgTypes: {
      '1': { nameZh: '组级集体经济组织', nameEn: 'Group-level collective economic organisation' },
      '2': { nameZh: '村级集体经济组织', nameEn: 'Village-level collective economic organisation' },
      '3': { nameZh: '乡镇级集体经济组织', nameEn: 'Township-level collective economic organisation' },
      '9': OTHER,
    },
  },
  // "其他": the table does not subdivide it; the type is always 1.
  Y: { nameZh: '其他', nameEn: 'Other', orgTypes: { '1': OTHER } },
};

/**
 * GB/T 2260 province-level prefixes (first two digits of a division code): 11–15 North,
 * 21–23 North-east, 31–37 East, 41–46 Central-south, 50–54 South-west, 61–65 North-west,
 * 71 Taiwan, 81 Hong Kong, 82 Macao. The full division table is deliberately not shipped:
 * divisions are renamed and merged every year and a registering authority keeps its code.
 */
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  ...['11', '12', '13', '14', '15', '21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54'],
  ...['61', '62', '63', '64', '65', '71', '81', '82'],
]);

/** 国发〔2015〕33号 annex: national-level registering authorities use division 100000 (e.g. 清华大学 12100000…). */
const NATIONAL_DIVISION = '100000';

/** GB 32100-2015 check-character weights: W_i = 3^(i−1) mod 31 for positions 1–17. */
const CHECK_CHARACTER_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** GB 11714-1997: weights of the organisation code's eight body characters. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

const USCC_BODY_PATTERN = /^[0-9A-HJ-NP-RTUW-Y]{17}$/;
const ORG_CODE_BODY_PATTERN = /^[0-9A-Z]{8}$/;

/**
 * The check character (position 18) for the first 17 characters of a code, per GB 32100-2015
 * (after GB/T 17710): C18 = 31 − (Σ C_i·W_i mod 31), where 31 becomes 0, mapped back through the charset.
 * Throws a `RangeError` unless `first17` is 17 characters of the (upper-case) charset.
 */
export function usccCheckCharacter(first17: string): string {
  if (!USCC_BODY_PATTERN.test(first17)) {
    throw new RangeError('usccCheckCharacter needs 17 characters from the GB 32100 character set');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += USCC_CHARSET.indexOf(first17.charAt(i)) * (CHECK_CHARACTER_WEIGHTS[i] ?? 0);
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The GB 11714-1997 check digit of an organisation code's eight body characters (positions
 * 9–16 of a USCC): C9 = 11 − (Σ C_i·W_i mod 11), where 10 becomes `X` and 11 becomes `0`.
 * Letters count A=10 … Z=35. Throws a `RangeError` unless `body8` is 8 digits or capitals.
 */
export function organizationCodeCheckDigit(body8: string): string {
  if (!ORG_CODE_BODY_PATTERN.test(body8)) {
    throw new RangeError('organizationCodeCheckDigit needs 8 digits or upper-case letters');
  }
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    sum += Number.parseInt(body8.charAt(i), 36) * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/**
 * Trims, folds full-width characters to ASCII (NFKC: codes typed with a Chinese IME often
 * arrive as `９１４４…`) and upper-cases.
 */
function normalizeUscc(code: string): string {
  return code.normalize('NFKC').trim().toUpperCase();
}

function isPlausibleDivision(division: string): boolean {
  if (!/^\d{6}$/.test(division)) return false;
  return division === NATIONAL_DIVISION || PROVINCE_PREFIXES.has(division.slice(0, 2));
}

/**
 * Validates a unified social credit code against GB 32100-2015 and reports the first problem.
 * The code is normalised first (trimmed, full-width folded, upper-cased); `normalized` is the
 * form to store. `department`, `orgType` and `division` are the raw codes of positions 1, 2
 * and 3–8 (see `USCC_DEPARTMENTS` and `usccLabels` for their names).
 */
export function validateUscc(code: string): UsccValidation {
  const normalized = normalizeUscc(code);
  if (normalized.length !== 18) return { valid: false, reason: 'length' };
  if (!USCC_BODY_PATTERN.test(normalized.slice(0, 17)) || !USCC_CHARSET.includes(normalized.charAt(17))) {
    return { valid: false, reason: 'charset' };
  }

  const department = normalized.charAt(0);
  const orgType = normalized.charAt(1);
  const division = normalized.slice(2, 8);
  const departmentEntry = USCC_DEPARTMENTS[department];
  if (departmentEntry === undefined) return { valid: false, reason: 'registration_authority' };
  if (departmentEntry.orgTypes[orgType] === undefined) return { valid: false, reason: 'org_type' };
  if (!isPlausibleDivision(division)) return { valid: false, reason: 'division' };

  // GB 32100-2015: positions 9–17 are the GB 11714 organisation code, check digit included.
  if (organizationCodeCheckDigit(normalized.slice(8, 16)) !== normalized.charAt(16)) {
    return { valid: false, reason: 'org_code_check' };
  }
  if (usccCheckCharacter(normalized.slice(0, 17)) !== normalized.charAt(17)) {
    return { valid: false, reason: 'check_character' };
  }
  return { valid: true, normalized, department, orgType, division };
}

/** Whether `code` is a valid unified social credit code (see `validateUscc`). */
export function isValidUscc(code: string): boolean {
  return validateUscc(code).valid;
}

/** Chinese and English names of a department and organisation type, or `undefined` if unknown. */
export function usccLabels(
  department: string,
  orgType: string,
): { department: UsccLabel; orgType: UsccLabel } | undefined {
  const departmentEntry = USCC_DEPARTMENTS[department];
  const orgTypeEntry = departmentEntry?.orgTypes[orgType];
  if (departmentEntry === undefined || orgTypeEntry === undefined) return undefined;
  return {
    department: { nameZh: departmentEntry.nameZh, nameEn: departmentEntry.nameEn },
    orgType: orgTypeEntry,
  };
}
