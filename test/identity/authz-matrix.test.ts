import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrganization, createUser, type TestUser } from '../factories.ts';
import { productBody } from '../products/fixtures.ts';
import { REGULATOR_ROLES } from '../../src/domain/identity.ts';

/**
 * Every route in the OpenAPI document × every kind of principal. The expectations are
 * written here by hand from the law's roles (not read from the Cedar policies), so a policy
 * that drifts, or a new route nobody classified, fails this test.
 */
type Who = 'anonymous' | 'memberA' | 'adminA' | 'memberB' | (typeof REGULATOR_ROLES)[number];
const EVERYONE: readonly Who[] = ['anonymous', 'memberA', 'adminA', 'memberB', ...REGULATOR_ROLES];
const STAFF: readonly Who[] = REGULATOR_ROLES;

/** Who is allowed; everyone else is refused (401 anonymous, 404 other organisation's object, else 403). */
type Rule = { allowed: readonly Who[]; objectOfA: boolean };

const PUBLIC: Rule = { allowed: EVERYONE, objectOfA: false };
const SIGNED_IN: Rule = { allowed: EVERYONE.filter((w) => w !== 'anonymous'), objectOfA: false };
const ADMIN: Rule = { allowed: ['regulator_admin'], objectOfA: false };
const ADMIN_ON_A: Rule = { allowed: ['regulator_admin'], objectOfA: true };
const REVIEWER: Rule = { allowed: ['reviewer'], objectOfA: false };
const REVIEWER_ON_A: Rule = { allowed: ['reviewer'], objectOfA: true };
const READ_A: Rule = { allowed: ['memberA', 'adminA', ...STAFF], objectOfA: true };
const WRITE_A: Rule = { allowed: ['memberA', 'adminA'], objectOfA: true };
const MEMBERS_AND_STAFF: Rule = { allowed: ['memberA', 'adminA', 'memberB', ...STAFF], objectOfA: false };
const OWN_ORGANISATION: Rule = { allowed: ['memberA', 'adminA', 'memberB'], objectOfA: false };
const DATA_STEWARD: Rule = { allowed: ['data_steward'], objectOfA: false };
const ORG_ADMIN_OF_A: Rule = { allowed: ['adminA', 'regulator_admin'], objectOfA: true };
const STATISTICIAN: Rule = { allowed: ['statistician'], objectOfA: false };
const ETHICS_READERS: Rule = {
  allowed: ['ethics_member', 'ethics_secretary', 'reviewer', 'regulator_admin'],
  objectOfA: false,
};
const ETHICS_MEMBER: Rule = { allowed: ['ethics_member'], objectOfA: false };
const ETHICS_SECRETARY: Rule = { allowed: ['ethics_secretary'], objectOfA: false };
const ETHICS_MEMBERSHIP_READ: Rule = { allowed: ['ethics_secretary', 'regulator_admin'], objectOfA: false };
/** Webhooks: an organisation administrator for its own organisation's, the regulator administrator for the regulator's. */
const WEBHOOK_OWNERS: Rule = { allowed: ['adminA', 'regulator_admin'], objectOfA: false };

const RULES: Record<string, Rule> = {
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/logout': SIGNED_IN,
  'GET /api/v1/auth/me': SIGNED_IN,
  'POST /api/v1/auth/password': SIGNED_IN,
  'POST /api/v1/auth/password-reset-requests': PUBLIC,
  'POST /api/v1/auth/password-resets': PUBLIC,
  'POST /api/v1/webhooks': WEBHOOK_OWNERS,
  'GET /api/v1/webhooks': WEBHOOK_OWNERS,
  'GET /api/v1/webhooks/:id': WEBHOOK_OWNERS,
  'DELETE /api/v1/webhooks/:id': WEBHOOK_OWNERS,
  'POST /api/v1/webhooks/:id/secret-rotations': WEBHOOK_OWNERS,
  'GET /api/v1/webhooks/:id/deliveries': WEBHOOK_OWNERS,
  'POST /api/v1/webhooks/:id/messages/:messageId/redeliveries': WEBHOOK_OWNERS,
  'GET /api/v1/integrations/status': ADMIN,
  'POST /api/v1/auth/tokens': SIGNED_IN,
  'GET /api/v1/auth/tokens': SIGNED_IN,
  'DELETE /api/v1/auth/tokens/:id': SIGNED_IN,
  'POST /api/v1/registrations': PUBLIC,
  'GET /api/v1/organizations': ADMIN,
  'GET /api/v1/organizations/:id': READ_A,
  'POST /api/v1/organizations/:id/verification': ADMIN_ON_A,
  'POST /api/v1/organizations/:id/users': ORG_ADMIN_OF_A,
  'GET /api/v1/organizations/:id/users': ORG_ADMIN_OF_A,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users': ADMIN,
  'GET /api/v1/audit': ADMIN,
  'GET /api/v1/audit/export.csv': ADMIN,
  'GET /api/v1/catalogue': PUBLIC,
  'GET /api/v1/catalogue/versions': PUBLIC,
  'POST /api/v1/catalogue/versions': ADMIN,
  'GET /api/v1/risk/questionnaire': PUBLIC,
  'POST /api/v1/risk/assessments': PUBLIC,
  'POST /api/v1/products': OWN_ORGANISATION,
  'GET /api/v1/products': MEMBERS_AND_STAFF,
  'GET /api/v1/products/:id': READ_A,
  'PATCH /api/v1/products/:id': WRITE_A,
  'GET /api/v1/calendar/working-days/add': PUBLIC,
  'GET /api/v1/calendar/:year': PUBLIC,
  'PUT /api/v1/calendar/:year': ADMIN,
  'GET /api/v1/calendar/status': PUBLIC,
  'POST /api/v1/calendar/:year/preview': ADMIN,
  'POST /api/v1/products/:id/filings': WRITE_A,
  'GET /api/v1/products/:id/filings': READ_A,
  'GET /api/v1/filings/:id': READ_A,
  'PATCH /api/v1/filings/:id': WRITE_A,
  'POST /api/v1/filings/:id/documents': WRITE_A,
  'DELETE /api/v1/filings/:id/documents/:documentId': WRITE_A,
  'GET /api/v1/documents/:id': READ_A,
  'POST /api/v1/filings/:id/submit': WRITE_A,
  'POST /api/v1/filings/:id/withdraw': WRITE_A,
  'POST /api/v1/filings/:id/information-responses': WRITE_A,
  'POST /api/v1/filings/:id/information-requests': REVIEWER_ON_A,
  // Sent with `{}`: a reviewer's claim. (An administrator's assignment needs a reviewerId: see test/filings.)
  'POST /api/v1/filings/:id/assignment': REVIEWER_ON_A,
  'POST /api/v1/filings/:id/decision': REVIEWER_ON_A,
  'GET /api/v1/review/queue': REVIEWER,
  'GET /api/v1/review/stats': { allowed: ['reviewer', 'regulator_admin'], objectOfA: false },
  'GET /api/v1/notifications': SIGNED_IN,
  'POST /api/v1/notifications/:id/read': SIGNED_IN,
  'GET /api/v1/public/products': PUBLIC,
  'GET /api/v1/public/products.csv': PUBLIC,
  'GET /api/v1/public/products.json': PUBLIC,
  'GET /api/v1/public/products/:id': PUBLIC,
  'GET /api/v1/transparency/checkpoint': PUBLIC,
  'GET /api/v1/transparency/public-key': PUBLIC,
  'GET /api/v1/transparency/entries': PUBLIC,
  'GET /api/v1/transparency/proofs/inclusion': PUBLIC,
  'GET /api/v1/transparency/proofs/consistency': PUBLIC,
  'POST /api/v1/statistics/periods': STATISTICIAN,
  'GET /api/v1/statistics/periods': PUBLIC,
  'PUT /api/v1/statistics/periods/:code/returns/mine': OWN_ORGANISATION,
  'GET /api/v1/statistics/periods/:code/returns/mine': OWN_ORGANISATION,
  'GET /api/v1/statistics/returns/mine': OWN_ORGANISATION,
  'GET /api/v1/statistics/periods/:code/returns': STATISTICIAN,
  'GET /api/v1/statistics/periods/:code/overdue': STATISTICIAN,
  'GET /api/v1/statistics/periods/:code/publication/preview': STATISTICIAN,
  'POST /api/v1/statistics/periods/:code/publication': STATISTICIAN,
  'GET /api/v1/public/statistics/periods/:code/tables/ai-revenue': PUBLIC,
  'GET /api/v1/public/statistics/periods/:code/tables/enterprises': PUBLIC,
  'POST /api/v1/filings/:id/ethics-referral': REVIEWER_ON_A,
  'GET /api/v1/ethics/cases': ETHICS_READERS,
  'GET /api/v1/ethics/cases/:id': ETHICS_READERS,
  'POST /api/v1/ethics/cases/:id/declarations': ETHICS_MEMBER,
  'POST /api/v1/ethics/cases/:id/votes': ETHICS_MEMBER,
  'POST /api/v1/ethics/cases/:id/opinion': ETHICS_SECRETARY,
  'GET /api/v1/ethics/members': ETHICS_MEMBERSHIP_READ,
  'GET /api/v1/ethics/members/:id/declarations': ETHICS_MEMBERSHIP_READ,
  'PUT /api/v1/ethics/members/:id': ADMIN,
  'GET /api/v1/public/ethics-opinions': PUBLIC,
  'POST /api/v1/datasets': DATA_STEWARD,
  'GET /api/v1/datasets': DATA_STEWARD,
  'GET /api/v1/datasets/:id': DATA_STEWARD,
  'PUT /api/v1/datasets/:id/data': DATA_STEWARD,
  'GET /api/v1/public/datasets': PUBLIC,
  'GET /api/v1/public/datasets/catalog.jsonld': PUBLIC,
  'GET /api/v1/public/datasets/:id': PUBLIC,
  'GET /api/v1/public/datasets/:id/data.csv': PUBLIC,
  'POST /api/v1/datasets/:id/access-requests': OWN_ORGANISATION,
  'GET /api/v1/access-requests': { allowed: ['memberA', 'adminA', 'memberB', 'data_steward'], objectOfA: false },
  'GET /api/v1/access-requests/:id': { allowed: ['memberA', 'adminA', 'data_steward'], objectOfA: true },
  'POST /api/v1/access-requests/:id/decision': DATA_STEWARD,
  'GET /api/v1/access-grants': { allowed: ['memberA', 'adminA', 'memberB', 'data_steward'], objectOfA: false },
  'GET /api/v1/access-grants/:id/extract.csv': { allowed: ['memberA', 'adminA'], objectOfA: true },
  // Trials: the object (a made-up id) is nobody's, so allowed roles get 404 and the rest 401/403.
  'POST /api/v1/trials': OWN_ORGANISATION,
  'GET /api/v1/trials': MEMBERS_AND_STAFF,
  'GET /api/v1/trials/:id': MEMBERS_AND_STAFF,
  'POST /api/v1/trials/:id/submit': OWN_ORGANISATION,
  'POST /api/v1/trials/:id/site-reviews': { allowed: ['adminA'], objectOfA: false },
  'GET /api/v1/site-reviews': { allowed: ['adminA'], objectOfA: false },
  'POST /api/v1/trials/:id/enrolments': OWN_ORGANISATION,
  'POST /api/v1/trials/:id/adverse-events': OWN_ORGANISATION,
  'POST /api/v1/trials/:id/resumption': REVIEWER,
  'POST /api/v1/trials/:id/extension': OWN_ORGANISATION,
  'POST /api/v1/trials/:id/reports': OWN_ORGANISATION,
  'GET /api/v1/public/trials': PUBLIC,
  'GET /api/v1/public/trials/:id': PUBLIC,
  'GET /api/v1/products/:id/tracking-reports': READ_A,
  'POST /api/v1/tracking-reports/:id/submission': WRITE_A,
  'GET /api/v1/monitoring/tracking-reports': REVIEWER,
  'POST /api/v1/products/:id/incidents': WRITE_A,
  'GET /api/v1/incidents/:id': READ_A,
  'POST /api/v1/incidents/:id/updates': WRITE_A,
  'POST /api/v1/incidents/:id/closure': REVIEWER_ON_A,
  'GET /api/v1/monitoring/incidents': REVIEWER,
  'POST /api/v1/products/:id/warnings': REVIEWER_ON_A,
  'POST /api/v1/warnings/:id/lifting': REVIEWER_ON_A,
  'GET /api/v1/products/:id/warnings': READ_A,
  'GET /api/v1/monitoring/warnings': REVIEWER,
  'GET /api/v1/public/warnings': PUBLIC,
  'GET /api/v1/public/warnings.atom': PUBLIC,
  'POST /api/v1/public/products/:id/reports': PUBLIC,
  'GET /api/v1/public/reports/:trackingCode': PUBLIC,
  'GET /api/v1/products/:id/public-reports': READ_A,
  'POST /api/v1/public-reports/:id/response': WRITE_A,
  'GET /api/v1/monitoring/public-reports': REVIEWER,
};

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** A minimal value the schema accepts: enough to get past validation to the authorization check. */
function sample(schema: JsonSchema, key = '', isPatch = false): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return sample(variants.find((v) => v.type !== 'null') ?? variants[0]!, key);
  if (schema.allOf !== undefined) return Object.assign({}, ...schema.allOf.map((s) => sample(s, key)));
  const type = (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type) ?? 'object';
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const names = schema.required ?? [];
      // A PATCH body with no required field still needs one field to say something.
      const chosen = names.length > 0 || !isPatch ? names : Object.keys(schema.properties ?? {}).slice(0, 1);
      for (const name of chosen) out[name] = sample(schema.properties?.[name] ?? {}, name);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, key));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'email') return `matrix-${Math.random().toString(36).slice(2)}@example.cn`;
      if (schema.format === 'uuid') return '0190a000-0000-7000-8000-000000000000';
      if (schema.format === 'date') return '2026-03-02';
      if (schema.format === 'date-time') return '2026-03-02T00:00:00Z';
      if (/password/i.test(key)) return 'Matrix-test-password-2026';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 12));
    default:
      return {};
  }
}

interface Operation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
}

interface Fixtures {
  orgA: string;
  productA: string;
  filingA: string;
  documentA: string;
  accessRequestA: string;
  grantA: string;
  /** Monitoring objects of organisation A (written directly: their routes are what is checked). */
  monitoringA: Record<string, string>;
}

async function monitoringFixtures(t: TestApp, orgA: string, productA: string): Promise<Record<string, string>> {
  const now = new Date('2026-03-02T02:00:00Z');
  const ids = {
    '/api/v1/tracking-reports/': '0190a000-0000-7000-8000-0000000000a1',
    '/api/v1/incidents/': '0190a000-0000-7000-8000-0000000000a2',
    '/api/v1/warnings/': '0190a000-0000-7000-8000-0000000000a3',
    '/api/v1/public-reports/': '0190a000-0000-7000-8000-0000000000a4',
  };
  const own = { product_id: productA, organization_id: orgA };
  await t.db
    .insertInto('tracking_reports')
    .values({
      id: ids['/api/v1/tracking-reports/'],
      ...own,
      kind: 'tracking',
      period_start: '2026-01-01',
      period_end: '2026-01-31',
      due_date: '2026-02-20',
      due_date_provisional: false,
      submitted_at: null,
      submitted_by: null,
      active_users: null,
      incident_count: null,
      complaints_received: null,
      material_changes: null,
      metrics: null,
      source_filing_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.db
    .insertInto('incidents')
    .values({
      id: ids['/api/v1/incidents/'],
      ...own,
      occurred_at: now,
      aware_at: now,
      serious: false,
      harms: '[]',
      widespread: false,
      description: 'd',
      immediate_measures: 'm',
      report_deadline: null,
      reported_late: false,
      status: 'open',
      conclusion: null,
      closed_at: null,
      closed_by: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.db
    .insertInto('warnings')
    .values({
      id: ids['/api/v1/warnings/'],
      ...own,
      level: 'blue',
      level_rank: 0,
      source: 'manual',
      rule_id: null,
      ruleset_version: null,
      lifted_by_rule: 'reviewer',
      reasons_zh: 'r',
      reasons_en: 'r',
      measures_zh: '[]',
      measures_en: '[]',
      tracking_report_id: null,
      incident_id: null,
      issued_at: now,
      issued_by: null,
      lifted_at: null,
      lifted_by: null,
      lift_reasons: null,
    })
    .execute();
  await t.db
    .insertInto('public_reports')
    .values({
      id: ids['/api/v1/public-reports/'],
      ...own,
      tracking_code: 'MATRIX-CODE',
      category: 'other',
      message: 'a matrix report',
      contact_email: null,
      submitted_at: now,
      submitted_date: '2026-03-02',
      due_date: '2026-03-16',
      due_date_provisional: false,
      response: null,
      responded_at: null,
      responded_by: null,
    })
    .execute();
  return ids;
}

async function fixtures(t: TestApp, memberA: TestUser, orgA: string): Promise<Fixtures> {
  const product = await t.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: memberA.headers,
    payload: productBody(),
  });
  assert.equal(product.statusCode, 201, product.body);
  const productA = product.json<{ id: string }>().id;
  const filing = await t.app.inject({
    method: 'POST',
    url: `/api/v1/products/${productA}/filings`,
    headers: memberA.headers,
    payload: { kind: 'disclosure', summary: '面向公众的智能客服，使用大语言模型回答咨询。' },
  });
  assert.equal(filing.statusCode, 201, filing.body);
  const filingA = filing.json<{ id: string }>().id;
  const { accessRequestA, grantA } = await grantFixture(t, memberA);
  return {
    orgA,
    productA,
    filingA,
    documentA: await uploadNote(t, memberA, filingA),
    accessRequestA,
    grantA,
    monitoringA: await monitoringFixtures(t, orgA, productA),
  };
}

/** A conditional dataset, organisation A's access request for it, granted. */
async function grantFixture(t: TestApp, memberA: TestUser): Promise<{ accessRequestA: string; grantA: string }> {
  const steward = await createUser(t, { roles: ['data_steward'] });
  const dataset = await t.app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: steward.headers,
    payload: {
      title: '数据集',
      titleEn: 'Dataset',
      description: '说明',
      descriptionEn: 'About',
      publisher: '深圳市数据局',
      openness: 'conditional',
      themes: ['TECH'],
      license: 'CC-BY-4.0',
      updateFrequency: 'IRREG',
      fields: [{ name: 'age', type: 'integer', classification: 'quasi_identifier' }],
    },
  });
  assert.equal(dataset.statusCode, 201, dataset.body);
  const request = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${dataset.json<{ id: string }>().id}/access-requests`,
    headers: memberA.headers,
    payload: { purpose: '研究', legalBasis: '条例', fields: ['age'], durationDays: 365 },
  });
  assert.equal(request.statusCode, 201, request.body);
  const accessRequestA = request.json<{ id: string }>().id;
  const decided = await t.app.inject({
    method: 'POST',
    url: `/api/v1/access-requests/${accessRequestA}/decision`,
    headers: steward.headers,
    payload: { decision: 'granted', reasons: '同意' },
  });
  assert.equal(decided.statusCode, 200, decided.body);
  return { accessRequestA, grantA: decided.json<{ grant: { id: string } }>().grant.id };
}

/** A small document on filing A (the DELETE route gets a fresh one per request: it removes it). */
async function uploadNote(t: TestApp, member: TestUser, filingId: string): Promise<string> {
  const boundary = 'matrixboundary';
  const multipart =
    `--${boundary}\r\nContent-Disposition: form-data; name="documentType"\r\n\r\nother\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\n说明文件 note\r\n` +
    `--${boundary}--\r\n`;
  const document = await t.app.inject({
    method: 'POST',
    url: `/api/v1/filings/${filingId}/documents`,
    headers: { ...member.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: multipart,
  });
  assert.equal(document.statusCode, 201, document.body);
  return document.json<{ id: string }>().id;
}

function concretePath(url: string, f: Fixtures, documentId = f.documentA): string {
  const id = url.startsWith('/api/v1/organizations/')
    ? f.orgA
    : url.startsWith('/api/v1/products/')
      ? f.productA
      : url.startsWith('/api/v1/filings/')
        ? f.filingA
        : url.startsWith('/api/v1/documents/')
          ? f.documentA
          : url.startsWith('/api/v1/access-requests/')
            ? f.accessRequestA
            : url.startsWith('/api/v1/access-grants/')
              ? f.grantA
              : (Object.entries(f.monitoringA).find(([prefix]) => url.startsWith(prefix))?.[1] ??
                '0190a000-0000-7000-8000-000000000000');
  return url
    .replace(':id', id)
    .replace(':year', '2026')
    .replace(':documentId', documentId)
    .replace(':code', '2025')
    .replace(':messageId', 'msg_0190a000-0000-7000-8000-000000000000');
}

test('route × principal authorization matrix covers every route in the OpenAPI document', async (t) => {
  const ta = await buildTestApp(t);
  const orgA = await createOrganization(ta);
  const orgB = await createOrganization(ta);
  const seedMember = await createUser(ta, { roles: ['org_member'], organizationId: orgA.id });
  const f = await fixtures(ta, seedMember, orgA.id);

  const openapi = (await ta.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  const unclassified: string[] = [];
  const seen = new Set<string>();
  const failures: string[] = [];
  let checked = 0;
  for (const [openapiPath, methods] of Object.entries(openapi.paths)) {
    if (!openapiPath.startsWith('/api/v1/')) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const url = openapiPath.replace(/\{(\w+)\}/g, ':$1');
      const key = `${method.toUpperCase()} ${url}`;
      seen.add(key);
      const rule = RULES[key];
      if (rule === undefined) {
        unclassified.push(key);
        continue;
      }
      const declared = ta.app.routeActions.find((r) => r.method === method.toUpperCase() && r.url === url);
      assert.ok(declared !== undefined, `${key} declares no authorization action`);
      const query = new URLSearchParams();
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.required === true)
          query.set(parameter.name, String(sample(parameter.schema ?? {}, parameter.name)));
      }
      if (url.endsWith('/working-days/add')) {
        query.set('from', '2026-03-02');
        query.set('days', '1');
      }
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      for (const who of EVERYONE) {
        // Fresh credentials per request: logout or a password change must not spill into the next row.
        const headers: Record<string, string> =
          who === 'anonymous'
            ? {}
            : (
                await createUser(ta, {
                  roles:
                    who === 'memberA' || who === 'memberB' ? ['org_member'] : who === 'adminA' ? ['org_admin'] : [who],
                  organizationId:
                    who === 'memberA' || who === 'adminA' ? orgA.id : who === 'memberB' ? orgB.id : undefined,
                })
              ).headers;
        const documentId = url.includes(':documentId') ? await uploadNote(ta, seedMember, f.filingA) : f.documentA;
        const response = await ta.app.inject({
          method: method.toUpperCase() as 'GET',
          url: concretePath(url, f, documentId) + (query.size > 0 ? `?${query.toString()}` : ''),
          headers: { ...headers, ...(bodySchema === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(bodySchema === undefined ? {} : { payload: JSON.stringify(sample(bodySchema, '', method === 'patch')) }),
        });
        checked += 1;
        const status = response.statusCode;
        const allowed = rule.allowed.includes(who);
        const expected = allowed
          ? 'not 401/403' + (rule.objectOfA ? '/404' : '')
          : who === 'anonymous'
            ? '401'
            : // Another organisation's object is invisible (404) to a role that could act on its own;
              // a role that can never act is refused (403) before anything is looked up.
              rule.objectOfA && who === 'memberB' && rule.allowed.includes('memberA')
              ? '404'
              : '403';
        // "Allowed" means not refused: a 401 about wrong credentials (login) is an answer, not a refusal.
        const refusedAsAnonymous = status === 401 && response.json<{ code?: string }>().code === 'unauthenticated';
        const ok = allowed
          ? !refusedAsAnonymous && status !== 403 && !(rule.objectOfA && status === 404) && status < 500
          : String(status) === expected;
        if (!ok)
          failures.push(`${key} as ${who}: got ${status}, expected ${expected} (${response.body.slice(0, 160)})`);
      }
    }
  }
  t.diagnostic(`authorization matrix: ${checked} requests`);
  assert.deepEqual(unclassified, [], `routes without an expectation in this matrix: ${unclassified.join(', ')}`);
  assert.deepEqual(failures, []);
  // And the other way round: a route this matrix knows (most are the contract's) has not vanished.
  assert.deepEqual(
    Object.keys(RULES).filter((key) => !seen.has(key)),
    [],
    'routes in the matrix missing from the OpenAPI document',
  );
});
