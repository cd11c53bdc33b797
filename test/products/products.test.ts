import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, tableCounts, type TestUser } from '../factories.ts';
import { getProduct, lockProduct, setProductStatus, type ProductStatus } from '../../src/modules/products/index.ts';
import {
  answers,
  messageAt,
  pointersOf,
  problemOf,
  productBody,
  WRITE_TABLES,
  type Page,
  type ProductView,
} from './fixtures.ts';

async function createProduct(ta: TestApp, user: TestUser, overrides: Record<string, unknown> = {}) {
  const response = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: user.headers,
    payload: productBody(overrides),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<ProductView>();
}

function patch(
  ta: TestApp,
  user: TestUser | undefined,
  id: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return ta.app.inject({
    method: 'PATCH',
    url: `/api/v1/products/${id}`,
    headers: { ...user?.headers, ...headers },
    payload,
  });
}

/** Moves a product as the filings module would, in a transaction of its own. */
async function moveTo(ta: TestApp, id: string, status: ProductStatus) {
  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  return ta.db.transaction().execute(async (trx) => {
    const principal = {
      kind: 'user' as const,
      userId: reviewer.id,
      email: reviewer.email,
      name: 'reviewer',
      roles: reviewer.roles,
      organizationId: null,
      organizationStatus: null,
      via: 'bearer' as const,
      credentialId: 'test',
    };
    return setProductStatus(trx, { principal, requestId: null, clock: ta.clock }, id, status, `test: ${status}`);
  });
}

/** Realistic products, registered end to end: each lands in the tier the rules give it. */
const REALISTIC = [
  {
    name: '电商智能客服',
    catalogueCode: 'T0403',
    riskAnswers: answers({
      domain: 'consumer',
      interactsWithPeople: true,
      generatesSyntheticContent: true,
      usersScale: '1k_100k',
    }),
    tier: 'medium',
    ruleIds: ['medium.interacts_with_people', 'medium.synthetic_content'],
    obligations: ['disclosure', 'tracking_report'],
  },
  {
    name: '个人消费信贷评分模型',
    catalogueCode: 'A0402',
    riskAnswers: answers({
      domain: 'finance',
      annexIIIUses: ['creditworthiness'],
      profilesNaturalPersons: true,
      processesSensitivePersonalInfo: true,
      usersScale: '100k_1m',
    }),
    tier: 'high',
    ruleIds: ['high.annex3.creditworthiness'],
    obligations: ['ex_ante_assessment', 'risk_monitoring'],
  },
  {
    name: '银行交易反欺诈过滤',
    catalogueCode: 'A0401',
    riskAnswers: answers({ domain: 'finance', processesSensitivePersonalInfo: true, usersScale: 'gt1m' }),
    tier: 'low',
    ruleIds: ['low.default'],
    obligations: ['disclosure', 'tracking_report'],
  },
  {
    name: '肺结节 CT 辅助诊断（IIb 类医疗器械）',
    catalogueCode: 'A0201',
    riskAnswers: answers({ domain: 'healthcare', medicalDeviceClass: 'IIb', processesSensitivePersonalInfo: true }),
    tier: 'high',
    ruleIds: ['high.medical_device'],
    obligations: ['ex_ante_assessment', 'risk_monitoring'],
  },
  {
    name: '员工情绪识别考勤系统',
    catalogueCode: 'T0701',
    riskAnswers: answers({
      domain: 'employment',
      prohibitedPractices: ['emotion_recognition_workplace_education'],
      annexIIIUses: ['emotion_recognition'],
    }),
    tier: 'prohibited',
    ruleIds: ['prohibited.emotion_recognition_workplace_education', 'high.annex3.emotion_recognition'],
    obligations: ['cannot_be_filed'],
  },
  {
    name: '风电功率预测',
    catalogueCode: 'A0102',
    riskAnswers: answers({ domain: 'industrial' }),
    tier: 'low',
    ruleIds: ['low.default'],
    obligations: ['disclosure', 'tracking_report'],
  },
  {
    name: '简历格式整理（不替代人工评估）',
    catalogueCode: 'T0402',
    riskAnswers: answers({
      domain: 'employment',
      annexIIIUses: ['employment_recruitment'],
      narrowProceduralTask: true,
    }),
    tier: 'low',
    ruleIds: ['low.default'],
    obligations: ['disclosure', 'tracking_report'],
  },
  {
    name: '在线考试监考',
    catalogueCode: 'A0503',
    riskAnswers: answers({
      domain: 'education',
      annexIIIUses: ['education_test_monitoring'],
      interactsWithPeople: true,
    }),
    tier: 'high',
    ruleIds: ['high.annex3.education_test_monitoring', 'medium.interacts_with_people'],
    obligations: ['ex_ante_assessment', 'risk_monitoring'],
  },
];

test('POST /api/v1/products: realistic products are classified, graded and registered as drafts (audited, outbox)', async (t) => {
  const ta = await buildTestApp(t);
  const { organization, user } = await createOrgMember(ta);
  for (const c of REALISTIC) {
    const response = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: user.headers,
      payload: productBody({ name: c.name, catalogueCode: c.catalogueCode, riskAnswers: c.riskAnswers }),
    });
    assert.equal(response.statusCode, 201, `${c.name}: ${response.body}`);
    const product = response.json<ProductView>();
    assert.equal(response.headers.etag, '"1"');
    assert.equal(response.headers.location, `/api/v1/products/${product.id}`);
    assert.equal(product.tier, c.tier, c.name);
    assert.deepEqual(
      product.riskReasons.map((r) => r.ruleId),
      c.ruleIds,
      c.name,
    );
    assert.deepEqual(
      product.obligations.map((o) => o.code),
      c.obligations,
      c.name,
    );
    assert.equal(product.status, 'draft', 'prohibited products too: filing refuses them, registering does not');
    assert.equal(product.organizationId, organization.id);
    assert.equal(product.catalogueCode, c.catalogueCode);
    assert.equal(product.catalogueVersion, '2024.1');
    assert.equal(product.rulesetVersion, 'v1');
    assert.equal(product.productVersion, '2.1.0');
    assert.equal(product.version, 1);
    assert.deepEqual(product.riskAnswers, c.riskAnswers);

    const stored = await getProduct(ta.db, product.id);
    assert.deepEqual(stored, product);
    const audit = await ta.db.selectFrom('audit_events').selectAll().where('resource_id', '=', product.id).execute();
    assert.deepEqual(
      audit.map((row) => [row.action, row.actor_id, row.organization_id]),
      [['product.registered', user.id, organization.id]],
    );
    const events = await ta.db.selectFrom('outbox_events').selectAll().where('aggregate_id', '=', product.id).execute();
    assert.deepEqual(
      events.map((row) => [row.topic, row.payload]),
      [
        [
          'product.registered',
          { productId: product.id, organizationId: organization.id, tier: c.tier, status: 'draft' },
        ],
      ],
    );
  }
});

test('POST /api/v1/products: 401 anonymous, 403 for regulator staff and for a member of an unverified organisation', async (t) => {
  const ta = await buildTestApp(t);
  const before = await tableCounts(ta, WRITE_TABLES);
  const anonymous = await ta.app.inject({ method: 'POST', url: '/api/v1/products', payload: productBody() });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(problemOf(anonymous).code, 'unauthenticated');

  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  const admin = await createUser(ta, { roles: ['regulator_admin'] });
  for (const staff of [reviewer, admin]) {
    const response = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: staff.headers,
      payload: productBody(),
    });
    assert.equal(response.statusCode, 403);
    assert.equal(problemOf(response).code, 'forbidden');
  }
  const { user: pending } = await createOrgMember(ta, { status: 'pending', role: 'org_admin' });
  const response = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: pending.headers,
    payload: productBody(),
  });
  assert.equal(response.statusCode, 403);
  // The route guard refuses it before the body is read (generic `forbidden`); the service's
  // own `organization_not_verified` answer is the second line of defence.
  assert.ok(['forbidden', 'organization_not_verified'].includes(problemOf(response).code));
  assert.deepEqual(await tableCounts(ta, WRITE_TABLES), before);
});

test('POST /api/v1/products: bad risk answers or an unknown catalogue code → 422 at the offending field, nothing stored', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const { usersScale: _dropped, ...missingUsersScale } = answers();
  const cases: { name: string; overrides: Record<string, unknown>; code: string; pointers: string[] }[] = [
    {
      name: 'unknown answer key',
      overrides: { riskAnswers: answers({ usesQuantumMagic: true }) },
      code: 'invalid_risk_answers',
      pointers: ['/riskAnswers/usesQuantumMagic'],
    },
    {
      name: 'missing answer',
      overrides: { riskAnswers: missingUsersScale },
      code: 'invalid_risk_answers',
      pointers: ['/riskAnswers/usersScale'],
    },
    {
      name: 'wrong type',
      overrides: { riskAnswers: answers({ safetyComponent: 'no' }) },
      code: 'invalid_risk_answers',
      pointers: ['/riskAnswers/safetyComponent'],
    },
    {
      name: 'unknown option',
      overrides: { riskAnswers: answers({ medicalDeviceClass: 'IV' }) },
      code: 'invalid_risk_answers',
      pointers: ['/riskAnswers/medicalDeviceClass'],
    },
    {
      name: 'unknown catalogue code',
      overrides: { catalogueCode: 'Z9999' },
      code: 'unknown_catalogue_code',
      pointers: ['/catalogueCode'],
    },
    {
      name: 'both',
      overrides: { catalogueCode: 'Z9999', riskAnswers: answers({ usersScale: 'billions' }) },
      code: 'invalid_product',
      pointers: ['/catalogueCode', '/riskAnswers/usersScale'],
    },
  ];
  const before = await tableCounts(ta, WRITE_TABLES);
  for (const c of cases) {
    const response = await ta.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { ...user.headers, 'accept-language': 'en' },
      payload: productBody(c.overrides),
    });
    assert.equal(response.statusCode, 422, `${c.name}: ${response.body}`);
    assert.equal(problemOf(response).code, c.code, c.name);
    assert.deepEqual(pointersOf(response), c.pointers, c.name);
  }
  const zh = await ta.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: user.headers,
    payload: productBody({ catalogueCode: 'Z9999' }),
  });
  assert.match(messageAt(zh, '/catalogueCode'), /不是 2024\.1 版人工智能产业分类目录中的代码/);
  assert.deepEqual(await tableCounts(ta, WRITE_TABLES), before);
});

test('POST /api/v1/products: malformed bodies → 400', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const { name: _name, ...withoutName } = productBody();
  const before = await tableCounts(ta, WRITE_TABLES);
  for (const payload of [
    withoutName,
    productBody({ riskAnswers: 'low' }),
    productBody({ version: 2 }),
    productBody({ tier: 'low' }),
    productBody({ name: '' }),
  ]) {
    const response = await ta.app.inject({ method: 'POST', url: '/api/v1/products', headers: user.headers, payload });
    assert.equal(response.statusCode, 400, JSON.stringify(payload));
    assert.equal(problemOf(response).code, 'validation_failed');
  }
  assert.deepEqual(await tableCounts(ta, WRITE_TABLES), before);
});

test('GET /api/v1/products: own organisation only, paged; regulator staff see all or one organisation', async (t) => {
  const ta = await buildTestApp(t);
  const { organization: orgA, user: a } = await createOrgMember(ta);
  const { organization: orgB, user: b } = await createOrgMember(ta);
  const mine = [];
  for (let i = 0; i < 3; i += 1) mine.push(await createProduct(ta, a, { name: `A${i}` }));
  const theirs = await createProduct(ta, b, { name: 'B0' });

  const anonymous = await ta.app.inject({ method: 'GET', url: '/api/v1/products' });
  assert.equal(anonymous.statusCode, 401);

  const first = await ta.app.inject({ method: 'GET', url: '/api/v1/products?limit=2', headers: a.headers });
  assert.equal(first.statusCode, 200);
  const page1 = first.json<Page<ProductView>>();
  assert.deepEqual(
    page1.items.map((p) => p.name),
    ['A2', 'A1'],
  );
  assert.ok(page1.nextCursor);
  const second = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/products?limit=2&cursor=${page1.nextCursor}`,
    headers: a.headers,
  });
  const page2 = second.json<Page<ProductView>>();
  assert.deepEqual(
    page2.items.map((p) => p.name),
    ['A0'],
  );
  assert.equal(page2.nextCursor, null);

  const spying = await ta.app.inject({
    method: 'GET',
    url: `/api/v1/products?organizationId=${orgB.id}`,
    headers: a.headers,
  });
  assert.equal(spying.statusCode, 404);
  const badCursor = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/products?cursor=bm90LWpzb24',
    headers: a.headers,
  });
  assert.equal(badCursor.statusCode, 400);
  assert.equal(problemOf(badCursor).code, 'invalid_cursor');

  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  const all = (await ta.app.inject({ method: 'GET', url: '/api/v1/products', headers: reviewer.headers })).json<
    Page<ProductView>
  >();
  assert.deepEqual(
    all.items.map((p) => p.id),
    [theirs.id, ...mine.map((p) => p.id).reverse()],
  );
  const onlyA = (
    await ta.app.inject({
      method: 'GET',
      url: `/api/v1/products?organizationId=${orgA.id}&status=draft`,
      headers: reviewer.headers,
    })
  ).json<Page<ProductView>>();
  assert.equal(onlyA.items.length, 3);
  assert.ok(onlyA.items.every((p) => p.organizationId === orgA.id));
});

test('GET /api/v1/products/{id}: owner and regulator staff with an ETag; another organisation 404; anonymous 401', async (t) => {
  const ta = await buildTestApp(t);
  const { user: owner } = await createOrgMember(ta);
  const { user: other } = await createOrgMember(ta, { role: 'org_admin' });
  const product = await createProduct(ta, owner);
  const url = `/api/v1/products/${product.id}`;

  const mine = await ta.app.inject({ method: 'GET', url, headers: owner.headers });
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.headers.etag, '"1"');
  assert.deepEqual(mine.json(), product);
  const statistician = await createUser(ta, { roles: ['statistician'] });
  assert.equal((await ta.app.inject({ method: 'GET', url, headers: statistician.headers })).statusCode, 200);
  const foreign = await ta.app.inject({ method: 'GET', url, headers: other.headers });
  assert.equal(foreign.statusCode, 404);
  assert.equal(problemOf(foreign).code, 'not_found');
  const missing = await ta.app.inject({
    method: 'GET',
    url: '/api/v1/products/01890a5d-ac96-774b-bcce-b302099a8057',
    headers: owner.headers,
  });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(problemOf(missing).title, problemOf(foreign).title, 'another organisation’s product looks missing');
  assert.equal((await ta.app.inject({ method: 'GET', url })).statusCode, 401);
  assert.equal(
    (await ta.app.inject({ method: 'GET', url: '/api/v1/products/not-a-uuid', headers: owner.headers })).statusCode,
    400,
  );
});

test('PATCH /api/v1/products/{id}: edits bump the revision; stale If-Match → 412; wrong actors 401/403/404; nothing stored on refusal', async (t) => {
  const ta = await buildTestApp(t);
  const { user: owner } = await createOrgMember(ta);
  const { user: other } = await createOrgMember(ta);
  const reviewer = await createUser(ta, { roles: ['reviewer'] });
  const product = await createProduct(ta, owner);

  const renamed = await patch(
    ta,
    owner,
    product.id,
    { name: '智能客服 3.0', version: '3.0.0', nameEn: null },
    { 'if-match': '"1"' },
  );
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.equal(renamed.headers.etag, '"2"');
  const after = renamed.json<ProductView>();
  assert.equal(after.version, 2);
  assert.equal(after.name, '智能客服 3.0');
  assert.equal(after.productVersion, '3.0.0');
  assert.equal(after.nameEn, null);
  assert.equal(after.tier, product.tier);
  const audit = await ta.db.selectFrom('audit_events').selectAll().where('action', '=', 'product.updated').execute();
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0]!.summary, { changedFields: ['name', 'nameEn', 'productVersion'] });
  assert.equal(
    (await ta.db.selectFrom('outbox_events').select('topic').where('topic', '=', 'product.updated').execute()).length,
    1,
  );

  const before = await tableCounts(ta, WRITE_TABLES);
  const stale = await patch(ta, owner, product.id, { name: 'stale' }, { 'if-match': '"1"' });
  assert.equal(stale.statusCode, 412);
  assert.equal(problemOf(stale).code, 'precondition_failed');
  assert.equal((await patch(ta, undefined, product.id, { name: 'x' })).statusCode, 401);
  const foreign = await patch(ta, other, product.id, { name: 'x' });
  assert.equal(foreign.statusCode, 404);
  const staff = await patch(ta, reviewer, product.id, { name: 'x' });
  assert.equal(staff.statusCode, 403);
  assert.equal((await patch(ta, owner, product.id, {})).statusCode, 400);
  assert.equal((await patch(ta, owner, product.id, { status: 'approved' })).statusCode, 400);
  const badCode = await patch(ta, owner, product.id, { catalogueCode: 'Q01' });
  assert.equal(badCode.statusCode, 422);
  assert.deepEqual(pointersOf(badCode), ['/catalogueCode']);
  const badAnswers = await patch(ta, owner, product.id, { riskAnswers: answers({ interactsWithPeople: 1 }) });
  assert.equal(badAnswers.statusCode, 422);
  assert.deepEqual(pointersOf(badAnswers), ['/riskAnswers/interactsWithPeople']);
  const unchanged = await patch(ta, owner, product.id, { name: '智能客服 3.0' });
  assert.equal(unchanged.statusCode, 200);
  assert.equal(unchanged.json<ProductView>().version, 2, 'a change to the same value is no change');
  assert.deepEqual(await tableCounts(ta, WRITE_TABLES), before);
  assert.equal((await getProduct(ta.db, product.id))?.version, 2);
});

test('PATCH /api/v1/products/{id}: new risk answers are graded again; a draft just changes tier', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const product = await createProduct(ta, user, { riskAnswers: answers({ domain: 'industrial' }) });
  assert.equal(product.tier, 'low');
  const response = await patch(ta, user, product.id, {
    riskAnswers: answers({
      domain: 'employment',
      annexIIIUses: ['employment_recruitment'],
      profilesNaturalPersons: true,
    }),
  });
  assert.equal(response.statusCode, 200, response.body);
  const updated = response.json<ProductView>();
  assert.equal(updated.tier, 'high');
  assert.equal(updated.status, 'draft');
  assert.deepEqual(
    updated.riskReasons.map((r) => r.ruleId),
    ['high.annex3.employment_recruitment'],
  );
  assert.deepEqual(
    updated.obligations.map((o) => o.code),
    ['ex_ante_assessment', 'risk_monitoring'],
  );
  const events = await ta.db
    .selectFrom('outbox_events')
    .select('topic')
    .where('aggregate_id', '=', product.id)
    .execute();
  assert.deepEqual(
    events.map((e) => e.topic),
    ['product.registered', 'product.updated'],
  );
});

for (const decided of ['approved', 'accepted', 'approved_with_conditions'] as const) {
  test(`PATCH /api/v1/products/{id}: a tier that rises after the product was ${decided} → reassessment_required (audited, outbox)`, async (t) => {
    const ta = await buildTestApp(t);
    const { organization, user } = await createOrgMember(ta);
    const product = await createProduct(ta, user);
    assert.equal(product.tier, 'medium');
    const moved = await moveTo(ta, product.id, decided);
    assert.equal(moved.status, decided);
    assert.equal(moved.version, 2);

    const response = await patch(
      ta,
      user,
      product.id,
      {
        riskAnswers: answers({ domain: 'consumer', interactsWithPeople: true, annexIIIUses: ['emotion_recognition'] }),
      },
      { 'if-match': '"2"' },
    );
    assert.equal(response.statusCode, 200, response.body);
    const updated = response.json<ProductView>();
    assert.equal(updated.tier, 'high');
    assert.equal(updated.status, 'reassessment_required');
    assert.equal(updated.version, 3);

    const audit = await ta.db
      .selectFrom('audit_events')
      .select(['action', 'summary'])
      .where('resource_id', '=', product.id)
      .orderBy('id') // UUIDv7: the order they were recorded in
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['product.registered', 'product.status_changed', 'product.updated', 'product.reassessment_required'],
    );
    assert.deepEqual(audit[3]!.summary, { statusBefore: decided, tierBefore: 'medium', tierAfter: 'high' });
    const events = await ta.db
      .selectFrom('outbox_events')
      .select(['topic', 'payload'])
      .where('aggregate_id', '=', product.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => e.topic),
      [
        'product.registered',
        'product.status_changed',
        'product.updated',
        'product.reassessment_required',
        'product.status_changed',
      ],
    );
    assert.deepEqual(events[3]!.payload, {
      productId: product.id,
      organizationId: organization.id,
      status: 'reassessment_required',
      previousStatus: decided,
      tier: 'high',
      previousTier: 'medium',
    });
  });
}

test('PATCH /api/v1/products/{id}: a falling tier, or a rise before any decision, keeps the status', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const approved = await createProduct(ta, user);
  await moveTo(ta, approved.id, 'approved');
  const lower = await patch(ta, user, approved.id, { riskAnswers: answers({ domain: 'industrial' }) });
  assert.equal(lower.json<ProductView>().tier, 'low');
  assert.equal(lower.json<ProductView>().status, 'approved');

  const underReview = await createProduct(ta, user);
  await moveTo(ta, underReview.id, 'under_review');
  const higher = await patch(ta, user, underReview.id, { riskAnswers: answers({ safetyComponent: true }) });
  assert.equal(higher.json<ProductView>().tier, 'high');
  assert.equal(higher.json<ProductView>().status, 'under_review');
});

test('PATCH /api/v1/products/{id}: a withdrawn product cannot be changed (409)', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const product = await createProduct(ta, user);
  await moveTo(ta, product.id, 'withdrawn');
  const before = await tableCounts(ta, WRITE_TABLES);
  const response = await patch(ta, user, product.id, { name: 'again' });
  assert.equal(response.statusCode, 409);
  assert.equal(problemOf(response).code, 'product_not_editable');
  assert.deepEqual(await tableCounts(ta, WRITE_TABLES), before);
});

test('setProductStatus / lockProduct / getProduct: the surface the filings module uses', async (t) => {
  const ta = await buildTestApp(t);
  const { organization, user } = await createOrgMember(ta);
  const product = await createProduct(ta, user);

  const filed = await moveTo(ta, product.id, 'filed');
  assert.equal(filed.status, 'filed');
  assert.equal(filed.version, 2);
  const again = await moveTo(ta, product.id, 'filed');
  assert.equal(again.version, 2, 'the same status again changes nothing');
  const events = await ta.db
    .selectFrom('outbox_events')
    .select('payload')
    .where('topic', '=', 'product.status_changed')
    .execute();
  assert.deepEqual(
    events.map((e) => e.payload),
    [
      {
        productId: product.id,
        organizationId: organization.id,
        status: 'filed',
        previousStatus: 'draft',
        reason: 'test: filed',
      },
    ],
  );
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('summary')
    .where('action', '=', 'product.status_changed')
    .execute();
  assert.deepEqual(
    audit.map((row) => row.summary),
    [{ from: 'draft', to: 'filed', reason: 'test: filed' }],
  );

  const locked = await ta.db.transaction().execute((trx) => lockProduct(trx, product.id));
  assert.equal(locked?.status, 'filed');
  assert.equal(await getProduct(ta.db, '01890a5d-ac96-774b-bcce-b302099a8057'), undefined);
  await assert.rejects(() => moveTo(ta, '01890a5d-ac96-774b-bcce-b302099a8057', 'filed'), { status: 404 });
});

test('PATCH /api/v1/products/{id}: two concurrent edits of the same revision — exactly one wins, the other gets 412', async (t) => {
  const ta = await buildTestApp(t);
  const { user } = await createOrgMember(ta);
  const product = await createProduct(ta, user);
  const responses = await Promise.all(
    ['甲', '乙'].map((name) => patch(ta, user, product.id, { name }, { 'if-match': '"1"' })),
  );
  assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 412]);
  const stored = await getProduct(ta.db, product.id);
  assert.equal(stored?.version, 2);
  const winner = responses.find((r) => r.statusCode === 200)!.json<ProductView>();
  assert.equal(stored?.name, winner.name);
  const audit = await ta.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', '=', 'product.updated')
    .execute();
  assert.equal(audit.length, 1);
});
