import { Card, Descriptions, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Filing, FilingListItem } from '../../api/types.ts';
import { DueDate } from '../../components/due-date.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { RiskReasons } from '../../components/risk-reasons.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import { useOrganization } from '../identity/hooks.ts';
import { productFilingsQuery, useProduct } from '../products/hooks.ts';

/**
 * What a reviewer needs beside the filing to decide it (issue #19 item 2): who provides the
 * product, what it is and is for, why it has its tier, and its earlier filings.
 */
export function ReviewContext({ filing }: { filing: Filing }) {
  const { t, pick, language } = useI18n();
  const catalogue = useCatalogueLabels();
  const product = useProduct(filing.productId);
  const organization = useOrganization(filing.organizationId);
  const history = useQuery(productFilingsQuery(filing.productId));
  const current = product.data?.product;
  const org = organization.data;
  const earlier = (history.data?.items ?? []).filter((item) => item.id !== filing.id);

  return (
    <Card
      title={<h2 className="card-heading">{t('reviewContext.heading')}</h2>}
      style={{ marginBottom: 16 }}
      data-testid="review-context"
    >
      {current === undefined ? (
        <QueryState isLoading={product.isLoading} error={product.error} />
      ) : (
        <>
          <Descriptions
            column={{ xs: 1, md: 2 }}
            items={[
              {
                key: 'provider',
                label: t('product.provider'),
                children:
                  org === undefined ? (
                    '—'
                  ) : (
                    <span data-testid="review-provider">
                      {pick(org.name, org.nameEn)} · <span className="mono">{org.uscc}</span>
                    </span>
                  ),
              },
              {
                key: 'catalogue',
                label: t('product.catalogue'),
                children: `${current.catalogueCode} ${catalogue.name(current.catalogueCode)}`,
              },
              {
                key: 'product',
                label: t('filing.product'),
                children:
                  current.status === 'draft' ? (
                    pick(current.name, current.nameEn)
                  ) : (
                    <Link to={`/products/${current.id}`}>{pick(current.name, current.nameEn)}</Link>
                  ),
              },
              { key: 'tier', label: t('product.tier'), children: <TierTag tier={current.tier} /> },
            ]}
          />
          <Typography.Title level={3} style={{ fontSize: 15, marginTop: 12 }}>
            {t('product.description')}
          </Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="review-description">
            {current.description}
          </Typography.Paragraph>
          <Typography.Title level={3} style={{ fontSize: 15 }}>
            {t('product.intendedUse')}
          </Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{current.intendedUse}</Typography.Paragraph>
          <Typography.Title level={3} style={{ fontSize: 15 }}>
            {t('reviewContext.riskReasons')}
          </Typography.Title>
          <RiskReasons reasons={current.riskReasons} />
        </>
      )}
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 12 }}>
        {t('reviewContext.history')}
      </Typography.Title>
      {earlier.length === 0 ? (
        <Typography.Text type="secondary">{t('reviewContext.noHistory')}</Typography.Text>
      ) : (
        <Table<FilingListItem>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={earlier}
          data-testid="review-history"
          columns={[
            {
              title: t('filing.kind'),
              key: 'kind',
              render: (_, item) => (
                <Link to={`/filings/${item.id}`}>{t(`filingKind.${item.kind}`, { defaultValue: item.kind })}</Link>
              ),
            },
            { title: t('product.status'), key: 'status', render: (_, item) => <StatusTag status={item.status} /> },
            {
              title: t('filing.submittedAt'),
              key: 'submittedAt',
              render: (_, item) => formatDate(item.submittedAt, language),
            },
            {
              title: t('filing.dueDate'),
              key: 'dueDate',
              render: (_, item) => <DueDate date={item.dueDate} provisional={item.dueDateProvisional} />,
            },
          ]}
        />
      )}
    </Card>
  );
}
