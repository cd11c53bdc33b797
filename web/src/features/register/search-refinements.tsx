import { DownloadOutlined } from '@ant-design/icons';
import { useId } from 'react';
import { PUBLIC_STATUSES, SEARCH_SORTS } from '@domain/register.ts';
import { useI18n } from '../../i18n/index.ts';
import type { RegisterSearch } from './hooks.ts';

type Refinement = 'status' | 'listedFrom' | 'listedTo' | 'sort';

/**
 * Narrowing and ordering a register search — status, listing dates (Shenzhen days), newest
 * first — plus the whole register as open data. Native controls: light on the public pages,
 * and every change is a new shareable URL.
 */
export function SearchRefinements({
  search,
  onChange,
}: {
  search: RegisterSearch;
  onChange: (search: RegisterSearch) => void;
}) {
  const { t } = useI18n();
  const ids = useId();
  const set = (key: Refinement, value: string) => onChange({ ...search, [key]: value === '' ? undefined : value });
  return (
    <div className="search-refinements" data-testid="search-refinements">
      <label htmlFor={`${ids}-status`}>
        {t('search.statusLabel')}
        <select
          id={`${ids}-status`}
          value={search.status ?? ''}
          onChange={(event) => set('status', event.target.value)}
          data-testid="search-status"
        >
          <option value="">{t('search.anyStatus')}</option>
          {PUBLIC_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${ids}-from`}>
        {t('search.listedFrom')}
        <input
          id={`${ids}-from`}
          type="date"
          value={search.listedFrom ?? ''}
          max={search.listedTo}
          onChange={(event) => set('listedFrom', event.target.value)}
          data-testid="search-listed-from"
        />
      </label>
      <label htmlFor={`${ids}-to`}>
        {t('search.listedTo')}
        <input
          id={`${ids}-to`}
          type="date"
          value={search.listedTo ?? ''}
          min={search.listedFrom}
          onChange={(event) => set('listedTo', event.target.value)}
          data-testid="search-listed-to"
        />
      </label>
      <label htmlFor={`${ids}-sort`}>
        {t('search.sortLabel')}
        <select
          id={`${ids}-sort`}
          value={search.sort ?? 'relevance'}
          onChange={(event) => set('sort', event.target.value === 'relevance' ? '' : event.target.value)}
          data-testid="search-sort"
        >
          {SEARCH_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`search.sort.${sort}`)}
            </option>
          ))}
        </select>
      </label>
      <span className="search-exports">
        <DownloadOutlined aria-hidden="true" /> {t('search.exportLabel')}{' '}
        <a href="/api/v1/public/products.csv" download data-testid="export-csv">
          CSV
        </a>{' '}
        ·{' '}
        <a href="/api/v1/public/products.json" download data-testid="export-json">
          JSON
        </a>
      </span>
    </div>
  );
}
