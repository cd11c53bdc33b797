/**
 * Incident report deadlines (API-CONTRACT-2 §1), in calendar days from the moment the
 * provider became aware, on the periods of EU AI Act Art. 73:
 * - Art. 73(2): a serious incident, within 15 days;
 * - Art. 73(4): the death of a person, within 10 days;
 * - Art. 73(3): a widespread infringement, or a serious and irreversible disruption of
 *   critical infrastructure (Art. 3(49)(b)), within 2 days.
 * The shortest period that applies wins; a non-serious incident has no deadline. Pure.
 *
 * The harms are the four limbs of a "serious incident" in Art. 3(49) — (a) death or serious
 * harm to health, (b) critical infrastructure, (c) fundamental rights, (d) property or the
 * environment — with death split from health because it has its own period, plus `other`.
 */

export const INCIDENT_HARMS = [
  'death',
  'serious_health',
  'critical_infrastructure',
  'fundamental_rights',
  'property_environment',
  'other',
] as const;
export type IncidentHarm = (typeof INCIDENT_HARMS)[number];

export interface IncidentSeverity {
  readonly serious: boolean;
  readonly harms: readonly IncidentHarm[];
  readonly widespread: boolean;
}

/** Which paragraph of EU AI Act Art. 73 sets the period. */
export type IncidentReportClause = 'art73_2' | 'art73_3' | 'art73_4';

export interface IncidentReportPeriod {
  /** Calendar days of 24 hours from `awareAt`. */
  readonly days: 2 | 10 | 15;
  readonly clause: IncidentReportClause;
}

const DAY_MS = 86_400_000;

/**
 * The report period of an incident, or `null` for a non-serious one (whatever its harms: a
 * non-serious incident has no statutory deadline). Serious: `widespread` or harm
 * `critical_infrastructure` → 2 days; else harm `death` → 10 days; else 15 days.
 */
export function incidentReportPeriod(incident: IncidentSeverity): IncidentReportPeriod | null {
  if (!incident.serious) return null;
  if (incident.widespread || incident.harms.includes('critical_infrastructure')) return { days: 2, clause: 'art73_3' };
  if (incident.harms.includes('death')) return { days: 10, clause: 'art73_4' };
  return { days: 15, clause: 'art73_2' };
}

/** `reportDeadline`: `awareAt` + N × 24 h for the shortest period that applies, or `null`. */
export function incidentReportDeadline(incident: IncidentSeverity, awareAt: Date): Date | null {
  const period = incidentReportPeriod(incident);
  if (period === null) return null;
  assertValidInstant(awareAt, 'awareAt');
  return new Date(awareAt.getTime() + period.days * DAY_MS);
}

/**
 * `reportedLate`: reported strictly after the deadline (a report at the deadline's exact
 * instant is on time). An incident with no deadline is never late.
 */
export function isReportedLate(reportDeadline: Date | null, reportedAt: Date): boolean {
  if (reportDeadline === null) return false;
  assertValidInstant(reportedAt, 'reportedAt');
  return reportedAt.getTime() > reportDeadline.getTime();
}

export const INCIDENT_TIME_ERROR_CODES = ['invalid_instant', 'aware_before_occurred', 'aware_in_future'] as const;
export type IncidentTimeErrorCode = (typeof INCIDENT_TIME_ERROR_CODES)[number];

/** One problem with an incident's times, shaped like a problem+json `errors[]` item. */
export interface IncidentTimeProblem {
  /** RFC 6901 pointer into the request body: `/occurredAt` or `/awareAt`. */
  readonly pointer: '/occurredAt' | '/awareAt';
  readonly code: IncidentTimeErrorCode;
  /** English message. */
  readonly message: string;
  readonly messageZh: string;
}

/**
 * Checks an incident's times against `now` (the server clock) and returns every problem
 * (empty when fine): an invalid instant; `awareAt` before `occurredAt` (nobody learns of an
 * incident before it happens); `awareAt` in the future (the deadline would start later than
 * it should). Equal instants are fine; `occurredAt` in the future is reported through
 * `awareAt`, which cannot then be in the past.
 */
export function incidentTimeProblems(
  times: { readonly occurredAt: Date; readonly awareAt: Date },
  now: Date,
): IncidentTimeProblem[] {
  assertValidInstant(now, 'now');
  const problems: IncidentTimeProblem[] = [];
  const occurredValid = isValidInstant(times.occurredAt);
  const awareValid = isValidInstant(times.awareAt);
  if (!occurredValid) {
    problems.push({
      pointer: '/occurredAt',
      code: 'invalid_instant',
      message: 'occurredAt must be a valid date-time',
      messageZh: '发生时间须为有效的日期时间',
    });
  }
  if (!awareValid) {
    problems.push({
      pointer: '/awareAt',
      code: 'invalid_instant',
      message: 'awareAt must be a valid date-time',
      messageZh: '知悉时间须为有效的日期时间',
    });
    return problems;
  }
  if (occurredValid && times.awareAt.getTime() < times.occurredAt.getTime()) {
    problems.push({
      pointer: '/awareAt',
      code: 'aware_before_occurred',
      message: 'awareAt is before occurredAt: the provider cannot learn of an incident before it happens',
      messageZh: '知悉时间早于发生时间：事件发生前不可能知悉',
    });
  }
  if (times.awareAt.getTime() > now.getTime()) {
    problems.push({
      pointer: '/awareAt',
      code: 'aware_in_future',
      message: 'awareAt is in the future',
      messageZh: '知悉时间不能晚于当前时间',
    });
  }
  return problems;
}

function isValidInstant(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function assertValidInstant(value: unknown, label: string): asserts value is Date {
  if (!isValidInstant(value)) throw new RangeError(`${label} must be a valid Date`);
}
