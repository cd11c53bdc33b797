import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { DueDate } from '../../components/due-date.tsx';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import type { FilingListItem, RiskTier } from '../../api/types.ts';
import { ButtonLink } from '../../components/button-link.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { RiskReasons } from '../../components/risk-reasons.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { kindForTier, needsTransparencyMeasures } from '@domain/filings.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import { useCreateFiling, useProduct, useProductFilings } from './hooks.ts';

interface FilingValues {
  summary: string;
  transparencyMeasures?: string;
}

function NewFilingModal({
  productId,
  tier,
  open,
  onClose,
}: {
  productId: string;
  tier: RiskTier;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<FilingValues>();
  const create = useCreateFiling(productId);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const kind = kindForTier(tier);
  if (kind === undefined) return null;
  const needsTransparency = needsTransparencyMeasures(kind, tier);
  return (
    <Modal
      open={open}
      title={t('filing.newTitle', { kind: t(`filingKind.${kind}`) })}
      onCancel={onClose}
      okText={t('filing.createDraft')}
      okButtonProps={{ loading: create.isPending, htmlType: 'submit', form: 'new-filing-form' }}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{t(`filing.kindExplain.${kind}`)}</Typography.Paragraph>
      <Form<FilingValues>
        id="new-filing-form"
        form={form}
        layout="vertical"
        onFinish={(values) =>
          create.mutate(
            {
              kind,
              summary: values.summary.trim(),
              ...(values.transparencyMeasures?.trim()
                ? { transparencyMeasures: values.transparencyMeasures.trim() }
                : {}),
            },
            {
              onSuccess: (filing) => void navigate(`/filings/${filing.id}`),
              onError: (error) => setUnmatched(applyProblemToForm(form, error)),
            },
          )
        }
      >
        <Form.Item
          name="summary"
          label={t('filing.summary')}
          extra={t('filing.summaryHelp')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={5} maxLength={8000} showCount data-testid="filing-summary" />
        </Form.Item>
        {kind === 'disclosure' ? (
          <Form.Item
            name="transparencyMeasures"
            label={t('filing.transparencyMeasures')}
            extra={t('filing.transparencyMeasuresHelp')}
            rules={
              needsTransparency ? [{ required: true, whitespace: true, message: t('filing.transparencyRequired') }] : []
            }
          >
            <Input.TextArea rows={4} maxLength={8000} showCount data-testid="filing-transparency" />
          </Form.Item>
        ) : null}
        <ErrorAlert error={create.error} extra={unmatched} />
      </Form>
    </Modal>
  );
}

/** A provider's product: its data, tier and reasons, and its filings. */
export function ProductDetailPage() {
  const { id } = useParams();
  const { t, language, pick } = useI18n();
  const catalogue = useCatalogueLabels();
  const productQuery = useProduct(id);
  const filings = useProductFilings(id);
  const [filingOpen, setFilingOpen] = useState(false);
  const product = productQuery.data?.product;

  if (product === undefined || id === undefined) {
    return (
      <>
        <PageHeading title={t('product.detailTitle')} />
        <QueryState isLoading={productQuery.isLoading} error={productQuery.error} />
      </>
    );
  }
  const kind = kindForTier(product.tier);

  return (
    <>
      <PageHeading
        title={pick(product.name, product.nameEn)}
        extra={
          <Space wrap>
            <TierTag tier={product.tier} large />
            <ButtonLink to={`/provider/products/${id}/edit`}>{t('action.edit')}</ButtonLink>
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'status', label: t('product.status'), children: <StatusTag status={product.status} /> },
            {
              key: 'catalogue',
              label: t('product.catalogue'),
              children: `${product.catalogueCode} ${catalogue.name(product.catalogueCode)}`,
            },
            {
              key: 'version',
              label: t('product.productVersion'),
              children: String(product.productVersion ?? product.version),
            },
            { key: 'ruleset', label: t('product.rulesetVersion'), children: product.rulesetVersion ?? '—' },
          ]}
        />
        <Typography.Title level={2} style={{ fontSize: 15, marginTop: 16 }}>
          {t('product.description')}
        </Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{product.description}</Typography.Paragraph>
        <Typography.Title level={2} style={{ fontSize: 15 }}>
          {t('product.intendedUse')}
        </Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
          {product.intendedUse}
        </Typography.Paragraph>
      </Card>
      <Card title={<h2 className="card-heading">{t('product.tierHeading')}</h2>} style={{ marginBottom: 16 }}>
        <p>{t(`tierExplain.${product.tier}`, { defaultValue: '' })}</p>
        {product.riskReasons !== undefined && product.riskReasons.length > 0 ? (
          <RiskReasons reasons={product.riskReasons} />
        ) : (
          <Typography.Text type="secondary">{t('product.noReasons')}</Typography.Text>
        )}
      </Card>
      <Card
        title={<h2 className="card-heading">{t('provider.filingsHeading')}</h2>}
        extra={
          kind !== undefined ? (
            <Button
              type="primary"
              icon={<PlusOutlined aria-hidden="true" />}
              onClick={() => setFilingOpen(true)}
              data-testid="new-filing"
            >
              {t('filing.new', { kind: t(`filingKind.${kind}`) })}
            </Button>
          ) : null
        }
      >
        {kind === undefined ? (
          <Alert type="error" showIcon title={t('filing.prohibited')} style={{ marginBottom: 16 }} />
        ) : null}
        {filings.data === undefined ? (
          <QueryState isLoading={filings.isLoading} error={filings.error} rows={2} />
        ) : filings.data.items.length === 0 ? (
          <Empty description={t('provider.noFilings')} />
        ) : (
          <Table<FilingListItem>
            rowKey="id"
            dataSource={filings.data.items}
            pagination={false}
            scroll={{ x: 640 }}
            columns={[
              {
                title: t('filing.kind'),
                key: 'kind',
                render: (_, filing) => (
                  <Link to={`/filings/${filing.id}`}>
                    {t(`filingKind.${filing.kind}`, { defaultValue: filing.kind })}
                  </Link>
                ),
              },
              { title: t('filing.status'), key: 'status', render: (_, filing) => <StatusTag status={filing.status} /> },
              {
                title: t('filing.createdAt'),
                key: 'createdAt',
                render: (_, filing) => formatDateTime(filing.createdAt, language),
              },
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
      <NewFilingModal productId={id} tier={product.tier} open={filingOpen} onClose={() => setFilingOpen(false)} />
    </>
  );
}
