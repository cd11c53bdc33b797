/**
 * Risk early warnings (API-CONTRACT-2 §1): the four levels, and the warning rules W1–W7 held
 * as reviewed data (`data/reference/warnings/ruleset-*.json`, loaded by
 * `warning-ruleset-files.ts`) with a small evaluator. Pure: no I/O, no `eval`, no clock.
 *
 * A rule listens to one event type and holds a condition over that event's facts:
 * - `incident_reported` — `serious`, `widespread` (booleans), `tier` (a risk tier), `harms`
 *   (a set of incident harms), `nearestOtherSeriousIncidentDays` (see below; absent when the
 *   product has no other serious incident);
 * - `tracking_report_overdue` — `reportKind`, `overdueDays` (calendar days after `dueDate`),
 *   `overdueWorkingDays` (working days after `dueDate`, `tracking-schedule.ts`);
 * - `tracking_report_submitted` — `reportKind`, `metricsOutsideThresholds` (how many
 *   (metric, threshold) pairs are outside, `metric-thresholds.ts`).
 *
 * Condition language (each node an object with exactly one operator): `{"all": [c, …]}`,
 * `{"any": [c, …]}`, `{"not": c}`; `{"eq": {"fact", "value"}}` for a boolean or one value;
 * `{"in": {"fact", "values"}}` for one of the values; `{"includes": {"fact", "values"}}` for a
 * set holding at least one of them; `{"gt" | "gte" | "lt" | "lte": {"fact", "value"}}` for a
 * number (an absent number matches nothing). Time-driven rules (`tracking_report_overdue`)
 * may not use `not`, `lt` or `lte`: their condition must stay true once it holds, so that
 * each has a first day — its moment.
 *
 * Every rule whose condition holds issues its own warning. For time-driven rules the
 * condition is a state ("overdue by more than 20 working days"), so evaluating the same
 * report again matches again: the caller issues at most one warning per (report, rule).
 *
 * W4, "a second serious incident on the product within 90 calendar days", compares the
 * Shanghai dates of `occurredAt`: `nearestOtherSeriousIncidentDays` is the smallest
 * |date of this incident − date of another serious incident of the product|, and the rule
 * holds when it is ≤ 90 — the other incident occurred on the same day or within the 90 days
 * after (or before) it, the day itself not counted (Civil Code Art. 201).
 */

import { shanghaiDate, type WorkingDayCalendar } from './calendar.ts';
import { INCIDENT_HARMS, type IncidentHarm } from './incident-deadlines.ts';
import { metricBreaches, type MetricBreach, type MetricThreshold, type SubmittedMetric } from './metric-thresholds.ts';
import { checkFields, checkSourceCitations, deepFreeze, isNonEmptyString, isRecord } from './reference-validation.ts';
import { RISK_TIERS, type RiskTier, type SourceCitation } from './risk-rules.ts';
import {
  TRACKING_REPORT_KINDS,
  addCalendarDays,
  calendarDaysBetween,
  shanghaiStartOfDay,
  type TrackingReportKind,
} from './tracking-schedule.ts';

// ---------------------------------------------------------------------------------------
// Levels

/** Ascending: blue < yellow < orange < red (蓝 黄 橙 红). */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** Orange and red warnings are public (the register, `GET /api/v1/public/warnings`, the Atom feed). */
export const PUBLIC_WARNING_LEVELS = ['orange', 'red'] as const satisfies readonly WarningLevel[];

/** Negative when `a` is lower than `b`, 0 when equal, positive when higher. */
export function compareWarningLevels(a: WarningLevel, b: WarningLevel): number {
  return WARNING_LEVELS.indexOf(a) - WARNING_LEVELS.indexOf(b);
}

/** The product's `warningLevel`: the highest of its active warnings' levels, or `null` with none. */
export function effectiveWarningLevel(activeLevels: Iterable<WarningLevel>): WarningLevel | null {
  let highest: WarningLevel | null = null;
  for (const level of activeLevels) {
    if (highest === null || compareWarningLevels(level, highest) > 0) highest = level;
  }
  return highest;
}

/** An active red warning suspends the product. */
export function isSuspended(activeLevels: Iterable<WarningLevel>): boolean {
  for (const level of activeLevels) if (level === 'red') return true;
  return false;
}

export function isPublicWarningLevel(level: WarningLevel): boolean {
  return (PUBLIC_WARNING_LEVELS as readonly WarningLevel[]).includes(level);
}

// ---------------------------------------------------------------------------------------
// Ruleset shape

export const WARNING_EVENT_TYPES = [
  'incident_reported',
  'tracking_report_overdue',
  'tracking_report_submitted',
] as const;
export type WarningEventType = (typeof WARNING_EVENT_TYPES)[number];

/** `report_submission`: lifted automatically when the overdue report is submitted (W5, W6). */
export const WARNING_LIFTED_BY = ['reviewer', 'report_submission'] as const;
export type WarningLiftedBy = (typeof WARNING_LIFTED_BY)[number];

interface NumberTest {
  readonly fact: string;
  readonly value: number;
}

export type WarningCondition =
  | { readonly all: readonly WarningCondition[] }
  | { readonly any: readonly WarningCondition[] }
  | { readonly not: WarningCondition }
  | { readonly eq: { readonly fact: string; readonly value: boolean | string } }
  | { readonly in: { readonly fact: string; readonly values: readonly string[] } }
  | { readonly includes: { readonly fact: string; readonly values: readonly string[] } }
  | { readonly gt: NumberTest }
  | { readonly gte: NumberTest }
  | { readonly lt: NumberTest }
  | { readonly lte: NumberTest };

export interface WarningRule {
  /** `W1` … `W7`; stored on the warning as `ruleId`. */
  readonly id: string;
  readonly on: WarningEventType;
  readonly level: WarningLevel;
  readonly condition: WarningCondition;
  /** Ids of the ruleset's `source` citations the basis draws on. */
  readonly refs: readonly string[];
  readonly basisZh: string;
  readonly basisEn: string;
  /** The warning's reasons; `{placeholder}`s are filled from the event (see `PLACEHOLDERS`). */
  readonly reasonZh: string;
  readonly reasonEn: string;
  readonly measuresZh: readonly string[];
  readonly measuresEn: readonly string[];
  readonly liftedBy: WarningLiftedBy;
}

export interface WarningRuleset {
  readonly version: string;
  readonly titleZh?: string;
  readonly titleEn?: string;
  readonly source: readonly SourceCitation[];
  readonly rules: readonly WarningRule[];
}

type FactType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'set'; readonly values: readonly string[] };

const FACTS: Readonly<Record<WarningEventType, Readonly<Record<string, FactType>>>> = {
  incident_reported: {
    serious: { kind: 'boolean' },
    widespread: { kind: 'boolean' },
    tier: { kind: 'enum', values: RISK_TIERS },
    harms: { kind: 'set', values: INCIDENT_HARMS },
    nearestOtherSeriousIncidentDays: { kind: 'number' },
  },
  tracking_report_overdue: {
    reportKind: { kind: 'enum', values: TRACKING_REPORT_KINDS },
    overdueDays: { kind: 'number' },
    overdueWorkingDays: { kind: 'number' },
  },
  tracking_report_submitted: {
    reportKind: { kind: 'enum', values: TRACKING_REPORT_KINDS },
    metricsOutsideThresholds: { kind: 'number' },
  },
};

/** The `{placeholder}`s a rule's reasons may use, per event type. */
export const PLACEHOLDERS: Readonly<Record<WarningEventType, readonly string[]>> = {
  incident_reported: ['occurredOn', 'nearestOtherOccurredOn'],
  tracking_report_overdue: ['report', 'periodStart', 'periodEnd', 'dueDate', 'overdueDays', 'overdueWorkingDays'],
  tracking_report_submitted: ['report', 'periodStart', 'periodEnd', 'breaches'],
};

/** A warning ruleset failed validation; `problems` lists every one, each led by its JSON pointer. */
export class WarningRulesetValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid warning ruleset: ${problems.join('; ')}`);
    this.name = 'WarningRulesetValidationError';
  }
}

// ---------------------------------------------------------------------------------------
// Validation

const RULE_ID_PATTERN = /^W[1-9][0-9]*$/;
const PLACEHOLDER_PATTERN = /\{([A-Za-z]+)\}/g;
const MAX_CONDITION_DEPTH = 16;
const NUMBER_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
const OPERATORS = ['all', 'any', 'not', 'eq', 'in', 'includes', ...NUMBER_OPERATORS] as const;

function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** Which leaf operators apply to which kind of fact. */
function operatorFits(operator: (typeof OPERATORS)[number], type: FactType): boolean {
  switch (operator) {
    case 'eq':
      return type.kind === 'boolean' || type.kind === 'enum';
    case 'in':
      return type.kind === 'enum';
    case 'includes':
      return type.kind === 'set';
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return type.kind === 'number';
    case 'all':
    case 'any':
    case 'not':
      return false;
  }
}

function checkCondition(
  value: unknown,
  at: string,
  on: WarningEventType | undefined,
  problems: string[],
  depth = 0,
): void {
  if (depth > MAX_CONDITION_DEPTH) {
    problems.push(`${at}: nested deeper than ${MAX_CONDITION_DEPTH}`);
    return;
  }
  const keys = isRecord(value) ? Object.keys(value) : [];
  const operator = keys[0];
  if (!isRecord(value) || keys.length !== 1 || !oneOf(OPERATORS, operator)) {
    problems.push(`${at}: must be an object with exactly one operator of ${OPERATORS.join(', ')}`);
    return;
  }
  const operand = value[operator];
  const here = `${at}/${operator}`;
  if (operator === 'all' || operator === 'any') {
    if (!Array.isArray(operand) || operand.length === 0) problems.push(`${here}: must be a non-empty array`);
    else operand.forEach((inner: unknown, i) => checkCondition(inner, `${here}/${i}`, on, problems, depth + 1));
    return;
  }
  // Time-driven rules must stay true once they hold (see the module comment).
  const isTimeDriven = on === 'tracking_report_overdue';
  if (isTimeDriven && (operator === 'not' || operator === 'lt' || operator === 'lte')) {
    problems.push(`${here}: a tracking_report_overdue rule cannot use "${operator}" (its condition must stay true)`);
    return;
  }
  if (operator === 'not') {
    checkCondition(operand, here, on, problems, depth + 1);
    return;
  }
  if (!isRecord(operand)) {
    problems.push(`${here}: must be an object`);
    return;
  }
  const isList = operator === 'in' || operator === 'includes';
  checkFields(operand, here, { required: ['fact', isList ? 'values' : 'value'] }, problems);
  const { fact } = operand;
  if (on === undefined) return;
  const type = typeof fact === 'string' && Object.hasOwn(FACTS[on], fact) ? FACTS[on][fact] : undefined;
  if (type === undefined) {
    problems.push(
      `${here}/fact: ${JSON.stringify(fact)} is not a fact of ${on} (${Object.keys(FACTS[on]).join(', ')})`,
    );
    return;
  }
  if (!operatorFits(operator, type)) {
    problems.push(`${here}: "${operator}" does not apply to ${String(fact)} (a ${type.kind})`);
    return;
  }
  if (isList) {
    const values = operand['values'];
    if (!Array.isArray(values) || values.length === 0) {
      problems.push(`${here}/values: must be a non-empty array`);
      return;
    }
    const allowed = type.kind === 'enum' || type.kind === 'set' ? type.values : [];
    values.forEach((item: unknown, i) => {
      if (!oneOf(allowed, item)) {
        problems.push(`${here}/values/${i}: ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
      }
    });
    return;
  }
  const expectedValue = operand['value'];
  if (type.kind === 'number' && !(typeof expectedValue === 'number' && Number.isFinite(expectedValue))) {
    problems.push(`${here}/value: must be a finite number`);
  } else if (type.kind === 'boolean' && typeof expectedValue !== 'boolean') {
    problems.push(`${here}/value: must be true or false`);
  } else if (type.kind === 'enum' && !oneOf(type.values, expectedValue)) {
    problems.push(`${here}/value: ${JSON.stringify(expectedValue)} is not one of ${type.values.join(', ')}`);
  }
}

function checkTexts(value: unknown, at: string, problems: string[]): number {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${at}: must be a non-empty array of texts`);
    return -1;
  }
  value.forEach((text: unknown, i) => {
    if (!isNonEmptyString(text)) problems.push(`${at}/${i}: must be a non-empty string`);
  });
  return value.length;
}

function checkRule(rule: unknown, at: string, sourceIds: ReadonlySet<string>, problems: string[]): void {
  if (!isRecord(rule)) {
    problems.push(`${at}: must be an object`);
    return;
  }
  checkFields(
    rule,
    at,
    {
      required: [
        'id',
        'on',
        'level',
        'condition',
        'refs',
        'basisZh',
        'basisEn',
        'reasonZh',
        'reasonEn',
        'measuresZh',
        'measuresEn',
        'liftedBy',
      ],
      texts: ['basisZh', 'basisEn', 'reasonZh', 'reasonEn'],
    },
    problems,
  );
  const { id, on, level, refs, liftedBy } = rule;
  if (typeof id !== 'string' || !RULE_ID_PATTERN.test(id)) {
    problems.push(`${at}/id: must match ${String(RULE_ID_PATTERN)} (got ${JSON.stringify(id)})`);
  }
  const event = oneOf(WARNING_EVENT_TYPES, on) ? on : undefined;
  if (Object.hasOwn(rule, 'on') && event === undefined) {
    problems.push(`${at}/on: must be one of ${WARNING_EVENT_TYPES.join(', ')} (got ${JSON.stringify(on)})`);
  }
  if (Object.hasOwn(rule, 'level') && !oneOf(WARNING_LEVELS, level)) {
    problems.push(`${at}/level: must be one of ${WARNING_LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
  }
  if (Object.hasOwn(rule, 'liftedBy')) {
    if (!oneOf(WARNING_LIFTED_BY, liftedBy)) {
      problems.push(`${at}/liftedBy: must be one of ${WARNING_LIFTED_BY.join(', ')} (got ${JSON.stringify(liftedBy)})`);
    } else if (liftedBy === 'report_submission' && event !== undefined && event !== 'tracking_report_overdue') {
      problems.push(`${at}/liftedBy: only a tracking_report_overdue rule is lifted by the report's submission`);
    }
  }
  if (Object.hasOwn(rule, 'condition')) checkCondition(rule['condition'], `${at}/condition`, event, problems);
  if (Object.hasOwn(rule, 'refs')) {
    if (!Array.isArray(refs) || refs.length === 0) problems.push(`${at}/refs: must be a non-empty array of source ids`);
    else
      refs.forEach((ref: unknown, i) => {
        if (typeof ref !== 'string' || !sourceIds.has(ref)) {
          problems.push(`${at}/refs/${i}: ${JSON.stringify(ref)} is not the id of a source citation`);
        } else if (refs.indexOf(ref) !== i) {
          problems.push(`${at}/refs/${i}: "${ref}" is repeated`);
        }
      });
  }
  for (const key of ['reasonZh', 'reasonEn']) {
    const template = rule[key];
    if (typeof template !== 'string' || event === undefined) continue;
    for (const [, name] of template.matchAll(PLACEHOLDER_PATTERN)) {
      if (!PLACEHOLDERS[event].includes(name!)) {
        problems.push(`${at}/${key}: {${name}} is not a placeholder of ${event} (${PLACEHOLDERS[event].join(', ')})`);
      }
    }
  }
  const zh = Object.hasOwn(rule, 'measuresZh') ? checkTexts(rule['measuresZh'], `${at}/measuresZh`, problems) : -1;
  const en = Object.hasOwn(rule, 'measuresEn') ? checkTexts(rule['measuresEn'], `${at}/measuresEn`, problems) : -1;
  if (zh > 0 && en > 0 && zh !== en) problems.push(`${at}/measuresEn: ${en} measures, but measuresZh has ${zh}`);
}

/**
 * Checks a parsed warning ruleset file and returns it as a deeply frozen copy. Throws
 * `WarningRulesetValidationError` listing every problem: structure and unknown fields,
 * unique rule ids, known event types, levels and citations, conditions that fit their
 * event's facts, known placeholders, measures in both languages.
 */
export function validateWarningRuleset(json: unknown): WarningRuleset {
  if (!isRecord(json)) throw new WarningRulesetValidationError([': a warning ruleset must be a JSON object']);
  const problems: string[] = [];
  checkFields(
    json,
    '',
    { required: ['version', 'source', 'rules'], optional: ['titleZh', 'titleEn'], texts: ['titleZh', 'titleEn'] },
    problems,
  );
  const { version, rules } = json;
  if (Object.hasOwn(json, 'version') && (typeof version !== 'string' || !/^\S+$/.test(version))) {
    problems.push(`/version: must be a non-empty string without spaces (got ${JSON.stringify(version)})`);
  }
  const sourceIds = Object.hasOwn(json, 'source')
    ? checkSourceCitations(json['source'], '/source', problems)
    : new Set<string>();
  if (Object.hasOwn(json, 'rules')) {
    if (!Array.isArray(rules) || rules.length === 0) {
      problems.push('/rules: must be a non-empty array');
    } else {
      const ids = new Set<unknown>();
      rules.forEach((rule: unknown, index) => {
        checkRule(rule, `/rules/${index}`, sourceIds, problems);
        const id = isRecord(rule) ? rule['id'] : undefined;
        if (typeof id === 'string' && ids.has(id)) problems.push(`/rules/${index}/id: "${id}" is repeated`);
        ids.add(id);
      });
    }
  }
  if (problems.length > 0) throw new WarningRulesetValidationError(problems);
  // Every field has been checked above and unknown fields rejected, so the copy has the type's shape.
  return deepFreeze(structuredClone(json)) as unknown as WarningRuleset;
}

// ---------------------------------------------------------------------------------------
// Events and evaluation

export interface IncidentReportedEvent {
  readonly type: 'incident_reported';
  /** The product's risk tier. */
  readonly tier: RiskTier;
  readonly incident: {
    readonly serious: boolean;
    readonly harms: readonly IncidentHarm[];
    readonly widespread: boolean;
    readonly occurredAt: Date;
  };
  /** The product's serious incidents recorded before this one (W4). */
  readonly otherSeriousIncidents: readonly { readonly occurredAt: Date }[];
}

export interface TrackingReportOverdueEvent {
  readonly type: 'tracking_report_overdue';
  readonly report: {
    readonly kind: TrackingReportKind;
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly dueDate: string;
  };
  /** From `overdueFacts(calendar, report.dueDate, today)`. */
  readonly overdue: { readonly overdueDays: number; readonly overdueWorkingDays: number };
}

export interface TrackingReportSubmittedEvent {
  readonly type: 'tracking_report_submitted';
  readonly report: { readonly kind: TrackingReportKind; readonly periodStart: string; readonly periodEnd: string };
  readonly metrics: readonly SubmittedMetric[];
  /** The thresholds among the product's decision conditions (`metricThresholds`). */
  readonly thresholds: readonly MetricThreshold[];
}

export type WarningEvent = IncidentReportedEvent | TrackingReportOverdueEvent | TrackingReportSubmittedEvent;

/** A rule that fired: what the monitoring module issues as a warning with `source: "rule"`. */
export interface WarningFiring {
  readonly ruleId: string;
  readonly level: WarningLevel;
  readonly liftedBy: WarningLiftedBy;
  readonly reasonsZh: string;
  readonly reasonsEn: string;
  readonly measuresZh: readonly string[];
  readonly measuresEn: readonly string[];
  readonly basisZh: string;
  readonly basisEn: string;
  readonly rulesetVersion: string;
}

type FactValue = boolean | number | string | readonly string[] | undefined;
type Facts = Readonly<Record<string, FactValue>>;
type Placeholders = Readonly<Record<'zh' | 'en', Readonly<Record<string, string>>>>;

const REPORT_NAMES: Readonly<Record<TrackingReportKind, { zh: string; en: string }>> = {
  tracking: { zh: '跟踪报告', en: 'tracking report' },
  monitoring: { zh: '监测报告', en: 'monitoring report' },
};

function holds(condition: WarningCondition, facts: Facts): boolean {
  if ('all' in condition) return condition.all.every((inner) => holds(inner, facts));
  if ('any' in condition) return condition.any.some((inner) => holds(inner, facts));
  if ('not' in condition) return !holds(condition.not, facts);
  if ('eq' in condition) return facts[condition.eq.fact] === condition.eq.value;
  if ('in' in condition) {
    const value = facts[condition.in.fact];
    return typeof value === 'string' && condition.in.values.includes(value);
  }
  if ('includes' in condition) {
    const value = facts[condition.includes.fact];
    return Array.isArray(value) && condition.includes.values.some((wanted) => value.includes(wanted));
  }
  const [operator, test] = Object.entries(condition)[0] as [(typeof NUMBER_OPERATORS)[number], NumberTest];
  const value = facts[test.fact];
  if (typeof value !== 'number') return false;
  switch (operator) {
    case 'gt':
      return value > test.value;
    case 'gte':
      return value >= test.value;
    case 'lt':
      return value < test.value;
    case 'lte':
      return value <= test.value;
  }
}

function usesFact(condition: WarningCondition, fact: string): boolean {
  if ('all' in condition) return condition.all.some((inner) => usesFact(inner, fact));
  if ('any' in condition) return condition.any.some((inner) => usesFact(inner, fact));
  if ('not' in condition) return usesFact(condition.not, fact);
  const [test] = Object.values(condition) as [{ readonly fact: string }];
  return test.fact === fact;
}

function assertDate(value: unknown, label: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${label} must be a valid Date`);
}

function incidentFacts(event: IncidentReportedEvent): { facts: Facts; placeholders: Placeholders } {
  const { tier, incident, otherSeriousIncidents } = event;
  if (!oneOf(RISK_TIERS, tier)) throw new RangeError(`tier must be a risk tier (got ${JSON.stringify(tier)})`);
  for (const harm of incident.harms) {
    if (!oneOf(INCIDENT_HARMS, harm)) throw new RangeError(`unknown harm ${JSON.stringify(harm)}`);
  }
  assertDate(incident.occurredAt, 'incident.occurredAt');
  const occurredOn = shanghaiDate(incident.occurredAt);
  let nearest: { days: number; date: string } | undefined;
  otherSeriousIncidents.forEach(({ occurredAt }, index) => {
    assertDate(occurredAt, `otherSeriousIncidents[${index}].occurredAt`);
    const date = shanghaiDate(occurredAt);
    const days = Math.abs(calendarDaysBetween(occurredOn, date));
    if (nearest === undefined || days < nearest.days || (days === nearest.days && date > nearest.date)) {
      nearest = { days, date };
    }
  });
  const values = { occurredOn, nearestOtherOccurredOn: nearest?.date ?? '—' };
  return {
    facts: {
      serious: incident.serious,
      widespread: incident.widespread,
      tier,
      harms: incident.harms,
      nearestOtherSeriousIncidentDays: nearest?.days,
    },
    placeholders: { zh: values, en: values },
  };
}

function overdueEventFacts(event: TrackingReportOverdueEvent): { facts: Facts; placeholders: Placeholders } {
  const { report, overdue } = event;
  const shared = {
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    dueDate: report.dueDate,
    overdueDays: String(overdue.overdueDays),
    overdueWorkingDays: String(overdue.overdueWorkingDays),
  };
  return {
    facts: {
      reportKind: report.kind,
      overdueDays: overdue.overdueDays,
      overdueWorkingDays: overdue.overdueWorkingDays,
    },
    placeholders: {
      zh: { ...shared, report: REPORT_NAMES[report.kind].zh },
      en: { ...shared, report: REPORT_NAMES[report.kind].en },
    },
  };
}

/** A breach in words: `accuracy = 0.81 (at least 0.9; condition: "…")`. */
export function describeBreach(breach: MetricBreach, language: 'zh' | 'en'): string {
  const { key, value, min, max, text } = breach;
  if (language === 'zh') {
    const range =
      min !== undefined && max !== undefined
        ? `在 ${min} 至 ${max} 之间`
        : min !== undefined
          ? `不低于 ${min}`
          : `不高于 ${max}`;
    return `${key} 为 ${value}（要求${range}；条件：“${text}”）`;
  }
  const range =
    min !== undefined && max !== undefined
      ? `between ${min} and ${max}`
      : min !== undefined
        ? `at least ${min}`
        : `at most ${max}`;
  return `${key} = ${value} (required ${range}; condition: "${text}")`;
}

function submittedEventFacts(event: TrackingReportSubmittedEvent): { facts: Facts; placeholders: Placeholders } {
  const { report } = event;
  const breaches = metricBreaches(event.thresholds, event.metrics);
  const shared = { periodStart: report.periodStart, periodEnd: report.periodEnd };
  return {
    facts: { reportKind: report.kind, metricsOutsideThresholds: breaches.length },
    placeholders: {
      zh: {
        ...shared,
        report: REPORT_NAMES[report.kind].zh,
        breaches: breaches.map((breach) => describeBreach(breach, 'zh')).join('；'),
      },
      en: {
        ...shared,
        report: REPORT_NAMES[report.kind].en,
        breaches: breaches.map((breach) => describeBreach(breach, 'en')).join('; '),
      },
    },
  };
}

function factsOf(event: WarningEvent): { facts: Facts; placeholders: Placeholders } {
  switch (event.type) {
    case 'incident_reported':
      return incidentFacts(event);
    case 'tracking_report_overdue':
      return overdueEventFacts(event);
    case 'tracking_report_submitted':
      return submittedEventFacts(event);
  }
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => values[name] ?? whole);
}

function fire(ruleset: WarningRuleset, rule: WarningRule, placeholders: Placeholders): WarningFiring {
  return Object.freeze({
    ruleId: rule.id,
    level: rule.level,
    liftedBy: rule.liftedBy,
    reasonsZh: fill(rule.reasonZh, placeholders.zh),
    reasonsEn: fill(rule.reasonEn, placeholders.en),
    measuresZh: rule.measuresZh,
    measuresEn: rule.measuresEn,
    basisZh: rule.basisZh,
    basisEn: rule.basisEn,
    rulesetVersion: ruleset.version,
  });
}

/**
 * The rules that fire for `event`, in ruleset order, each with its level and its reasons and
 * measures in zh and en. Every matching rule fires on its own (a death on a high-risk
 * product fires W1 and W3). Throws `RangeError` for an event with an unknown tier or harm or
 * an invalid date — the caller passes validated data.
 */
export function evaluateWarnings(ruleset: WarningRuleset, event: WarningEvent): WarningFiring[] {
  const { facts, placeholders } = factsOf(event);
  return ruleset.rules
    .filter((rule) => rule.on === event.type && holds(rule.condition, facts))
    .map((rule) => fire(ruleset, rule, placeholders));
}

// ---------------------------------------------------------------------------------------
// Moments of time-driven rules

/** The first day a time-driven rule holds for a report. */
export interface WarningMoment {
  readonly ruleId: string;
  readonly level: WarningLevel;
  readonly date: string;
  /** 00:00 Asia/Shanghai of `date`. */
  readonly at: Date;
  /**
   * From a provisional `dueDate`, or a rule on working days counted weekends only in a year
   * without an official calendar.
   */
  readonly provisional: boolean;
}

/** How far past `dueDate` a time-driven rule is looked for; a rule that first holds later is left out. */
export const WARNING_MOMENT_HORIZON_DAYS = 1100;

/**
 * For each `tracking_report_overdue` rule, the first Shanghai day after `dueDate` on which
 * it holds (W5: the day after `dueDate`; W6: the 21st working day after it) — the moments the
 * monitoring module schedules, derived from the rules themselves so the ruleset stays the
 * one place they are written. Sorted by date, then ruleset order.
 */
export function trackingReportWarningMoments(
  ruleset: WarningRuleset,
  calendar: WorkingDayCalendar,
  report: { readonly kind: TrackingReportKind; readonly dueDate: string; readonly dueDateProvisional: boolean },
): WarningMoment[] {
  const pending = ruleset.rules.filter((rule) => rule.on === 'tracking_report_overdue');
  const found: WarningMoment[] = [];
  let provisional = false;
  let overdueWorkingDays = 0;
  let previous = report.dueDate;
  for (let overdueDays = 1; overdueDays <= WARNING_MOMENT_HORIZON_DAYS && pending.length > 0; overdueDays += 1) {
    const date = addCalendarDays(report.dueDate, overdueDays);
    const step = calendar.workingDaysBetweenProvisional(previous, date);
    overdueWorkingDays += step.days;
    provisional ||= step.provisional;
    previous = date;
    const facts: Facts = { reportKind: report.kind, overdueDays, overdueWorkingDays };
    for (let i = 0; i < pending.length;) {
      const rule = pending[i]!;
      if (holds(rule.condition, facts)) {
        // A rule on calendar days alone has the same day whatever the working-day calendar says.
        const isProvisional =
          report.dueDateProvisional || (provisional && usesFact(rule.condition, 'overdueWorkingDays'));
        found.push({
          ruleId: rule.id,
          level: rule.level,
          date,
          at: shanghaiStartOfDay(date),
          provisional: isProvisional,
        });
        pending.splice(i, 1);
      } else {
        i += 1;
      }
    }
  }
  return found;
}
