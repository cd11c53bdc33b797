import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppDeps } from '../platform/deps.ts';

/** Every domain module, registered in this order. No autoload: the list is the architecture. */
export async function registerModules(_app: FastifyInstance, _deps: AppDeps): Promise<void> {
  // Modules are added here as they land.
}

/** One-time work after migrations and before listening (e.g. the first administrator). */
export async function runStartupTasks(_deps: AppDeps, _log: FastifyBaseLogger): Promise<void> {
  // Filled by modules that need it.
}

/** Background jobs (outbox delivery, log sequencing). Returns a function that stops them. */
export function startBackgroundJobs(_deps: AppDeps, _log: FastifyBaseLogger): () => Promise<void> {
  return async () => undefined;
}
