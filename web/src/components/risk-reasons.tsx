import type { RiskReason } from '../api/types.ts';
import { useI18n } from '../i18n/index.ts';

/** Why a product has its tier: every matching rule with its legal basis. */
export function RiskReasons({ reasons }: { reasons: RiskReason[] }) {
  const { t, pick } = useI18n();
  return (
    <ul className="reason-list" data-testid="risk-reasons">
      {reasons.map((reason) => (
        <li key={reason.ruleId} data-testid="risk-reason" data-rule-id={reason.ruleId}>
          <div>{pick(reason.textZh, reason.textEn)}</div>
          <div style={{ color: '#4b5563', fontSize: 13 }}>
            {t('risk.basis')}
            {t('common.colon')}
            {reason.basis}
          </div>
        </li>
      ))}
    </ul>
  );
}
