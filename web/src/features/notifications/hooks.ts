import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, toPage } from '../../api/client.ts';
import type { Notification, Page } from '../../api/types.ts';

/** The signed-in user's notifications; `available: false` while the endpoint is not deployed (404). */
export function useNotifications() {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: async () => {
      try {
        const page = toPage(await api<Page<Notification> | Notification[]>('/notifications', { query: { limit: 20 } }));
        return { available: true, items: page.items };
      } catch (error) {
        if (isApiError(error) && (error.status === 404 || error.status === 501)) return { available: false, items: [] };
        throw error;
      }
    },
  });
}

/** Marks one notification read (when its link is followed). */
export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<unknown>(`/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
}
