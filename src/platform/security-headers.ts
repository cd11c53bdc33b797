import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { ANONYMOUS } from './principal.ts';

/**
 * The security headers (helmet's defaults plus our CSP) computed ONCE at start and copied
 * onto every response: helmet's own middleware rebuilds them per request, which showed up as
 * a third of the cost of the cheapest routes in bench/healthz.bench.ts.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as never, response as never, () => undefined);
  return headers;
}

/**
 * The one hook every request passes first, synchronous (an `async` hook costs a promise and a
 * microtask on the cheapest routes): security headers, the request id, and the anonymous
 * principal until the identity module's hook recognises a session or token.
 */
export function installRequestDefaults(app: FastifyInstance, options: HelmetOptions): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    request.principal = ANONYMOUS;
    void reply.headers(headers).header('x-request-id', request.id);
    done();
  });
}
