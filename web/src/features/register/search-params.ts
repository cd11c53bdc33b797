import type { RegisterSearch } from './hooks.ts';

const KEYS = ['q', 'tier', 'catalogueCode', 'providerUscc', 'status', 'listedFrom', 'listedTo', 'sort'] as const;

/** The shareable `/search?q=…&tier=…` URL ⇄ a register search. */
export function searchFromParams(params: URLSearchParams): RegisterSearch {
  const search: RegisterSearch = {};
  for (const key of KEYS) {
    const value = params.get(key)?.trim();
    if (value !== undefined && value !== '') search[key] = value;
  }
  return search;
}

export function searchToPath(search: RegisterSearch): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = search[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const query = params.toString();
  return query === '' ? '/search' : `/search?${query}`;
}
