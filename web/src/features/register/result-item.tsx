import { Card } from 'antd';
import { Link } from 'react-router';
import type { PublicProduct } from '../../api/types.ts';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';

/** One register entry in a result list. */
export function ResultItem({
  product,
  catalogueName,
}: {
  product: PublicProduct;
  catalogueName: (code: string) => string;
}) {
  const { t, language, pick, isEn } = useI18n();
  const title = pick(product.name, product.nameEn);
  const otherName = isEn ? product.name : product.nameEn;
  return (
    <li data-testid="result-item" data-product-id={product.id}>
      <Card className="result-item" size="small">
        <div style={{ display: 'flex', gap: 8, alignItems: 'baseline', flexWrap: 'wrap' }}>
          <Link to={`/products/${encodeURIComponent(product.id)}`} className="result-title" data-testid="result-link">
            {title}
          </Link>
          {otherName !== null && otherName !== undefined && otherName !== title ? (
            <span style={{ color: '#6b7280' }} lang={isEn ? 'zh-CN' : 'en'}>
              {otherName}
            </span>
          ) : null}
          <span style={{ marginInlineStart: 'auto' }}>
            <TierTag tier={product.tier} />
            <StatusTag status={product.status} />
          </span>
        </div>
        <p style={{ margin: '8px 0 0', color: '#374151' }}>{product.description}</p>
        <div className="result-meta">
          <span>
            {t('product.provider')}
            {t('common.colon')}
            {pick(product.provider.name, product.provider.nameEn)}{' '}
            <span className="mono">({product.provider.uscc})</span>
          </span>
          <span>
            {t('product.catalogue')}
            {t('common.colon')}
            {product.catalogueCode} {catalogueName(product.catalogueCode)}
          </span>
          {product.decidedAt !== null ? (
            <span>
              {t('product.decidedAt')}
              {t('common.colon')}
              {formatDate(product.decidedAt, language)}
            </span>
          ) : null}
          {product.logIndex !== null && product.logIndex !== undefined ? (
            <span data-testid="log-index" data-log-index={product.logIndex}>
              {t('product.logIndex', { index: product.logIndex })}
            </span>
          ) : null}
        </div>
      </Card>
    </li>
  );
}
