import type { FormInstance } from 'antd';
import type { components } from './openapi.d.ts';

/**
 * The one API client of the web app (STYLE rule 19): components and hooks never call
 * `fetch` themselves. The session lives in the HttpOnly `aigov_session` cookie, so the
 * browser only has to send same-origin credentials and the current language.
 */

export const API_BASE = '/api/v1';

/** An RFC 9457 problem+json document, as every error answer of the API (OpenAPI `Problem`). */
export type Problem = components['schemas']['Problem'];

/** One field problem of an RFC 9457 document (`errors[]` extension member). */
export type FieldProblem = NonNullable<Problem['errors']>[number];

/** An RFC 9457 problem+json answer (or a network failure, status 0) as a thrown error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly type: string | undefined;
  /** Seconds from `Retry-After` (429), when the server sent it. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    errors?: FieldProblem[];
    type?: string;
    retryAfter?: number;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail ?? init.title;
    this.errors = init.errors ?? [];
    this.type = init.type;
    this.retryAfter = init.retryAfter;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let currentLanguage = 'zh-CN';

/** Called by the i18n module whenever the user switches language. */
export function setApiLanguage(language: string): void {
  currentLanguage = language;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** A JSON body, or FormData for multipart uploads (the browser sets the boundary). */
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
  status: number;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path}`;
  if (query === undefined) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search === '' ? url : `${url}?${search}`;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseFieldProblems(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  const problems: FieldProblem[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const pointer = stringField(record.pointer) ?? '';
    const message = stringField(record.message) ?? stringField(record.detail) ?? '';
    if (message !== '') problems.push({ pointer, message });
  }
  return problems;
}

async function toApiError(response: Response): Promise<ApiError> {
  const contentType = response.headers.get('content-type') ?? '';
  const retryAfterHeader = response.headers.get('retry-after');
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  let body: Record<string, unknown> = {};
  if (contentType.includes('json')) {
    try {
      const parsed: unknown = await response.json();
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      // A broken error body still becomes an error with the HTTP status.
    }
  }
  const title = stringField(body.title) ?? (response.statusText || `HTTP ${response.status}`);
  return new ApiError({
    status: response.status,
    code: stringField(body.code) ?? `http_${response.status}`,
    title,
    detail: stringField(body.detail) ?? title,
    errors: parseFieldProblems(body.errors),
    type: stringField(body.type),
    retryAfter,
  });
}

/** Sends one request and returns the parsed body together with the response headers. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json;q=0.9, text/plain;q=0.8',
    'Accept-Language': currentLanguage,
    ...options.headers,
  };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network_error', title: 'Network error' });
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return { data: undefined as T, headers: response.headers, status: 204 };
  const contentType = response.headers.get('content-type') ?? '';
  const data = (contentType.includes('json') ? await response.json() : await response.text()) as T;
  return { data, headers: response.headers, status: response.status };
}

/** The usual case: just the parsed body. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await apiRequest<T>(path, options)).data;
}

/** A fresh key per user action, so a retried click never decides or submits twice. */
export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}

/**
 * `/organization/uscc` → `['organization', 'uscc']` (RFC 6901: `~1` is `/`, `~0` is `~`;
 * array indexes become numbers, as Ant Design's Form.List names them).
 */
export function pointerToFieldName(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function sameName(a: (string | number)[], b: (string | number)[]): boolean {
  return a.length === b.length && a.every((part, index) => String(part) === String(b[index]));
}

/**
 * Puts each `errors[].pointer` of a problem onto the matching Ant Design form field.
 * Returns the problems that match no field of this form, for the caller to show above it.
 */
export function applyProblemToForm(
  form: FormInstance,
  error: unknown,
  /** Renames a pointer's path when the form nests fields differently from the request body. */
  mapName: (name: (string | number)[]) => (string | number)[] = (name) => name,
): FieldProblem[] {
  if (!isApiError(error)) return [];
  const registered = form.getFieldsError().map((field) => field.name);
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unmatched: FieldProblem[] = [];
  for (const problem of error.errors) {
    const name = mapName(pointerToFieldName(problem.pointer));
    const target = registered.find((candidate) => sameName(candidate, name));
    if (target === undefined) {
      unmatched.push(problem);
      continue;
    }
    const key = JSON.stringify(target);
    const entry = byField.get(key) ?? { name: target, errors: [] };
    entry.errors.push(problem.message);
    byField.set(key, entry);
  }
  if (byField.size > 0) form.setFields([...byField.values()]);
  if (byField.size > 0) {
    const first = [...byField.values()][0];
    if (first !== undefined) form.scrollToField(first.name, { block: 'center', focus: true });
  }
  return unmatched;
}

/** Lists follow `{items, nextCursor}`; accept a bare array too, in case an endpoint answers with one. */
export function toPage<T>(data: { items: T[]; nextCursor?: string | null; total?: number } | T[]): {
  items: T[];
  nextCursor: string | null;
  total?: number;
} {
  if (Array.isArray(data)) return { items: data, nextCursor: null };
  return { items: data.items ?? [], nextCursor: data.nextCursor ?? null, total: data.total };
}

/** `If-Match` for a resource read earlier: its ETag when the server sent one, else `"<version>"`. */
export function ifMatch(etag: string | null | undefined, version: number | string | undefined): Record<string, string> {
  if (etag !== null && etag !== undefined && etag !== '') return { 'If-Match': etag };
  if (version === undefined) return {};
  return { 'If-Match': `"${version}"` };
}
