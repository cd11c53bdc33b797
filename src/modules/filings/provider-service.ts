/**
 * The provider's side of a filing: draft, documents, submission (with the completeness
 * check), answers to information requests, withdrawal — and reading filings.
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { shanghaiDate } from '../../lib/calendar.ts';
import { assertCan } from '../../platform/authz.ts';
import type { Config } from '../../config.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, found, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { assertIfMatch, decodeCursor, encodeCursor } from '../../platform/http.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import type { Principal } from '../../platform/principal.ts';
import { localize, negotiateLanguage } from '../../platform/i18n.ts';
import { getProduct, lockProduct, type ProductRecord } from '../products/index.ts';
import {
  checkDeclaredType,
  checkInflatedSizes,
  checkOfficeArchive,
  FORMATS,
  safeFileName,
  sniffDocument,
} from './content-sniffer.ts';
import { readDocumentContent, withStagedContent } from './document-content.ts';
import { confirmProvisional } from '../calendar/index.ts';
import { assessmentDueDate, dueDateAfterStop, dueDateText } from './deadlines.ts';
import { concludeTransition, filingLink, recordFilingChange } from './effects.ts';
import {
  answerInformationRequest,
  countDocumentsOfType,
  documentBytesOfOrganization,
  documentTotalsOfFiling,
  findDocument,
  findFilingById,
  findOpenFilingId,
  findOpenInformationRequest,
  insertDecision,
  insertDocument,
  insertFiling,
  listFilingsOfProduct,
  lockFilingById,
  lockOrganizationDocuments,
  updateFiling,
  type DecisionRecord,
  type FilingRecord,
} from './repo.ts';
import {
  DEFAULT_REVIEW_WORKING_DAYS,
  type CreateFilingBody,
  type DocumentType,
  type MessageBody,
  type UpdateFilingBody,
} from './schemas.ts';
import {
  assertKindFitsTier,
  filingMissing,
  filingResource,
  filingWrite,
  ok,
  productMissing,
  productResource,
  transition,
  type WriteScope,
} from './shared.ts';
import {
  productSummary,
  toDocumentView,
  toFilingDetailView,
  toFilingView,
  type DocumentViewT,
  type FilingDetailViewT,
  type FilingViewT,
} from './views.ts';

/** Locks the filing and checks the actor may perform `action` on it (another organisation's → 404). */
async function lockFilingFor(scope: WriteScope, id: string, action: string): Promise<FilingRecord> {
  const filing = found(await lockFilingById(scope.trx, id), { detail: { zh: '备案不存在', en: 'No such filing' } });
  assertCan(scope.request.principal, action, filingResource(filing));
  return filing;
}

async function lockProductOf(scope: WriteScope, filing: FilingRecord): Promise<ProductRecord> {
  const product = await lockProduct(scope.trx, filing.productId);
  if (product === undefined) throw productMissing();
  return product;
}

/** `POST /products/{id}/filings`: a draft disclosure or assessment of the product. */
export async function createFiling(
  deps: AppDeps,
  request: FastifyRequest,
  productId: string,
  body: CreateFilingBody,
): Promise<StoredResponse<FilingDetailViewT>> {
  return filingWrite(
    deps,
    request,
    'filings.create',
    async (scope) => {
      const product = await lockProduct(scope.trx, productId);
      if (product === undefined) throw productMissing();
      assertCan(scope.request.principal, 'filings.create', productResource(product));
      assertKindFitsTier(product, body.kind);
      const open = await findOpenFilingId(scope.trx, product.id);
      if (open !== undefined) {
        throw conflict('filing_already_open', {
          detail: {
            zh: '该产品已有未完成的备案，请继续该备案或先撤回',
            en: 'This product already has an open filing: continue it or withdraw it first',
          },
          extensions: { filingId: open },
        });
      }
      const filing = await insertFiling(scope.trx, {
        id: newId(),
        productId: product.id,
        organizationId: product.organizationId,
        kind: body.kind,
        tier: product.tier,
        summary: body.summary,
        transparencyMeasures: body.transparencyMeasures ?? null,
        createdBy: scope.actorId,
        createdAt: scope.clock.now(),
      });
      // A draft leaves the product's status as it is.
      const view = await concludeTransition(scope.trx, scope, {
        filing,
        from: 'draft',
        product,
        facts: { event: 'create' },
      });
      return ok(view, 201);
    },
    { idempotent: true },
  );
}

/** `PATCH /filings/{id}`: edit a draft's texts (If-Match guards against a stale editor). */
export async function updateDraft(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
  body: UpdateFilingBody,
): Promise<StoredResponse<FilingDetailViewT>> {
  return filingWrite(
    deps,
    request,
    'filings.update',
    async (scope) => {
      const filing = await lockFilingFor(scope, id, 'filings.update');
      assertIfMatch(request, filing.version);
      transition(filing, 'edit');
      const updated = await updateFiling(scope.trx, filing.id, {
        ...(body.summary === undefined ? {} : { summary: body.summary }),
        ...(body.transparencyMeasures === undefined ? {} : { transparency_measures: body.transparencyMeasures }),
        updated_at: scope.clock.now(),
      });
      const view = await toFilingDetailView(scope.trx, updated, await getProduct(scope.trx, updated.productId));
      await recordFilingChange(scope.trx, scope, updated, 'filing.updated', { fields: Object.keys(body) });
      return ok(view);
    },
    { idempotent: false },
  );
}

/** An uploaded file as the multipart parser delivered it. */
export interface Upload {
  documentType: DocumentType;
  fileName: string;
  declaredContentType: string;
  bytes: Buffer;
}

/**
 * `POST /filings/{id}/documents`. The actor's right to the filing is checked before the
 * upload is read; the bytes decide the type (magic numbers), and a declared type or file
 * extension that contradicts them is refused.
 */
export async function uploadDocument(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
  readUpload: () => Promise<Upload>,
): Promise<StoredResponse<DocumentViewT & { version: number }>> {
  const before = found(await findFilingById(deps.db, id), { detail: { zh: '备案不存在', en: 'No such filing' } });
  assertCan(request.principal, 'documents.upload', filingResource(before));
  transition(before, 'attach_document');
  const upload = await readUpload();
  const format = sniffDocument(upload.bytes);
  if (format === undefined) {
    throw new AppError(415, 'unsupported_document_type', {
      detail: {
        zh: '只接受 PDF、PNG、JPEG、DOCX、XLSX 和 UTF-8 纯文本文件（按文件内容识别）',
        en: 'Only PDF, PNG, JPEG, DOCX, XLSX and UTF-8 plain text are accepted (identified by content)',
      },
      errors: [{ pointer: '/file', message: 'unsupported or empty file content' }],
    });
  }
  const fileName = safeFileName(upload.fileName);
  const declared = checkDeclaredType(format, upload.declaredContentType, fileName);
  if (!declared.ok) {
    throw unprocessable('document_type_mismatch', {
      detail: {
        zh: `文件内容为 ${format.toUpperCase()}，与声明的${declared.field === 'fileName' ? '文件扩展名' : '类型'}不符`,
        en: `The file content is ${format.toUpperCase()}, which contradicts its declared ${declared.field === 'fileName' ? 'file extension' : 'content type'}`,
      },
      errors: [
        { pointer: `/file/${declared.field}`, message: `expected one of ${declared.expected.join(', ') || '(none)'}` },
      ],
      extensions: { sniffedType: FORMATS[format].contentType },
    });
  }
  if (format === 'docx' || format === 'xlsx') {
    let archive = checkOfficeArchive(upload.bytes);
    if (archive.ok) archive = await checkInflatedSizes(upload.bytes);
    if (!archive.ok) {
      throw unprocessable('unsafe_document_archive', {
        detail: {
          zh: '该 Office 文件的压缩结构异常（疑似“压缩炸弹”），不予接收',
          en: 'The Office file’s ZIP structure is unsafe (it looks like a zip bomb) and is refused',
        },
        errors: [
          {
            pointer: '/file',
            message: localize(archive.message, negotiateLanguage(request.headers['accept-language'])),
          },
        ],
        extensions: { archiveProblem: archive.problem },
      });
    }
  }
  const sha256 = crypto.createHash('sha256').update(upload.bytes).digest('hex');
  // The bytes are durably stored before the row's transaction starts (file store), so the
  // transaction holds its locks only for the rows; if it rolls back, the file goes again.
  return withStagedContent(deps, sha256, upload.bytes, (content) =>
    filingWrite(
      deps,
      request,
      'documents.upload',
      async (scope) => {
        const filing = await lockFilingFor(scope, id, 'documents.upload');
        transition(filing, 'attach_document');
        await assertDocumentFits(scope, deps.config, filing, upload.bytes.length);
        const document = {
          id: newId(),
          filingId: filing.id,
          organizationId: filing.organizationId,
          documentType: upload.documentType,
          fileName,
          contentType: FORMATS[format].contentType,
          size: upload.bytes.length,
          sha256,
          uploadedBy: scope.actorId,
          uploadedAt: scope.clock.now(),
        };
        await insertDocument(scope.trx, { ...document, content });
        const updated = await updateFiling(scope.trx, filing.id, { updated_at: document.uploadedAt });
        await recordFilingChange(scope.trx, scope, updated, 'filing.document_attached', {
          documentId: document.id,
          documentType: document.documentType,
          contentType: document.contentType,
          size: document.size,
          sha256: document.sha256,
        });
        return { status: 201, body: { ...toDocumentView(document), version: updated.version } };
      },
      { idempotent: false },
    ),
  );
}

/**
 * The upload quotas (config: AIGOV_MAX_DOCUMENTS_PER_FILING, AIGOV_MAX_DOCUMENT_BYTES_PER_FILING,
 * AIGOV_MAX_DOCUMENT_BYTES_PER_ORG), checked inside the upload's transaction: the filing is
 * locked, and the organisation's uploads are serialised by an advisory lock, so concurrent
 * uploads cannot overshoot either total.
 */
async function assertDocumentFits(
  scope: WriteScope,
  config: Config,
  filing: FilingRecord,
  size: number,
): Promise<void> {
  const filingTotals = await documentTotalsOfFiling(scope.trx, filing.id);
  if (filingTotals.count >= config.maxDocumentsPerFiling) {
    throw conflict('too_many_documents', {
      detail: {
        zh: `每份备案最多 ${config.maxDocumentsPerFiling} 个文件`,
        en: `A filing holds at most ${config.maxDocumentsPerFiling} documents`,
      },
      extensions: { limit: config.maxDocumentsPerFiling },
    });
  }
  if (filingTotals.bytes + size > config.maxDocumentBytesPerFiling) {
    throw new AppError(413, 'filing_document_quota_exceeded', {
      detail: {
        zh: `每份备案的文件合计不能超过 ${mebibytes(config.maxDocumentBytesPerFiling)} MB（已用 ${mebibytes(filingTotals.bytes)} MB）`,
        en: `A filing's documents may total at most ${mebibytes(config.maxDocumentBytesPerFiling)} MB (${mebibytes(filingTotals.bytes)} MB used)`,
      },
      errors: [{ pointer: '/file', message: doesNotFit(scope, size) }],
      extensions: { limitBytes: config.maxDocumentBytesPerFiling, usedBytes: filingTotals.bytes },
    });
  }
  await lockOrganizationDocuments(scope.trx, filing.organizationId);
  const organizationBytes = await documentBytesOfOrganization(scope.trx, filing.organizationId);
  if (organizationBytes + size > config.maxDocumentBytesPerOrganization) {
    throw new AppError(413, 'organization_document_quota_exceeded', {
      detail: {
        zh: `本机构的文件合计不能超过 ${mebibytes(config.maxDocumentBytesPerOrganization)} MB（已用 ${mebibytes(organizationBytes)} MB），请联系监管部门`,
        en: `Your organisation's documents may total at most ${mebibytes(config.maxDocumentBytesPerOrganization)} MB (${mebibytes(organizationBytes)} MB used); contact the regulator`,
      },
      errors: [{ pointer: '/file', message: doesNotFit(scope, size) }],
      extensions: { limitBytes: config.maxDocumentBytesPerOrganization, usedBytes: organizationBytes },
    });
  }
}

function doesNotFit(scope: WriteScope, size: number): string {
  return localize(
    { zh: `本文件 ${mebibytes(size)} MB，超出剩余额度`, en: `this file (${mebibytes(size)} MB) does not fit` },
    scope.request.language,
  );
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

/** What the completeness check finds missing, each as a pointer into the filing. */
async function missingItems(scope: WriteScope, filing: FilingRecord, product: ProductRecord): Promise<FieldProblem[]> {
  const language = scope.request.language;
  const missing: FieldProblem[] = [];
  if (filing.summary.trim() === '') {
    missing.push({
      pointer: '/summary',
      message: localize({ zh: '需要填写摘要', en: 'a summary is required' }, language),
    });
  }
  if (filing.kind === 'disclosure' && product.tier === 'medium' && (filing.transparencyMeasures ?? '').trim() === '') {
    missing.push({
      pointer: '/transparencyMeasures',
      message: localize(
        {
          zh: '中风险产品需说明透明度措施：如何告知用户正在与人工智能交互、如何标识生成内容',
          en: 'a medium-risk product must state its transparency measures: how people learn they face an AI system and how generated content is labelled',
        },
        language,
      ),
    });
  }
  if (
    filing.kind === 'assessment' &&
    (await countDocumentsOfType(scope.trx, filing.id, 'risk_assessment_report')) === 0
  ) {
    missing.push({
      pointer: '/documents',
      message: localize(
        {
          zh: '需要上传一份风险评估报告（risk_assessment_report）',
          en: 'a risk_assessment_report document is required',
        },
        language,
      ),
    });
  }
  return missing;
}

/** Working days the reviewer has: from the product's ruleset obligations, else the contract's 20. */
function reviewWorkingDaysOf(product: ProductRecord): number {
  const obligation = product.obligations.find((item) => item.code === 'ex_ante_assessment');
  return obligation?.reviewWorkingDays ?? DEFAULT_REVIEW_WORKING_DAYS;
}

/**
 * `POST /filings/{id}/submit`. A complete disclosure is accepted and public at once; a
 * complete assessment starts the statutory clock: dueDate = the N-th working day after the
 * Asia/Shanghai submission date (N = 20 under ruleset v1). If that date falls in a year
 * whose official calendar is not loaded, that year counts weekends only and the due date is
 * marked provisional until the year is loaded (API-CONTRACT-2 §0).
 */
export async function submitFiling(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
): Promise<StoredResponse<FilingDetailViewT>> {
  return filingWrite(deps, request, 'filings.submit', async (scope) => {
    const filing = await lockFilingFor(scope, id, 'filings.submit');
    const event = filing.kind === 'disclosure' ? 'submit_disclosure' : 'submit_assessment';
    const next = transition(filing, event);
    const product = await lockProductOf(scope, filing);
    assertKindFitsTier(product, filing.kind);
    const missing = await missingItems(scope, filing, product);
    if (missing.length > 0) {
      throw unprocessable('filing_incomplete', {
        detail: { zh: '备案材料不完整', en: 'The filing is incomplete' },
        errors: missing,
      });
    }
    const now = scope.clock.now();
    const submissionDate = shanghaiDate(now);
    if (next === 'accepted') {
      const accepted = await updateFiling(scope.trx, filing.id, {
        status: next,
        tier: product.tier,
        submitted_at: now,
        submitted_by: scope.actorId,
        decided_at: now,
        updated_at: now,
      });
      const decision: DecisionRecord = {
        id: newId(),
        filingId: filing.id,
        outcome: 'accepted',
        reasons:
          '信息披露通过自动完整性检查，即时公开。 / The disclosure passed the automatic completeness check and is public at once.',
        legalBasis:
          '深圳经济特区人工智能产业促进条例 第六章：中低风险人工智能应用采用事前披露和事后跟踪的治理模式 / Shenzhen AI Regulations, ch. 6: medium- and low-risk applications — ex-ante disclosure, ex-post tracking',
        conditions: null,
        decidedAt: now,
        decidedBy: null,
      };
      await insertDecision(scope.trx, decision);
      const view = await concludeTransition(scope.trx, scope, {
        filing: accepted,
        from: filing.status,
        product,
        decision,
        facts: { tier: product.tier },
        publish: {
          outcome: 'accepted',
          decidedAt: now,
          reasons: decision.reasons,
          legalBasis: decision.legalBasis,
          conditions: [],
        },
        notifications: [
          {
            target: { organizationId: accepted.organizationId },
            kind: 'filing.accepted',
            titleZh: `信息披露已公开：${product.name}`,
            titleEn: `Disclosure accepted and public: ${product.nameEn ?? product.name}`,
            link: filingLink(accepted.id),
          },
        ],
      });
      return ok(view);
    }
    const reviewWorkingDays = reviewWorkingDaysOf(product);
    // A year without an official calendar counts weekends only: the due date is provisional
    // until the year is loaded (API-CONTRACT-2 §0), never a refusal.
    const due = assessmentDueDate(scope.calendar, submissionDate, reviewWorkingDays);
    if (due.provisional) await confirmProvisional(scope.trx, scope.calendar, submissionDate, due.date);
    const dueDate = due.date;
    const submitted = await updateFiling(scope.trx, filing.id, {
      status: next,
      tier: product.tier,
      submitted_at: now,
      submitted_by: scope.actorId,
      due_date: dueDate,
      due_date_provisional: due.provisional,
      review_working_days: reviewWorkingDays,
      updated_at: now,
    });
    const dueText = dueDateText(dueDate, due.provisional);
    const view = await concludeTransition(scope.trx, scope, {
      filing: submitted,
      from: filing.status,
      product,
      facts: { submissionDate, reviewWorkingDays },
      notifications: [
        {
          target: { role: 'reviewer' },
          kind: 'filing.submitted',
          titleZh: `新的评估申请待审查：${product.name}（${dueText.zh} 前决定）`,
          titleEn: `New assessment to review: ${product.nameEn ?? product.name} (decide by ${dueText.en})`,
          link: filingLink(submitted.id),
        },
      ],
    });
    return ok(view);
  });
}

/**
 * `POST /filings/{id}/information-responses`: the provider answers the open request and
 * the clock runs again. Clock rule: stopped = workingDaysBetween(requestDate, responseDate)
 * — the working days d with requestDate < d ≤ responseDate (Asia/Shanghai dates); the
 * request day itself counts as a review day, the answer day is given back. dueDate moves
 * forward by that many working days.
 */
export async function respondToInformationRequest(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
  body: MessageBody,
): Promise<StoredResponse<FilingDetailViewT>> {
  return filingWrite(deps, request, 'filings.respond', async (scope) => {
    const filing = await lockFilingFor(scope, id, 'filings.respond');
    const next = transition(filing, 'respond');
    const open = await findOpenInformationRequest(scope.trx, filing.id);
    if (open === undefined || filing.dueDate === null) {
      throw new Error(`Filing ${filing.id} is information_requested without an open request or due date`);
    }
    const now = scope.clock.now();
    const responseDate = shanghaiDate(now);
    const after = dueDateAfterStop(
      scope.calendar,
      { date: filing.dueDate, provisional: filing.dueDateProvisional },
      open.requestedDate,
      responseDate,
    );
    const stopped = after.stoppedWorkingDays;
    const dueDate = after.dueDate.date;
    if (after.dueDate.provisional) await confirmProvisional(scope.trx, scope.calendar, open.requestedDate, dueDate);
    await answerInformationRequest(scope.trx, open.id, {
      response: body.message,
      respondedAt: now,
      respondedBy: scope.actorId,
      responseDate,
      stoppedWorkingDays: stopped,
    });
    const resumed = await updateFiling(scope.trx, filing.id, {
      status: next,
      due_date: dueDate,
      due_date_provisional: after.dueDate.provisional,
      stopped_working_days: filing.stoppedWorkingDays + stopped,
      clock_stopped_on: null,
      updated_at: now,
    });
    const dueText = dueDateText(dueDate, after.dueDate.provisional);
    const product = await lockProductOf(scope, filing);
    const view = await concludeTransition(scope.trx, scope, {
      filing: resumed,
      from: filing.status,
      product,
      facts: { informationRequestId: open.id, stoppedWorkingDays: stopped, dueDateBefore: filing.dueDate },
      notifications: [
        {
          target: resumed.assigneeId === null ? { role: 'reviewer' } : { userId: resumed.assigneeId },
          kind: 'filing.information_responded',
          titleZh: `申请人已补充材料：${product.name}（新的决定期限 ${dueText.zh}）`,
          titleEn: `The provider answered: ${product.nameEn ?? product.name} (now due ${dueText.en})`,
          link: filingLink(resumed.id),
        },
      ],
    });
    return ok(view);
  });
}

/** `POST /filings/{id}/withdraw`: the provider withdraws an open filing (kept, never deleted). */
export async function withdrawFiling(
  deps: AppDeps,
  request: FastifyRequest,
  id: string,
): Promise<StoredResponse<FilingDetailViewT>> {
  return filingWrite(deps, request, 'filings.withdraw', async (scope) => {
    const filing = await lockFilingFor(scope, id, 'filings.withdraw');
    assertIfMatch(request, filing.version);
    const next = transition(filing, 'withdraw');
    const product = await lockProductOf(scope, filing);
    const now = scope.clock.now();
    const withdrawn = await updateFiling(scope.trx, filing.id, {
      status: next,
      withdrawn_at: now,
      clock_stopped_on: null,
      updated_at: now,
    });
    const view = await concludeTransition(scope.trx, scope, {
      filing: withdrawn,
      from: filing.status,
      // A draft never changed its product's status, so its withdrawal does not either.
      product: filing.status === 'draft' ? undefined : product,
      notifications:
        withdrawn.assigneeId === null
          ? []
          : [
              {
                target: { userId: withdrawn.assigneeId },
                kind: 'filing.withdrawn',
                titleZh: `申请人已撤回备案：${product.name}`,
                titleEn: `Filing withdrawn by the provider: ${product.nameEn ?? product.name}`,
                link: filingLink(withdrawn.id),
              },
            ],
    });
    return ok({ ...view, product: productSummary(product) });
  });
}

/** `GET /filings/{id}`: the owning organisation and regulator staff; anyone else → 404. */
export async function getFiling(deps: AppDeps, principal: Principal, id: string): Promise<FilingDetailViewT> {
  const filing = await findFilingById(deps.db, id);
  if (filing === undefined) throw filingMissing();
  assertCan(principal, 'filings.read', filingResource(filing));
  return toFilingDetailView(deps.db, filing, await getProduct(deps.db, filing.productId));
}

/** `GET /products/{id}/filings`: newest first. */
export async function listProductFilings(
  deps: AppDeps,
  principal: Principal,
  productId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: FilingViewT[]; nextCursor: string | null }> {
  const product = await getProduct(deps.db, productId);
  if (product === undefined) throw productMissing();
  assertCan(principal, 'filings.read', productResource(product));
  const cursor = decodeCursor(query.cursor, 1);
  const beforeId = cursor === undefined ? undefined : String(cursor[0]);
  const rows = await listFilingsOfProduct(deps.db, productId, { limit: query.limit + 1, beforeId });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toFilingView),
    nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.id]) : null,
  };
}

/** `GET /documents/{id}`: the bytes with the sniffed type, for the owner and regulator staff. */
export async function downloadDocument(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<{ fileName: string; contentType: string; sha256: string; size: number; content: Buffer | Readable }> {
  const document = found(await findDocument(deps.db, id), { detail: { zh: '文件不存在', en: 'No such document' } });
  assertCan(principal, 'documents.read', {
    type: 'document',
    id: document.id,
    organizationId: document.organizationId,
  });
  const content = await readDocumentContent(deps, document);
  return {
    fileName: document.fileName,
    contentType: document.contentType,
    sha256: document.sha256,
    size: document.size,
    content,
  };
}
