import { Card } from 'antd';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.ts';
import { ResultList } from './result-list.tsx';
import { SearchForm } from './search-form.tsx';
import { SearchRefinements } from './search-refinements.tsx';
import { searchFromParams, searchToPath } from './search-params.ts';

/** Register search results at a shareable URL: `/search?q=…&tier=…&catalogueCode=…`. */
export function SearchPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const search = useMemo(() => searchFromParams(params), [params]);
  return (
    <>
      <PageHeading
        title={search.q !== undefined ? t('search.titleFor', { q: search.q }) : t('search.title')}
        subtitle={t('search.subtitle')}
      />
      <Card style={{ marginBottom: 16 }}>
        <SearchForm initial={search} size="middle" onSearch={(next) => void navigate(searchToPath(next))} />
        <SearchRefinements search={search} onChange={(next) => void navigate(searchToPath(next))} />
      </Card>
      <ResultList search={search} />
    </>
  );
}
