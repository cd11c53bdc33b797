import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit.ts';
import type { Clock } from './clock.ts';
import { negotiateLanguage, type Language } from './i18n.ts';
import { idempotencyKeyOf } from './idempotency.ts';
import type { Principal } from './principal.ts';

/** What a service needs to know about the request it serves: who, which request, which language, from where. */
export interface RequestContext {
  readonly principal: Principal;
  readonly requestId: string | null;
  readonly language: Language;
  readonly ip: string;
}

/**
 * The context of a request. The language and address are worked out when first read: most
 * answers (a public read, a successful write) never need them, and hot public reads should
 * not pay for parsing Accept-Language.
 */
export function contextOf(request: FastifyRequest): RequestContext {
  let language: Language | undefined;
  return {
    principal: request.principal,
    requestId: request.id,
    get language() {
      return (language ??= negotiateLanguage(request.headers['accept-language']));
    },
    get ip() {
      return request.ip;
    },
  };
}

/** The context of work no request started (the CLI, benchmarks): anonymous, Chinese first. */
export function systemContext(language: Language = 'zh-CN'): RequestContext {
  return { principal: { kind: 'anonymous' }, requestId: null, language, ip: '' };
}

/** The preconditions of a write, read from its headers by the route and handed to the service as values. */
export interface WritePreconditions {
  /** `If-Match`: the ETag the client last saw (RFC 9110 §13.1.1); stale → 412. */
  ifMatch?: string;
  /** `Idempotency-Key`: same key and same request → the stored response, no second effect. */
  idempotencyKey?: string;
}

export function preconditionsOf(request: FastifyRequest): WritePreconditions {
  const ifMatch = request.headers['if-match'];
  return { ifMatch, idempotencyKey: idempotencyKeyOf(request) };
}

export function auditContext(context: RequestContext, clock: Clock): AuditContext {
  return { principal: context.principal, requestId: context.requestId, clock };
}
