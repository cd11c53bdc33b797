/* eslint-disable @typescript-eslint/no-unsafe-return -- tests read JSON freely */
/** Shared set-up for the monitoring tests: products with an accepted disclosure or an approved assessment. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { outboxConsumers } from '../../src/modules/index.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { chainPendingAuditEvents } from '../../src/platform/audit.ts';
import { createDraft, filingWorld, underReview, type FilingWorld } from '../filings/helpers.ts';

export type MonitoringWorld = FilingWorld & {
  drain(): Promise<number>;
  /** A medium- or low-risk product whose disclosure was accepted now (its first tracking period is open). */
  acceptedProduct(tier: 'medium' | 'low'): Promise<string>;
  /** A high-risk product whose assessment was approved now (its first monitoring period is open). */
  approvedProduct(): Promise<string>;
  reports(productId: string): Promise<Array<Record<string, unknown> & { id: string; status: string; dueDate: string }>>;
};

export async function monitoringWorld(
  t: Pick<TestContext, 'after'>,
  options: { start?: string } = {},
): Promise<MonitoringWorld> {
  const world = await filingWorld(t, { start: options.start ?? '2026-03-02T02:00:00Z' });
  const drain = () => drainOutbox(world.t.db, world.t.clock, outboxConsumers(world.t.deps));
  return {
    ...world,
    drain,
    async acceptedProduct(tier) {
      const product = await world.createProduct(tier);
      const draft = await createDraft(world, product.id, {
        kind: 'disclosure',
        summary: '电商客服问答机器人',
        transparencyMeasures: '对话开始时提示“您正在与人工智能交流”。',
      });
      const submit = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
      assert.equal(submit.statusCode, 200, submit.body);
      assert.equal(submit.json().status, 'accepted');
      await drain();
      return product.id;
    },
    async approvedProduct() {
      const filing = await underReview(world);
      const decided = await world.inject('POST', `/api/v1/filings/${filing.filingId}/decision`, world.reviewer, {
        outcome: 'approved',
        reasons: '评估材料完整，风险可控。',
      });
      assert.equal(decided.statusCode, 200, decided.body);
      await drain();
      return filing.productId;
    },
    async reports(productId) {
      const response = await world.inject('GET', `/api/v1/products/${productId}/tracking-reports`, world.provider);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().items;
    },
  };
}

export { chainPendingAuditEvents };
