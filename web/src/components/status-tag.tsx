import { Tag } from 'antd';
import { useI18n } from '../i18n/index.ts';
import { toneClass, type Tone } from './tone.ts';

const STATUS_TONES: Record<string, Tone> = {
  draft: 'neutral',
  submitted: 'blue',
  under_review: 'blue',
  information_requested: 'gold',
  accepted: 'green',
  approved: 'green',
  approved_with_conditions: 'lime',
  rejected: 'red',
  withdrawn: 'neutral',
  suspended: 'volcano',
  pending: 'gold',
  verified: 'green',
  active: 'green',
  disabled: 'neutral',
};

/** A filing, product or organisation status with its label in the current language. */
export function StatusTag({
  status,
  testId,
  group = 'status',
}: {
  status: string | null | undefined;
  testId?: string;
  /** The catalogue group holding the labels (organisations say "未通过" where filings say "不予批准"). */
  group?: 'status' | 'organizationStatus';
}) {
  const { t } = useI18n();
  if (status === null || status === undefined) return null;
  return (
    <Tag
      className={toneClass(STATUS_TONES[status] ?? 'neutral')}
      data-testid={testId ?? 'status-tag'}
      data-status={status}
    >
      {t(`${group}.${status}`, { defaultValue: status })}
    </Tag>
  );
}
