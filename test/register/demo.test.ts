import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { demoCommand } from '../../src/cli/demo/command.ts';
import { generateDemoDecisions } from '../../src/cli/demo/register-data.ts';
import { fillRegister } from '../../src/cli/demo/register-fill.ts';
import { DEMO_ORGANIZATIONS } from '../../src/cli/demo/scenario.ts';
import { seedDemo } from '../../src/cli/demo/workflow.ts';
import { loadConfig } from '../../src/config.ts';
import { readCatalogueFile } from '../../src/lib/catalogue-files.ts';
import { validateUscc } from '../../src/lib/uscc.ts';
import { createUser } from '../factories.ts';
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

test('the register fill publishes through the outbox consumer (small runs) and in bulk batches (large runs)', async (t) => {
  const { app, deps } = await buildTestApp(t, { env: { AIGOV_DATA_DIR: os.tmpdir() } });
  const small = await fillRegister(deps, { products: 30 });
  assert.equal(small.published, 30);
  const bulk = await fillRegister(deps, { products: 120, via: 'bulk', batch: 50, seed: 2 });
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

test('aigov demo seeds through the workflow: logins that work, filings in every status, decisions over the last year', async (t) => {
  const testApp = await buildTestApp(t);
  const { app, deps, db, clock } = testApp;
  await createUser(testApp, { roles: ['regulator_admin'] });
  const now = clock.now();
  const seeded = await seedDemo(deps);
  assert.equal(clock.now().getTime(), now.getTime(), 'the injected clock is read, never moved');

  const filings = await db.selectFrom('filings').select(['status', 'decided_at', 'updated_at']).execute();
  const statuses = new Set(filings.map((filing) => filing.status));
  for (const status of [
    'draft',
    'submitted',
    'under_review',
    'information_requested',
    'accepted',
    'approved',
    'approved_with_conditions',
    'rejected',
    'withdrawn',
  ]) {
    assert.ok(statuses.has(status), `a filing is ${status}`);
  }
  assert.deepEqual(
    seeded.filings,
    Object.fromEntries([...statuses].map((s) => [s, filings.filter((f) => f.status === s).length])),
  );
  const decided = filings.flatMap((filing) =>
    filing.decided_at === null ? [] : [new Date(filing.decided_at).getTime()],
  );
  const day = 86_400_000;
  assert.ok(Math.min(...decided) < now.getTime() - 270 * day, 'decisions reach back most of a year');
  assert.ok(Math.max(...filings.map((filing) => new Date(filing.updated_at).getTime())) <= now.getTime());

  // Every printed login signs in; a provider sees its own products, named after it.
  for (const login of seeded.logins) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: login.email, password: login.password },
    });
    assert.equal(response.statusCode, 200, login.email);
  }
  const register = await app.inject({ method: 'GET', url: '/api/v1/public/products', query: { limit: '100' } });
  const entries = register.json<{ items: Array<{ name: string; provider: { name: string } }> }>().items;
  assert.ok(entries.length >= 8);
  for (const entry of entries) {
    const organization = DEMO_ORGANIZATIONS.find((org) => org.name === entry.provider.name);
    assert.ok(
      organization?.products.some((product) => product.name === entry.name),
      entry.name,
    );
  }
});

async function runDemo(config: Parameters<typeof demoCommand.run>[0]['config'], args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await demoCommand.run({ config, args, out, err });
  return { code, stdout, stderr };
}

test('aigov demo refuses an install whose transparency log is not empty, unless --force (with a warning)', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-demo-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ LOG_LEVEL: 'silent', AIGOV_DATA_DIR: dataDir }, process.cwd());
  const { databaseUrl } = await buildTestApp(t);
  const target = databaseUrl === undefined ? config : { ...config, databaseUrl };

  const first = await runDemo(target, ['--products', '3']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr, '');
  const refused = await runDemo(target, []);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /refused — the transparency log already holds 3 public decisions/);
  const forced = await runDemo(target, ['--products', '2', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /aigov demo --force/);
  assert.match(forced.stdout, /2 products on the public register/);
  assert.equal((await runDemo(target, ['--via', 'bulk'])).code, 2, '--via without --products is a usage error');
});
