import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from '../config.ts';
import { isPublicAction } from './authz.ts';
import { DOMAIN_PROBLEM_STATUSES } from './openapi-problems.ts';
import type { RouteAction } from './route-guard.ts';
import { documentHeadersHook } from './security-headers.ts';

/**
 * The OpenAPI 3.1 document at /api/v1/openapi.json, generated from the route schemas. What
 * every operation shares is added here, once, rather than in each route: a stable
 * `operationId`, its `security` (from whether its Cedar action is public), and the
 * problem+json error responses it can answer, all pointing at one `Problem` schema.
 */

const SWAGGER_UI_STATIC_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')),
  'static',
);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Methods whose body fastify parses: malformed JSON → 400, too large → 413, unknown type → 415. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** Every tag an operation may carry, in the order the documentation shows them. */
export const OPENAPI_TAGS: readonly { name: string; description: string }[] = [
  { name: 'identity', description: 'Sign-in, sessions, API tokens, organisations and user accounts (身份与机构)' },
  { name: 'catalogue', description: 'The AI industry catalogue that products are classified by (产业目录)' },
  { name: 'risk', description: 'The risk questionnaire and self-check grading of an AI product (风险分级)' },
  { name: 'products', description: "A provider's AI products, classified and risk-graded (人工智能产品)" },
  { name: 'filings', description: 'Ex-ante disclosures and assessments a provider files for a product (备案)' },
  {
    name: 'trials',
    description: 'Pilots and small-scale healthcare trials, site reviews, enrolment, adverse events (先行先试)',
  },
  {
    name: 'review',
    description: "The regulator's review queue, assignments, information requests and decisions (审查)",
  },
  { name: 'register', description: 'The public register of filed AI products and its bulk exports (公示名录)' },
  {
    name: 'monitoring',
    description:
      'Ex-post tracking and risk early warning: reports, incidents, warnings, public reports (事后跟踪与风险预警)',
  },
  { name: 'transparency', description: 'The signed, append-only transparency log of public decisions (透明日志)' },
  {
    name: 'statistics',
    description: 'AI-industry statistics: periodic returns and tables published with disclosure control (产业统计)',
  },
  {
    name: 'calendar',
    description: 'The official working-day calendar that review deadlines are counted on (工作日历)',
  },
  { name: 'notifications', description: 'Notifications addressed to the signed-in user (通知)' },
  {
    name: 'data-access',
    description: 'Public data for industry: catalogue, access requests, grants and extracts (公共数据开放)',
  },
  { name: 'integrations', description: 'Webhooks and integration status (系统集成)' },
  { name: 'audit', description: 'The audit trail of every change (审计记录)' },
  {
    name: 'ethics',
    description:
      'The AI ethics committee: cases, declarations of interest, secret votes, published opinions (伦理委员会)',
  },
  { name: 'health', description: 'Liveness and readiness probes for load balancers and orchestrators' },
];

const problemRef = { $ref: '#/components/schemas/Problem' };

/** RFC 9457 problem details, as problem.ts sends them; `code` and `errors` are our members. */
const PROBLEM_SCHEMA = {
  type: 'object',
  description:
    'RFC 9457 problem details. `code` is a stable snake_case identifier to branch on; `title` and `detail` follow Accept-Language (zh-CN or en). Other members carry context (e.g. `currentStatus`, `currentVersion`, `location`).',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'The problem type: https://aigov.dev/problems/<code>' },
    title: { type: 'string', description: 'A short summary of the problem type' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status code' },
    detail: { type: 'string', description: 'What went wrong with this request' },
    instance: { type: 'string', description: 'The path of the request' },
    code: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'Stable error code, e.g. `validation_failed`' },
    errors: {
      type: 'array',
      description: 'Field-level problems, each addressed by an RFC 6901 JSON pointer into the request',
      items: {
        type: 'object',
        required: ['pointer', 'message'],
        properties: {
          pointer: { type: 'string', description: 'RFC 6901 JSON pointer, e.g. `/organization/uscc`' },
          message: { type: 'string', description: 'What is wrong with that field' },
        },
      },
    },
  },
  // Extension members (RFC 9457 §3.2) carry the context of some codes.
  additionalProperties: true,
};

interface ProblemResponse {
  name: string;
  description: string;
  code: string;
  title: string;
  detail: string;
  headers?: Record<string, unknown>;
}

/** The shared problem+json responses, by status. */
const PROBLEM_RESPONSES: Record<number, ProblemResponse> = {
  400: {
    name: 'BadRequest',
    description:
      'The request is malformed or does not match the schema (`validation_failed` with `errors[].pointer`, `malformed_json`, `invalid_cursor`, …).',
    code: 'validation_failed',
    title: 'Request validation failed',
    detail: 'The body does not match the schema',
  },
  401: {
    name: 'Unauthorized',
    description:
      'Not signed in, or the credential presented (session cookie or Bearer token) is invalid or expired. A public operation needs no credential, but refuses an invalid one.',
    code: 'unauthenticated',
    title: 'Authentication required',
    detail: 'Invalid or expired token',
  },
  403: {
    name: 'Forbidden',
    description:
      'The credential may not perform this operation (role, token scope, an organisation not yet verified), or a cookie-authenticated write came from another site.',
    code: 'forbidden',
    title: 'Forbidden',
    detail: 'Your account may not perform this operation',
  },
  404: {
    name: 'NotFound',
    description: 'No such resource — or one the caller may not see, which answers the same.',
    code: 'not_found',
    title: 'Not found',
    detail: 'Not found',
  },
  409: {
    name: 'Conflict',
    description:
      'The request conflicts with the current state (`illegal_transition` with `currentStatus`, a taken email or USCC, …).',
    code: 'illegal_transition',
    title: 'Conflict',
    detail: 'The filing is submitted; withdraw is not allowed in that status',
  },
  412: {
    name: 'PreconditionFailed',
    description: 'The `If-Match` ETag is stale: the resource changed (`currentVersion` names the current revision).',
    code: 'precondition_failed',
    title: 'The resource has changed; reload and retry',
    detail: 'The resource has changed (current version 3); reload and retry',
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The request body is larger than the server accepts.',
    code: 'payload_too_large',
    title: 'Payload too large',
    detail: 'Payload too large',
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The request body has a content type this operation does not accept.',
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
    detail: 'Unsupported media type',
  },
  422: {
    name: 'UnprocessableContent',
    description:
      'The request is well-formed but breaks a rule of the domain (the `code` names which; `errors[].pointer` the fields).',
    code: 'filing_incomplete',
    title: 'Unprocessable content',
    detail: 'The filing is incomplete',
  },
  429: {
    name: 'TooManyRequests',
    description: 'Too many requests from this client or for this account; retry after `Retry-After` seconds.',
    code: 'too_many_requests',
    title: 'Too many requests; retry later',
    detail: 'Too many requests; retry later',
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before retrying',
        schema: { type: 'integer', minimum: 1 },
      },
    },
  },
  503: {
    name: 'ServiceUnavailable',
    description: 'A dependency (the database) does not answer; retry later.',
    code: 'database_unavailable',
    title: 'Service unavailable',
    detail: 'Service unavailable',
  },
};

function problemResponseComponent(status: number, response: ProblemResponse) {
  return {
    description: response.description,
    ...(response.headers === undefined ? {} : { headers: response.headers }),
    content: {
      'application/problem+json': {
        schema: problemRef,
        example: {
          type: `https://aigov.dev/problems/${response.code.replace(/_/g, '-')}`,
          title: response.title,
          status,
          detail: response.detail,
          instance: '/api/v1/filings/0198c7e2-5a4b-7c3d-9e8f-0a1b2c3d4e5f',
          code: response.code,
        },
      },
    },
  };
}

/**
 * `GET /api/v1/products/{id}` → `getProductsById`: the method, then each path segment after
 * `/api/v1` in PascalCase (`{param}` → `By<Param>`; `-` and `.` start a new word). Names
 * follow from the route alone, so they stay put as long as the route does.
 */
function operationIdOf(method: string, openApiPath: string): string {
  const words = openApiPath
    .replace(/^\/api\/v1(?=\/)/, '')
    .split('/')
    .filter((segment) => segment !== '')
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param === null ? segment.split(/[^A-Za-z0-9]+/) : ['by', ...param[1]!.split(/[^A-Za-z0-9]+/)];
    })
    .filter((word) => word !== '');
  return method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/** `/api/v1/products/:id` (fastify) → `/api/v1/products/{id}` (OpenAPI). */
function openApiPathOf(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

interface OperationObject {
  operationId?: string;
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: Record<string, string[]>[];
  tags?: string[];
}

/** The statuses every operation of this shape answers, whatever its domain. */
function genericProblemStatuses(method: string, operation: OperationObject, isPublic: boolean): number[] {
  const hasBody = BODY_METHODS.has(method);
  const parameters = operation.parameters ?? [];
  const statuses = [401];
  if (parameters.length > 0 || operation.requestBody !== undefined || hasBody) statuses.push(400);
  // A cookie-authenticated write is refused cross-site (CSRF) even on a public operation.
  if (!isPublic || hasBody) statuses.push(403);
  if (parameters.some((parameter) => parameter.in === 'path')) statuses.push(404);
  if (hasBody) statuses.push(413, 415);
  return statuses;
}

/** Adds operationId, security and the problem responses to every operation of the document. */
function decorateOperations(document: Record<string, unknown>, routes: readonly RouteAction[]): void {
  const actions = new Map(routes.map((route) => [`${route.method} ${openApiPathOf(route.url)}`, route.action]));
  const paths = (document.paths ?? {}) as Record<string, Partial<Record<string, OperationObject>>>;
  const seenIds = new Map<string, string>();
  const unusedDomainKeys = new Set(Object.keys(DOMAIN_PROBLEM_STATUSES));
  for (const [openApiPath, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const key = `${method.toUpperCase()} ${openApiPath}`;
      operation.operationId ??= operationIdOf(method, openApiPath);
      const clash = seenIds.get(operation.operationId);
      if (clash !== undefined) throw new Error(`operationId ${operation.operationId} of ${key} is also ${clash}'s`);
      seenIds.set(operation.operationId, key);

      // Routes outside /api/v1 (the health probes) declare no action: they are public.
      const action = actions.get(key);
      const isPublic = action === undefined || isPublicAction(action);
      operation.security ??= isPublic ? [] : [{ session: [] }, { bearer: [] }];

      unusedDomainKeys.delete(key);
      const statuses = new Set([
        ...genericProblemStatuses(method, operation, isPublic),
        ...(DOMAIN_PROBLEM_STATUSES[key] ?? []),
      ]);
      const responses = (operation.responses ??= {});
      for (const status of [...statuses].sort((a, b) => a - b)) {
        const shared = PROBLEM_RESPONSES[status];
        if (shared === undefined) throw new Error(`${key}: no shared problem response for ${status}`);
        responses[String(status)] ??= { $ref: `#/components/responses/${shared.name}` };
      }
    }
  }
  if (unusedDomainKeys.size > 0) {
    throw new Error(`openapi-problems.ts names routes that do not exist: ${[...unusedDomainKeys].join(', ')}`);
  }
}

/** The document's servers: the public URL when it is configured, else relative to the document. */
function serversOf(config: Config) {
  return config.publicUrl === undefined
    ? [{ url: '/', description: 'This server (relative to the document)' }]
    : [{ url: config.publicUrl.replace(/\/+$/, ''), description: 'This deployment (AIGOV_PUBLIC_URL)' }];
}

/**
 * Registers the OpenAPI generator, its document at /api/v1/openapi.json and the docs UI at
 * /docs. `routes` is the route guard's list of every API route with its Cedar action.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  config: Config,
  routes: readonly RouteAction[],
  documentHeaders: Record<string, string>,
): Promise<void> {
  const components = {
    securitySchemes: {
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'aigov_session',
        description: 'The HttpOnly session cookie set by POST /api/v1/auth/login',
      },
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'The session token returned by POST /api/v1/auth/login, or a personal API token',
      },
    },
    schemas: { Problem: PROBLEM_SCHEMA },
    responses: Object.fromEntries(
      Object.entries(PROBLEM_RESPONSES).map(([status, response]) => [
        response.name,
        problemResponseComponent(Number(status), response),
      ]),
    ),
  };
  const openapi = {
    openapi: '3.1.0',
    info: {
      title: 'aigov API',
      version: '1.0.0',
      description:
        'Shenzhen AI Industry Promotion Regulations — regulator platform API (深圳经济特区人工智能产业促进条例). Errors are RFC 9457 `application/problem+json` documents.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      contact: { name: 'aigov project', url: 'https://aigov.dev' },
    },
    servers: serversOf(config),
    tags: [...OPENAPI_TAGS],
    components,
  };
  const options: FastifyDynamicSwaggerOptions = {
    // Plain JSON here; the plugin's typings want a literal type on every `type` and `in`.
    openapi: openapi as FastifyDynamicSwaggerOptions['openapi'],
    // Paths stay as the routes spell them, whatever path the public URL has.
    stripBasePath: false,
    transformObject: (documentObject) => {
      const document = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      decorateOperations(document, routes);
      return document;
    },
  };
  await app.register(swagger, options);
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Named explicitly: in the server bundle the plugin cannot find its own directory.
    baseDir: SWAGGER_UI_STATIC_DIR,
    logo: { type: 'image/svg+xml', content: fs.readFileSync(path.join(SWAGGER_UI_STATIC_DIR, 'logo.svg')) },
    // The page is a document (swagger-ui's own CSP, from staticCSP, still wins).
    uiHooks: { onRequest: documentHeadersHook(documentHeaders) },
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
