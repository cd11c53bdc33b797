/**
 * Risk early warnings (API-CONTRACT-2 §1): the evaluator of a warning ruleset
 * (`warning-ruleset.ts`, data in `data/reference/warnings/`) and the moments of its
 * time-driven rules. Pure: no I/O, no `eval`, no clock.
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
import { RISK_TIERS, type RiskTier } from './risk-rules.ts';
import {
  addCalendarDays,
  calendarDaysBetween,
  shanghaiStartOfDay,
  type TrackingReportKind,
} from './tracking-schedule.ts';
import type { WarningLevel } from '../domain/warnings.ts';
import {
  PLACEHOLDER_PATTERN,
  type NumberTest,
  type WarningCondition,
  type WarningLiftedBy,
  type WarningRule,
  type WarningRuleset,
} from './warning-ruleset.ts';

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
  const [operator, test] = Object.entries(condition)[0] as ['gt' | 'gte' | 'lt' | 'lte', NumberTest];
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
  if (!(RISK_TIERS as readonly string[]).includes(tier))
    throw new RangeError(`tier must be a risk tier (got ${JSON.stringify(tier)})`);
  for (const harm of incident.harms) {
    if (!(INCIDENT_HARMS as readonly string[]).includes(harm))
      throw new RangeError(`unknown harm ${JSON.stringify(harm)}`);
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
