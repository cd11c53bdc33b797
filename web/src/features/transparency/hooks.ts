import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { PublicKey, ResponseOf } from '../../api/types.ts';

export function useCheckpoint() {
  return useQuery({
    queryKey: ['public', 'transparency', 'checkpoint'],
    queryFn: () => api<string>('/transparency/checkpoint', { headers: { Accept: 'text/plain' } }),
  });
}

export function usePublicKey() {
  return useQuery({
    queryKey: ['public', 'transparency', 'public-key'],
    queryFn: () => api<PublicKey>('/transparency/public-key'),
    staleTime: 60 * 60_000,
  });
}

export type LogEntries = ResponseOf<'getTransparencyEntries'>;
export type InclusionProof = ResponseOf<'getTransparencyProofsInclusion'>;

export async function fetchEntry(leafIndex: number): Promise<LogEntries['entries'][number] | undefined> {
  const { entries } = await api<LogEntries>('/transparency/entries', {
    query: { start: leafIndex, end: leafIndex + 1 },
  });
  return entries.find((entry) => entry.leafIndex === leafIndex) ?? entries[0];
}

export async function fetchInclusionProof(leafIndex: number, treeSize: number): Promise<InclusionProof> {
  return api<InclusionProof>('/transparency/proofs/inclusion', { query: { leafIndex, treeSize } });
}
