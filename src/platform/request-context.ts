import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit.ts';
import type { Clock } from './clock.ts';
import { negotiateLanguage, type Language } from './i18n.ts';
import { idempotencyKeyOf } from './idempotency.ts';
import type { Principal } from './principal.ts';

/** What a service needs to know about the request it serves: who, which request, which language. */
export interface RequestContext {
  principal: Principal;
  requestId: string | null;
  language: Language;
  ip: string;
}

export function contextOf(request: FastifyRequest): RequestContext {
  return {
    principal: request.principal,
    requestId: request.id,
    language: negotiateLanguage(request.headers['accept-language']),
    ip: request.ip,
  };
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
