import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Select } from 'antd';
import { useEffect, useId, useState } from 'react';
import { RISK_TIERS } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import type { RegisterSearch } from './hooks.ts';

/** The register search box: free text (Chinese or English), tier and catalogue filters. */
export function SearchForm({
  initial,
  onSearch,
  size = 'large',
}: {
  initial: RegisterSearch;
  onSearch: (search: RegisterSearch) => void;
  size?: 'large' | 'middle';
}) {
  const { t } = useI18n();
  const ids = useId();
  const catalogue = useCatalogueLabels();
  const [q, setQ] = useState(initial.q ?? '');
  const [tier, setTier] = useState<string | undefined>(initial.tier);
  const [catalogueCode, setCatalogueCode] = useState<string | undefined>(initial.catalogueCode);

  // Back/forward navigation changes the URL: keep the form in step with it.
  useEffect(() => {
    setQ(initial.q ?? '');
    setTier(initial.tier);
    setCatalogueCode(initial.catalogueCode);
  }, [initial.q, initial.tier, initial.catalogueCode]);

  return (
    <form
      role="search"
      className="search-form"
      aria-label={t('search.formLabel')}
      onSubmit={(event) => {
        event.preventDefault();
        onSearch({ ...initial, q: q.trim() || undefined, tier, catalogueCode });
      }}
    >
      <label htmlFor={`${ids}-q`} className="visually-hidden">
        {t('search.queryLabel')}
      </label>
      <Input
        id={`${ids}-q`}
        type="search"
        size={size}
        className="search-input"
        allowClear
        placeholder={t('search.placeholder')}
        value={q}
        onChange={(event) => setQ(event.target.value)}
        data-testid="search-input"
        autoComplete="off"
        enterKeyHint="search"
      />
      <Select
        className="tier-select"
        size={size}
        allowClear
        aria-label={t('search.tierLabel')}
        placeholder={t('search.anyTier')}
        value={tier}
        onChange={(value: string | undefined) => setTier(value)}
        options={RISK_TIERS.filter((value) => value !== 'prohibited').map((value) => ({
          value,
          label: t(`tier.${value}`),
        }))}
        data-testid="search-tier"
      />
      <Select
        className="catalogue-select"
        size={size}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        aria-label={t('search.catalogueLabel')}
        placeholder={t('search.anyCatalogue')}
        value={catalogueCode}
        onChange={(value: string | undefined) => setCatalogueCode(value)}
        options={catalogue.flatOptions}
        popupMatchSelectWidth={false}
        data-testid="search-catalogue"
      />
      <Button
        type="primary"
        htmlType="submit"
        size={size}
        icon={<SearchOutlined aria-hidden="true" />}
        data-testid="search-submit"
      >
        {t('search.submit')}
      </Button>
    </form>
  );
}
