import type { AuditAction } from '../../domain/audit.ts';
/**
 * What every change of a filing writes besides the filing itself, in the same transaction:
 * the audit row, the outbox event, the product's status, the public-register event and the
 * notifications. Services call these; nothing here decides whether a change is allowed.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAudit, type AuditContext } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import { eventOf, type Event } from '../../platform/events.ts';
import { enqueueEvents } from '../../platform/outbox.ts';
import { getOrganizationSummary } from '../identity/index.ts';
import { notify, type NotificationInput } from '../notifications/index.ts';
import { DECIDED_STATUSES, setProductStatus, type ProductRecord, type ProductStatus } from '../products/index.ts';
import type { DecisionRecord, FilingRecord } from './repo.ts';
import { toFilingDetailView, type FilingDetailViewT } from './views.ts';
import type { FilingStatus, PublicOutcome } from '../../domain/filings.ts';
import { DecisionPublished, FilingTransitioned, type DecisionPublishedPayload } from './events.ts';

export interface WriteContext {
  audit: AuditContext;
  clock: Clock;
  /** The acting user's id (null for the system). */
  actorId: string | null;
}

/** What the audit row and the outbox event `filing.<status>` say about a transition: ids and dates, never texts. */
function transitionFacts(filing: FilingRecord, from: FilingStatus, extra: Record<string, unknown> = {}) {
  return {
    filingId: filing.id,
    productId: filing.productId,
    organizationId: filing.organizationId,
    kind: filing.kind,
    from,
    to: filing.status,
    version: filing.version,
    dueDate: filing.dueDate,
    ...extra,
  };
}

/** Audit row for a change that is not a status transition (draft edits, documents). */
export async function recordFilingChange(
  trx: Transaction<Database>,
  context: WriteContext,
  filing: FilingRecord,
  action: AuditAction,
  summary: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, context.audit, {
    action,
    resourceType: 'filing',
    resourceId: filing.id,
    organizationId: filing.organizationId,
    summary: { filingId: filing.id, version: filing.version, ...summary },
  });
}

/** The product status that mirrors a filing status; undefined: the product keeps its own. */
const PRODUCT_STATUS_OF: Readonly<Record<FilingStatus, ProductStatus | undefined>> = {
  draft: undefined,
  submitted: 'filed',
  under_review: 'under_review',
  information_requested: 'under_review',
  accepted: 'accepted',
  approved: 'approved',
  approved_with_conditions: 'approved_with_conditions',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

/** Statuses a filing in progress (or withdrawn) would give its product. */
const IN_PROGRESS_PRODUCT_STATUSES: readonly ProductStatus[] = ['filed', 'under_review', 'withdrawn'];

/**
 * The product's status follows its filing. A decision always sets it. While a new filing
 * is in progress (or withdrawn) a product that an earlier decision still covers keeps that
 * status, so a re-filing never takes a live product off the public register by itself.
 */
export function productStatusFollowing(product: ProductRecord, filing: FilingRecord): ProductStatus {
  const target = PRODUCT_STATUS_OF[filing.status];
  if (target === undefined) return product.status;
  const coveredByEarlierDecision = (DECIDED_STATUSES as readonly ProductStatus[]).includes(product.status);
  if (coveredByEarlierDecision && IN_PROGRESS_PRODUCT_STATUSES.includes(target)) return product.status;
  return target;
}

async function followProductStatus(
  trx: Transaction<Database>,
  audit: AuditContext,
  product: ProductRecord,
  filing: FilingRecord,
): Promise<void> {
  const target = productStatusFollowing(product, filing);
  if (target === product.status) return;
  // The caller locked the product in this transaction: it is not read again.
  await setProductStatus(trx, audit, product.id, target, `filing ${filing.id}: ${filing.status}`, product);
}

/** A public decision and its explanation, as the decision record states it. */
export interface PublicDecision {
  outcome: PublicOutcome;
  decidedAt: Date;
  reasons: string;
  legalBasis: string | null;
  /** Empty unless approved_with_conditions. */
  conditions: readonly string[];
}

/**
 * The event that hands a public decision to the register and transparency log (their module
 * consumes `register.decision_published`). Rejections are never published: a refused
 * application is the provider's commercial confidence, and the regulations ask for public
 * disclosure of what may be offered, not of what was refused.
 */
async function decisionPublishedEvent(
  trx: Transaction<Database>,
  filing: FilingRecord,
  product: ProductRecord,
  decision: PublicDecision,
): Promise<Event<DecisionPublishedPayload>> {
  const provider = await getOrganizationSummary(trx, filing.organizationId);
  if (provider === undefined)
    throw new Error(`Organisation ${filing.organizationId} of filing ${filing.id} is missing`);
  return eventOf(DecisionPublished, filing.id, {
    filingId: filing.id,
    productId: product.id,
    organizationId: filing.organizationId,
    kind: filing.kind,
    outcome: decision.outcome,
    decidedAt: decision.decidedAt.toISOString(),
    reasons: decision.reasons,
    legalBasis: decision.legalBasis,
    conditions: [...decision.conditions],
    product: {
      name: product.name,
      nameEn: product.nameEn,
      description: product.description,
      catalogueCode: product.catalogueCode,
      catalogueVersion: product.catalogueVersion,
      tier: product.tier,
      rulesetVersion: product.rulesetVersion,
      status: product.status,
    },
    provider: { name: provider.name, nameEn: provider.nameEn, uscc: provider.uscc },
  });
}

export function filingLink(filingId: string): string {
  return `/filings/${filingId}`;
}

export interface Conclusion {
  /** The filing after the change. */
  filing: FilingRecord;
  /** Its status before. */
  from: FilingStatus;
  /** The product, locked by the caller and unchanged since; its status follows the filing's when given. */
  product: ProductRecord | undefined;
  /** Facts for the audit row and outbox payload. */
  facts?: Record<string, unknown>;
  /** A public decision, with its reasons, legal basis and conditions, to hand to the register. */
  publish?: PublicDecision;
  /** The decision record this transition has just written (the response shows it without reading it back). */
  decision?: DecisionRecord;
  notifications?: readonly NotificationInput[];
}

/**
 * Ends a filing transition and returns the response body: notifications, the register event
 * and the outbox event `filing.<status>` (one statement), the product's status and the
 * transition's audit row, all in the caller's transaction. The audit rows take no lock (the
 * audit sequencer chains them after commit), so concurrent transitions of different filings
 * do not wait for each other.
 */
export async function concludeTransition(
  trx: Transaction<Database>,
  context: WriteContext,
  conclusion: Conclusion,
): Promise<FilingDetailViewT> {
  const { filing, product } = conclusion;
  const productAfter =
    product === undefined ? undefined : { ...product, status: productStatusFollowing(product, filing) };
  if (conclusion.notifications !== undefined && conclusion.notifications.length > 0) {
    await notify(trx, context.clock, conclusion.notifications);
  }
  const view = await toFilingDetailView(trx, filing, productAfter, { decision: conclusion.decision });
  const facts = transitionFacts(filing, conclusion.from, conclusion.facts);
  const events: Event[] = [];
  if (conclusion.publish !== undefined && productAfter !== undefined) {
    events.push(await decisionPublishedEvent(trx, filing, productAfter, conclusion.publish));
  }
  events.push(eventOf(FilingTransitioned[filing.status], filing.id, facts));
  await enqueueEvents(trx, context.clock, events);
  if (product !== undefined) await followProductStatus(trx, context.audit, product, filing);
  await recordAudit(trx, context.audit, {
    action: `filing.${filing.status}`,
    resourceType: 'filing',
    resourceId: filing.id,
    organizationId: filing.organizationId,
    summary: facts,
  });
  return view;
}
