import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, ifMatch, toPage } from '../../api/client.ts';
import type { Filing, FilingListItem, Page, Product, RequestBodyOf, RiskAnswers } from '../../api/types.ts';

export interface ProductInput {
  name: string;
  nameEn?: string;
  description: string;
  catalogueCode: string;
  /** The product's own release version (e.g. "2.1"), as the contract names it in the body. */
  version: string;
  intendedUse: string;
  riskAnswers: RiskAnswers;
}

/** The own organisation's products. */
export function useProducts() {
  return useQuery({
    queryKey: ['products'],
    queryFn: async () => toPage(await api<Page<Product> | Product[]>('/products', { query: { limit: 200 } })),
  });
}

/** A product with its ETag, for `If-Match` on edits. */
export function useProduct(id: string | undefined) {
  return useQuery({
    queryKey: ['products', id],
    queryFn: async () => {
      const response = await apiRequest<Product>(`/products/${encodeURIComponent(id ?? '')}`);
      return { product: response.data, etag: response.headers.get('etag') };
    },
    enabled: id !== undefined,
  });
}

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProductInput) => api<Product>('/products', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['products'] }),
  });
}

export function useUpdateProduct(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      input,
      etag,
      version,
    }: {
      input: ProductInput;
      etag: string | null;
      version: number | string | undefined;
    }) =>
      api<Product>(`/products/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: input,
        headers: ifMatch(etag, version),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['products'] }),
  });
}

export function productFilingsQuery(productId: string) {
  return {
    queryKey: ['products', productId, 'filings'],
    queryFn: async () =>
      toPage(
        await api<Page<FilingListItem> | FilingListItem[]>(`/products/${encodeURIComponent(productId)}/filings`, {
          query: { limit: 200 },
        }),
      ),
  };
}

export function useProductFilings(productId: string | undefined) {
  return useQuery({ ...productFilingsQuery(productId ?? ''), enabled: productId !== undefined });
}

/** Filings of many products at once, for the dashboard's overview of due dates. */
export function useFilingsOfProducts(productIds: string[]) {
  return useQueries({ queries: productIds.map((id) => productFilingsQuery(id)) });
}

export function useCreateFiling(productId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBodyOf<'postProductsByIdFilings'>) =>
      api<Filing>(`/products/${encodeURIComponent(productId)}/filings`, { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['products', productId, 'filings'] }),
  });
}
