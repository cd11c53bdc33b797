/**
 * Public surface of the ethics module: the AI ethics committee's cases (referred
 * automatically at submission or by a reviewer), declarations of interest, secret votes and
 * published opinions, and what an open or unfavourable opinion blocks (API-CONTRACT-2 §3).
 */
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import type { AppModule } from '../../platform/module.ts';
import { registerProvisionalDeadlineOwner } from '../calendar/index.ts';
import { ethicsDeadlines } from './referral.ts';
import { ethicsRoutes } from './routes.ts';

export type { EthicsTables } from './tables.ts';
export { EthicsCaseReferred, EthicsOpinionPublished, EthicsCaseDueDateRecomputed } from './events.ts';
export {
  assertEthicsAllowsApproval,
  ethicsApprovalBlock,
  referFilingIfTriggered,
  referTrialIfTriggered,
  trialEthicsStanding,
  type ReferralScope,
} from './referral.ts';

registerProblemTitles({
  ethics_opinion_pending: { zh: '伦理委员会尚未出具意见', en: 'Ethics opinion pending' },
  ethics_opinion_unfavourable: { zh: '伦理委员会意见为不赞成', en: 'Unfavourable ethics opinion' },
  ethics_referral_not_allowed: { zh: '该备案不能提交伦理审查', en: 'The filing cannot be referred' },
  ethics_case_open: { zh: '已有未结的伦理审查案件', en: 'An ethics case is already open' },
  ethics_case_decided: { zh: '伦理审查案件已出具意见', en: 'The ethics case is decided' },
  already_declared: { zh: '已作出利益申报', en: 'Already declared' },
  declaration_required: { zh: '须先申报利益冲突', en: 'Declaration required' },
  conflict_of_interest: { zh: '存在利益冲突', en: 'Conflict of interest' },
  already_voted: { zh: '已表决', en: 'Already voted' },
  quorum_not_met: { zh: '未达到法定人数', en: 'Quorum not met' },
  not_regulator_staff: { zh: '不是监管部门人员', en: 'Not regulator staff' },
});

registerProvisionalDeadlineOwner(ethicsDeadlines);

export const ethicsModule: AppModule = {
  name: 'ethics',
  routes: ethicsRoutes,
};
