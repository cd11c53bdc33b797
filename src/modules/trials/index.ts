/**
 * Public surface of the trials module (API-CONTRACT-2 §2): pilots and small-scale healthcare
 * trials. Other modules use only what is exported here.
 */
import type { AppModule } from '../../platform/module.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { trialRoutes } from './routes.ts';

export type { TrialTables } from './tables.ts';
export { TrialAdverseEventReported, TrialStatusChanged, TrialSubmitted } from './events.ts';
export { onWarningRaised, recordTrialEthicsOpinion } from './service.ts';

registerProblemTitles({
  trial_not_eligible: { zh: '试验申请不符合条件', en: 'The trial is not eligible' },
  trial_not_active: { zh: '试验不在进行中', en: 'The trial is not active' },
  participant_cap_reached: { zh: '入组人数已达上限', en: 'Participant cap reached' },
  extension_too_long: { zh: '延期过长', en: 'Extension too long' },
  extension_not_later: { zh: '新的结束日期须晚于当前结束日期', en: 'The new end date is not later' },
  extension_used: { zh: '已延期过一次', en: 'The extension has been used' },
  site_review_given: { zh: '本机构已完成审查', en: 'Site review already given' },
  invalid_enrolment_date: { zh: '入组日期无效', en: 'Invalid enrolment date' },
  invalid_adverse_event: { zh: '不良事件信息无效', en: 'Invalid adverse event' },
  unknown_organization: { zh: '机构不存在', en: 'Unknown organisation' },
  unknown_product: { zh: '产品不存在', en: 'Unknown product' },
});

export const trialsModule: AppModule = {
  name: 'trials',
  routes: trialRoutes,
};
