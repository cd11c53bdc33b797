/**
 * Public surface of the data-access module: public data for industry (API-CONTRACT-2 §4) —
 * the dataset catalogue (JSON and DCAT-AP 3.0 JSON-LD), CSV uploads, access requests on the
 * working-day clock, time-bound grants and their k-anonymous extracts.
 */
import type { AppModule } from '../../platform/module.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { dataAccessRoutes } from './routes.ts';

export type { DataAccessTables } from './tables.ts';
export { AccessRequestDecided, AccessRequestSubmitted, DatasetCreated, DatasetDataUploaded } from './events.ts';

registerProblemTitles({
  open_dataset_personal_fields: {
    zh: '开放数据集不得包含个人信息字段',
    en: 'An open dataset may hold no personal field',
  },
  duplicate_field_name: { zh: '字段名重复', en: 'Duplicate field name' },
  dataset_csv_invalid: { zh: '数据文件未通过校验', en: 'The data file does not validate' },
  dataset_changed: { zh: '数据集已变更', en: 'The dataset changed' },
  dataset_not_open: { zh: '数据集不是开放数据', en: 'The dataset is not open data' },
  dataset_closed: { zh: '数据集不开放', en: 'The dataset is closed' },
  direct_identifier_not_grantable: { zh: '直接标识符不予授权', en: 'Direct identifiers are never granted' },
  unknown_field: { zh: '字段不存在', en: 'Unknown field' },
  access_request_decided: { zh: '申请已有决定', en: 'The request has already been decided' },
  grant_expired: { zh: '授权已到期', en: 'The grant has expired' },
});

export const dataAccessModule: AppModule = {
  name: 'data-access',
  routes: dataAccessRoutes,
};
