/**
 * Early warnings (API-CONTRACT-2 §1): issuing (by rule or by a reviewer), lifting, the
 * effective level of a product, and suspension: an active red warning suspends the product
 * (register status `suspended`, a `aigov.suspension/v1` leaf in the transparency log), and
 * when no red warning remains a `aigov.reinstatement/v1` leaf is appended and the register
 * entry returns to its last outcome. Everything runs in the caller's transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { WARNING_LEVELS, effectiveWarningLevel, type WarningLevel } from '../../domain/warnings.ts';
import { canonicalBytes } from '../../lib/canonical-json.ts';
import type { WarningFiring } from '../../lib/warning-rules.ts';
import { loadWarningRuleset } from '../../lib/warning-ruleset-files.ts';
import type { WarningRuleset } from '../../lib/warning-ruleset.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { newId } from '../../platform/ids.ts';
import type { Language } from '../../platform/i18n.ts';
import { notify, type NotificationInput } from '../notifications/index.ts';
import { appendLeaves, lockTransparencyLog, prepareLogSigning } from '../transparency-log/index.ts';
import type { WarningsTable } from './tables.ts';
import type { WarningT } from './schemas.ts';
import { onWarningRaised } from '../trials/index.ts';

/** The warning ruleset in force. */
export const WARNING_RULESET_VERSION = 'v1';
let rulesetPromise: Promise<WarningRuleset> | undefined;
export function currentWarningRuleset(): Promise<WarningRuleset> {
  rulesetPromise ??= loadWarningRuleset(WARNING_RULESET_VERSION);
  return rulesetPromise;
}

export const SUSPENSION_LEAF_TYPE = 'aigov.suspension/v1';
export const REINSTATEMENT_LEAF_TYPE = 'aigov.reinstatement/v1';
/** Register statuses a suspension applies to (a product under a decision in force). */
const IN_FORCE_STATUSES = ['accepted', 'approved', 'approved_with_conditions'] as const;

export type LogDeps = Pick<AppDeps, 'config' | 'db' | 'dbKind' | 'clock'>;
type Executor = Kysely<Database> | Transaction<Database>;
export type WarningRow = WarningsTable extends infer T ? { [K in keyof T]: unknown } : never;

export function levelRank(level: WarningLevel): number {
  return WARNING_LEVELS.indexOf(level);
}

export interface ProductRef {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly nameEn: string | null;
}

/** One warning to issue: from a rule firing or a reviewer. */
export interface NewWarning {
  readonly level: WarningLevel;
  readonly source: 'rule' | 'manual';
  readonly ruleId: string | null;
  readonly rulesetVersion: string | null;
  readonly liftedByRule: 'reviewer' | 'report_submission';
  readonly reasonsZh: string;
  readonly reasonsEn: string;
  readonly measuresZh: readonly string[];
  readonly measuresEn: readonly string[];
  readonly trackingReportId?: string | null;
  readonly incidentId?: string | null;
}

export function warningFromFiring(
  firing: WarningFiring,
  links: { trackingReportId?: string; incidentId?: string },
): NewWarning {
  return {
    level: firing.level,
    source: 'rule',
    ruleId: firing.ruleId,
    rulesetVersion: firing.rulesetVersion,
    liftedByRule: firing.liftedBy,
    reasonsZh: firing.reasonsZh,
    reasonsEn: firing.reasonsEn,
    measuresZh: firing.measuresZh,
    measuresEn: firing.measuresEn,
    trackingReportId: links.trackingReportId ?? null,
    incidentId: links.incidentId ?? null,
  };
}

interface StoredWarning {
  id: string;
  product_id: string;
  organization_id: string;
  level: string;
  source: string;
  rule_id: string | null;
  reasons_zh: string;
  reasons_en: string;
  measures_zh: string[];
  measures_en: string[];
  issued_at: Date | string;
  lifted_at: Date | string | null;
  lift_reasons: string | null;
  tracking_report_id: string | null;
  incident_id: string | null;
}

export function isEnglish(language: Language): boolean {
  return language === 'en';
}

export function toWarning(row: StoredWarning, language: Language): WarningT {
  const en = isEnglish(language);
  return {
    id: row.id,
    productId: row.product_id,
    level: row.level as WarningLevel,
    source: row.source as 'rule' | 'manual',
    ruleId: row.rule_id,
    reasons: en ? row.reasons_en : row.reasons_zh,
    measures: en ? row.measures_en : row.measures_zh,
    issuedAt: new Date(row.issued_at).toISOString(),
    liftedAt: row.lifted_at === null ? null : new Date(row.lifted_at).toISOString(),
    status: row.lifted_at === null ? 'active' : 'lifted',
    liftReasons: row.lift_reasons,
    trackingReportId: row.tracking_report_id,
    incidentId: row.incident_id,
  };
}

export interface IssueContext {
  readonly deps: LogDeps;
  readonly audit: AuditContext;
  readonly actorId: string | null;
}

const LEVEL_NAMES: Record<WarningLevel, { zh: string; en: string }> = {
  blue: { zh: '蓝色', en: 'blue' },
  yellow: { zh: '黄色', en: 'yellow' },
  orange: { zh: '橙色', en: 'orange' },
  red: { zh: '红色', en: 'red' },
};

/**
 * Issues warnings on one product in `trx` (the caller holds the product's row lock). A rule
 * warning tied to a tracking report is issued at most once per (report, rule): a duplicate
 * is skipped (the unique index settles races between instances). Returns the warnings issued.
 */
export async function issueWarnings(
  trx: Transaction<Database>,
  context: IssueContext,
  product: ProductRef,
  warnings: readonly NewWarning[],
): Promise<StoredWarning[]> {
  if (warnings.length === 0) return [];
  const now = context.deps.clock.now();
  const issued: StoredWarning[] = [];
  for (const warning of warnings) {
    const row = await trx
      .insertInto('warnings')
      .values({
        id: newId(),
        product_id: product.id,
        organization_id: product.organizationId,
        level: warning.level,
        level_rank: levelRank(warning.level),
        source: warning.source,
        rule_id: warning.ruleId,
        ruleset_version: warning.rulesetVersion,
        lifted_by_rule: warning.liftedByRule,
        reasons_zh: warning.reasonsZh,
        reasons_en: warning.reasonsEn,
        measures_zh: JSON.stringify(warning.measuresZh),
        measures_en: JSON.stringify(warning.measuresEn),
        tracking_report_id: warning.trackingReportId ?? null,
        incident_id: warning.incidentId ?? null,
        issued_at: now,
        issued_by: context.actorId,
        lifted_at: null,
        lifted_by: null,
        lift_reasons: null,
      })
      .onConflict((oc) =>
        oc.columns(['tracking_report_id', 'rule_id']).where('tracking_report_id', 'is not', null).doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) continue;
    issued.push(row);
    await recordAudit(trx, context.audit, {
      action: 'warning.issued',
      resourceType: 'warning',
      resourceId: row.id,
      organizationId: product.organizationId,
      summary: {
        productId: product.id,
        level: warning.level,
        source: warning.source,
        ruleId: warning.ruleId,
        trackingReportId: warning.trackingReportId ?? null,
        incidentId: warning.incidentId ?? null,
      },
    });
  }
  if (issued.length === 0) return [];
  const notifications: NotificationInput[] = issued.flatMap((row) => {
    const level = LEVEL_NAMES[row.level as WarningLevel];
    const rule = row.rule_id === null ? '' : ` ${row.rule_id}`;
    const link = `/products/${product.id}`;
    return [
      {
        target: { organizationId: product.organizationId },
        kind: 'warning.issued',
        titleZh: `${product.name} 收到${level.zh}预警${rule}：${row.reasons_zh}`,
        titleEn: `${product.nameEn ?? product.name} received a ${level.en} warning${rule}: ${row.reasons_en}`,
        link,
      },
      {
        target: { role: 'reviewer' },
        kind: 'warning.issued',
        titleZh: `${level.zh}预警${rule}：${product.name}`,
        titleEn: `${level.en} warning${rule}: ${product.nameEn ?? product.name}`,
        link,
      },
    ];
  });
  await notify(trx, context.deps.clock, notifications);
  await syncSuspension(trx, context, product, issued[issued.length - 1]!.id);
  // A red warning suspends the product's running trials in the same transaction (contract §2).
  for (const row of issued) {
    await onWarningRaised(trx, context.deps.clock, {
      productId: product.id,
      warningId: row.id,
      level: row.level as WarningLevel,
    });
  }
  return issued;
}

/**
 * Lifts active warnings by id in `trx` (the caller holds the product's row lock); returns
 * the ids lifted.
 */
export async function liftWarnings(
  trx: Transaction<Database>,
  context: IssueContext,
  product: ProductRef,
  ids: readonly string[],
  reasons: string,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const now = context.deps.clock.now();
  const lifted = await trx
    .updateTable('warnings')
    .set({ lifted_at: now, lifted_by: context.actorId, lift_reasons: reasons, version: sql`version + 1` })
    .where('id', 'in', ids)
    .where('lifted_at', 'is', null)
    .returning(['id', 'level', 'rule_id'])
    .execute();
  for (const row of lifted) {
    await recordAudit(trx, context.audit, {
      action: 'warning.lifted',
      resourceType: 'warning',
      resourceId: row.id,
      organizationId: product.organizationId,
      summary: { productId: product.id, level: row.level, ruleId: row.rule_id, reasons },
    });
  }
  if (lifted.length > 0) {
    await notify(trx, context.deps.clock, [
      {
        target: { organizationId: product.organizationId },
        kind: 'warning.lifted',
        titleZh: `${product.name} 的预警已解除（${lifted.length} 项）`,
        titleEn: `${lifted.length} warning(s) on ${product.nameEn ?? product.name} lifted`,
        link: `/products/${product.id}`,
      },
    ]);
    await syncSuspension(trx, context, product, lifted[lifted.length - 1]!.id);
  }
  return lifted.map((row) => row.id);
}

/**
 * Brings the suspension state in line with the active red warnings: suspends on the first
 * one, reinstates when none remains. Each change is a log leaf, an audit row and a change
 * of the register entry's status (when the product is on the register).
 */
async function syncSuspension(
  trx: Transaction<Database>,
  context: IssueContext,
  product: ProductRef,
  warningId: string,
): Promise<void> {
  const red = await trx
    .selectFrom('warnings')
    .select(['id', 'level'])
    .where('product_id', '=', product.id)
    .where('lifted_at', 'is', null)
    .where('level', '=', 'red')
    .orderBy('issued_at')
    .orderBy('id')
    .execute();
  const state = await trx
    .selectFrom('product_suspensions')
    .selectAll()
    .where('product_id', '=', product.id)
    .forUpdate()
    .executeTakeFirst();
  const wasSuspended = state?.suspended === true;
  const suspended = red.length > 0;
  if (wasSuspended === suspended) return;
  const now = context.deps.clock.now();
  const at = now.toISOString();
  // The warning that caused the change: the red one just issued, or the last one lifted.
  const causeId = suspended ? (red.find((row) => row.id === warningId)?.id ?? red[0]!.id) : warningId;
  const leaf = suspended
    ? { type: SUSPENSION_LEAF_TYPE, productId: product.id, warningId: causeId, level: 'red', at }
    : { type: REINSTATEMENT_LEAF_TYPE, productId: product.id, warningId: causeId, at };
  await prepareLogSigning(context.deps, trx);
  await lockTransparencyLog(trx);
  const { firstIndex } = await appendLeaves(trx, context.deps, [canonicalBytes(leaf)]);
  await trx
    .insertInto('product_suspensions')
    .values({ product_id: product.id, suspended, warning_id: causeId, changed_at: now, log_index: firstIndex })
    .onConflict((oc) =>
      oc.column('product_id').doUpdateSet({ suspended, warning_id: causeId, changed_at: now, log_index: firstIndex }),
    )
    .execute();
  // The register entry (owned by the register module) shows the suspension; see README.
  if (suspended) {
    await trx
      .updateTable('register_entries')
      .set({ status: 'suspended', status_changed_at: now, updated_at: now, version: sql`version + 1` })
      .where('product_id', '=', product.id)
      .where('status', 'in', IN_FORCE_STATUSES)
      .execute();
  } else {
    await trx
      .updateTable('register_entries')
      .set({ status: sql`last_outcome`, status_changed_at: now, updated_at: now, version: sql`version + 1` })
      .where('product_id', '=', product.id)
      .where('status', '=', 'suspended')
      .execute();
  }
  await recordAudit(trx, context.audit, {
    action: suspended ? 'product.suspended' : 'product.reinstated',
    resourceType: 'product',
    resourceId: product.id,
    organizationId: product.organizationId,
    summary: { warningId: causeId, logIndex: firstIndex },
  });
  await notify(trx, context.deps.clock, [
    {
      target: { organizationId: product.organizationId },
      kind: suspended ? 'product.suspended' : 'product.reinstated',
      titleZh: suspended ? `${product.name} 因红色预警被暂停` : `${product.name} 已恢复（红色预警已全部解除）`,
      titleEn: suspended
        ? `${product.nameEn ?? product.name} is suspended by a red warning`
        : `${product.nameEn ?? product.name} is reinstated (no red warning remains)`,
      link: `/products/${product.id}`,
    },
  ]);
}

// ---------------------------------------------------------------------------------------
// Reads other modules may use (exported from index.ts)

/** Every active warning of the given products, highest level first. */
export async function activeWarningsFor(
  db: Executor,
  productIds: readonly string[],
): Promise<Array<{ id: string; productId: string; level: WarningLevel; ruleId: string | null; issuedAt: Date }>> {
  if (productIds.length === 0) return [];
  const rows = await db
    .selectFrom('warnings')
    .select(['id', 'product_id', 'level', 'rule_id', 'issued_at'])
    .where('product_id', 'in', [...productIds])
    .where('lifted_at', 'is', null)
    .orderBy('level_rank', 'desc')
    .orderBy('issued_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    productId: row.product_id,
    level: row.level as WarningLevel,
    ruleId: row.rule_id,
    issuedAt: new Date(row.issued_at),
  }));
}

/** Each product's `warningLevel`: the highest active level, or null (every id is in the map). */
export async function warningLevelsFor(
  db: Executor,
  productIds: readonly string[],
): Promise<Map<string, WarningLevel | null>> {
  const levels = new Map<string, WarningLevel | null>(productIds.map((id) => [id, null]));
  const grouped = new Map<string, WarningLevel[]>();
  for (const warning of await activeWarningsFor(db, productIds)) {
    grouped.set(warning.productId, [...(grouped.get(warning.productId) ?? []), warning.level]);
  }
  for (const [id, list] of grouped) levels.set(id, effectiveWarningLevel(list));
  return levels;
}

/** Whether the product has an active warning at one of `levels` (all levels when omitted). */
export async function hasActiveWarning(
  db: Executor,
  productId: string,
  levels: readonly WarningLevel[] = WARNING_LEVELS,
): Promise<boolean> {
  if (levels.length === 0) return false;
  const row = await db
    .selectFrom('warnings')
    .select('id')
    .where('product_id', '=', productId)
    .where('lifted_at', 'is', null)
    .where('level', 'in', [...levels])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether an active red warning suspends the product. */
export async function isProductSuspended(db: Executor, productId: string): Promise<boolean> {
  return hasActiveWarning(db, productId, ['red']);
}

export type { StoredWarning };
