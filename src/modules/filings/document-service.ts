/**
 * Documents of a filing: upload (content-sniffed, zip bombs refused, quotas), download.
 */
import { assertCan } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../../config.ts';
import type { DocumentType } from '../../domain/filings.ts';
import { AppError, conflict, found, notFound, unprocessable } from '../../platform/errors.ts';
import { localize } from '../../platform/i18n.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { newId } from '../../platform/ids.ts';
import {
  checkDeclaredType,
  checkInflatedSizes,
  checkOfficeArchive,
  FORMATS,
  safeFileName,
  sniffDocument,
} from './content-sniffer.ts';
import { discardRemovedContent, readDocumentContent, withStagedContent } from './document-content.ts';
import { recordFilingChange } from './effects.ts';
import {
  deleteDocument,
  documentBytesOfOrganization,
  documentTotalsOfFiling,
  findDocument,
  findFilingById,
  findOpenInformationRequest,
  insertDocument,
  lockOrganizationDocuments,
  updateFiling,
  type FilingRecord,
} from './repo.ts';
import { filingResource, filingWrite, lockFilingFor, transition, type WriteScope } from './shared.ts';
import { toDocumentView, type DocumentViewT } from './views.ts';

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
  ctx: RequestContext,
  input: { id: string; readUpload: () => Promise<Upload> },
): Promise<StoredResponse<DocumentViewT & { version: number }>> {
  const { id, readUpload } = input;
  const before = found(await findFilingById(deps.db, id), { detail: { zh: '备案不存在', en: 'No such filing' } });
  assertCan(ctx.principal, 'documents.upload', filingResource(before));
  transition(before, 'attach_document');
  const upload = await readUpload();
  const format = sniffDocument(upload.bytes);
  if (format === undefined) {
    throw new AppError(415, 'unsupported_document_type', {
      detail: {
        zh: '只接受 PDF、PNG、JPEG、DOCX、XLSX 和 UTF-8 纯文本文件（按文件内容识别）',
        en: 'Only PDF, PNG, JPEG, DOCX, XLSX and UTF-8 plain text are accepted (identified by content)',
      },
      errors: [
        {
          pointer: '/file',
          message: { zh: '文件为空，或不是可接受的格式', en: 'the file is empty or not in an accepted format' },
        },
      ],
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
        {
          pointer: `/file/${declared.field}`,
          message: {
            zh: `应为 ${declared.expected.join('、') || '（无）'}`,
            en: `expected one of ${declared.expected.join(', ') || '(none)'}`,
          },
        },
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
            message: localize(archive.message, ctx.language),
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
    filingWrite(deps, ctx, 'documents.upload', undefined, async (scope) => {
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
    }),
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
    scope.ctx.language,
  );
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

/**
 * `DELETE /filings/{id}/documents/{documentId}`: the provider takes back a document it has not
 * submitted yet — from a draft, or one added since the open information request. What the
 * reviewer was given at submission stays part of the record (409 `document_not_removable`).
 */
export async function removeDocument(
  deps: AppDeps,
  ctx: RequestContext,
  input: { filingId: string; documentId: string },
): Promise<void> {
  const removed = await filingWrite(deps, ctx, 'documents.delete', undefined, async (scope) => {
    const filing = await lockFilingFor(scope, input.filingId, 'documents.delete');
    const document = await findDocument(scope.trx, input.documentId);
    if (document === undefined || document.filingId !== filing.id) {
      throw notFound({ detail: { zh: '文件不存在', en: 'No such document' } });
    }
    transition(filing, 'remove_document');
    if (filing.status === 'information_requested') {
      const open = await findOpenInformationRequest(scope.trx, filing.id);
      if (open === undefined || document.uploadedAt.getTime() <= open.requestedAt.getTime()) {
        throw conflict('document_not_removable', {
          detail: {
            zh: '该文件随备案一并提交，已成为审查记录的一部分，不能删除；可上传新的文件作为补充',
            en: 'This document was submitted with the filing and is part of the review record; upload a new one to add to it',
          },
        });
      }
    }
    await deleteDocument(scope.trx, document.id);
    const updated = await updateFiling(scope.trx, filing.id, { updated_at: scope.clock.now() });
    await recordFilingChange(scope.trx, scope, updated, 'filing.document_removed', {
      documentId: document.id,
      documentType: document.documentType,
      fileName: document.fileName,
      sha256: document.sha256,
    });
    return { status: 204, body: document.sha256 };
  });
  await discardRemovedContent(deps, removed.body);
}

/** `GET /documents/{id}`: the bytes with the sniffed type, for the owner and regulator staff. */
export async function downloadDocument(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string },
): Promise<{ fileName: string; contentType: string; sha256: string; size: number; content: Buffer | Readable }> {
  const document = found(await findDocument(deps.db, input.id), {
    detail: { zh: '文件不存在', en: 'No such document' },
  });
  assertCan(ctx.principal, 'documents.read', {
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
