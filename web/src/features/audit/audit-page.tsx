import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Form, Input, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { api, toPage } from '../../api/client.ts';
import type { AuditEvent, Page } from '../../api/types.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';

interface AuditFilter {
  action?: string;
  resourceType?: string;
}

function useAuditEvents(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: async ({ pageParam }) =>
      toPage(
        await api<Page<AuditEvent> | AuditEvent[]>('/audit', { query: { ...filter, limit: 100, cursor: pageParam } }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

function exportUrl(filter: AuditFilter): string {
  const params = new URLSearchParams();
  if (filter.action) params.set('action', filter.action);
  if (filter.resourceType) params.set('resourceType', filter.resourceType);
  const query = params.toString();
  return `/api/v1/audit/export.csv${query === '' ? '' : `?${query}`}`;
}

/** The append-only, hash-chained audit trail of every state change. */
export function AuditPage() {
  const { t, language } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const events = useAuditEvents(filter);
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeading
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        extra={
          <Button href={exportUrl(filter)} icon={<DownloadOutlined aria-hidden="true" />} data-testid="audit-export">
            {t('audit.export')}
          </Button>
        }
      />
      <Card>
        <Form
          layout="inline"
          onFinish={(values: AuditFilter) =>
            setFilter({
              action: values.action?.trim() || undefined,
              resourceType: values.resourceType?.trim() || undefined,
            })
          }
          style={{ marginBottom: 16, rowGap: 8 }}
        >
          <Form.Item name="action" label={t('audit.action')}>
            <Input placeholder="filing.decided" allowClear />
          </Form.Item>
          <Form.Item name="resourceType" label={t('audit.resourceType')}>
            <Input placeholder="filing" allowClear />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('audit.filter')}
            </Button>
          </Form.Item>
        </Form>
        {events.data === undefined ? (
          <QueryState isLoading={events.isLoading} error={events.error} onRetry={() => void events.refetch()} />
        ) : items.length === 0 ? (
          <Empty description={t('audit.empty')} />
        ) : (
          <>
            <Table<AuditEvent>
              rowKey="id"
              dataSource={items}
              pagination={false}
              size="small"
              scroll={{ x: 960 }}
              data-testid="audit-table"
              columns={[
                {
                  title: '#',
                  key: 'seq',
                  width: 80,
                  render: (_, event) =>
                    event.seq ?? (
                      <Tooltip title={t('audit.pendingHint')}>
                        <Tag data-testid="audit-pending">{t('audit.pending')}</Tag>
                      </Tooltip>
                    ),
                },
                {
                  title: t('audit.occurredAt'),
                  key: 'occurredAt',
                  width: 150,
                  render: (_, event) => formatDateTime(event.occurredAt, language),
                },
                { title: t('audit.actor'), dataIndex: 'actorLabel', key: 'actorLabel', width: 200, ellipsis: true },
                {
                  title: t('audit.action'),
                  key: 'action',
                  width: 190,
                  render: (_, event) => <span className="mono">{event.action}</span>,
                },
                {
                  title: t('audit.resource'),
                  key: 'resource',
                  width: 240,
                  ellipsis: true,
                  render: (_, event) => (
                    <span className="mono">
                      {event.resourceType}/{event.resourceId}
                    </span>
                  ),
                },
                { title: t('audit.summary'), dataIndex: 'summary', key: 'summary', width: 240 },
              ]}
            />
            <Space style={{ marginTop: 16 }}>
              {events.hasNextPage ? (
                <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                  {t('search.loadMore')}
                </Button>
              ) : null}
            </Space>
          </>
        )}
      </Card>
    </>
  );
}
