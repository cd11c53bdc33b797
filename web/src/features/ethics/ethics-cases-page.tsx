import { Card, Segmented, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { EthicsCaseSummary } from '../../api/types.ts';
import { DueDate } from '../../components/due-date.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { EthicsStatusTag } from './ethics-tags.tsx';
import { useEthicsCases } from './hooks.ts';

/** The committee's cases by due date (members, secretary, reviewers, administrators). */
export function EthicsCasesPage() {
  const { t, language, pick } = useI18n();
  const [status, setStatus] = useState<'open' | 'decided' | 'all'>('open');
  const cases = useEthicsCases(status === 'all' ? {} : { status });
  return (
    <>
      <PageHeading title={t('ethics.casesTitle')} subtitle={t('ethics.casesSubtitle')} />
      <Card>
        <Segmented
          value={status}
          onChange={(value) => setStatus(value as typeof status)}
          options={[
            { value: 'open', label: t('ethics.status.open') },
            { value: 'decided', label: t('ethics.status.decided') },
            { value: 'all', label: t('common.all') },
          ]}
          style={{ marginBottom: 16 }}
        />
        {cases.data === undefined ? (
          <QueryState isLoading={cases.isLoading} error={cases.error} onRetry={() => void cases.refetch()} />
        ) : (
          <Table<EthicsCaseSummary>
            rowKey="id"
            dataSource={cases.data.items}
            pagination={false}
            data-testid="ethics-cases"
            columns={[
              {
                title: t('ethics.subject'),
                render: (_, c) => <Link to={`/ethics/cases/${c.id}`}>{pick(c.subject.name, c.subject.nameEn)}</Link>,
              },
              { title: t('ethics.subjectType'), render: (_, c) => t(`ethics.subjectTypes.${c.subjectType}`) },
              { title: t('ethics.referredAt'), render: (_, c) => formatDate(c.referredAt, language) },
              {
                title: t('ethics.dueDate'),
                render: (_, c) => <DueDate date={c.dueDate} provisional={c.dueDateProvisional} />,
              },
              { title: t('ethics.votesCast'), dataIndex: 'votesCast' },
              {
                title: t('ethics.statusLabel'),
                render: (_, c) => <EthicsStatusTag status={c.status} outcome={c.outcome} />,
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
