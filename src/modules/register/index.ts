/**
 * Public surface of the register module: the public register of AI products with a public
 * decision (Shenzhen AI Regulations: ex-ante disclosure and assessment results are public),
 * searchable in Chinese and English, fed by outbox events and mirrored in the transparency log.
 */
import type { AppModule } from '../../platform/module.ts';
import { registerRoutes } from './routes.ts';
import { jieba } from './search-text.ts';
import { decisionPublishedConsumer, productStatusChangedConsumer } from './service.ts';

export type { RegisterTables } from './tables.ts';
export { PUBLIC_STATUSES, REGISTER_STATUSES, type PublicStatus } from './schemas.ts';
export {
  DECISION_LEAF_TYPE,
  getRegisterEntry,
  publishDecisions,
  searchPublicRegister,
  type DecisionLeaf,
  type DecisionToPublish,
  type PublishedDecision,
} from './service.ts';

export const registerModule: AppModule = {
  name: 'register',
  routes: registerRoutes,
  outboxConsumers: (deps) => Object.fromEntries([decisionPublishedConsumer(deps), productStatusChangedConsumer(deps)]),
  jobs() {
    // The segmenter takes ≈ 0.2 s to build: not on the start's critical path, but soon after,
    // so the first search or published decision does not wait for it either.
    const warmUp = setTimeout(() => jieba(), 2000);
    warmUp.unref();
    return () => {
      clearTimeout(warmUp);
      return Promise.resolve();
    };
  },
};
