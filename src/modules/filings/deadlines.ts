/**
 * The assessment clock's deadline, computed once and recomputed when a year it counted with
 * weekends only is loaded (API-CONTRACT-2 §0). The rule itself (README "The clock"):
 * dueDate = the N-th working day after the submission date, moved forward by the working
 * days each answered information request kept the clock stopped.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { shanghaiDate, type WorkingDayCalendar } from '../../lib/calendar.ts';
import type { ProvisionalDeadlineOwner, RecomputedDeadline, RecomputeContext } from '../calendar/index.ts';
import { getProduct } from '../products/index.ts';
import { notify } from '../notifications/index.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { FilingDueDateRecomputed } from './events.ts';
import { filingLink, recordFilingChange } from './effects.ts';
import {
  countOpenProvisionalFilings,
  listInformationRequests,
  lockOpenProvisionalFilings,
  updateFiling,
  updateStoppedWorkingDays,
  type FilingRecord,
} from './repo.ts';

/** A due date and whether it counted a year without an official calendar. */
export interface DueDate {
  date: string;
  provisional: boolean;
}

/** The statutory decision date of a submission (day 0 = the Asia/Shanghai submission date). */
export function assessmentDueDate(calendar: WorkingDayCalendar, submissionDate: string, workingDays: number): DueDate {
  return calendar.addWorkingDaysProvisional(submissionDate, workingDays);
}

/**
 * An answered information request: the clock stood still for the working days d with
 * requestDate < d ≤ responseDate (the request day is a review day, the answer day is given
 * back), and the due date moves forward by as many working days.
 */
export function dueDateAfterStop(
  calendar: WorkingDayCalendar,
  dueDate: DueDate,
  requestDate: string,
  responseDate: string,
): { dueDate: DueDate; stoppedWorkingDays: number } {
  const stopped = calendar.workingDaysBetweenProvisional(requestDate, responseDate);
  const days = Math.max(0, stopped.days);
  if (days === 0) return { dueDate, stoppedWorkingDays: 0 };
  const moved = calendar.addWorkingDaysProvisional(dueDate.date, days);
  return {
    dueDate: { date: moved.date, provisional: dueDate.provisional || stopped.provisional || moved.provisional },
    stoppedWorkingDays: days,
  };
}

/** "2027-01-08（暂定）" / "2027-01-08 (provisional)" for notification titles. */
export function dueDateText(dueDate: string | null, provisional: boolean): { zh: string; en: string } {
  const date = dueDate ?? '';
  return provisional ? { zh: `${date}（暂定）`, en: `${date} (provisional)` } : { zh: date, en: date };
}

/**
 * Recomputes one open filing's due date from its own start: the submission date, the review
 * working days it was given, and every answered information request in order (their stopped
 * days are recounted too). An open request keeps the clock stopped and moves nothing yet.
 */
async function recomputeFiling(
  trx: Transaction<Database>,
  calendar: WorkingDayCalendar,
  context: RecomputeContext,
  filing: FilingRecord,
): Promise<RecomputedDeadline | undefined> {
  if (filing.submittedAt === null || filing.dueDate === null || filing.reviewWorkingDays === null) return undefined;
  let dueDate = assessmentDueDate(calendar, shanghaiDate(filing.submittedAt), filing.reviewWorkingDays);
  let stoppedTotal = 0;
  for (const request of await listInformationRequests(trx, filing.id)) {
    if (request.responseDate === null) continue;
    const after = dueDateAfterStop(calendar, dueDate, request.requestedDate, request.responseDate);
    dueDate = after.dueDate;
    stoppedTotal += after.stoppedWorkingDays;
    if (after.stoppedWorkingDays !== request.stoppedWorkingDays) {
      await updateStoppedWorkingDays(trx, request.id, after.stoppedWorkingDays);
    }
  }
  if (dueDate.date === filing.dueDate && dueDate.provisional === filing.dueDateProvisional) return undefined;
  const updated = await updateFiling(trx, filing.id, {
    due_date: dueDate.date,
    due_date_provisional: dueDate.provisional,
    stopped_working_days: stoppedTotal,
    updated_at: context.clock.now(),
  });
  const product = await getProduct(trx, filing.productId);
  const name = product?.name ?? filing.productId;
  const nameEn = product?.nameEn ?? name;
  const facts = {
    filingId: filing.id,
    productId: filing.productId,
    organizationId: filing.organizationId,
    year: context.year,
    dueDateBefore: filing.dueDate,
    dueDate: dueDate.date,
    dueDateProvisional: dueDate.provisional,
  };
  const due = dueDateText(dueDate.date, dueDate.provisional);
  await notify(trx, context.clock, [
    {
      target: { organizationId: filing.organizationId },
      kind: 'filing.due_date_recomputed',
      titleZh: `${context.year} 年工作日历已发布，评估申请的决定期限更新为 ${due.zh}：${name}`,
      titleEn: `The ${context.year} calendar is published; the assessment of ${nameEn} is now due ${due.en}`,
      link: filingLink(filing.id),
    },
    {
      target: filing.assigneeId === null ? { role: 'reviewer' } : { userId: filing.assigneeId },
      kind: 'filing.due_date_recomputed',
      titleZh: `决定期限已按 ${context.year} 年工作日历重新计算：${name}（${filing.dueDate} → ${due.zh}）`,
      titleEn: `Due date recomputed on the ${context.year} calendar: ${nameEn} (${filing.dueDate} → ${due.en})`,
      link: filingLink(filing.id),
    },
  ]);
  await enqueueEvent(trx, context.clock, FilingDueDateRecomputed, filing.id, facts);
  await recordFilingChange(trx, context, updated, 'filing.due_date_recomputed', facts);
  return {
    resourceType: 'filing',
    resourceId: filing.id,
    subject: name,
    dueDateBefore: filing.dueDate,
    dueDate: dueDate.date,
    dueDateProvisional: dueDate.provisional,
  };
}

/** The filings module's provisional deadlines: open assessments whose due date counted a missing year. */
export const filingDeadlines: ProvisionalDeadlineOwner = {
  name: 'filings',
  async recompute(trx, calendar, context) {
    const changes: RecomputedDeadline[] = [];
    for (const filing of await lockOpenProvisionalFilings(trx)) {
      const change = await recomputeFiling(trx, calendar, context, filing);
      if (change !== undefined) changes.push(change);
    }
    return changes;
  },
  countOpen: countOpenProvisionalFilings,
};
