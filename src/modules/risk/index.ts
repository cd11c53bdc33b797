/** Public surface of the risk module: the self-check questionnaire and risk tiering. */
import type { AppModule } from '../../platform/module.ts';
import { riskRoutes } from './routes.ts';

export { checkRiskAnswers, invalidRiskAnswers, type AnswersCheck } from './service.ts';
export { RiskTierSchema, RiskReasonSchema, RiskObligationSchema, RiskAnswersSchema } from './schemas.ts';

export { findRuleset, loadCurrentRuleset } from './rulesets.ts';
export { TokenBucketLimiter } from './rate-limit.ts';

export const riskModule: AppModule = {
  name: 'risk',
  routes: riskRoutes,
};
