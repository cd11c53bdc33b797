import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../api/client.ts';
import type {
  CalendarLoadResult,
  CalendarPreview,
  CalendarStatus,
  CalendarYearInput,
  WorkingCalendar,
} from '../../api/types.ts';

export const calendarStatusKey = ['public', 'calendar', 'status'] as const;

/** Loaded years, the year the administrator should load now (if any), and how many deadlines are provisional. */
export function useCalendarStatus(enabled = true) {
  return useQuery({
    queryKey: calendarStatusKey,
    queryFn: () => api<CalendarStatus>('/calendar/status'),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useWorkingCalendar(year: number | undefined) {
  return useQuery({
    queryKey: ['public', 'calendar', year],
    queryFn: async () => {
      const response = await apiRequest<WorkingCalendar>(`/calendar/${year ?? ''}`);
      return { calendar: response.data, etag: response.headers.get('etag') };
    },
    enabled: year !== undefined,
    staleTime: 60 * 60_000,
  });
}

/** What loading a year would change: validation, the difference from weekends-only, the deadlines it moves. */
export function usePreviewCalendarYear() {
  return useMutation({
    mutationFn: (input: CalendarYearInput) =>
      api<CalendarPreview>(`/calendar/${input.year}/preview`, { method: 'POST', body: input }),
  });
}

export function useLoadCalendarYear() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, etag }: { input: CalendarYearInput; etag: string | null }) =>
      api<CalendarLoadResult>(`/calendar/${input.year}`, {
        method: 'PUT',
        body: input,
        headers: etag === null ? {} : { 'If-Match': etag },
      }),
    // Every deadline and calendar view may have changed.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
