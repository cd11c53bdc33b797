import { Card, Typography } from 'antd';
import type { Obligation, RiskAssessment } from '../../api/types.ts';
import { RiskReasons } from '../../components/risk-reasons.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { useI18n } from '../../i18n/index.ts';

function ObligationText({ obligation }: { obligation: Obligation | string }) {
  const { t, pick } = useI18n();
  if (typeof obligation === 'string') return <>{t(`obligation.${obligation}`, { defaultValue: obligation })}</>;
  const text = pick(obligation.textZh, obligation.textEn);
  return (
    <>
      {text !== '' ? text : t(`obligation.${obligation.code ?? ''}`, { defaultValue: obligation.code ?? '' })}
      {obligation.basis !== undefined ? (
        <div style={{ color: '#6b7280', fontSize: 13 }}>
          {t('risk.basis')}
          {t('common.colon')}
          {obligation.basis}
        </div>
      ) : null}
    </>
  );
}

/** The outcome of a self-check: tier, every reason with its legal basis, and what the provider must do. */
export function RiskResult({ assessment, actions }: { assessment: RiskAssessment; actions?: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Card data-testid="risk-result" data-tier={assessment.tier}>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('risk.resultHeading')} <TierTag tier={assessment.tier} large />
      </Typography.Title>
      <Typography.Paragraph>{t(`tierExplain.${assessment.tier}`, { defaultValue: '' })}</Typography.Paragraph>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('risk.reasonsHeading')}
      </Typography.Title>
      {assessment.reasons.length > 0 ? (
        <RiskReasons reasons={assessment.reasons} />
      ) : (
        <Typography.Paragraph type="secondary">{t('risk.noReasons')}</Typography.Paragraph>
      )}
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('risk.obligationsHeading')}
      </Typography.Title>
      <ul className="reason-list" data-testid="risk-obligations">
        {assessment.obligations.map((obligation, index) => (
          <li key={typeof obligation === 'string' ? obligation : (obligation.code ?? index)}>
            <ObligationText obligation={obligation} />
          </li>
        ))}
      </ul>
      <Typography.Paragraph type="secondary">
        {t('risk.rulesetVersion', { version: assessment.rulesetVersion })} · {t('risk.notStored')}
      </Typography.Paragraph>
      {actions}
    </Card>
  );
}
