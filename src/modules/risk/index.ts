/** Public surface of the risk module: the self-check questionnaire and risk tiering. */
import type { Ruleset } from '../../lib/risk-rules.ts';
import type { AppModule } from '../index.ts';

/** The ruleset new assessments use (the newest shipped one). */
export async function currentRuleset(): Promise<Ruleset> {
  throw new Error('not implemented');
}

/** A shipped ruleset by version, e.g. `v1`, or undefined. */
export async function getRuleset(_version: string): Promise<Ruleset | undefined> {
  throw new Error('not implemented');
}

export const riskModule: AppModule = { name: 'risk' };
