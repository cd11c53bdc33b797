import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { AppError, type FieldProblem, type LocalizedText } from './errors.ts';
import { localize, negotiateLanguage, type Language } from './i18n.ts';
import { problemTitle } from './problem-titles.ts';
import { DECIMAL_INTEGER_KEYWORD, DISPLAY_NAME_FORMAT, UNSTORABLE_TEXT_KEYWORD } from './validation.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The RFC 9457 document we send; `code` and `errors` are our extension members. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: Array<{ pointer: string; message: string }>;
  [extension: string]: unknown;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Fastify's own error codes → our stable codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'bad_request' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_PARTS_LIMIT: { status: 413, code: 'payload_too_large' },
  FST_FILES_LIMIT: { status: 413, code: 'payload_too_large' },
  FST_FIELDS_LIMIT: { status: 413, code: 'payload_too_large' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type' },
};

/**
 * SQLSTATE data exceptions (PostgreSQL appendix A, class 22) that a value from the request
 * causes: a cursor naming a non-UUID, a NUL character in a text field, an out-of-range number
 * or date. The schema lets some of these through (it cannot know a column's type), and they
 * are the client's mistake, so they answer 400, never 500.
 */
const INPUT_DATA_EXCEPTIONS = new Set([
  '22001', // string_data_right_truncation
  '22003', // numeric_value_out_of_range
  '22007', // invalid_datetime_format
  '22008', // datetime_field_overflow
  '22021', // character_not_in_repertoire (NUL byte in text)
  '22P02', // invalid_text_representation (e.g. not a uuid)
  '22P05', // untranslatable_character
]);

function isInputDataException(error: { code?: unknown }): boolean {
  return typeof error.code === 'string' && INPUT_DATA_EXCEPTIONS.has(error.code);
}

export function buildProblem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string | LocalizedText | undefined,
  extra: { errors?: FieldProblem[]; extensions?: Record<string, unknown> } = {},
): ProblemDocument {
  const language = negotiateLanguage(request.headers['accept-language']);
  return problemDocument(language, request.url.split('?')[0] ?? request.url, status, code, detail, extra);
}

function problemDocument(
  language: Language,
  instance: string,
  status: number,
  code: string,
  detail: string | LocalizedText | undefined,
  extra: { errors?: FieldProblem[]; extensions?: Record<string, unknown> } = {},
): ProblemDocument {
  const title = localize(problemTitle(code, status), language);
  const problem: ProblemDocument = {
    ...extra.extensions,
    type: `https://aigov.dev/problems/${code.replace(/_/g, '-')}`,
    title,
    status,
    detail: detail === undefined ? title : typeof detail === 'string' ? detail : localize(detail, language),
    instance,
    code,
  };
  if (extra.errors !== undefined && extra.errors.length > 0) {
    problem.errors = extra.errors.map((error) => ({
      ...error,
      message: typeof error.message === 'string' ? error.message : localize(error.message, language),
    }));
  }
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: ProblemDocument, headers?: Record<string, string>) {
  if (headers !== undefined) void reply.headers(headers);
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * One mapping from every error path to problem+json: domain errors, schema violations,
 * parser errors, unknown routes (404) and known paths with the wrong method (405).
 */
export interface ProblemHandlers {
  /** Lets the web UI answer browser navigations to client-side routes before the 404. */
  setNavigationFallback(fallback: NavigationFallback): void;
}

export type NavigationFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

export function installProblemHandlers(app: FastifyInstance): ProblemHandlers {
  let navigationFallback: NavigationFallback | undefined;
  const knownRoutes = FindMyWay({ ignoreTrailingSlash: true });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      try {
        knownRoutes.on(method as HTTPMethod, route.url, () => undefined);
      } catch {
        // Duplicate registrations are fastify's problem to report, not ours.
      }
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const handled = navigationFallback?.(request, reply);
    if (handled !== undefined) return handled;
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(
      (method) => method !== request.method && knownRoutes.find(method, path) !== null,
    );
    if (allowed.length > 0) {
      const problem = buildProblem(request, 405, 'method_not_allowed', {
        zh: `该地址不支持 ${request.method}，可用方法：${allowed.join(', ')}`,
        en: `${request.method} is not supported here; allowed: ${allowed.join(', ')}`,
      });
      return sendProblem(reply, problem, { allow: allowed.join(', ') });
    }
    return sendProblem(
      reply,
      buildProblem(request, 404, 'route_not_found', {
        zh: `没有 ${request.method} ${path} 这个接口`,
        en: `No endpoint ${request.method} ${path}`,
      }),
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const language = negotiateLanguage(request.headers['accept-language']);
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error.cause ?? error }, 'server error');
      return sendProblem(
        reply,
        buildProblem(request, error.status, error.code, error.detail, {
          errors: error.errors,
          extensions: error.extensions,
        }),
        error.headers,
      );
    }
    if (error.validation !== undefined) {
      const errors = (error.validation as AjvError[]).map((e) => validationProblem(e, language));
      const where = error.validationContext ?? 'body';
      return sendProblem(
        reply,
        buildProblem(
          request,
          400,
          'validation_failed',
          { zh: `${contextZh(where)}不符合接口要求`, en: `The ${contextEn(where)} does not match the schema` },
          { errors, extensions: { location: where } },
        ),
      );
    }
    const mapped = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
    if (mapped !== undefined) {
      return sendProblem(reply, buildProblem(request, mapped.status, mapped.code, undefined));
    }
    if (isInputDataException(error)) {
      request.log.warn({ err: error }, 'the database rejected a value from the request');
      return sendProblem(
        reply,
        buildProblem(request, 400, 'invalid_value', {
          zh: '请求中有无法处理的值（例如空字符 U+0000 或格式不对的标识）',
          en: 'The request contains a value that cannot be processed (e.g. a U+0000 character or a malformed identifier)',
        }),
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // A client error fastify or a plugin raised without a code we know: keep its status.
      return sendProblem(
        reply,
        buildProblem(request, status, status === 429 ? 'too_many_requests' : 'bad_request', undefined),
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, buildProblem(request, 500, 'internal_error', undefined));
  });

  return {
    setNavigationFallback(fallback) {
      navigationFallback = fallback;
    },
  };
}

/**
 * For Fastify's `frameworkErrors` option: errors the router raises before any hook or the
 * error handler runs (a bad %-encoding in the URL, a path parameter over maxParamLength).
 * Without it they answer fastify's own application/json with no request id.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = (error.code === undefined ? undefined : FASTIFY_CODES[error.code]) ?? {
    status: 400,
    code: 'bad_request',
  };
  void reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
  void sendProblem(reply, buildProblem(request, mapped.status, mapped.code, undefined));
}

/** What Node's HTTP parser refused, before fastify had a request: status, code and explanation. */
function clientErrorProblem(code: string): { status: number; code: string; detail: LocalizedText } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      code: 'request_header_fields_too_large',
      detail: {
        zh: '请求头或请求地址过长（合计不得超过 16 KB）',
        en: 'The request headers or URL are too large (16 KB in all at most)',
      },
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      code: 'request_timeout',
      detail: { zh: '请求未能在时限内完整发送', en: 'The request was not received in time' },
    };
  }
  return {
    status: 400,
    code: 'malformed_request',
    detail: { zh: '无法解析该 HTTP 请求', en: 'The HTTP request could not be parsed' },
  };
}

/** How long a refused connection may keep sending before it is cut (a slow client must not hold it). */
const CLIENT_ERROR_LINGER_MS = 5000;

/**
 * For Fastify's `clientErrorHandler` option: requests Node's HTTP parser rejects before any
 * request exists — oversized headers or URL (431), a malformed request (400), a request
 * that did not arrive in time (408). Fastify's default answers them with plain JSON; these
 * get problem+json and the API security headers like every other error. The language and the
 * path are read, best effort, from the bytes that did arrive.
 */
export function clientErrorHandler(
  securityHeaders: Record<string, string>,
): (this: FastifyInstance, error: ConnectionError, socket: Socket) => void {
  const fixedHeaders = Object.entries(securityHeaders)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return function handleClientError(error, socket) {
    // A reset connection has nobody to answer (Node's documentation on 'clientError').
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const refused = clientErrorProblem(error.code);
    this.log.debug({ err: error }, 'client error');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const head = requestHead(error.rawPacket);
    const body = JSON.stringify(
      problemDocument(negotiateLanguage(head.acceptLanguage), head.path, refused.status, refused.code, refused.detail),
    );
    // end(), not destroy(): closing a socket with unread input resets it, and the client could
    // lose the answer. What it still sends is read and dropped until it closes, or the linger ends.
    socket.end(
      `HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status] ?? ''}\r\n${fixedHeaders}` +
        `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
    socket.resume();
    setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
  };
}

/** The request path (no query) and Accept-Language from the first bytes of a refused request. */
function requestHead(rawPacket: unknown): { path: string; acceptLanguage: string | undefined } {
  const bytes = Buffer.isBuffer(rawPacket) ? rawPacket.subarray(0, 65_536) : Buffer.alloc(0);
  const text = bytes.toString('latin1');
  const path = /^[A-Z]+ (\/[^ ?#\r\n]{0,2048})[ ?#]/.exec(text)?.[1];
  const acceptLanguage = /\r\naccept-language:[ \t]*([^\r\n]{1,256})/i.exec(text)?.[1];
  return {
    path: path === undefined ? '/' : Buffer.from(path, 'latin1').toString('utf8').slice(0, 512),
    acceptLanguage,
  };
}

function contextZh(where: string): string {
  return { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' }[where] ?? '请求';
}
function contextEn(where: string): string {
  return (
    { body: 'request body', querystring: 'query string', params: 'path parameters', headers: 'headers' }[where] ??
    'request'
  );
}

/** Turns one Ajv error into a pointer at the offending field and a message in the reader's language. */
export function validationProblem(error: AjvError, language: Language): FieldProblem {
  let pointer = error.instancePath;
  const params = error.params;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    pointer += `/${escapePointer(params.missingProperty)}`;
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    pointer += `/${escapePointer(params.additionalProperty)}`;
  }
  return { pointer: pointer === '' ? '/' : pointer, message: localize(validationMessage(error), language) };
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function validationMessage(error: AjvError): LocalizedText {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { zh: '必填字段缺失', en: 'is required' };
    case 'additionalProperties':
      return { zh: '不允许的字段', en: 'is not an allowed field' };
    case 'type':
      return { zh: `类型应为 ${String(p.type)}`, en: `must be ${String(p.type)}` };
    case 'enum':
    case 'const':
      return { zh: '取值不在允许范围内', en: `must be one of the allowed values` };
    case 'minLength':
      return { zh: `长度至少为 ${String(p.limit)}`, en: `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { zh: `长度最多为 ${String(p.limit)}`, en: `must have at most ${String(p.limit)} characters` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { zh: `不能小于 ${String(p.limit)}`, en: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { zh: `不能大于 ${String(p.limit)}`, en: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'minItems':
      return { zh: `至少需要 ${String(p.limit)} 项`, en: `must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { zh: `最多 ${String(p.limit)} 项`, en: `must have at most ${String(p.limit)} items` };
    case 'uniqueItems':
      return { zh: '不能有重复项', en: 'must not contain duplicates' };
    case 'format':
      if (p.format === DISPLAY_NAME_FORMAT) {
        return {
          zh: '名称不能包含控制字符、双向文本控制字符（如 U+202E）或换行分隔符',
          en: 'a name must not contain control characters, bidirectional controls (such as U+202E) or line separators',
        };
      }
      return { zh: `格式应为 ${String(p.format)}`, en: `must be a valid ${String(p.format)}` };
    case 'pattern':
      return { zh: '格式不正确', en: 'has the wrong format' };
    case DECIMAL_INTEGER_KEYWORD:
      return { zh: '必须是只含数字 0–9 的十进制整数', en: 'must be a whole number written in digits 0–9' };
    case UNSTORABLE_TEXT_KEYWORD:
      return {
        zh: '包含不允许的字符（U+0000 或不成对的 UTF-16 代理项）',
        en: 'contains a character that is not allowed (U+0000 or an unpaired UTF-16 surrogate)',
      };
    default:
      return { zh: '取值无效', en: error.message ?? 'is invalid' };
  }
}
