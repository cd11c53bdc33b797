import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../api/client.ts';
import type { EthicsCase, EthicsCaseSummary, EthicsVote, Page, PublicEthicsOpinion } from '../../api/types.ts';

export const ethicsKey = ['ethics'] as const;

/** The committee's cases by due date; `status` filters. */
export function useEthicsCases(filter: { status?: string; subjectType?: string; subjectId?: string }, enabled = true) {
  return useQuery({
    queryKey: [...ethicsKey, 'cases', filter],
    queryFn: () => api<Page<EthicsCaseSummary>>('/ethics/cases', { query: { ...filter, limit: 200 } }),
    enabled,
  });
}

export function useEthicsCase(id: string | undefined) {
  return useQuery({
    queryKey: [...ethicsKey, 'case', id ?? ''],
    queryFn: () => api<EthicsCase>(`/ethics/cases/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
  });
}

function useEthicsChanged() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ethicsKey }),
      queryClient.invalidateQueries({ queryKey: ['notifications'] }),
    ]);
  };
}

export function useDeclare(id: string) {
  const changed = useEthicsChanged();
  return useMutation({
    mutationFn: (input: { conflictOfInterest: boolean; statement: string }) =>
      api(`/ethics/cases/${encodeURIComponent(id)}/declarations`, {
        method: 'POST',
        body: input,
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      }),
    onSuccess: changed,
  });
}

export function useVote(id: string) {
  const changed = useEthicsChanged();
  return useMutation({
    mutationFn: (input: { vote: EthicsVote; comment: string }) =>
      api(`/ethics/cases/${encodeURIComponent(id)}/votes`, {
        method: 'POST',
        body: input,
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      }),
    onSuccess: changed,
  });
}

export function usePublishOpinion(id: string) {
  const changed = useEthicsChanged();
  return useMutation({
    mutationFn: (input: { publicSummary: string; conditions?: string[] }) =>
      api<EthicsCase>(`/ethics/cases/${encodeURIComponent(id)}/opinion`, {
        method: 'POST',
        body: input,
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      }),
    onSuccess: changed,
  });
}

export function usePublicOpinions() {
  return useQuery({
    queryKey: [...ethicsKey, 'public'],
    queryFn: () => api<Page<PublicEthicsOpinion>>('/public/ethics-opinions', { query: { limit: 200 } }),
  });
}
