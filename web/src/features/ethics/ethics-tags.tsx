import { Tag } from 'antd';
import { useI18n } from '../../i18n/index.ts';

const OUTCOME_COLOURS: Record<string, string> = {
  favourable: 'green',
  favourable_with_conditions: 'gold',
  unfavourable: 'red',
};

/** A case's status, or its outcome once decided. */
export function EthicsStatusTag({ status, outcome }: { status: string; outcome: string | null }) {
  const { t } = useI18n();
  if (status === 'decided' && outcome !== null) {
    return (
      <Tag color={OUTCOME_COLOURS[outcome]} data-testid="ethics-outcome">
        {t(`ethics.outcome.${outcome}`)}
      </Tag>
    );
  }
  return (
    <Tag color="blue" data-testid="ethics-status">
      {t(`ethics.status.${status}`)}
    </Tag>
  );
}
