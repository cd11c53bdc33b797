/**
 * AI-industry statistics (API-CONTRACT-2 §5) — the rules written once, imported by the server
 * and the web app: the nine districts, the reporting period's life, and the validation of a
 * return. Amounts are integers in thousands of yuan.
 *
 * Law: the Shenzhen AI Regulations (深圳经济特区人工智能产业促进条例, 2022) ask for a standardised
 * system to collect and oversee AI-industry statistics, with statistical classification
 * standards and the AI industry classification catalogue.
 */
import type { LocalizedText } from '../platform/errors.ts';

/** GB/T 2260 codes of Shenzhen's nine districts, in the contract's order. */
export const SHENZHEN_DISTRICTS = [
  { code: '440303', nameZh: '罗湖区', nameEn: 'Luohu' },
  { code: '440304', nameZh: '福田区', nameEn: 'Futian' },
  { code: '440305', nameZh: '南山区', nameEn: 'Nanshan' },
  { code: '440306', nameZh: '宝安区', nameEn: "Bao'an" },
  { code: '440307', nameZh: '龙岗区', nameEn: 'Longgang' },
  { code: '440308', nameZh: '盐田区', nameEn: 'Yantian' },
  { code: '440309', nameZh: '龙华区', nameEn: 'Longhua' },
  { code: '440310', nameZh: '坪山区', nameEn: 'Pingshan' },
  { code: '440311', nameZh: '光明区', nameEn: 'Guangming' },
] as const;

export const DISTRICT_CODES = SHENZHEN_DISTRICTS.map((district) => district.code);
export type DistrictCode = (typeof SHENZHEN_DISTRICTS)[number]['code'];

/** A period code: 1–20 of `[0-9A-Za-z-]`, e.g. "2025", "2026-H1". */
export const PERIOD_CODE_PATTERN = '^[0-9A-Za-z-]{1,20}$';

/** The unit of every amount in the tables (SDMX UNIT_MEASURE spelled out). */
export const AMOUNT_UNIT = 'CNY thousand';

/** The largest amount a return may state, in thousands of yuan (CNY 10^15: sums stay exact). */
export const MAX_AMOUNT = 1_000_000_000_000;
export const MAX_EMPLOYEES = 10_000_000;

/**
 * Where a period stands on a given (Shanghai) day: `scheduled` before `opensOn`, `open` from
 * `opensOn` through `closesOn` (both inclusive), `closed` after, `published` once the
 * statistician published it (whatever the day).
 */
export const PERIOD_STATUSES = ['scheduled', 'open', 'closed', 'published'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

export interface PeriodSchedule {
  readonly opensOn: string;
  readonly closesOn: string;
  readonly publishedAt: string | null;
}

export function periodStatusAt(period: PeriodSchedule, today: string): PeriodStatus {
  if (period.publishedAt !== null) return 'published';
  if (today < period.opensOn) return 'scheduled';
  if (today > period.closesOn) return 'closed';
  return 'open';
}

export interface Problem {
  readonly pointer: string;
  readonly message: LocalizedText;
}

/** `opensOn ≤ dueDate ≤ closesOn`: a return is due while the period is open. */
export function periodDateProblems(period: { opensOn: string; closesOn: string; dueDate: string }): Problem[] {
  const problems: Problem[] = [];
  if (period.closesOn < period.opensOn) {
    problems.push({
      pointer: '/closesOn',
      message: { zh: '截止日期不能早于开始日期', en: 'closesOn must not be before opensOn' },
    });
  }
  if (period.dueDate < period.opensOn || period.dueDate > period.closesOn) {
    problems.push({
      pointer: '/dueDate',
      message: {
        zh: '报送期限须在开始日期与截止日期之间',
        en: 'dueDate must lie between opensOn and closesOn',
      },
    });
  }
  return problems;
}

export interface CategoryAmount {
  readonly catalogueCode: string;
  readonly aiRevenue: number;
}

/** A return's figures (the body of `PUT …/returns/mine`). */
export interface StatisticsReturnFigures {
  readonly district: string;
  readonly employees: number;
  readonly aiEmployees: number;
  readonly revenue: number;
  readonly aiRevenue: number;
  readonly rdExpenditure: number;
  readonly byCategory: readonly CategoryAmount[];
}

/**
 * The cross-field rules of §5, every problem with its pointer: a known district, a level-2
 * catalogue code (of the period's catalogue version) listed once each, `aiEmployees ≤
 * employees`, `aiRevenue ≤ revenue`, and the category amounts adding up to `aiRevenue`.
 * Types and ranges (non-negative integers) are the schema's.
 */
export function returnProblems(figures: StatisticsReturnFigures, levelTwoCodes: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  if (!(DISTRICT_CODES as readonly string[]).includes(figures.district)) {
    problems.push({
      pointer: '/district',
      message: {
        zh: `"${figures.district}"不是深圳市的区级行政区划代码（GB/T 2260）`,
        en: `"${figures.district}" is not a GB/T 2260 code of a Shenzhen district`,
      },
    });
  }
  if (figures.aiEmployees > figures.employees) {
    problems.push({
      pointer: '/aiEmployees',
      message: { zh: '人工智能从业人员不能多于从业人员总数', en: 'aiEmployees must not exceed employees' },
    });
  }
  if (figures.aiRevenue > figures.revenue) {
    problems.push({
      pointer: '/aiRevenue',
      message: { zh: '人工智能业务收入不能大于营业收入', en: 'aiRevenue must not exceed revenue' },
    });
  }
  const seen = new Set<string>();
  let sum = 0;
  figures.byCategory.forEach((entry, index) => {
    sum += entry.aiRevenue;
    if (!levelTwoCodes.has(entry.catalogueCode)) {
      problems.push({
        pointer: `/byCategory/${index}/catalogueCode`,
        message: {
          zh: `"${entry.catalogueCode}"不是产业分类目录的二级代码`,
          en: `"${entry.catalogueCode}" is not a level-2 code of the AI industry catalogue`,
        },
      });
    } else if (seen.has(entry.catalogueCode)) {
      problems.push({
        pointer: `/byCategory/${index}/catalogueCode`,
        message: {
          zh: `分类 ${entry.catalogueCode} 重复填报`,
          en: `Category ${entry.catalogueCode} is listed more than once`,
        },
      });
    }
    seen.add(entry.catalogueCode);
  });
  if (sum !== figures.aiRevenue) {
    problems.push({
      pointer: '/byCategory',
      message: {
        zh: `各分类收入合计 ${sum} 与人工智能业务收入 ${figures.aiRevenue} 不符`,
        en: `The category amounts add up to ${sum}, not to aiRevenue (${figures.aiRevenue})`,
      },
    });
  }
  return problems;
}
