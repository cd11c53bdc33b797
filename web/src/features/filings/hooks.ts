import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, newIdempotencyKey } from '../../api/client.ts';
import type { Filing, FilingDocument, RequestBodyOf } from '../../api/types.ts';

export const filingKey = (id: string) => ['filings', id] as const;

/** A filing with its documents, information requests and decision, plus its ETag for `If-Match`. */
export function useFiling(id: string | undefined) {
  return useQuery({
    queryKey: filingKey(id ?? ''),
    queryFn: async () => {
      const response = await apiRequest<Filing>(`/filings/${encodeURIComponent(id ?? '')}`);
      return { filing: response.data, etag: response.headers.get('etag') };
    },
    enabled: id !== undefined,
  });
}

/** After any change to a filing: refetch it and every list it appears in. */
function useFilingChanged(id: string) {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: filingKey(id) }),
      queryClient.invalidateQueries({ queryKey: ['products'] }),
      queryClient.invalidateQueries({ queryKey: ['review'] }),
      queryClient.invalidateQueries({ queryKey: ['notifications'] }),
    ]);
  };
}

/**
 * Edits a draft's texts (`PATCH /filings/{id}` with `If-Match`), so a provider can fix what the
 * completeness check reports without starting a new draft.
 */
export function useUpdateFiling(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: ({ input, version }: { input: { summary: string; transparencyMeasures?: string }; version: number }) =>
      api<Filing>(`/filings/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: input,
        headers: { 'If-Match': `"${version}"` },
      }),
    onSuccess: changed,
  });
}

export function useUploadDocument(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: ({ file, documentType }: { file: File; documentType: string }) => {
      const body = new FormData();
      // Field order matters to streaming multipart parsers: the type first, then the file.
      body.append('documentType', documentType);
      body.append('file', file, file.name);
      return api<FilingDocument>(`/filings/${encodeURIComponent(id)}/documents`, { method: 'POST', body });
    },
    onSuccess: changed,
  });
}

/** Submit: the Idempotency-Key is made per click, so a retried request cannot submit twice. */
export function useSubmitFiling(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: () =>
      api<Filing>(`/filings/${encodeURIComponent(id)}/submit`, {
        method: 'POST',
        body: {},
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      }),
    onSuccess: changed,
  });
}

export function useRespondToInformationRequest(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: (message: string) =>
      api<Filing>(`/filings/${encodeURIComponent(id)}/information-responses`, { method: 'POST', body: { message } }),
    onSuccess: changed,
  });
}

export function useClaimFiling(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: () => api<Filing>(`/filings/${encodeURIComponent(id)}/assignment`, { method: 'POST', body: {} }),
    onSuccess: changed,
  });
}

export function useRequestInformation(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: (message: string) =>
      api<Filing>(`/filings/${encodeURIComponent(id)}/information-requests`, { method: 'POST', body: { message } }),
    onSuccess: changed,
  });
}

export type DecisionInput = RequestBodyOf<'postFilingsByIdDecision'>;

/**
 * Decide with `If-Match: "<version>"` of the filing as the reviewer saw it (a stale page gets
 * 412, not a silent overwrite) and an Idempotency-Key per click.
 */
export function useDecideFiling(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: ({ input, version }: { input: DecisionInput; version: number }) =>
      api<Filing>(`/filings/${encodeURIComponent(id)}/decision`, {
        method: 'POST',
        body: input,
        headers: { 'If-Match': `"${version}"`, 'Idempotency-Key': newIdempotencyKey() },
      }),
    onSuccess: changed,
  });
}

/** Withdraw an open filing (kept, never deleted): `If-Match` the version seen, a key per click. */
export function useWithdrawFiling(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: (version: number) =>
      api<Filing>(`/filings/${encodeURIComponent(id)}/withdraw`, {
        method: 'POST',
        body: {},
        headers: { 'If-Match': `"${version}"`, 'Idempotency-Key': newIdempotencyKey() },
      }),
    onSuccess: changed,
  });
}

/** Remove a document not submitted yet (a draft's, or one added since the information request). */
export function useRemoveDocument(id: string) {
  const changed = useFilingChanged(id);
  return useMutation({
    mutationFn: (documentId: string) =>
      api<void>(`/filings/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}`, {
        method: 'DELETE',
      }),
    onSuccess: changed,
  });
}
