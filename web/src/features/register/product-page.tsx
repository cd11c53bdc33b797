import { Alert, Card, Descriptions, Empty, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import type { PublicDecision } from '../../api/types.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import { useRegisterEntry } from './hooks.ts';
import { searchToPath } from './search-params.ts';

function DecisionItem({ decision }: { decision: PublicDecision }) {
  const { t, language } = useI18n();
  return (
    <div data-testid="decision-history-item">
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        <StatusTag status={decision.outcome} />
        {decision.kind !== undefined ? (
          <span>{t(`filingKind.${decision.kind}`, { defaultValue: decision.kind })}</span>
        ) : null}
        <span style={{ color: '#6b7280' }}>{formatDateTime(decision.decidedAt, language)}</span>
        {decision.logIndex !== null && decision.logIndex !== undefined ? (
          <span className="mono">{t('product.logIndex', { index: decision.logIndex })}</span>
        ) : null}
      </div>
      {decision.reasons !== undefined && decision.reasons !== '' ? (
        <Typography.Paragraph style={{ margin: '6px 0 0' }}>{decision.reasons}</Typography.Paragraph>
      ) : null}
      {decision.legalBasis !== undefined && decision.legalBasis !== null && decision.legalBasis !== '' ? (
        <div style={{ color: '#4b5563' }}>
          {t('decision.legalBasis')}
          {t('common.colon')}
          {decision.legalBasis}
        </div>
      ) : null}
      {decision.conditions !== undefined && decision.conditions !== null && decision.conditions.length > 0 ? (
        <div>
          {t('decision.conditions')}:
          <ul style={{ margin: 0 }}>
            {decision.conditions.map((condition) => (
              <li key={condition}>{condition}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** A register entry: what the product is, who provides it, its tier and why, and its public decisions. */
export function ProductPage() {
  const { id } = useParams();
  const { t, language, pick, isEn } = useI18n();
  const catalogue = useCatalogueLabels();
  const entry = useRegisterEntry(id);
  const product = entry.data;

  if (product === undefined) {
    return (
      <>
        {entry.isLoading ? null : <PageHeading title={t('product.notFound')} />}
        <QueryState isLoading={entry.isLoading} error={entry.error} notFoundTitle={t('product.notFoundDetail')} />
      </>
    );
  }

  const title = pick(product.name, product.nameEn);
  const otherName = isEn ? product.name : product.nameEn;
  const decisions = product.decisions ?? [];
  const origin = window.location.origin;

  return (
    <>
      <PageHeading
        title={title}
        subtitle={otherName !== title && otherName ? <span lang={isEn ? 'zh-CN' : 'en'}>{otherName}</span> : undefined}
        extra={<TierTag tier={product.tier} large />}
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2 }}
          items={[
            {
              key: 'provider',
              label: t('product.provider'),
              children: (
                <span>
                  {pick(product.provider.name, product.provider.nameEn)}{' '}
                  <Link to={searchToPath({ providerUscc: product.provider.uscc })} className="mono">
                    {product.provider.uscc}
                  </Link>
                </span>
              ),
            },
            {
              key: 'catalogue',
              label: t('product.catalogue'),
              children: `${product.catalogueCode} ${catalogue.name(product.catalogueCode)}`,
            },
            { key: 'status', label: t('product.status'), children: <StatusTag status={product.status} /> },
            { key: 'decidedAt', label: t('product.decidedAt'), children: formatDate(product.decidedAt, language) },
          ]}
        />
        <Typography.Title level={2} style={{ fontSize: 15, marginTop: 16 }}>
          {t('product.description')}
        </Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{product.description}</Typography.Paragraph>
      </Card>

      <Card title={<h2 className="card-heading">{t('product.tierHeading')}</h2>} style={{ marginBottom: 16 }}>
        <p>
          <TierTag tier={product.tier} /> {t(`tierExplain.${product.tier}`, { defaultValue: '' })}
        </p>
        {product.rulesetVersion !== undefined ? (
          <p style={{ color: '#6b7280', marginTop: 8 }}>
            {t('risk.rulesetVersion', { version: product.rulesetVersion })}
          </p>
        ) : null}
      </Card>

      <Card title={<h2 className="card-heading">{t('product.decisionsHeading')}</h2>} style={{ marginBottom: 16 }}>
        {decisions.length === 0 ? (
          <Empty description={t('product.noDecisions')} />
        ) : (
          <ol className="decision-list">
            {decisions.map((decision, index) => (
              <li key={`${decision.logIndex}-${index}`}>
                <DecisionItem decision={decision} />
              </li>
            ))}
          </ol>
        )}
      </Card>

      <Card title={<h2 className="card-heading">{t('product.logHeading')}</h2>}>
        {product.logIndex !== null && product.logIndex !== undefined ? (
          <>
            <Alert
              type="success"
              showIcon
              title={
                <span data-testid="log-index" data-log-index={product.logIndex}>
                  {t('product.verifiedInLog', { index: product.logIndex })}
                </span>
              }
              description={t('product.verifiedInLogDetail')}
              style={{ marginBottom: 12 }}
            />
            <Typography.Paragraph>{t('product.verifyHowTo')}</Typography.Paragraph>
            <pre className="note" data-testid="verify-command">
              {`npx aigov verify-log --url ${origin} --product ${product.id}`}
            </pre>
            <Typography.Paragraph>{t('product.verifyManual')}</Typography.Paragraph>
            <ul>
              <li>
                <a href={`/api/v1/transparency/entries?start=${product.logIndex}&end=${product.logIndex + 1}`}>
                  {t('product.verifyEntry')}
                </a>
              </li>
              <li>
                <a href="/api/v1/transparency/checkpoint">{t('product.verifyCheckpoint')}</a>
              </li>
              <li>
                <Link to={`/transparency?leaf=${product.logIndex}`}>{t('product.verifyGuide')}</Link>
              </li>
            </ul>
          </>
        ) : (
          <Typography.Text type="secondary">{t('product.notInLogYet')}</Typography.Text>
        )}
      </Card>
    </>
  );
}
