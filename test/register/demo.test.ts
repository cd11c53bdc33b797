import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { runDemo } from '../../src/cli/demo.ts';
import { readCatalogueFile } from '../../src/lib/catalogue-files.ts';
import { validateUscc } from '../../src/lib/uscc.ts';
import { generateDemoDecisions } from '../../src/modules/register/index.ts';
import { buildTestApp } from '../helpers/test-app.ts';

test('demo decisions are realistic: valid USCCs, catalogue codes of v1, bilingual names, fitting outcomes', async () => {
  const catalogue = await readCatalogueFile(
    new URL('../../data/reference/catalogue/v1.json', import.meta.url).pathname,
  );
  const codes = new Set(catalogue.items.map((item) => item.code));
  const decisions = generateDemoDecisions(500, { seed: 7, now: new Date('2026-03-01T00:00:00Z') });
  assert.equal(decisions.length, 500);
  assert.equal(new Set(decisions.map((d) => d.payload.productId)).size, 500);
  for (const { payload } of decisions) {
    const uscc = validateUscc(payload.provider.uscc);
    assert.ok(uscc.valid, `${payload.provider.uscc} is a valid USCC`);
    assert.equal(uscc.valid && uscc.division, '440300');
    assert.ok(codes.has(payload.product.catalogueCode), payload.product.catalogueCode);
    assert.equal(payload.product.catalogueVersion, catalogue.version);
    assert.match(payload.product.name, /\p{Script=Han}/u);
    assert.match(payload.product.nameEn ?? '', /^[A-Z][\w .,'()-]+$/);
    assert.match(payload.provider.name, /^深圳市.+有限公司$/);
    assert.ok(payload.product.tier === 'high' ? payload.kind === 'assessment' : payload.outcome === 'accepted');
    assert.ok(payload.decidedAt < '2026-03-01T00:00:00.000Z' && payload.decidedAt > '2024-02-29');
  }
  // The same seed gives the same register (ids aside).
  const again = generateDemoDecisions(500, { seed: 7, now: new Date('2026-03-01T00:00:00Z') });
  assert.deepEqual(
    again.slice(0, 5).map((d) => d.payload.product.name),
    decisions.slice(0, 5).map((d) => d.payload.product.name),
  );
});

test('aigov demo publishes through the outbox consumer (small runs) and in bulk batches (large runs)', async (t) => {
  const { app, deps } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: os.tmpdir() } });
  const small = await runDemo(deps, { products: 30 });
  assert.equal(small.published, 30);
  const bulk = await runDemo(deps, { products: 120, via: 'bulk', batch: 50, seed: 2 });
  assert.equal(bulk.published, 120);
  const checkpoint = await app.inject({ method: 'GET', url: '/api/v1/transparency/checkpoint' });
  assert.equal(checkpoint.body.split('\n')[1], '150');
  const outbox = await deps.db.selectFrom('outbox_events').select('processed_at').execute();
  assert.equal(outbox.length, 30);
  assert.ok(outbox.every((row) => row.processed_at !== null));
  const checkpoints = await deps.db.selectFrom('log_checkpoints').select('size').execute();
  assert.equal(checkpoints.length, 30 + 3); // one per event, then one per bulk batch
  const found = await app.inject({
    method: 'GET',
    url: '/api/v1/public/products',
    query: { q: '深圳市', limit: '200' },
  });
  assert.ok(found.json<{ items: unknown[] }>().items.length > 0);
});
