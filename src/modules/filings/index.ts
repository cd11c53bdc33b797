/**
 * Public surface of the filings module: disclosures and assessments of AI products on the
 * statutory working-day clock, their documents, information requests and decisions.
 */
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import type { AppModule } from '../../platform/module.ts';
import { registerProvisionalDeadlineOwner } from '../calendar/index.ts';
import { filingDeadlines } from './deadlines.ts';
import { moveDocumentsToFileStore, sweepOrphanDocumentFiles } from './document-content.ts';
import { filingRoutes } from './routes.ts';

export type { FilingTables } from './tables.ts';
export {
  DecisionPublished,
  FilingDueDateRecomputed,
  FilingTransitioned,
  type DecisionPublishedPayload,
} from './events.ts';
export { verifyDocumentContents, type DocumentVerification } from './document-content.ts';
export { DOCUMENTS_DIR, fileStoreOf } from './document-store.ts';
export { createFiling } from './draft-service.ts';
export { uploadDocument } from './document-service.ts';
export { submitFiling, respondToInformationRequest, withdrawFiling } from './submission-service.ts';
export { assignFiling, decideFiling, requestInformation } from './review-service.ts';

registerProblemTitles({
  illegal_transition: { zh: '当前状态不允许该操作', en: 'Not allowed in the current status' },
  filing_kind_mismatch: { zh: '备案类型与风险等级不符', en: 'Filing kind does not fit the risk tier' },
  prohibited_product: { zh: '禁止类产品不能备案', en: 'Prohibited products cannot be filed' },
  filing_incomplete: { zh: '备案材料不完整', en: 'Filing incomplete' },
  filing_already_open: { zh: '已有未完成的备案', en: 'A filing is already open' },
  document_type_mismatch: { zh: '文件内容与声明的类型不符', en: 'Document content does not match its declared type' },
  unsupported_document_type: { zh: '不支持的文件类型', en: 'Unsupported document type' },
  document_not_removable: { zh: '该文件不能删除', en: 'The document cannot be removed' },
  too_many_documents: { zh: '文件数量已达上限', en: 'Too many documents' },
  filing_document_quota_exceeded: { zh: '备案文件总量已达上限', en: 'The filing’s document quota is used up' },
  organization_document_quota_exceeded: {
    zh: '机构文件总量已达上限',
    en: 'The organisation’s document quota is used up',
  },
  unsafe_document_archive: { zh: '文件压缩结构异常', en: 'Unsafe document archive' },
  not_assignee: { zh: '不是该备案的审查人员', en: 'Not the assigned reviewer' },
  not_a_reviewer: { zh: '不是审查人员', en: 'Not a reviewer' },
  conditions_required: { zh: '须列明条件', en: 'Conditions required' },
  conditions_not_allowed: { zh: '不允许列明条件', en: 'Conditions not allowed' },
});

registerProvisionalDeadlineOwner(filingDeadlines);

export const filingsModule: AppModule = {
  name: 'filings',
  routes: filingRoutes,
  // Embedded database: orphaned files from a crash go, and bytes still in rows move out.
  async startup(deps, log) {
    await sweepOrphanDocumentFiles(deps, log);
    await moveDocumentsToFileStore(deps, log);
  },
};
