import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import type { LoginResult, Organization, Page, RequestBodyOf, ResponseOf, User } from '../../api/types.ts';

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or null when anonymous (401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<User | null> => {
      try {
        const { user } = await api<ResponseOf<'getAuthMe'>>('/auth/me');
        return user;
      } catch (error) {
        // Anonymous, or the identity module is not deployed yet: treat both as signed out.
        if (isApiError(error) && (error.status === 401 || error.status === 404)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function hasAnyRole(user: User | null | undefined, roles: readonly string[]): boolean {
  return user !== null && user !== undefined && user.roles.some((role) => roles.includes(role));
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) =>
      api<LoginResult>('/auth/login', { method: 'POST', body: credentials }),
    onSuccess: (result) => {
      // Another user's cached data must never show after a switch of account.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'public' });
      queryClient.setQueryData(meKey, result.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST' }),
    onSettled: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'public' });
      queryClient.setQueryData(meKey, null);
    },
  });
}

export type RegistrationInput = RequestBodyOf<'postRegistrations'>;

export function useRegisterOrganization() {
  return useMutation({
    mutationFn: (input: RegistrationInput) =>
      api<ResponseOf<'postRegistrations', 201>>('/registrations', { method: 'POST', body: input }),
  });
}

export function useOrganizations(status: string | undefined) {
  return useQuery({
    queryKey: ['organizations', status ?? 'all'],
    queryFn: () => api<Page<Organization>>('/organizations', { query: { status, limit: 200 } }),
  });
}

export function useVerifyOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: string; decision: 'verified' | 'rejected'; reason?: string }) =>
      api<Organization>(`/organizations/${encodeURIComponent(id)}/verification`, {
        method: 'POST',
        body: reason === undefined || reason === '' ? { decision } : { decision, reason },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['organizations'] }),
  });
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => api<Page<User>>('/users', { query: { limit: 200 } }),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBodyOf<'postUsers'>) => api<User>('/users', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

/** The signed-in provider's own organisation (nothing for staff and the anonymous). */
export function useMyOrganization() {
  const { data: user } = useMe();
  return useOrganization(user?.organizationId ?? undefined);
}

/**
 * Whether the signed-in provider may register products and file: only members of a verified
 * organisation may (the server refuses the others with 403; this only spares them the form).
 */
export function useOrganizationVerified(): boolean | undefined {
  const organization = useMyOrganization();
  if (organization.data === undefined) return undefined;
  return organization.data.status === 'verified';
}

/** One organisation (staff read any; a member reads their own). */
export function useOrganization(id: string | undefined) {
  return useQuery({
    queryKey: ['organizations', 'one', id],
    queryFn: () => api<Organization>(`/organizations/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
    staleTime: 60_000,
  });
}
