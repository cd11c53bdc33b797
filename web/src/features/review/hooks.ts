import { useQuery } from '@tanstack/react-query';
import { api, toPage } from '../../api/client.ts';
import type { Page, QueueItem, ReviewStats } from '../../api/types.ts';

/** Filings waiting for a reviewer, overdue first (the server orders them). */
export function useReviewQueue() {
  return useQuery({
    queryKey: ['review', 'queue'],
    queryFn: async () => toPage(await api<Page<QueueItem> | QueueItem[]>('/review/queue', { query: { limit: 200 } })),
    refetchInterval: 60_000,
  });
}

export function useReviewStats() {
  return useQuery({
    queryKey: ['review', 'stats'],
    queryFn: () => api<ReviewStats>('/review/stats'),
  });
}
