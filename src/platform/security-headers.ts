import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { ANONYMOUS } from './principal.ts';

/** helmet's options for the app's HTML: its CSP, and HSTS when it is served over https. */
export function appHelmetOptions(publicUrl: string | undefined): HelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: publicUrl?.startsWith('https:') === true,
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * The security headers of an HTML document (helmet's defaults plus our CSP), computed ONCE
 * at start: helmet's own middleware rebuilds them per request, which showed up as a third of
 * the cost of the cheapest routes in bench/healthz.bench.ts.
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
 * What every response carries — JSON, problems, health — exactly the set the OWASP REST Security
 * Cheat Sheet names for API responses: nothing of it may be rendered or framed (`default-src
 * 'none'; frame-ancestors 'none'`, X-Frame-Options for older browsers) or sniffed, plus HSTS
 * over https. Headers for documents and their subresources (Referrer-Policy, CORP, COOP,
 * Origin-Agent-Cluster…) go only on HTML responses (`documentHeaders`): every header is
 * validated by Node and parsed by the client on every API response, the cheapest included.
 */
export function apiHeaders(documentHeaders: Record<string, string>): Record<string, string> {
  const hsts = documentHeaders['strict-transport-security'];
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    ...(hsts === undefined ? {} : { 'strict-transport-security': hsts }),
  };
}

/**
 * The one hook every request passes first, synchronous (an `async` hook costs a promise and a
 * microtask on the cheapest routes): the API security headers, the request id, and the
 * anonymous principal until the identity module's hook recognises a session or token.
 * Returns the document headers for the routes that answer HTML.
 */
export function installRequestDefaults(app: FastifyInstance, options: HelmetOptions): Record<string, string> {
  const documentHeaders = securityHeaders(options);
  const headers = apiHeaders(documentHeaders);
  app.addHook('onRequest', (request, reply, done) => {
    request.principal = ANONYMOUS;
    void reply.headers(headers).header('x-request-id', request.id);
    done();
  });
  installNoStoreForCredentials(app);
  return documentHeaders;
}

/** Response fields that hold a credential: a session or API token, a secret shown once. */
const CREDENTIAL_FIELD = /^(token|secret|password|privateKey|[a-z]\w*(Token|Secret|Password))$/;

/** Whether a response schema (any status, nested through allOf, items, content…) has a credential field. */
export function carriesCredential(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const properties = (schema as { properties?: unknown }).properties;
  if (properties !== null && typeof properties === 'object') {
    if (Object.keys(properties).some((name) => CREDENTIAL_FIELD.test(name))) return true;
  }
  return Object.values(schema).some(carriesCredential);
}

const noStore: onRequestHookHandler = (_request, reply, done) => {
  void reply.header('cache-control', 'no-store');
  done();
};

/**
 * A response that carries a credential (the login's session token, a new API token) must
 * not be kept by a browser or proxy cache (RFC 9111 §5.2.2.5 `no-store`; OWASP REST Security
 * Cheat Sheet, sensitive information). Decided once per route from its response schema, so a
 * new route that returns a secret is covered without anyone remembering to.
 */
function installNoStoreForCredentials(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!carriesCredential(route.schema?.response)) return;
    const existing = route.onRequest;
    route.onRequest = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), noStore];
  });
}

/** A hook for routes that answer HTML: the full document set over the API set. */
export function documentHeadersHook(documentHeaders: Record<string, string>): onRequestHookHandler {
  return (_request, reply, done) => {
    void reply.headers(documentHeaders);
    done();
  };
}
