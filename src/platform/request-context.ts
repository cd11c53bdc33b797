import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit.ts';
import type { Clock } from './clock.ts';
import { negotiateLanguage, type Language } from './i18n.ts';
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

export function auditContext(context: RequestContext, clock: Clock): AuditContext {
  return { principal: context.principal, requestId: context.requestId, clock };
}
