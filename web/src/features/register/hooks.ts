import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page, PublicProduct, PublicProductDetail } from '../../api/types.ts';

export interface RegisterSearch {
  q?: string;
  tier?: string;
  catalogueCode?: string;
  providerUscc?: string;
  status?: string;
  listedFrom?: string;
  listedTo?: string;
  sort?: string;
}

export const REGISTER_PAGE_SIZE = 20;

/** The public register, a page at a time ("load more" follows `nextCursor`). */
export function useRegisterSearch(search: RegisterSearch) {
  return useInfiniteQuery({
    queryKey: ['public', 'register', search],
    queryFn: ({ pageParam, signal }) =>
      api<Page<PublicProduct>>('/public/products', {
        query: { ...search, limit: REGISTER_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRegisterEntry(id: string | undefined) {
  return useQuery({
    queryKey: ['public', 'register', 'entry', id],
    queryFn: () => api<PublicProductDetail>(`/public/products/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
  });
}
