/**
 * Schema-driven fuzzing of every operation in /api/v1/openapi.json (issue #9).
 *
 * For each operation the fuzzer builds a valid baseline request from the schema (with a few
 * name-based hints for semantically valid data: a real USCC, catalogue code, risk answers),
 * then mutates path ids, query parameters, the body and headers with hostile values, and
 * sends a seeded sample as every principal. Rules:
 *   - never a 5xx;
 *   - a request that is invalid by construction (Ajv says so against the operation's own
 *     schema, or it is not JSON at all) gets a 4xx — a 2xx is allowed only for valid input;
 *   - every 4xx is application/problem+json, and no body carries a stack trace or SQL text;
 *   - requests that were all rejected leave every table's row count unchanged (only failed
 *     logins legitimately write, to login_throttle).
 * Replay a run with AIGOV_FUZZ_SEED=<seed>; widen it with AIGOV_FUZZ_BUDGET=<requests>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { randomUscc, TEST_PASSWORD } from '../factories.ts';
import {
  BAD_IDS,
  bodyMutations,
  describe,
  inlineRefs,
  operationsOf,
  pick,
  prng,
  queryValues,
  sample,
  validatesBody,
  validatesText,
  validValue,
  type Hints,
  type JsonSchema,
  type OpenApiOperation,
  type Random,
} from './fuzz-inputs.ts';
import { createPrincipals, type FuzzPrincipal, type PrincipalSet } from './principals.ts';
import {
  catalogueCode,
  claimFiling,
  createFiling,
  createProduct,
  injectClient,
  multipartBody,
  riskAnswers,
  submitFiling,
  TINY_PDF,
  uploadRiskReport,
  type HttpClient,
  type HttpResponse,
} from './workflow.ts';

const SEED = Number(process.env.AIGOV_FUZZ_SEED ?? 20_261_128);
const BUDGET = Number(process.env.AIGOV_FUZZ_BUDGET ?? 5000);

interface FuzzCase {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  raw?: string | Buffer;
  /** Invalid by construction: the answer must be a 4xx. */
  invalid: boolean;
}

interface Violation {
  principal: string;
  request: string;
  label: string;
  status: number;
  problem: string;
  body: string;
}

const STACK_TRACE = /at .*\.[cm]?[tj]s:\d+|node_modules\//;
const SQL_TEXT =
  /\bSELECT\b|\bINSERT INTO\b|syntax error|duplicate key|violates|relation "|column "|invalid byte sequence|unsupported Unicode/i;

/** Tables whose rows a rejected request may legitimately add. */
const REJECTION_WRITES: Record<string, readonly string[]> = {
  'POST /api/v1/auth/login': ['login_throttle'],
  'POST /api/v1/auth/password': ['login_throttle'],
};

async function allTables(t: TestApp): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(t.db);
  return result.rows.map((row) => row.table_name);
}

/** Row counts of every table in one round trip. */
async function countRows(t: TestApp, tables: readonly string[]): Promise<Record<string, number>> {
  const selects = tables.map((table) => sql`(SELECT count(*) FROM ${sql.table(table)})::int AS ${sql.ref(table)}`);
  const result = await sql<Record<string, number>>`SELECT ${sql.join(selects)}`.execute(t.db);
  return result.rows[0]!;
}

interface Fixtures {
  code: string;
  notes: string[];
  filing(stage: FilingStage): Promise<string | undefined>;
  productId?: string;
  publicProductId?: string;
  documentId?: string;
}

type FilingStage = 'draft' | 'submitted' | 'under_review' | 'information_requested';

/** Best effort: real objects for the paths, so mutations reach the services, not just the 404. */
async function buildFixtures(client: HttpClient, p: PrincipalSet): Promise<Fixtures> {
  const notes: string[] = [];
  const code = await catalogueCode(client);
  const fixtures: Fixtures = {
    code,
    notes,
    async filing(stage) {
      try {
        const tier = stage === 'draft' ? 'low' : 'high';
        const product = await createProduct(client, p.memberA.headers, tier);
        const filing = await createFiling(client, p.memberA.headers, product.id, tier);
        if (stage === 'draft') return filing.id;
        await uploadRiskReport(client, p.memberA.headers, filing.id);
        const submitted = await submitFiling(client, p.memberA.headers, filing.id);
        if (submitted.status !== 200) throw new Error(`submit → ${submitted.status}`);
        if (stage === 'submitted') return filing.id;
        const claimed = await claimFiling(client, p.reviewer.headers, filing.id);
        if (claimed.status !== 200) throw new Error(`claim → ${claimed.status}`);
        if (stage === 'under_review') return filing.id;
        const asked = await client.send({
          method: 'POST',
          url: `/api/v1/filings/${filing.id}/information-requests`,
          headers: p.reviewer.headers,
          body: { message: '请补充测试报告' },
        });
        if (asked.status !== 200) throw new Error(`information request → ${asked.status}`);
        return filing.id;
      } catch (error) {
        notes.push(`no ${stage} filing fixture (${(error as Error).message.slice(0, 120)}); random ids used`);
        return undefined;
      }
    },
  };
  try {
    fixtures.productId = (await createProduct(client, p.memberA.headers, 'low')).id;
    const draft = await fixtures.filing('draft');
    if (draft !== undefined) {
      const { boundary, body } = multipartBody(
        { documentType: 'technical_documentation' },
        { name: 'doc.pdf', contentType: 'application/pdf', bytes: TINY_PDF },
      );
      const uploaded = await client.send({
        method: 'POST',
        url: `/api/v1/filings/${draft}/documents`,
        headers: { ...p.memberA.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
        raw: body,
      });
      if (uploaded.status === 201) fixtures.documentId = uploaded.json<{ id: string }>().id;
      const submitted = await submitFiling(client, p.memberA.headers, draft);
      if (submitted.status === 200) {
        fixtures.publicProductId = submitted.json<{ productId: string }>().productId;
      }
    }
  } catch (error) {
    notes.push(`product fixtures unavailable (${(error as Error).message.slice(0, 120)})`);
  }
  return fixtures;
}

function hintsFor(p: PrincipalSet, fixtures: Fixtures): Hints {
  const email = () => `fuzz-${crypto.randomBytes(5).toString('hex')}@example.cn`;
  return {
    uscc: () => randomUscc(),
    email,
    password: () => `${TEST_PASSWORD}-${crypto.randomBytes(3).toString('hex')}`,
    newPassword: () => `${TEST_PASSWORD}-${crypto.randomBytes(3).toString('hex')}`,
    // Never the real current password: the fuzzer must not change its principals' passwords.
    currentPassword: () => 'not-the-current-password-1',
    token: () => `aigov_rst_${crypto.randomBytes(32).toString('base64url')}`,
    catalogueCode: () => fixtures.code,
    riskAnswers: () => riskAnswers('low'),
    answers: () => riskAnswers('medium'),
    reviewerId: () => p.reviewer.id,
    role: () => 'org_member',
    roles: () => ['reviewer'],
    kind: () => 'disclosure',
    outcome: () => 'approved',
    summary: () => '摘要 summary',
    transparencyMeasures: () => '界面标注 AI label',
    reasons: () => '理由 reasons',
    message: () => '请补充材料 please add documents',
    nameEn: () => 'Fuzz Co.',
  };
}

/** Real ids where the path names a resource the principals can reach; random otherwise. */
async function pathValues(op: OpenApiOperation, p: PrincipalSet, fixtures: Fixtures): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const param of op.parameters.filter((x) => x.in === 'path')) {
    let value: string | undefined;
    const path = op.path;
    if (param.name === 'year') value = '2026';
    else if (path.startsWith('/api/v1/organizations/{id}/verification')) value = p.pendingOrg.id;
    else if (path.startsWith('/api/v1/organizations/{id}')) value = p.orgA.id;
    else if (path.startsWith('/api/v1/public/products/{id}')) value = fixtures.publicProductId;
    else if (path.startsWith('/api/v1/products/{id}')) value = fixtures.productId;
    else if (path.startsWith('/api/v1/documents/{id}')) value = fixtures.documentId;
    else if (path.startsWith('/api/v1/filings/{id}')) {
      const action = path.split('/').pop();
      const stage: FilingStage =
        action === 'assignment'
          ? 'submitted'
          : action === 'decision' || action === 'information-requests'
            ? 'under_review'
            : action === 'information-responses'
              ? 'information_requested'
              : 'draft';
      value = await fixtures.filing(stage);
    }
    values[param.name] = value ?? crypto.randomUUID();
  }
  return values;
}

function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? crypto.randomUUID());
}

function queryString(params: Array<[string, string]>): string {
  if (params.length === 0) return '';
  return `?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeQueryValue(v)}`).join('&')}`;
}

/** Lone surrogates cannot be percent-encoded as UTF-8: send the bytes a sloppy client would (CESU-8). */
function encodeQueryValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value
      .split('')
      .map((ch) => {
        const code = ch.charCodeAt(0);
        if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(ch);
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      })
      .join('');
  }
}

function isJsonType(contentType: string | undefined): boolean {
  return contentType === undefined || /^application\/(.+\+)?json/.test(contentType);
}

/** Every case for one operation (the caller samples per principal). */
function casesFor(
  op: OpenApiOperation,
  path: Record<string, string>,
  hints: Hints,
  doc: Record<string, unknown>,
): { baseline: FuzzCase; cases: FuzzCase[] } {
  const queryParams = op.parameters.filter((x) => x.in === 'query');
  const baseQuery: Array<[string, string]> = queryParams
    .filter((q) => q.required === true && q.schema?.default === undefined)
    .map((q) => [q.name, String(validValue(q.schema, hints, q.name))]);
  const bodySchema =
    op.bodySchema === undefined ? undefined : (inlineRefs(op.bodySchema, doc) as JsonSchema | undefined);
  const multipart = op.bodyContentType?.startsWith('multipart/') === true;
  const jsonBody = bodySchema !== undefined && !multipart;
  const baselineBody = jsonBody ? validValue(bodySchema, hints) : undefined;
  const url = (pathValues: Record<string, string>, query = baseQuery) =>
    `${fillPath(op.path, pathValues)}${queryString(query)}`;
  const headersFor = (raw: string | undefined, contentType = 'application/json'): Record<string, string> =>
    raw === undefined ? {} : { 'content-type': contentType };
  const baselineRaw = baselineBody === undefined ? undefined : JSON.stringify(baselineBody);
  const baseline: FuzzCase = {
    label: 'baseline',
    method: op.method,
    url: url(path),
    headers: headersFor(baselineRaw),
    raw: baselineRaw,
    invalid: false,
  };
  const cases: FuzzCase[] = [];
  const withBody = (label: string, invalid: boolean, target: string) => ({
    label,
    method: op.method,
    url: target,
    headers: headersFor(baselineRaw),
    raw: baselineRaw,
    invalid,
  });

  // Path parameters: malformed, nil, random and hostile ids.
  for (const param of op.parameters.filter((x) => x.in === 'path')) {
    const candidates = param.name === 'year' ? ['1899', '99999', '-1', '2026.5', '２０２６', 'abcd', '0'] : [];
    for (const bad of [...BAD_IDS, ...candidates]) {
      let decoded: string | undefined;
      try {
        decoded = decodeURIComponent(bad);
      } catch {
        decoded = undefined;
      }
      const invalid = decoded === undefined || !validatesText(param.schema, decoded) || bad.length > 200;
      cases.push(withBody(`path ${param.name}=${describe(bad)}`, invalid, url({ ...path, [param.name]: bad })));
    }
  }

  // Query parameters: wrong types, bounds, hostile strings, bad cursors, unknown names.
  for (const param of queryParams) {
    for (const value of queryValues(param.name, param.schema)) {
      const query = [...baseQuery.filter(([k]) => k !== param.name), [param.name, value] as [string, string]];
      cases.push(
        withBody(`query ${param.name}=${describe(value)}`, !validatesText(param.schema, value), url(path, query)),
      );
    }
    cases.push(
      withBody(
        `query ${param.name} repeated`,
        false,
        url(path, [...baseQuery, [param.name, '1'] as [string, string], [param.name, '2'] as [string, string]]),
      ),
    );
  }
  cases.push(withBody('query unknown parameter', false, url(path, [...baseQuery, ['unexpected', 'x']])));
  cases.push(withBody('query bad percent-encoding', false, `${url(path)}${baseQuery.length > 0 ? '&' : '?'}q=%zz`));

  // Bodies.
  if (jsonBody) {
    for (const mutation of bodyMutations(bodySchema, baselineBody)) {
      const raw = mutation.raw ?? JSON.stringify(mutation.value);
      const contentType = mutation.contentType ?? 'application/json';
      let invalid: boolean;
      if (!isJsonType(contentType) && contentType !== 'text/plain') invalid = true;
      else if (contentType === 'text/plain') invalid = !validatesBody(bodySchema, raw);
      else if (/"__proto__"|"constructor"/.test(raw.slice(0, 40))) invalid = true;
      else {
        try {
          invalid = !validatesBody(bodySchema, JSON.parse(raw));
        } catch {
          invalid = true;
        }
      }
      cases.push({
        label: `body ${mutation.label}`,
        method: op.method,
        url: url(path),
        headers: { 'content-type': contentType },
        raw,
        invalid,
      });
    }
  } else if (multipart) {
    const part = (
      label: string,
      invalid: boolean,
      fields: Record<string, string>,
      file?: Parameters<typeof multipartBody>[1],
    ) => {
      const { boundary, body } = multipartBody(fields, file);
      cases.push({
        label: `multipart ${label}`,
        method: op.method,
        url: url(path),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        raw: body,
        invalid,
      });
    };
    const pdf = { name: 'a.pdf', contentType: 'application/pdf', bytes: TINY_PDF };
    part('no file', true, { documentType: 'other' });
    part('no documentType', true, {}, pdf);
    part('bad documentType', true, { documentType: "' OR 1=1--" }, pdf);
    part(
      'executable bytes',
      true,
      { documentType: 'other' },
      {
        name: 'a.pdf',
        contentType: 'application/pdf',
        bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'),
      },
    );
    part(
      'html as text',
      false,
      { documentType: 'other' },
      {
        name: '<script>.txt',
        contentType: 'text/plain',
        bytes: Buffer.from('<script>alert(1)</script>'),
      },
    );
    part('traversal file name', false, { documentType: 'other' }, { ...pdf, name: '../../../etc/passwd.pdf' });
    part('empty file', true, { documentType: 'other' }, { ...pdf, bytes: Buffer.alloc(0) });
    part('huge field', true, { documentType: 'x'.repeat(5000) }, pdf);
    cases.push({
      label: 'multipart without boundary',
      method: op.method,
      url: url(path),
      headers: { 'content-type': 'multipart/form-data' },
      raw: 'garbage',
      invalid: true,
    });
    cases.push({
      label: 'json instead of multipart',
      method: op.method,
      url: url(path),
      headers: { 'content-type': 'application/json' },
      raw: '{"documentType":"other"}',
      invalid: true,
    });
  } else if (op.method !== 'GET' && op.method !== 'DELETE') {
    cases.push({
      ...withBody('malformed JSON to a bodiless route', true, url(path)),
      raw: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
  }

  // Headers: credentials, retries, preconditions, languages.
  const declared = new Map(op.parameters.filter((x) => x.in === 'header').map((x) => [x.name.toLowerCase(), x]));
  for (const authorization of [
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    `Bearer aigov_s_${crypto.randomBytes(32).toString('base64url')}`,
    `Bearer aigov_pat_${crypto.randomBytes(32).toString('base64url')}`,
    `Bearer ${'x'.repeat(8000)}`,
    "Bearer ' OR 1=1--",
  ]) {
    cases.push({
      ...withBody(`authorization ${describe(authorization)}`, true, url(path)),
      headers: { ...headersFor(baselineRaw), authorization },
    });
  }
  cases.push({
    ...withBody('stale session cookie', false, url(path)),
    headers: { ...headersFor(baselineRaw), cookie: `aigov_session=aigov_s_${crypto.randomBytes(8).toString('hex')}` },
  });
  for (const key of ['', 'ключ', 'x'.repeat(300), "' OR 1=1--", crypto.randomUUID()]) {
    const schema = declared.get('idempotency-key')?.schema;
    const invalid = schema !== undefined && !validatesText(schema, key);
    cases.push({
      ...withBody(`idempotency-key ${describe(key)}`, invalid, url(path)),
      headers: {
        ...headersFor(baselineRaw),
        'idempotency-key': encodeURIComponent(key) === key ? key : key.replace(/[^\x21-\x7e]/g, '?'),
      },
    });
  }
  for (const ifMatch of ['garbage', '"999999"', 'W/"0"', '*', '"-1"', `"${'9'.repeat(400)}"`]) {
    const schema = declared.get('if-match')?.schema;
    cases.push({
      ...withBody(`if-match ${describe(ifMatch)}`, schema !== undefined && !validatesText(schema, ifMatch), url(path)),
      headers: { ...headersFor(baselineRaw), 'if-match': ifMatch },
    });
  }
  for (const language of ['xx-YY;q=abc', 'en;q=2,zh;q=-1', '*', 'a'.repeat(5000)]) {
    cases.push({
      ...withBody(`accept-language ${describe(language)}`, false, url(path)),
      headers: { ...headersFor(baselineRaw), 'accept-language': language },
    });
  }
  if (baselineRaw !== undefined) {
    cases.push({
      ...withBody('content-type utf-16', false, url(path)),
      headers: { 'content-type': 'application/json; charset=utf-16' },
    });
    cases.push({
      ...withBody('content-length lies', false, url(path)),
      headers: { 'content-type': 'application/json', 'content-length': '1' },
    });
  }
  return { baseline, cases };
}

function checkResponse(fuzzCase: FuzzCase, res: HttpResponse): string | undefined {
  if (res.status >= 500) return 'server error';
  if (fuzzCase.invalid && (res.status < 400 || res.status >= 500)) return `invalid input answered ${res.status}`;
  if (res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
    return `4xx with content-type ${res.headers['content-type']}`;
  }
  if (STACK_TRACE.test(res.text)) return 'stack trace in the body';
  if (res.status >= 400 && SQL_TEXT.test(res.text)) return 'SQL text in an error';
  return undefined;
}

test(
  'fuzz: every operation, every principal — never a 5xx, 4xx for invalid input, nothing written',
  { timeout: 600_000 },
  async (t) => {
    const started = Date.now();
    const random: Random = prng(SEED);
    const ta = await buildTestApp(t, { env: { AIGOV_SELF_CHECK_RATE_LIMIT: '0' } });
    const client = injectClient(ta.app);
    const principals = await createPrincipals(ta);
    const docResponse = await client.send({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(docResponse.status, 200);
    const doc = docResponse.json<{ paths: Record<string, Record<string, unknown>> } & Record<string, unknown>>();
    const operations = operationsOf(doc).filter((op) => op.path.startsWith('/api/v1/'));
    assert.ok(operations.length >= 20, `only ${operations.length} operations in the OpenAPI document`);
    const fixtures = await buildFixtures(client, principals);
    const hints = hintsFor(principals, fixtures);
    const tables = await allTables(ta);
    const perOperation = Math.max(12, Math.floor(BUDGET / operations.length));

    const violations: Violation[] = [];
    const perStatus = new Map<number, number>();
    let requests = 0;
    let dbChecks = 0;
    let serverErrors = 0;
    const covered = new Set<string>();

    const send = async (principal: FuzzPrincipal, fuzzCase: FuzzCase): Promise<HttpResponse> => {
      const res = await client.send({
        method: fuzzCase.method,
        url: fuzzCase.url,
        headers: { ...principal.headers, ...fuzzCase.headers },
        ...(fuzzCase.raw === undefined ? {} : { raw: fuzzCase.raw }),
      });
      requests += 1;
      perStatus.set(res.status, (perStatus.get(res.status) ?? 0) + 1);
      if (res.status >= 500) serverErrors += 1;
      const problem = checkResponse(fuzzCase, res);
      if (problem !== undefined) {
        violations.push({
          principal: principal.name,
          request: `${fuzzCase.method} ${fuzzCase.url.slice(0, 160)}`,
          label: fuzzCase.label,
          status: res.status,
          problem,
          body: res.text.slice(0, 300),
        });
      }
      return res;
    };

    // Fixtures first: fuzzing some operations (a calendar upload, a catalogue publication)
    // may legitimately change what later fixtures would need.
    const paths = new Map<OpenApiOperation, Record<string, string>>();
    for (const op of operations) paths.set(op, await pathValues(op, principals, fixtures));

    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      const path = paths.get(op)!;
      const { baseline, cases } = casesFor(op, path, hints, doc);
      // Signing out would end the fuzzer's own sessions: only the anonymous (and bad credentials) try it.
      const speakers = key === 'POST /api/v1/auth/logout' ? principals.all.slice(0, 1) : principals.all;
      const depth = new Map<string, boolean>();
      for (const principal of speakers) {
        const res = await send(principal, baseline);
        depth.set(principal.name, res.status < 400 || [400, 409, 412, 422, 429].includes(res.status));
      }
      const weight = (name: string) => (depth.get(name) === true ? 5 : 1);
      const totalWeight = speakers.reduce((sum, pr) => sum + weight(pr.name), 0);
      for (const principal of speakers) {
        const share = Math.max(4, Math.round((perOperation * weight(principal.name)) / totalWeight));
        const chosen = sample(random, cases, share);
        const invalid = chosen.filter((c) => c.invalid);
        const rest = chosen.filter((c) => !c.invalid);
        // Rejected requests must not write: compare every table before and after.
        const before = await countRows(ta, tables);
        for (const fuzzCase of invalid) await send(principal, fuzzCase);
        const after = await countRows(ta, tables);
        dbChecks += 1;
        const allowed = REJECTION_WRITES[key] ?? [];
        const changed = tables.filter((table) => !allowed.includes(table) && before[table] !== after[table]);
        if (changed.length > 0) {
          violations.push({
            principal: principal.name,
            request: key,
            label: `${invalid.length} rejected requests`,
            status: 0,
            problem: `rows changed in ${changed.map((tb) => `${tb} ${before[tb]}→${after[tb]}`).join(', ')}`,
            body: '',
          });
        }
        for (const fuzzCase of rest) await send(principal, fuzzCase);
      }
      covered.add(key);
    }

    // A few whole-request oddities outside any one operation.
    const odd: FuzzCase[] = [
      { label: 'unknown route', method: 'GET', url: '/api/v1/does-not-exist', headers: {}, invalid: true },
      { label: 'bad method', method: 'PUT', url: '/api/v1/auth/login', headers: {}, invalid: true },
      { label: 'double slash', method: 'GET', url: '/api/v1//products', headers: {}, invalid: false },
      { label: 'encoded slash', method: 'GET', url: '/api/v1/products%2F..%2Fusers', headers: {}, invalid: true },
      { label: 'NUL in path', method: 'GET', url: '/api/v1/%00', headers: {}, invalid: true },
      {
        label: 'very long query',
        method: 'GET',
        url: `/api/v1/catalogue?version=${'9'.repeat(60_000)}`,
        headers: {},
        invalid: true,
      },
    ];
    for (const principal of [principals.all[0]!, pick(random, principals.all)]) {
      for (const fuzzCase of odd) await send(principal, fuzzCase);
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statusLine = [...perStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}:${n}`)
      .join(' ');
    const summary =
      `fuzz: ${requests} requests over ${covered.size} operations × ${principals.all.length} principals, ` +
      `${serverErrors} server errors, ${violations.length} violations, ${dbChecks} database-unchanged checks (seed ${SEED}, ${seconds} s; statuses ${statusLine})`;
    console.log(summary);
    t.diagnostic(summary);
    for (const note of fixtures.notes) t.diagnostic(`note: ${note}`);

    const groups = new Map<string, Violation[]>();
    for (const v of violations) {
      const where = v.request
        .split('?')[0]!
        .replace(/[0-9a-f-]{36}/g, '{id}')
        .slice(0, 80);
      const group = `${v.problem.replace(/\d+/g, 'N')} | ${where} | ${v.label.replace(/\(.*$/, '').slice(0, 60)}`;
      groups.set(group, [...(groups.get(group) ?? []), v]);
    }
    for (const [group, list] of groups) {
      t.diagnostic(
        `violation ×${list.length}: ${group} — e.g. [${list[0]!.principal}] ${list[0]!.status} ${list[0]!.body.slice(0, 200)}`,
      );
    }
    const describeAll = (list: Violation[]) =>
      list
        .slice(0, 25)
        .map((v) => `- [${v.principal}] ${v.request} (${v.label}) → ${v.status}: ${v.problem}\n    ${v.body}`)
        .join('\n');
    assert.equal(violations.length, 0, `${violations.length} violations (seed ${SEED}):\n${describeAll(violations)}`);
  },
);
