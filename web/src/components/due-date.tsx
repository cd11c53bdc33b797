import { Tag, Tooltip, Typography } from 'antd';
import { formatDate } from '../i18n/format.ts';
import { useI18n } from '../i18n/index.ts';
import { toneClass } from './tone.ts';

/**
 * A statutory due date. A provisional one (it reaches a year whose State Council holiday
 * notice is not loaded yet, so that year counts weekends only) carries a tag and the one-line
 * explanation: inline where there is room, as a tooltip in tables.
 */
export function DueDate({
  date,
  provisional,
  explain = 'tooltip',
  testId,
}: {
  date: string | null | undefined;
  provisional: boolean | undefined;
  explain?: 'inline' | 'tooltip';
  testId?: string;
}) {
  const { t, language } = useI18n();
  if (date === null || date === undefined) return <span data-testid={testId}>—</span>;
  if (provisional !== true) return <span data-testid={testId}>{formatDate(date, language)}</span>;
  const tag = (
    <Tag className={toneClass('gold')} data-testid="provisional-tag">
      {t('dueDate.provisional')}
    </Tag>
  );
  return (
    <span data-testid={testId} data-provisional="true">
      {formatDate(date, language)}{' '}
      {explain === 'tooltip' ? (
        <Tooltip title={t('dueDate.provisionalExplain')}>
          <span tabIndex={0} aria-label={`${t('dueDate.provisional')}: ${t('dueDate.provisionalExplain')}`}>
            {tag}
          </span>
        </Tooltip>
      ) : (
        <>
          {tag}
          <Typography.Text type="secondary" className="due-date-explain" style={{ display: 'block' }}>
            {t('dueDate.provisionalExplain')}
          </Typography.Text>
        </>
      )}
    </span>
  );
}
