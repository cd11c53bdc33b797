import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrgMember } from '../factories.ts';
import { createDraft, filingWorld, itemIds, pointers } from './helpers.ts';

test('a complete low-risk disclosure is accepted and public at once', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('low');

  const created = await world.inject('POST', `/api/v1/products/${product.id}/filings`, world.provider, {
    kind: 'disclosure',
    summary: '工业质检图像分类模型，仅用于产线缺陷检测。',
  });
  assert.equal(created.statusCode, 201, created.body);
  const draft = created.json();
  assert.equal(draft.status, 'draft');
  assert.equal(draft.version, 1);
  assert.equal(draft.kind, 'disclosure');
  assert.equal(draft.productId, product.id);
  assert.equal(draft.organizationId, world.organizationId);
  assert.equal(draft.dueDate, null);
  assert.equal(draft.submittedAt, null);
  assert.equal(created.headers.etag, '"1"');

  const submit = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
  assert.equal(submit.statusCode, 200, submit.body);
  const accepted = submit.json();
  assert.equal(accepted.status, 'accepted');
  assert.equal(accepted.dueDate, null);
  assert.equal(accepted.submittedAt, world.t.clock.now().toISOString());
  assert.equal(accepted.decidedAt, accepted.submittedAt);
  assert.equal(accepted.decision.outcome, 'accepted');
  assert.equal(accepted.decision.decidedBy, null);
  assert.equal(accepted.version, 2);

  const productAfter = await world.inject('GET', `/api/v1/products/${product.id}`, world.provider);
  assert.equal(productAfter.json().status, 'accepted');

  const events = await world.t.db.selectFrom('outbox_events').selectAll().orderBy('created_at').orderBy('id').execute();
  const topics = events.map((event) => event.topic);
  assert.ok(topics.includes('filing.draft'));
  assert.ok(topics.includes('filing.accepted'));
  const published = events.filter((event) => event.topic === 'register.decision_published');
  assert.equal(published.length, 1);
  const payload = published[0]!.payload as {
    filingId: string;
    outcome: string;
    kind: string;
    decidedAt: string;
    reasons: string;
    legalBasis: string | null;
    conditions: string[];
    product: Record<string, unknown>;
    provider: Record<string, unknown>;
  };
  assert.deepEqual(Object.keys(payload).sort(), [
    'conditions',
    'decidedAt',
    'filingId',
    'kind',
    'legalBasis',
    'organizationId',
    'outcome',
    'product',
    'productId',
    'provider',
    'reasons',
  ]);
  // The explanation published is the decision record's own.
  assert.equal(payload.reasons, accepted.decision.reasons);
  assert.equal(payload.legalBasis, accepted.decision.legalBasis);
  assert.match(payload.reasons, /automatic completeness check/);
  assert.match(String(payload.legalBasis), /Shenzhen AI Regulations/);
  assert.deepEqual(payload.conditions, []);
  assert.equal(payload.filingId, draft.id);
  assert.equal(payload.outcome, 'accepted');
  assert.equal(payload.kind, 'disclosure');
  assert.equal(payload.decidedAt, accepted.decidedAt);
  assert.deepEqual(Object.keys(payload.product).sort(), [
    'catalogueCode',
    'catalogueVersion',
    'description',
    'name',
    'nameEn',
    'rulesetVersion',
    'status',
    'tier',
  ]);
  assert.equal(payload.product.status, 'accepted');
  assert.equal(payload.product.tier, 'low');
  assert.deepEqual(Object.keys(payload.provider).sort(), ['name', 'nameEn', 'uscc']);

  const audit = await world.t.db
    .selectFrom('audit_events')
    .select('action')
    .where('resource_id', '=', draft.id)
    .orderBy('id') // UUIDv7: the order they were recorded in
    .execute();
  assert.deepEqual(
    audit.map((row) => row.action),
    ['filing.draft', 'filing.accepted'],
  );

  const notifications = await world.inject('GET', '/api/v1/notifications', world.provider);
  assert.equal(notifications.json().items[0].kind, 'filing.accepted');

  // Terminal: submitting again is an illegal transition and changes nothing.
  const before = await world.snapshot();
  const again = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider, {});
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'illegal_transition');
  assert.equal(again.json().currentStatus, 'accepted');
  assert.deepEqual(await world.snapshot(), before);
});

test('a medium-risk disclosure needs transparency measures; the draft can be fixed and submitted', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('medium');
  const draft = await createDraft(world, product.id, { kind: 'disclosure', summary: '电商客服问答机器人' });

  const before = await world.snapshot();
  const incomplete = await world.inject(
    'POST',
    `/api/v1/filings/${draft.id}/submit`,
    world.provider,
    {},
    { 'accept-language': 'en' },
  );
  assert.equal(incomplete.statusCode, 422);
  assert.equal(incomplete.json().code, 'filing_incomplete');
  assert.deepEqual(pointers(incomplete), ['/transparencyMeasures']);
  assert.match(incomplete.json<{ errors: Array<{ message: string }> }>().errors[0]!.message, /transparency/);
  assert.deepEqual(await world.snapshot(), before);

  const stale = await world.inject(
    'PATCH',
    `/api/v1/filings/${draft.id}`,
    world.provider,
    { transparencyMeasures: 'x' },
    { 'if-match': '"9"' },
  );
  assert.equal(stale.statusCode, 412);
  const patched = await world.inject(
    'PATCH',
    `/api/v1/filings/${draft.id}`,
    world.provider,
    { transparencyMeasures: '对话开始时提示“您正在与人工智能交流”；生成内容加注显式标识。' },
    { 'if-match': '"1"' },
  );
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().version, 2);
  const submit = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.provider);
  assert.equal(submit.statusCode, 200, submit.body);
  assert.equal(submit.json().status, 'accepted');
  const edit = await world.inject('PATCH', `/api/v1/filings/${draft.id}`, world.provider, { summary: 'changed' });
  assert.equal(edit.statusCode, 409);
  assert.equal(edit.json().currentStatus, 'accepted');
});

test('the filing kind must fit the tier; prohibited products cannot be filed; one open filing per product', async (t) => {
  const world = await filingWorld(t);
  const low = await world.createProduct('low');
  const high = await world.createProduct('high');
  const prohibited = await world.createProduct('prohibited');
  const before = await world.snapshot();

  const lowAssessment = await world.inject('POST', `/api/v1/products/${low.id}/filings`, world.provider, {
    kind: 'assessment',
    summary: 's',
  });
  assert.equal(lowAssessment.statusCode, 422);
  assert.equal(lowAssessment.json().code, 'filing_kind_mismatch');
  assert.equal(lowAssessment.json().errors[0].pointer, '/kind');
  const highDisclosure = await world.inject('POST', `/api/v1/products/${high.id}/filings`, world.provider, {
    kind: 'disclosure',
    summary: 's',
  });
  assert.equal(highDisclosure.json().code, 'filing_kind_mismatch');
  const banned = await world.inject('POST', `/api/v1/products/${prohibited.id}/filings`, world.provider, {
    kind: 'disclosure',
    summary: 's',
  });
  assert.equal(banned.statusCode, 422);
  assert.equal(banned.json().code, 'prohibited_product');
  const badBody = await world.inject('POST', `/api/v1/products/${low.id}/filings`, world.provider, {
    kind: 'notice',
    summary: 's',
  });
  assert.equal(badBody.statusCode, 400);
  const extra = await world.inject('POST', `/api/v1/products/${low.id}/filings`, world.provider, {
    kind: 'disclosure',
    summary: 's',
    status: 'accepted',
  });
  assert.equal(extra.statusCode, 400);
  assert.deepEqual(await world.snapshot(), before);

  const first = await createDraft(world, low.id, { kind: 'disclosure', summary: 's' });
  const second = await world.inject('POST', `/api/v1/products/${low.id}/filings`, world.provider, {
    kind: 'disclosure',
    summary: 's',
  });
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'filing_already_open');
  assert.equal(second.json().filingId, first.id);

  const list = await world.inject('GET', `/api/v1/products/${low.id}/filings`, world.provider);
  assert.equal(list.statusCode, 200);
  assert.deepEqual(itemIds(list), [first.id]);
  assert.equal(list.json().nextCursor, null);
});

test('who may create and read filings: anonymous 401, other organisations 404, unverified 403, regulators read', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('low');
  const draft = await createDraft(world, product.id, { kind: 'disclosure', summary: 's' });
  const body = { kind: 'disclosure', summary: 's' };

  assert.equal((await world.inject('POST', `/api/v1/products/${product.id}/filings`, undefined, body)).statusCode, 401);
  assert.equal((await world.inject('GET', `/api/v1/filings/${draft.id}`)).statusCode, 401);
  const strangerRead = await world.inject('GET', `/api/v1/filings/${draft.id}`, world.stranger);
  assert.equal(strangerRead.statusCode, 404);
  assert.equal((await world.inject('GET', `/api/v1/products/${product.id}/filings`, world.stranger)).statusCode, 404);
  assert.equal((await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.stranger, {})).statusCode, 404);
  const reviewerCreate = await world.inject('POST', `/api/v1/products/${product.id}/filings`, world.reviewer, body);
  assert.equal(reviewerCreate.statusCode, 403);
  const reviewerSubmit = await world.inject('POST', `/api/v1/filings/${draft.id}/submit`, world.reviewer, {});
  assert.equal(reviewerSubmit.statusCode, 403);
  assert.equal((await world.inject('GET', `/api/v1/filings/${draft.id}`, world.reviewer)).statusCode, 200);
  assert.equal((await world.inject('GET', `/api/v1/filings/${draft.id}`, world.admin)).statusCode, 200);
  const missing = await world.inject('GET', '/api/v1/filings/01890000-0000-7000-8000-000000000000', world.provider);
  assert.equal(missing.statusCode, 404);
  assert.equal((await world.inject('GET', '/api/v1/filings/not-a-uuid', world.provider)).statusCode, 400);

  const read = await world.inject('GET', `/api/v1/filings/${draft.id}`, world.provider);
  assert.equal(read.headers.etag, '"1"');
  assert.deepEqual(read.json().documents, []);
  assert.deepEqual(read.json().informationRequests, []);
  assert.equal(read.json().decision, null);
  assert.equal(read.json().product.id, product.id);

  // A member of an organisation that is not verified yet may not file (refused by role before any lookup).
  const { user: pending } = await createOrgMember(world.t, { status: 'pending' });
  const otherProduct = await world.inject('POST', '/api/v1/products', pending, {});
  assert.ok([400, 403].includes(otherProduct.statusCode));
  const pendingCreate = await world.inject('POST', `/api/v1/products/${product.id}/filings`, pending, body);
  assert.equal(pendingCreate.statusCode, 403);
});
