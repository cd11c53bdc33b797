import { PlusOutlined } from '@ant-design/icons';
import { Card, Empty, Table, Typography } from 'antd';
import { DueDate } from '../../components/due-date.tsx';
import { Link } from 'react-router';
import type { FilingListItem, Product } from '../../api/types.ts';
import { ButtonLink } from '../../components/button-link.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import { useOrganizationVerified } from '../identity/hooks.ts';
import { NotificationsCard } from '../notifications/notifications-card.tsx';
import { useFilingsOfProducts, useProducts } from './hooks.ts';

interface FilingRow extends FilingListItem {
  productName: string;
}

const OPEN_STATUSES = new Set(['draft', 'submitted', 'under_review', 'information_requested']);

/** A provider's home: its products, the filings on the statutory clock, and notifications. */
export function ProviderDashboardPage() {
  const { t, language, pick } = useI18n();
  const catalogue = useCatalogueLabels();
  const products = useProducts();
  const items = products.data?.items ?? [];
  const filingQueries = useFilingsOfProducts(items.map((product) => product.id));
  const verified = useOrganizationVerified();

  const filings: FilingRow[] = filingQueries
    .flatMap((query, index) => {
      const product = items[index];
      return (query.data?.items ?? []).map((filing) => ({
        ...filing,
        productName: product === undefined ? '' : pick(product.name, product.nameEn),
      }));
    })
    .sort((a, b) => {
      // Open filings first, the nearest due date first among them.
      const openA = OPEN_STATUSES.has(a.status) ? 0 : 1;
      const openB = OPEN_STATUSES.has(b.status) ? 0 : 1;
      if (openA !== openB) return openA - openB;
      return (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999');
    });
  const filingsLoading = filingQueries.some((query) => query.isLoading);

  return (
    <>
      <PageHeading
        title={t('provider.title')}
        subtitle={t('provider.subtitle')}
        extra={
          <ButtonLink
            type="primary"
            icon={<PlusOutlined aria-hidden="true" />}
            to="/provider/products/new"
            data-testid="new-product"
            disabled={verified !== true}
            title={verified === false ? t('organizationBanner.waitsForVerification') : undefined}
          >
            {t('provider.newProduct')}
          </ButtonLink>
        }
      />
      <Card title={<h2 className="card-heading">{t('provider.productsHeading')}</h2>} style={{ marginBottom: 16 }}>
        {products.data === undefined ? (
          <QueryState isLoading={products.isLoading} error={products.error} onRetry={() => void products.refetch()} />
        ) : items.length === 0 ? (
          <Empty description={t('provider.noProducts')} />
        ) : (
          <Table<Product>
            rowKey="id"
            dataSource={items}
            pagination={false}
            scroll={{ x: 720 }}
            data-testid="provider-products"
            columns={[
              {
                title: t('product.name'),
                key: 'name',
                render: (_, product) => (
                  <Link to={`/provider/products/${product.id}`}>{pick(product.name, product.nameEn)}</Link>
                ),
              },
              { title: t('product.tier'), key: 'tier', render: (_, product) => <TierTag tier={product.tier} /> },
              {
                title: t('product.status'),
                key: 'status',
                render: (_, product) => <StatusTag status={product.status} />,
              },
              {
                title: t('product.catalogue'),
                key: 'catalogue',
                render: (_, product) => `${product.catalogueCode} ${catalogue.name(product.catalogueCode)}`,
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, product) => <Link to={`/provider/products/${product.id}/edit`}>{t('action.edit')}</Link>,
              },
            ]}
          />
        )}
      </Card>
      <Card title={<h2 className="card-heading">{t('provider.filingsHeading')}</h2>} style={{ marginBottom: 16 }}>
        {filingsLoading ? (
          <QueryState isLoading error={null} rows={2} />
        ) : filings.length === 0 ? (
          <Typography.Text type="secondary">{t('provider.noFilings')}</Typography.Text>
        ) : (
          <Table<FilingRow>
            rowKey="id"
            dataSource={filings}
            pagination={false}
            scroll={{ x: 720 }}
            data-testid="provider-filings"
            columns={[
              {
                title: t('filing.product'),
                key: 'product',
                render: (_, filing) => <Link to={`/filings/${filing.id}`}>{filing.productName}</Link>,
              },
              {
                title: t('filing.kind'),
                key: 'kind',
                render: (_, filing) => t(`filingKind.${filing.kind}`, { defaultValue: filing.kind }),
              },
              { title: t('filing.status'), key: 'status', render: (_, filing) => <StatusTag status={filing.status} /> },
              {
                title: t('filing.submittedAt'),
                key: 'submittedAt',
                render: (_, filing) => formatDate(filing.submittedAt, language),
              },
              {
                title: t('filing.dueDate'),
                key: 'dueDate',
                render: (_, filing) => <DueDate date={filing.dueDate} provisional={filing.dueDateProvisional} />,
              },
            ]}
          />
        )}
      </Card>
      <NotificationsCard />
    </>
  );
}
