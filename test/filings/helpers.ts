/** Shared set-up for the filings tests: actors, products of each tier, documents, multipart bodies. */
import zlib from 'node:zlib';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, tableCounts, type TestUser } from '../factories.ts';
import { answers, productBody } from '../products/fixtures.ts';

export type Tier = 'low' | 'medium' | 'high' | 'prohibited';

export const RISK_ANSWERS: Record<Tier, Record<string, unknown>> = {
  low: answers(),
  medium: answers({ domain: 'consumer', interactsWithPeople: true, generatesSyntheticContent: true }),
  high: answers({ domain: 'employment', annexIIIUses: ['employment_recruitment'] }),
  prohibited: answers({ prohibitedPractices: ['social_scoring'] }),
};

/** Every table a rejected filing request must leave as it was. */
export const FILING_TABLES = [
  'filings',
  'filing_documents',
  'filing_information_requests',
  'filing_decisions',
  'notifications',
  'products',
  'audit_events',
  'outbox_events',
  'idempotency_keys',
] as const;

export interface FilingWorld {
  t: TestApp;
  provider: TestUser;
  organizationId: string;
  reviewer: TestUser;
  admin: TestUser;
  /** A member of another verified organisation. */
  stranger: TestUser;
  createProduct(tier: Tier, overrides?: Record<string, unknown>): Promise<{ id: string; tier: string }>;
  inject(
    method: string,
    url: string,
    user?: TestUser,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  snapshot(): Promise<Record<string, number>>;
  /** Moves the clock and keeps the test users' sessions alive (they expire after idle time). */
  travel(instant: string): Promise<void>;
}

export interface Response {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  rawPayload: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON freely
  json<T = any>(): T;
}

export async function filingWorld(
  t: Pick<TestContext, 'after'>,
  options: { start?: string; env?: Record<string, string> } = {},
): Promise<FilingWorld> {
  const app = await buildTestApp(t, { env: options.env });
  if (options.start !== undefined) app.clock.set(options.start);
  const { organization, user: provider } = await createOrgMember(app, { role: 'org_admin' });
  const { user: stranger } = await createOrgMember(app);
  const reviewer = await createUser(app, { roles: ['reviewer'] });
  const admin = await createUser(app, { roles: ['regulator_admin'] });
  const inject = async (
    method: string,
    url: string,
    user?: TestUser,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    (await app.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(user?.headers ?? {}), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    })) as unknown as Response;
  return {
    t: app,
    provider,
    organizationId: organization.id,
    reviewer,
    admin,
    stranger,
    inject,
    async createProduct(tier, overrides = {}) {
      const response = await inject(
        'POST',
        '/api/v1/products',
        provider,
        productBody({ riskAnswers: RISK_ANSWERS[tier], ...overrides }),
      );
      assert.equal(response.statusCode, 201, response.body);
      const product = response.json<{ id: string; tier: string }>();
      assert.equal(product.tier, tier);
      return product;
    },
    snapshot: () => tableCounts(app, FILING_TABLES),
    async travel(instant) {
      app.clock.set(instant);
      const now = app.clock.now();
      await app.db
        .updateTable('sessions')
        .set({ last_seen_at: now, expires_at: new Date(now.getTime() + 365 * 86_400_000) })
        .execute();
    },
  };
}

/** The `errors[].pointer`s of a problem response. */
export function pointers(response: Response): string[] {
  return (response.json<{ errors?: Array<{ pointer: string }> }>().errors ?? []).map((error) => error.pointer);
}

/** The ids of a page response's items, in order. */
export function itemIds(response: Response): string[] {
  return response.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id);
}

// ----- documents -----

export const SAMPLE_PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const SAMPLE_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452', 'hex'),
  Buffer.alloc(20),
]);
export const SAMPLE_JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.alloc(32),
  Buffer.from([0xff, 0xd9]),
]);
export const SAMPLE_TEXT = Buffer.from('风险评估报告\nRisk assessment report: residual risk low.\n');

/** A minimal stored (uncompressed) ZIP, enough to be a real Office Open XML package. */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
export const SAMPLE_DOCX = zip({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w:document/>' });
export const SAMPLE_XLSX = zip({ '[Content_Types].xml': CONTENT_TYPES, 'xl/workbook.xml': '<workbook/>' });
export const PLAIN_ZIP = zip({ 'readme.txt': 'hello' });

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A multipart/form-data body: `documentType` first, then the file. */
export function multipartBody(
  file: { name: string; contentType: string; data: Buffer } | undefined,
  documentType: string | undefined = 'risk_assessment_report',
  extraFields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----aigov${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (documentType !== undefined) field('documentType', documentType);
  for (const [name, value] of Object.entries(extraFields)) field(name, value);
  if (file !== undefined) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(
  world: FilingWorld,
  filingId: string,
  file: { name: string; contentType: string; data: Buffer } | undefined,
  options: { documentType?: string; user?: TestUser } = {},
): Promise<Response> {
  const body = multipartBody(file, options.documentType ?? 'risk_assessment_report');
  const response = await world.t.app.inject({
    method: 'POST',
    url: `/api/v1/filings/${filingId}/documents`,
    headers: { ...(options.user ?? world.provider).headers, ...body.headers },
    payload: body.payload,
  });
  return response;
}

// ----- workflow steps -----

export async function createDraft(
  world: FilingWorld,
  productId: string,
  body: Record<string, unknown>,
): Promise<{ id: string; version: number; status: string }> {
  const response = await world.inject('POST', `/api/v1/products/${productId}/filings`, world.provider, body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

/** A high-risk product with a complete assessment draft (summary + risk assessment report). */
export async function assessmentDraft(world: FilingWorld): Promise<{ productId: string; filingId: string }> {
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: '招聘简历筛选模型的风险评估申请' });
  const uploaded = await upload(world, draft.id, {
    name: 'report.pdf',
    contentType: 'application/pdf',
    data: SAMPLE_PDF,
  });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  return { productId: product.id, filingId: draft.id };
}

export async function submitted(world: FilingWorld): Promise<{ productId: string; filingId: string; dueDate: string }> {
  const { productId, filingId } = await assessmentDraft(world);
  const response = await world.inject('POST', `/api/v1/filings/${filingId}/submit`, world.provider, {});
  assert.equal(response.statusCode, 200, response.body);
  return { productId, filingId, dueDate: response.json().dueDate };
}

export async function underReview(world: FilingWorld) {
  const filing = await submitted(world);
  const claimed = await world.inject('POST', `/api/v1/filings/${filing.filingId}/assignment`, world.reviewer, {});
  assert.equal(claimed.statusCode, 200, claimed.body);
  return { ...filing, version: claimed.json().version as number };
}
