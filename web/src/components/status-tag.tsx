import { Tag } from 'antd';
import { useI18n } from '../i18n/index.ts';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'blue',
  under_review: 'processing',
  information_requested: 'gold',
  accepted: 'green',
  approved: 'green',
  approved_with_conditions: 'lime',
  rejected: 'red',
  withdrawn: 'default',
  suspended: 'volcano',
  pending: 'gold',
  verified: 'green',
  active: 'green',
  disabled: 'default',
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
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId ?? 'status-tag'} data-status={status}>
      {t(`${group}.${status}`, { defaultValue: status })}
    </Tag>
  );
}
