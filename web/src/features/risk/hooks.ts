import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Questionnaire, RiskAnswers, RiskAssessment } from '../../api/types.ts';

/** The risk questionnaire of the current ruleset (public). */
export function useQuestionnaire() {
  return useQuery({
    queryKey: ['public', 'risk', 'questionnaire'],
    queryFn: () => api<Questionnaire>('/risk/questionnaire'),
    staleTime: 60 * 60_000,
  });
}

/** Grades answers without storing anything (POST /risk/assessments). */
export function useAssessRisk() {
  return useMutation({
    mutationFn: (answers: RiskAnswers) =>
      api<RiskAssessment>('/risk/assessments', { method: 'POST', body: { answers } }),
  });
}
