import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { DecisionPublished, type DecisionPublishedPayload } from '../../src/modules/filings/index.ts';
import { ProductStatusChanged, type ProductStatus } from '../../src/modules/products/index.ts';
import type { RiskTier } from '../../src/domain/risk.ts';
import type { AppDeps } from '../../src/platform/deps.ts';
import { newId } from '../../src/platform/ids.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { enqueueEvent } from '../../src/platform/outbox.ts';
import { demoUscc } from '../../src/cli/demo/register-data.ts';

let counter = 0;

/** A valid `register.decision_published` payload; override what the test cares about. */
export function decisionPayload(
  overrides: {
    name?: string;
    nameEn?: string | null;
    description?: string;
    catalogueCode?: string;
    tier?: RiskTier;
    outcome?: DecisionPublishedPayload['outcome'];
    decidedAt?: string;
    productId?: string;
    filingId?: string;
    providerName?: string;
    providerNameEn?: string | null;
    uscc?: string;
  } = {},
): DecisionPublishedPayload {
  counter += 1;
  let seed = counter * 7919;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const tier = overrides.tier ?? 'medium';
  return {
    filingId: overrides.filingId ?? newId(),
    productId: overrides.productId ?? newId(),
    organizationId: newId(),
    kind: tier === 'high' ? 'assessment' : 'disclosure',
    outcome: overrides.outcome ?? (tier === 'high' ? 'approved' : 'accepted'),
    decidedAt: overrides.decidedAt ?? new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString(),
    product: {
      name: overrides.name ?? `测试产品${counter}`,
      nameEn: overrides.nameEn === undefined ? `Test Product ${counter}` : overrides.nameEn,
      description: overrides.description ?? '用于测试的人工智能产品。',
      catalogueCode: overrides.catalogueCode ?? 'A0803',
      catalogueVersion: '2024.1',
      tier,
      rulesetVersion: 'v1',
      status: 'accepted',
    },
    provider: {
      name: overrides.providerName ?? '深圳市测试科技有限公司',
      nameEn: overrides.providerNameEn === undefined ? 'Shenzhen Test Technology Co., Ltd.' : overrides.providerNameEn,
      uscc: overrides.uscc ?? demoUscc(random),
    },
  };
}

/** Enqueues events the way the filings / products modules do: an outbox row in a transaction. */
export async function enqueueDecisions(
  db: Kysely<Database>,
  deps: AppDeps,
  payloads: readonly DecisionPublishedPayload[],
) {
  await db.transaction().execute(async (trx) => {
    for (const payload of payloads) {
      await enqueueEvent(trx, deps.clock, DecisionPublished, payload.filingId, payload);
    }
  });
}

export async function enqueueStatusChange(
  db: Kysely<Database>,
  deps: AppDeps,
  productId: string,
  status: ProductStatus,
) {
  await db.transaction().execute(async (trx) => {
    await enqueueEvent(trx, deps.clock, ProductStatusChanged, productId, {
      productId,
      organizationId: newId(),
      status,
      previousStatus: 'approved',
      reason: 'test',
    });
  });
}

/** Runs the real consumers until the outbox is empty. */
export async function drain(deps: AppDeps): Promise<number> {
  return drainOutbox(deps.db, deps.clock, outboxConsumers(deps));
}

/** Publishes decisions through the outbox and the real consumer. */
export async function publish(deps: AppDeps, payloads: readonly DecisionPublishedPayload[]): Promise<void> {
  await enqueueDecisions(deps.db, deps, payloads);
  await drain(deps);
}
