import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { RequestBodyOf, ResponseOf } from '../../api/types.ts';
import { meKey } from '../identity/hooks.ts';

export type ApiToken = ResponseOf<'getAuthTokens'>['items'][number];
export type CreatedApiToken = ResponseOf<'postAuthTokens', 201>;

const tokensKey = ['auth', 'tokens'] as const;

/**
 * Changes the password. The server revokes every session and personal API token of the user
 * (a stolen password must not leave a working credential behind): the user signs in again.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBodyOf<'postAuthPassword'>) =>
      api<void>('/auth/password', { method: 'POST', body: input }),
    onSuccess: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'public' });
      queryClient.setQueryData(meKey, null);
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (input: RequestBodyOf<'postAuthPasswordResetRequests'>) =>
      api<void>('/auth/password-reset-requests', { method: 'POST', body: input }),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (input: RequestBodyOf<'postAuthPasswordResets'>) =>
      api<void>('/auth/password-resets', { method: 'POST', body: input }),
  });
}

export function useApiTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => api<ResponseOf<'getAuthTokens'>>('/auth/tokens') });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBodyOf<'postAuthTokens'>) =>
      api<CreatedApiToken>('/auth/tokens', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
