import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertCan, declaredActions, isAllowed, isPublicAction } from './authz.ts';
import { unauthorized } from './errors.ts';

/** Every route of the API, with the action it declares (the authorization matrix test walks these). */
export interface RouteAction {
  method: string;
  url: string;
  action: string;
}

/**
 * Every /api/v1 route must declare a Cedar action (`config.action`): a route without one, or
 * with an action the schema does not know, stops the app from building. Non-public actions
 * reject the anonymous with 401 before any handler runs; object-level rules are checked
 * by the services through assertCan.
 */
export function installRouteGuard(app: FastifyInstance): RouteAction[] {
  const routes: RouteAction[] = [];
  const publicCache = new Map<string, boolean>();
  const ownOrganisationDecisions = new Map<string, boolean>();
  const actions = declaredActions();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || route.schema?.hide === true) return;
    const action = route.config?.action;
    if (action === undefined || !actions.has(action)) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} must declare a known authorization action (got ${String(action)})`,
      );
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, action });
    route.schema = {
      ...route.schema,
      description: `${route.schema?.description ?? ''}\n\nPermission: \`${action}\``.trim(),
    };
    const isPublic = publicCache.get(action) ?? isPublicAction(action);
    publicCache.set(action, isPublic);
    if (!isPublic) {
      // onRequest (after authentication, before body parsing and validation): the anonymous
      // get 401, and a principal the action is denied to even on its OWN organisation's
      // objects — hence on every object — gets 403 without learning the route's schema.
      // Object-level rules (another organisation's record → 404) stay in the services.
      const guard = async (request: FastifyRequest) => {
        const principal = request.principal;
        if (principal.kind === 'anonymous') throw unauthorized();
        // The answer depends only on the principal's roles, organisation and scopes: memoise it.
        const key = `${action}|${principal.roles.join(',')}|${principal.organizationId === null ? '' : 'org'}|${principal.organizationStatus ?? ''}|${principal.scopes?.join(',') ?? '*'}`;
        let allowedOnOwn = ownOrganisationDecisions.get(key);
        if (allowedOnOwn === undefined) {
          const ownResource = { type: 'route', id: action, organizationId: principal.organizationId ?? '' };
          allowedOnOwn = isAllowed(principal, action, ownResource);
          ownOrganisationDecisions.set(key, allowedOnOwn);
        }
        if (!allowedOnOwn) assertCan(principal, action, { type: 'route', id: action, organizationId: null });
      };
      const existing = route.onRequest;
      route.onRequest =
        existing === undefined ? [guard] : [guard, ...(Array.isArray(existing) ? existing : [existing])];
    }
  });
  return routes;
}
