/**
 * Risk tiers (Shenzhen AI Regulations, governance chapter; ruleset v1 in data/reference/risk/):
 * prohibited practices cannot be offered; high risk → ex-ante assessment and risk early
 * warning; medium and low → ex-ante disclosure and ex-post tracking.
 */
export const RISK_TIERS = ['prohibited', 'high', 'medium', 'low'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export function isRiskTier(value: unknown): value is RiskTier {
  return typeof value === 'string' && (RISK_TIERS as readonly string[]).includes(value);
}
