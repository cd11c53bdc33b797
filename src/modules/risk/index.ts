/** Public surface of the risk module: the self-check questionnaire and risk tiering. */
import type { Ruleset } from '../../lib/risk-rules.ts';
import type { AppModule } from '../index.ts';
import { riskRoutes } from './routes.ts';
import { findRuleset, loadCurrentRuleset } from './rulesets.ts';

export { checkRiskAnswers, invalidRiskAnswers, type AnswersCheck } from './service.ts';
export { RiskTierSchema, RiskReasonSchema, RiskObligationSchema, RiskAnswersSchema } from './schemas.ts';

/** The ruleset new assessments use: the newest shipped one (`data/reference/risk/`). */
export async function currentRuleset(): Promise<Ruleset> {
  return loadCurrentRuleset();
}

/** A shipped ruleset by version (e.g. `v1`), or undefined. */
export async function getRuleset(version: string): Promise<Ruleset | undefined> {
  return findRuleset(version);
}

export const riskModule: AppModule = {
  name: 'risk',
  routes: riskRoutes,
};
