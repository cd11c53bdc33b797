/**
 * Disclosure control of the statistics tables (API-CONTRACT-2 §5), the entry point the
 * statistics module uses: aggregate the contributions, mark primary confidential positions,
 * choose secondary suppressions, audit the result with the attacker's exact LP, and only then
 * hand out the published table. docs/disclosure-control.md describes the method and its
 * references. Pure code: the LP solver is passed in (`loadLpSolver()` from lp.ts).
 */
import type { LpSolver } from './lp.ts';
import { auditSuppression, type AuditReport } from './disclosure-audit.ts';
import { primaryStatuses } from './disclosure-primary.ts';
import {
  chooseSecondarySuppressions,
  type SecondaryOptions,
  type SecondaryStatistics,
} from './disclosure-secondary.ts';
import {
  aggregateContributions,
  projectPublishedTable,
  type AggregatedTable,
  type ConfidentialityStatus,
  type ContributionTable,
  type PublishedTable,
} from './disclosure-table.ts';

export {
  aggregateContributions,
  projectPublishedTable,
  DisclosureInputError,
  TOTAL,
  type AggregatedTable,
  type ConfidentialityStatus,
  type Contribution,
  type ContributionTable,
  type PublishedTable,
  type TablePosition,
} from './disclosure-table.ts';
export {
  MIN_CONTRIBUTORS,
  P_PERCENT,
  primaryRule,
  primaryStatuses,
  type CellConcentration,
} from './disclosure-primary.ts';
export {
  auditSuppression,
  InconsistentTableError,
  PROTECTION_PERCENT,
  protectionMargin,
  type AuditReport,
  type SuppressionInterval,
} from './disclosure-audit.ts';
export {
  chooseSecondarySuppressions,
  type ComplementMethod,
  type SecondaryOptions,
  type SecondaryStatistics,
  type SuppressionCost,
} from './disclosure-secondary.ts';
export { loadLpSolver, type LpSolver } from './lp.ts';

/** The table failed its own audit: it must not be published. `audit.failures` says where. */
export class DisclosureAuditError extends Error {
  constructor(readonly audit: AuditReport) {
    super(
      `Disclosure audit failed: ${audit.failures.length} primary confidential value(s) not protected ` +
        `(${audit.failures
          .slice(0, 5)
          .map((failure) => `${failure.row}/${failure.column}`)
          .join(', ')}${audit.failures.length > 5 ? ', …' : ''})`,
    );
    this.name = 'DisclosureAuditError';
  }
}

/**
 * Audits a suppression pattern and, only if it passes, returns the published table. Refuses
 * (RangeError) a pattern whose `C` positions are not exactly those of the primary rules or that
 * suppresses an empty position (a known zero, published as 0), and throws
 * {@link DisclosureAuditError} when the audit fails.
 */
export function publishTable(
  lp: LpSolver,
  table: AggregatedTable,
  statuses: readonly ConfidentialityStatus[],
): { published: PublishedTable; audit: AuditReport } {
  const primary = primaryStatuses(table);
  if (statuses.length !== primary.length) throw new RangeError('one status per position of the table');
  statuses.forEach((status, position) => {
    if ((status === 'C') !== (primary[position] === 'C')) {
      throw new RangeError(`position ${position}: C must mark exactly the primary confidential positions`);
    }
    if (status !== 'F' && table.contributors[position] === 0) {
      throw new RangeError(`position ${position}: an empty position is a known zero and is never suppressed`);
    }
  });
  const audit = auditSuppression(lp, table, statuses);
  if (!audit.passes) throw new DisclosureAuditError(audit);
  return { published: projectPublishedTable(table, statuses), audit };
}

export interface ProtectionOptions extends SecondaryOptions {
  /** Secondary passes before giving up (each later pass starts from the last pattern; default 3). */
  readonly maxRounds?: number;
}

export interface ProtectionResult {
  readonly published: PublishedTable;
  readonly audit: AuditReport;
  readonly statuses: readonly ConfidentialityStatus[];
  readonly primaryCount: number;
  readonly secondaryCount: number;
  /** Sum of the true values of the `D` positions (what the complement MIPs minimise by default). */
  readonly secondaryValue: number;
  readonly rounds: number;
  readonly statistics: SecondaryStatistics;
}

/**
 * The whole of §5's disclosure control for one table: aggregate, primary, secondary, audit,
 * publish. Throws {@link DisclosureAuditError} if no pass produced a pattern that passes the
 * audit (which the method is built never to do; the audit is the last word all the same).
 */
export function protectTable(
  lp: LpSolver,
  input: ContributionTable | AggregatedTable,
  options: ProtectionOptions = {},
): ProtectionResult {
  const table = 'contributions' in input ? aggregateContributions(input) : input;
  let statuses: ConfidentialityStatus[] = primaryStatuses(table);
  const maxRounds = options.maxRounds ?? 3;
  const statistics = { complemented: 0, mipsAtNodeLimit: 0 };
  for (let round = 1; ; round += 1) {
    const secondary = chooseSecondarySuppressions(lp, table, statuses, options);
    statuses = secondary.statuses;
    statistics.complemented += secondary.statistics.complemented;
    statistics.mipsAtNodeLimit += secondary.statistics.mipsAtNodeLimit;
    try {
      const { published, audit } = publishTable(lp, table, statuses);
      const secondaryPositions = statuses.flatMap((status, position) => (status === 'D' ? [position] : []));
      return {
        published,
        audit,
        statuses,
        primaryCount: statuses.filter((status) => status === 'C').length,
        secondaryCount: secondaryPositions.length,
        secondaryValue: secondaryPositions.reduce((sum, position) => sum + table.values[position]!, 0),
        rounds: round,
        statistics,
      };
    } catch (error) {
      if (!(error instanceof DisclosureAuditError) || round >= maxRounds) throw error;
    }
  }
}
