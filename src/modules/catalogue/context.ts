import type { FastifyRequest } from 'fastify';
import { negotiateLanguage } from '../../platform/i18n.ts';
import type { ServiceContext } from './service.ts';

/** Who asks, which request, which language — what the services need from a request. */
export function contextOf(request: FastifyRequest): ServiceContext {
  return {
    principal: request.principal,
    requestId: request.id,
    language: negotiateLanguage(request.headers['accept-language']),
  };
}
