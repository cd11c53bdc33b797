/**
 * Public surface of the monitoring module: ex-post tracking and risk early warning
 * (API-CONTRACT-2 §1) — tracking / monitoring reports, incidents, warnings W1–W7 and manual
 * ones, suspension, public reports. Other modules read warnings through the functions
 * exported here (see README "For other modules").
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AppModule } from '../../platform/module.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { registerProvisionalDeadlineOwner } from '../calendar/index.ts';
import { monitoringRoutes } from './routes.ts';
import { decisionConsumers, monitoringDeadlines, sweepTrackingReports } from './tracking.ts';
import type { MonitoringDeps } from './shared.ts';

export type { MonitoringTables } from './tables.ts';
export {
  activeWarningsFor,
  hasActiveWarning,
  isProductSuspended,
  warningLevelsFor,
  REINSTATEMENT_LEAF_TYPE,
  SUSPENSION_LEAF_TYPE,
} from './warnings.ts';
export { openReportingCycle, sweepTrackingReports } from './tracking.ts';

registerProvisionalDeadlineOwner(monitoringDeadlines);

registerProblemTitles({
  period_not_ended: { zh: '报告期尚未结束', en: 'Reporting period not ended' },
  report_already_submitted: { zh: '报告已提交', en: 'Report already submitted' },
  invalid_metrics: { zh: '指标填报有误', en: 'Invalid metrics' },
  invalid_incident_times: { zh: '事件时间不合理', en: 'Invalid incident times' },
  incident_closed: { zh: '事件已结案', en: 'Incident closed' },
  warning_already_lifted: { zh: '预警已解除', en: 'Warning already lifted' },
  public_report_already_answered: { zh: '反映已答复', en: 'Public report already answered' },
});

/** How often the scheduler sweeps (W5/W6 fire within 60 s of their moment). */
export const MONITORING_SWEEP_INTERVAL_MS = 30_000;

/**
 * The scheduler: a sweep at start-up (moments passed while the server was down) and every
 * 30 s. Safe on several instances at once: see `sweepTrackingReports`.
 */
export function startMonitoringScheduler(deps: MonitoringDeps, log: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running !== undefined) return;
    running = sweepTrackingReports(deps, log)
      .catch((error: unknown) => log.error({ err: error }, 'monitoring: sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(tick, 1000);
  const timer = setInterval(tick, MONITORING_SWEEP_INTERVAL_MS);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}

export const monitoringModule: AppModule = {
  name: 'monitoring',
  routes: monitoringRoutes,
  outboxConsumers: (deps) => Object.fromEntries(decisionConsumers(deps)),
  jobs: (deps, log) => startMonitoringScheduler(deps, log),
};
