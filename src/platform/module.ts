import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.ts';
import type { OutboxConsumer } from './events.ts';

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
