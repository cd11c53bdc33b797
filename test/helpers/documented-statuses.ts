import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

/**
 * Keeps the OpenAPI document honest about errors: every 4xx a test provokes through
 * `app.inject` must be listed among the responses of the operation it hit. A status the
 * document does not list fails the test that provoked it (see buildTestApp) — add it to
 * src/platform/openapi-problems.ts, or to the generic rules in src/platform/openapi.ts.
 */
export interface StatusWatch {
  /** `GET /api/v1/x/{id} → 409 (code)` for each undocumented answer, once each. */
  undocumented(): string[];
}

interface OperationResponses {
  path: string;
  statuses: ReadonlySet<string>;
}

type Inject = FastifyInstance['inject'];

export function watchDocumentedStatuses(app: FastifyInstance): StatusWatch {
  let router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined;
  const found = new Set<string>();

  const routerOf = () => {
    if (router !== undefined) return router;
    router = FindMyWay({ ignoreTrailingSlash: true });
    const document = app.swagger() as { paths: Record<string, Record<string, { responses?: object }>> };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const statuses = new Set(Object.keys(operation.responses ?? {}));
        const store: OperationResponses = { path, statuses };
        router.on(method.toUpperCase() as HTTPMethod, path.replace(/\{(\w+)\}/g, ':$1'), () => undefined, store);
      }
    }
    return router;
  };

  const observe = (method: string, url: string, status: number, body: string) => {
    if (status < 400 || status >= 500 || method === 'HEAD') return;
    const match = routerOf().find(method as HTTPMethod, url.split('?')[0] ?? url);
    const operation = match?.store as OperationResponses | undefined;
    if (operation === undefined || operation.statuses.has(String(status))) return;
    const code = /"code":"([a-z_]+)"/.exec(body)?.[1] ?? '?';
    found.add(`${method} ${operation.path} → ${status} (${code})`);
  };

  const original = app.inject.bind(app) as (options?: string | InjectOptions, callback?: unknown) => unknown;
  const inject = (options?: string | InjectOptions, callback?: unknown): unknown => {
    // The chainable and callback forms are passed through unwatched.
    if (options === undefined || callback !== undefined) return original(options, callback);
    return (original(options) as Promise<LightMyRequestResponse>).then((response) => {
      const request: InjectOptions = typeof options === 'string' ? { method: 'GET', url: options } : options;
      const target = request.url ?? request.path ?? '/';
      const path = typeof target === 'string' ? target : (target.pathname ?? '/');
      observe(String(request.method ?? 'GET').toUpperCase(), path, response.statusCode, response.body);
      return response;
    });
  };
  app.inject = inject as Inject;
  return { undocumented: () => [...found] };
}
