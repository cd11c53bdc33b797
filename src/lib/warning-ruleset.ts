/**
 * The shape of a warning ruleset (`data/reference/warnings/ruleset-*.json`, loaded by
 * `warning-ruleset-files.ts`) and its validation; `warning-rules.ts` evaluates it. Pure.
 *
 * A rule listens to one event type and holds a condition over that event's facts:
 * - `incident_reported` — `serious`, `widespread` (booleans), `tier` (a risk tier), `harms`
 *   (a set of incident harms), `nearestOtherSeriousIncidentDays` (W4, see `warning-rules.ts`;
 *   absent when the product has no other serious incident);
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
 * A rule's reasons are templates: `{placeholder}`s (`PLACEHOLDERS`, per event type) are
 * filled from the event in each language.
 */

import { INCIDENT_HARMS } from './incident-deadlines.ts';
import { checkFields, checkSourceCitations, deepFreeze, isNonEmptyString, isRecord } from './reference-validation.ts';
import { RISK_TIERS, type SourceCitation } from './risk-rules.ts';
import { TRACKING_REPORT_KINDS } from './tracking-schedule.ts';
import { WARNING_LEVELS, type WarningLevel } from '../domain/warnings.ts';

export const WARNING_EVENT_TYPES = [
  'incident_reported',
  'tracking_report_overdue',
  'tracking_report_submitted',
] as const;
export type WarningEventType = (typeof WARNING_EVENT_TYPES)[number];

/** `report_submission`: lifted automatically when the overdue report is submitted (W5, W6). */
export const WARNING_LIFTED_BY = ['reviewer', 'report_submission'] as const;
export type WarningLiftedBy = (typeof WARNING_LIFTED_BY)[number];

export interface NumberTest {
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
/** A `{placeholder}` in a reason template. */
export const PLACEHOLDER_PATTERN = /\{([A-Za-z]+)\}/g;
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
