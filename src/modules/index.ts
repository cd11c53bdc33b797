import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppDeps } from '../platform/deps.ts';
import type { OutboxConsumer } from '../platform/outbox-worker.ts';
import { startOutboxPoller } from '../platform/outbox-worker.ts';
import { startAuditSequencer } from '../platform/audit-sequencer.ts';
import { auditModule } from './audit/index.ts';
import { identityModule } from './identity/index.ts';
import { catalogueModule, productsModule, riskModule } from './products/index.ts';
import { calendarModule } from './calendar/index.ts';
import { filingsModule } from './filings/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { registerModule } from './register/index.ts';
import { transparencyLogModule } from './transparency-log/index.ts';

/** What a domain module contributes to the application. */
export interface AppModule {
  readonly name: string;
  /** Registers the module's routes (under /api/v1). */
  routes?(app: FastifyInstance, deps: AppDeps): Promise<void>;
  /** One-time work after migrations and before listening (e.g. the first administrator). */
  startup?(deps: AppDeps, log: FastifyBaseLogger): Promise<void>;
  /** Outbox topics this module consumes, each in the transaction that marks the event done. */
  outboxConsumers?(deps: AppDeps): Record<string, OutboxConsumer>;
  /** Background jobs; returns a function that stops them. */
  jobs?(deps: AppDeps, log: FastifyBaseLogger): () => Promise<void>;
}

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
