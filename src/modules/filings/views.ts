import type { Static } from '@fastify/type-provider-typebox';
import type { ProductRecord } from '../products/index.ts';
import {
  findDecision,
  listDocuments,
  listInformationRequests,
  type DecisionRecord,
  type DocumentRecord,
  type Executor,
  type FilingRecord,
  type InformationRequestRecord,
} from './repo.ts';
import type { DecisionView, DocumentView, FilingDetailView, FilingView, InformationRequestView } from './schemas.ts';

export type FilingViewT = Static<typeof FilingView>;
export type FilingDetailViewT = Static<typeof FilingDetailView>;
export type DocumentViewT = Static<typeof DocumentView>;

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function toFilingView(filing: FilingRecord): FilingViewT {
  return {
    id: filing.id,
    productId: filing.productId,
    organizationId: filing.organizationId,
    kind: filing.kind,
    tier: filing.tier,
    status: filing.status,
    version: filing.version,
    summary: filing.summary,
    transparencyMeasures: filing.transparencyMeasures,
    createdAt: filing.createdAt.toISOString(),
    updatedAt: filing.updatedAt.toISOString(),
    submittedAt: iso(filing.submittedAt),
    dueDate: filing.dueDate,
    dueDateProvisional: filing.dueDateProvisional,
    reviewWorkingDays: filing.reviewWorkingDays,
    stoppedWorkingDays: filing.stoppedWorkingDays,
    assigneeId: filing.assigneeId,
    decidedAt: iso(filing.decidedAt),
    withdrawnAt: iso(filing.withdrawnAt),
  };
}

export function toDocumentView(document: DocumentRecord): DocumentViewT {
  return {
    id: document.id,
    documentType: document.documentType,
    fileName: document.fileName,
    contentType: document.contentType,
    size: document.size,
    sha256: document.sha256,
    uploadedAt: document.uploadedAt.toISOString(),
  };
}

function toInformationRequestView(request: InformationRequestRecord): Static<typeof InformationRequestView> {
  return {
    id: request.id,
    message: request.message,
    requestedAt: request.requestedAt.toISOString(),
    requestedBy: request.requestedBy,
    response: request.response,
    respondedAt: iso(request.respondedAt),
    stoppedWorkingDays: request.stoppedWorkingDays,
  };
}

function toDecisionView(decision: DecisionRecord): Static<typeof DecisionView> {
  return {
    outcome: decision.outcome,
    reasons: decision.reasons,
    legalBasis: decision.legalBasis,
    conditions: decision.conditions,
    decidedAt: decision.decidedAt.toISOString(),
    decidedBy: decision.decidedBy,
  };
}

export function productSummary(product: ProductRecord | undefined) {
  return product === undefined
    ? null
    : { id: product.id, name: product.name, nameEn: product.nameEn, tier: product.tier };
}

/**
 * The filing with its documents, information requests and decision (read through `db`, e.g.
 * the open transaction). `known.decision`: the decision the caller has just written, not read back.
 */
export async function toFilingDetailView(
  db: Executor,
  filing: FilingRecord,
  product: ProductRecord | undefined,
  known: { decision?: DecisionRecord } = {},
): Promise<FilingDetailViewT> {
  const [documents, requests, decision] = await Promise.all([
    listDocuments(db, filing.id),
    listInformationRequests(db, filing.id),
    known.decision ?? findDecision(db, filing.id),
  ]);
  return {
    ...toFilingView(filing),
    product: productSummary(product),
    documents: documents.map(toDocumentView),
    informationRequests: requests.map(toInformationRequestView),
    decision: decision === undefined ? null : toDecisionView(decision),
  };
}
