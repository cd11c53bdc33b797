import { Alert } from 'antd';
import { Link } from 'react-router';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { hasAnyRole, useMe } from '../identity/hooks.ts';
import { useEthicsCases } from './hooks.ts';

/**
 * On a filing page, for the regulator's readers: the ethics case on the filing and what it
 * means for the decision (an open case holds approval, an unfavourable opinion bars it).
 */
export function FilingEthicsNotice({ filingId }: { filingId: string }) {
  const { t, language } = useI18n();
  const { data: user } = useMe();
  const allowed = hasAnyRole(user, ['reviewer', 'regulator_admin', 'ethics_member', 'ethics_secretary']);
  const cases = useEthicsCases({ subjectType: 'filing', subjectId: filingId }, allowed);
  const items = cases.data?.items ?? [];
  if (!allowed || items.length === 0) return null;
  const open = items.find((c) => c.status === 'open');
  const unfavourable = items.find((c) => c.status === 'decided' && c.outcome === 'unfavourable');
  const latest = open ?? unfavourable ?? items[items.length - 1]!;
  const link = <Link to={`/ethics/cases/${latest.id}`}>{t('ethics.openCase')}</Link>;
  if (open !== undefined) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="filing-ethics-notice"
        message={t('ethics.filingPending', { date: formatDate(open.dueDate, language) })}
        description={link}
        style={{ marginBottom: 16 }}
      />
    );
  }
  if (unfavourable !== undefined) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="filing-ethics-notice"
        message={t('ethics.filingUnfavourable')}
        description={link}
        style={{ marginBottom: 16 }}
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      data-testid="filing-ethics-notice"
      message={t('ethics.filingFavourable', { outcome: t(`ethics.outcome.${latest.outcome ?? 'favourable'}`) })}
      description={link}
      style={{ marginBottom: 16 }}
    />
  );
}
