import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppDeps } from '../platform/deps.ts';
import type { OutboxConsumer } from '../platform/events.ts';
import type { AppModule } from '../platform/module.ts';
import { startOutboxPoller } from '../platform/outbox-worker.ts';
import { startAuditSequencer } from '../platform/audit-sequencer.ts';
import { auditModule } from './audit/index.ts';
import { identityModule } from './identity/index.ts';
import { catalogueModule } from './catalogue/index.ts';
import { productsModule } from './products/index.ts';
import { riskModule } from './risk/index.ts';
import { calendarModule } from './calendar/index.ts';
import { filingsModule } from './filings/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { registerModule } from './register/index.ts';
import { transparencyLogModule } from './transparency-log/index.ts';
import { statisticsModule } from './statistics/index.ts';
import { ethicsModule } from './ethics/index.ts';
import { dataAccessModule } from './data-access/index.ts';
import { trialsModule } from './trials/index.ts';
import { monitoringModule } from './monitoring/index.ts';
import { integrationsModule } from './integrations/index.ts';

/** Every domain module, in registration order. No autoload: this list is the architecture. */
export const modules: readonly AppModule[] = [
  identityModule,
  auditModule,
  catalogueModule,
  riskModule,
  productsModule,
  calendarModule,
  filingsModule,
  registerModule,
  transparencyLogModule,
  notificationsModule,
  statisticsModule,
  ethicsModule,
  dataAccessModule,
  trialsModule,
  monitoringModule,
  integrationsModule,
];

export async function registerModules(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const module of modules) await module.routes?.(app, deps);
}

export async function runStartupTasks(deps: AppDeps, log: FastifyBaseLogger): Promise<void> {
  for (const module of modules) await module.startup?.(deps, log);
}

export function outboxConsumers(deps: AppDeps): Map<string, OutboxConsumer[]> {
  const consumers = new Map<string, OutboxConsumer[]>();
  for (const module of modules) {
    for (const [topic, consumer] of Object.entries(module.outboxConsumers?.(deps) ?? {})) {
      consumers.set(topic, [...(consumers.get(topic) ?? []), consumer]);
    }
  }
  return consumers;
}

export function startBackgroundJobs(deps: AppDeps, log: FastifyBaseLogger): () => Promise<void> {
  const stops = [
    startAuditSequencer(deps.db, log),
    startOutboxPoller(deps.db, deps.clock, outboxConsumers(deps), log),
    ...modules.flatMap((module) => (module.jobs === undefined ? [] : [module.jobs(deps, log)])),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
