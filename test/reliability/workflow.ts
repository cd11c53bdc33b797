/**
 * The regulatory workflow as an HTTP client drives it (API-CONTRACT.md "Products and
 * filings", "Public register"), over either `app.inject` (in-process) or real HTTP
 * (spawned servers in the concurrency and crash tests).
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json<T = unknown>(): T;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (serialised here) or a raw string sent as is. */
  body?: unknown;
  raw?: string | Buffer;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

function toResponse(status: number, headers: Record<string, string>, text: string): HttpResponse {
  return {
    status,
    headers,
    text,
    json<T>() {
      return JSON.parse(text) as T;
    },
  };
}

function requestPayload(request: HttpRequest): { headers: Record<string, string>; payload?: string | Buffer } {
  const headers = { ...request.headers };
  if (request.raw !== undefined) return { headers, payload: request.raw };
  if (request.body === undefined) return { headers };
  headers['content-type'] ??= 'application/json';
  return { headers, payload: JSON.stringify(request.body) };
}

export function injectClient(app: FastifyInstance): HttpClient {
  return {
    async send(request) {
      const { headers, payload } = requestPayload(request);
      const res = await app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      return toResponse(res.statusCode, flat, res.body);
    },
  };
}

export function fetchClient(baseUrl: string, timeoutMs = 30_000): HttpClient {
  return {
    async send(request) {
      const { headers, payload } = requestPayload(request);
      const res = await fetch(new URL(request.url, baseUrl), {
        method: request.method,
        headers,
        body: typeof payload === 'string' || payload === undefined ? payload : new Uint8Array(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const flat: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        flat[name] = value;
      });
      return toResponse(res.status, flat, await res.text());
    },
  };
}

export type Tier = 'low' | 'medium' | 'high';

/** Questionnaire answers that the v1 ruleset grades as `tier` (see API-CONTRACT.md, ruleset v1). */
export function riskAnswers(tier: Tier): Record<string, unknown> {
  return {
    domain: tier === 'high' ? 'employment' : 'industrial',
    annexIIIUses: tier === 'high' ? ['employment_recruitment'] : [],
    prohibitedPractices: [],
    safetyComponent: false,
    medicalDeviceClass: 'none',
    // Not true for the high tier: profiling would refer the assessment to the ethics committee
    // (API-CONTRACT-2 §3), whose open case holds the approval these workflows reach.
    profilesNaturalPersons: false,
    narrowProceduralTask: false,
    interactsWithPeople: tier === 'medium',
    generatesSyntheticContent: false,
    publicOpinionAttributes: false,
    processesSensitivePersonalInfo: false,
    usersScale: '1k_100k',
  };
}

let catalogueCodeCache: string | undefined;

/** A real code from the current catalogue (the deepest level has the most specific entries). */
export async function catalogueCode(client: HttpClient): Promise<string> {
  if (catalogueCodeCache !== undefined) return catalogueCodeCache;
  const res = await client.send({ method: 'GET', url: '/api/v1/catalogue' });
  if (res.status !== 200) throw new Error(`GET /api/v1/catalogue → ${res.status}`);
  const items = res.json<{ items: Array<{ code: string; level: number }> }>().items;
  const deepest = Math.max(...items.map((item) => item.level));
  catalogueCodeCache = items.find((item) => item.level === deepest)!.code;
  return catalogueCodeCache;
}

export interface CreatedProduct {
  id: string;
  tier: string;
  version: number;
  organizationId: string;
}

export function productBody(code: string, tier: Tier, label: string) {
  return {
    name: `可靠性测试产品 ${label}`,
    nameEn: `Reliability product ${label}`,
    description: `用于可靠性测试的人工智能产品 ${label}: reliability test product`,
    catalogueCode: code,
    version: '1.0.0',
    intendedUse: '工业质检 industrial inspection',
    riskAnswers: riskAnswers(tier),
  };
}

export function filingBody(tier: Tier) {
  return tier === 'high'
    ? { kind: 'assessment', summary: '风险评估摘要 assessment summary' }
    : {
        kind: 'disclosure',
        summary: '公开披露摘要 disclosure summary',
        transparencyMeasures: '界面标注“人工智能生成” AI label on every screen',
      };
}

export class UnexpectedStatus extends Error {
  constructor(
    readonly what: string,
    readonly response: HttpResponse,
  ) {
    super(`${what} → ${response.status}: ${response.text.slice(0, 500)}`);
    this.name = 'UnexpectedStatus';
  }
}

export function expectStatus(what: string, response: HttpResponse, ...allowed: number[]): HttpResponse {
  if (!allowed.includes(response.status)) throw new UnexpectedStatus(what, response);
  return response;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createProduct(
  client: HttpClient,
  auth: Record<string, string>,
  tier: Tier,
  label = crypto.randomBytes(4).toString('hex'),
): Promise<CreatedProduct> {
  const res = await client.send({
    method: 'POST',
    url: '/api/v1/products',
    headers: auth,
    body: productBody(await catalogueCode(client), tier, label),
  });
  return expectStatus('create product', res, 201).json<CreatedProduct>();
}

export interface FilingView {
  id: string;
  productId: string;
  kind: string;
  status: string;
  version: number;
}

export async function createFiling(
  client: HttpClient,
  auth: Record<string, string>,
  productId: string,
  tier: Tier,
): Promise<FilingView> {
  const res = await client.send({
    method: 'POST',
    url: `/api/v1/products/${productId}/filings`,
    headers: auth,
    body: filingBody(tier),
  });
  return expectStatus('create filing', res, 201).json<FilingView>();
}

/** A minimal valid PDF (the content sniffer identifies documents by their bytes). */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; contentType: string; bytes: Buffer },
): { boundary: string; body: Buffer } {
  const boundary = `----aigov${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file !== undefined) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(parts) };
}

export async function uploadRiskReport(client: HttpClient, auth: Record<string, string>, filingId: string) {
  const { boundary, body } = multipartBody(
    { documentType: 'risk_assessment_report' },
    { name: 'risk-report.pdf', contentType: 'application/pdf', bytes: TINY_PDF },
  );
  const res = await client.send({
    method: 'POST',
    url: `/api/v1/filings/${filingId}/documents`,
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    raw: body,
  });
  return expectStatus('upload document', res, 201);
}

export async function submitFiling(
  client: HttpClient,
  auth: Record<string, string>,
  filingId: string,
  idempotencyKey: string = crypto.randomUUID(),
): Promise<HttpResponse> {
  return client.send({
    method: 'POST',
    url: `/api/v1/filings/${filingId}/submit`,
    headers: { ...auth, 'idempotency-key': idempotencyKey },
  });
}

export async function claimFiling(client: HttpClient, auth: Record<string, string>, filingId: string) {
  return client.send({ method: 'POST', url: `/api/v1/filings/${filingId}/assignment`, headers: auth, body: {} });
}

export async function decideFiling(
  client: HttpClient,
  auth: Record<string, string>,
  filingId: string,
  outcome: 'approved' | 'rejected' | 'approved_with_conditions',
  idempotencyKey: string = crypto.randomUUID(),
) {
  return client.send({
    method: 'POST',
    url: `/api/v1/filings/${filingId}/decision`,
    headers: { ...auth, 'idempotency-key': idempotencyKey },
    body: {
      outcome,
      reasons: '审查意见：符合要求 review reasons',
      legalBasis: '《深圳经济特区人工智能产业促进条例》',
      ...(outcome === 'approved_with_conditions' ? { conditions: ['每季度报告 quarterly report'] } : {}),
    },
  });
}

/**
 * Low/medium → disclosure accepted at submission (public at once); high → assessment
 * submitted, then claimed and decided by the reviewer. Returns the final filing status.
 */
export async function fileToPublicDecision(
  client: HttpClient,
  provider: Record<string, string>,
  reviewer: Record<string, string>,
  tier: Tier,
  outcome: 'approved' | 'rejected' | 'approved_with_conditions' = 'approved',
): Promise<{ productId: string; filingId: string; status: string }> {
  const product = await createProduct(client, provider, tier);
  const filing = await createFiling(client, provider, product.id, tier);
  if (tier === 'high') await uploadRiskReport(client, provider, filing.id);
  const submitted = expectStatus('submit', await submitFiling(client, provider, filing.id), 200).json<FilingView>();
  if (tier !== 'high') return { productId: product.id, filingId: filing.id, status: submitted.status };
  expectStatus('claim', await claimFiling(client, reviewer, filing.id), 200);
  const decided = expectStatus('decide', await decideFiling(client, reviewer, filing.id, outcome), 200, 201);
  return { productId: product.id, filingId: filing.id, status: decided.json<FilingView>().status };
}
