import { Tag } from 'antd';
import type { RiskTier } from '../api/types.ts';
import { useI18n } from '../i18n/index.ts';
import { toneClass, type Tone } from './tone.ts';

/** RiskTier colours: prohibited magenta, high red, medium orange, low green (same everywhere). */
const TIER_TONES: Record<RiskTier, Tone> = {
  prohibited: 'magenta',
  high: 'red',
  medium: 'orange',
  low: 'green',
};

export function TierTag({ tier, large = false }: { tier: RiskTier | null | undefined; large?: boolean }) {
  const { t } = useI18n();
  if (tier === null || tier === undefined) return null;
  return (
    <Tag
      className={toneClass(TIER_TONES[tier] ?? 'neutral')}
      data-testid="tier-tag"
      data-tier={tier}
      style={large ? { fontSize: 16, padding: '4px 12px', lineHeight: '24px' } : undefined}
    >
      {t(`tier.${tier}`, { defaultValue: tier })}
    </Tag>
  );
}
