import { Card, Empty, Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { QueueItem } from '../../api/types.ts';
import { ButtonLink } from '../../components/button-link.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { DueDate } from '../../components/due-date.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useReviewQueue } from './hooks.ts';
import { toneClass } from '../../components/tone.ts';

/** The reviewer's work list on the statutory clock (20 working days for an assessment). */
export function ReviewQueuePage() {
  const { t, language, pick } = useI18n();
  const queue = useReviewQueue();
  const items = queue.data?.items ?? [];
  const overdue = items.filter((item) => item.overdue).length;

  return (
    <>
      <PageHeading
        title={t('review.queueTitle')}
        subtitle={overdue > 0 ? t('review.overdueCount', { count: overdue }) : t('review.queueSubtitle')}
        extra={<ButtonLink to="/review/stats">{t('nav.reviewStats')}</ButtonLink>}
      />
      <Card>
        {queue.data === undefined ? (
          <QueryState isLoading={queue.isLoading} error={queue.error} onRetry={() => void queue.refetch()} />
        ) : items.length === 0 ? (
          <Empty description={t('review.queueEmpty')} />
        ) : (
          <Table<QueueItem>
            rowKey="id"
            dataSource={items}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 820 }}
            rowClassName={(item) => (item.overdue ? 'overdue-row' : '')}
            onRow={(item) =>
              ({
                'data-testid': 'queue-item',
                'data-overdue': String(item.overdue),
              }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: t('filing.product'),
                key: 'product',
                render: (_, item) => (
                  <Link to={`/filings/${item.id}`}>
                    {item.product !== null ? pick(item.product.name, item.product.nameEn) : item.productId}
                  </Link>
                ),
              },
              {
                title: t('product.tier'),
                key: 'tier',
                render: (_, item) => <TierTag tier={item.product?.tier ?? item.tier} />,
              },
              {
                title: t('filing.kind'),
                key: 'kind',
                render: (_, item) => t(`filingKind.${item.kind}`, { defaultValue: item.kind }),
              },
              { title: t('filing.status'), key: 'status', render: (_, item) => <StatusTag status={item.status} /> },
              {
                title: t('filing.submittedAt'),
                key: 'submittedAt',
                render: (_, item) => formatDate(item.submittedAt, language),
              },
              {
                title: t('filing.dueDate'),
                key: 'dueDate',
                render: (_, item) => (
                  <span style={item.overdue ? { color: '#cf1322', fontWeight: 600 } : undefined}>
                    <DueDate date={item.dueDate} provisional={item.dueDateProvisional} testId="queue-due-date" />
                  </span>
                ),
              },
              {
                title: t('review.daysLeft'),
                key: 'workingDaysLeft',
                render: (_, item) =>
                  item.overdue ? (
                    <Tag className={toneClass('red')} data-testid="overdue-tag">
                      {t('review.overdue')}
                      {item.workingDaysLeft !== null && item.workingDaysLeft < 0
                        ? ` ${t('review.daysOverdue', { count: -item.workingDaysLeft })}`
                        : ''}
                    </Tag>
                  ) : item.workingDaysLeft === null ? (
                    '—'
                  ) : (
                    t('review.workingDaysLeft', { count: item.workingDaysLeft })
                  ),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
