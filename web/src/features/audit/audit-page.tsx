import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Form, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '@domain/audit.ts';
import { addCalendarDays } from '@domain/civil-date.ts';
import { api, toPage } from '../../api/client.ts';
import type { AuditEvent, Page } from '../../api/types.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useUsers } from '../identity/hooks.ts';
import { actorName, auditActionLabel, resourcePath, shanghaiDayStart, summaryLines } from './audit-labels.ts';

interface AuditFilter {
  action?: string;
  resourceType?: string;
  actorId?: string;
  /** RFC 3339: from is inclusive, to exclusive (the API's bounds). */
  from?: string;
  to?: string;
}

interface FilterValues {
  action?: string;
  resourceType?: string;
  actorId?: string;
  days?: [Dayjs | null, Dayjs | null] | null;
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
  for (const [key, value] of Object.entries(filter)) if (typeof value === 'string') params.set(key, value);
  const query = params.toString();
  return `/api/v1/audit/export.csv${query === '' ? '' : `?${query}`}`;
}

function filterOf(values: FilterValues): AuditFilter {
  const [fromDay, toDay] = values.days ?? [null, null];
  return {
    action: values.action,
    resourceType: values.resourceType,
    actorId: values.actorId,
    from: fromDay ? shanghaiDayStart(fromDay.format('YYYY-MM-DD')) : undefined,
    to: toDay ? shanghaiDayStart(addCalendarDays(toDay.format('YYYY-MM-DD'), 1)) : undefined,
  };
}

/** The append-only, hash-chained audit trail of every state change, in the reader's language. */
export function AuditPage() {
  const { t, language } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const events = useAuditEvents(filter);
  const users = useUsers();
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
        <Form<FilterValues>
          layout="inline"
          onFinish={(values) => setFilter(filterOf(values))}
          style={{ marginBottom: 16, rowGap: 8 }}
          data-testid="audit-filters"
        >
          <Form.Item name="action" label={t('audit.action')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.anyAction')}
              style={{ width: 220 }}
              popupMatchSelectWidth={false}
              data-testid="audit-action-filter"
              options={AUDIT_ACTIONS.map((action) => ({ value: action, label: auditActionLabel(t, action) }))}
            />
          </Form.Item>
          <Form.Item name="resourceType" label={t('audit.resourceType')}>
            <Select
              allowClear
              placeholder={t('audit.anyResource')}
              style={{ width: 160 }}
              options={AUDIT_RESOURCE_TYPES.map((type) => ({ value: type, label: t(`auditResource.${type}`) }))}
            />
          </Form.Item>
          <Form.Item name="actorId" label={t('audit.actor')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.anyActor')}
              style={{ width: 200 }}
              popupMatchSelectWidth={false}
              options={(users.data?.items ?? []).map((user) => ({
                value: user.id,
                label: `${user.name} (${user.email})`,
              }))}
            />
          </Form.Item>
          <Form.Item name="days" label={t('audit.days')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
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
              scroll={{ x: 1000 }}
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
                {
                  title: t('audit.actor'),
                  key: 'actor',
                  width: 160,
                  render: (_, event) =>
                    event.actorId === null ? (
                      actorName(t, event)
                    ) : (
                      <Button
                        type="link"
                        size="small"
                        style={{ padding: 0 }}
                        title={t('audit.filterByActor')}
                        onClick={() => setFilter({ actorId: event.actorId ?? undefined })}
                      >
                        {actorName(t, event)}
                      </Button>
                    ),
                },
                {
                  title: t('audit.action'),
                  key: 'action',
                  width: 190,
                  render: (_, event) => <span data-action={event.action}>{auditActionLabel(t, event.action)}</span>,
                },
                {
                  title: t('audit.resource'),
                  key: 'resource',
                  width: 150,
                  render: (_, event) => {
                    const label = t(`auditResource.${event.resourceType}`, { defaultValue: t('audit.otherResource') });
                    const path = resourcePath(event);
                    return path === undefined ? label : <Link to={path}>{label}</Link>;
                  },
                },
                {
                  title: t('audit.summary'),
                  key: 'summary',
                  render: (_, event) => (
                    <ul className="audit-summary" data-testid="audit-summary">
                      {summaryLines(event.summary).map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                    </ul>
                  ),
                },
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
