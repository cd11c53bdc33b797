import { Button, Empty, Typography } from 'antd';
import type { PublicProduct } from '../../api/types.ts';
import { QueryState } from '../../components/query-state.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import { useRegisterSearch, type RegisterSearch } from './hooks.ts';
import { ResultItem } from './result-item.tsx';

/** Register results with their count and cursor paging ("load more"). */
export function ResultList({ search, showCount = true }: { search: RegisterSearch; showCount?: boolean }) {
  const { t } = useI18n();
  const catalogue = useCatalogueLabels();
  const results = useRegisterSearch(search);
  const pages = results.data?.pages ?? [];
  const items: PublicProduct[] = pages.flatMap((page) => page.items);
  const total = pages[0]?.total;

  if (results.isLoading || (results.error !== null && results.data === undefined)) {
    return (
      <QueryState
        isLoading={results.isLoading}
        error={results.error}
        onRetry={() => void results.refetch()}
        notFoundTitle={t('search.unavailable')}
      />
    );
  }
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" className="visually-hidden">
        {t('search.resultsHeading')}
      </h2>
      {showCount ? (
        <Typography.Paragraph data-testid="result-count" data-count={total ?? items.length} aria-live="polite">
          {total !== undefined
            ? t('search.totalCount', { count: total })
            : results.hasNextPage
              ? t('search.shownCountMore', { count: items.length })
              : t('search.totalCount', { count: items.length })}
        </Typography.Paragraph>
      ) : null}
      {items.length === 0 ? (
        <Empty description={t('search.noResults')} />
      ) : (
        <ol className="result-list" data-testid="result-list">
          {items.map((product) => (
            <ResultItem key={product.id} product={product} catalogueName={catalogue.name} />
          ))}
        </ol>
      )}
      {results.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button
            onClick={() => void results.fetchNextPage()}
            loading={results.isFetchingNextPage}
            data-testid="load-more"
          >
            {t('search.loadMore')}
          </Button>
        </div>
      ) : null}
      {results.isFetchNextPageError ? <QueryState isLoading={false} error={results.error} /> : null}
    </section>
  );
}
