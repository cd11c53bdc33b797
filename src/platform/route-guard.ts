import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { assertCan, declaredActions, isAllowed, isPublicAction } from './authz.ts';
import { AppError, unauthorized } from './errors.ts';
import type { Principal, UserPrincipal } from './principal.ts';

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
  const ownOrganisationDecisions = new Map<string, Verdict>();
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
    // onRequest (after authentication, before body parsing and validation): the anonymous
    // get 401, and a principal the action is denied to even on its OWN organisation's
    // objects — hence on every object — gets 403 without learning the route's schema.
    // Object-level rules (another organisation's record → 404) stay in the services.
    // Whether the action is public is asked of Cedar on the first request, not while the
    // routes register: ≈ 50 cold evaluations were ≈ 0.25 s of every start.
    let isPublic: boolean | undefined;
    const guard = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      if (isPublic === undefined) {
        isPublic = publicCache.get(action) ?? isPublicAction(action);
        publicCache.set(action, isPublic);
      }
      if (isPublic) {
        done();
        return;
      }
      try {
        guardNonPublic(request.principal, action, ownOrganisationDecisions);
        done();
      } catch (error) {
        done(error as Error);
      }
    };
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [guard] : [guard, ...(Array.isArray(existing) ? existing : [existing])];
  });
  return routes;
}

type Verdict = 'allowed' | 'unverified' | 'never';

function guardNonPublic(principal: Principal, action: string, decisions: Map<string, Verdict>): void {
  if (principal.kind === 'anonymous') throw unauthorized();
  // The answer depends only on the principal's roles, organisation and scopes: memoise it.
  const key = `${action}|${principal.roles.join(',')}|${principal.organizationId === null ? '' : 'org'}|${principal.organizationStatus ?? ''}|${principal.scopes?.join(',') ?? '*'}`;
  let verdict = decisions.get(key);
  if (verdict === undefined) {
    verdict = judgeOnOwnOrganisation(principal, action);
    decisions.set(key, verdict);
  }
  if (verdict === 'unverified') throw organizationNotVerified();
  if (verdict === 'never') assertCan(principal, action, { type: 'route', id: action, organizationId: null });
}

/** Could this principal perform the action on its own organisation's objects — or would it, once verified? */
function judgeOnOwnOrganisation(principal: UserPrincipal, action: string): Verdict {
  const own = { type: 'route', id: action, organizationId: principal.organizationId ?? '' };
  if (isAllowed(principal, action, own)) return 'allowed';
  if (principal.organizationId !== null && principal.organizationStatus !== 'verified') {
    if (isAllowed({ ...principal, organizationStatus: 'verified' }, action, own)) return 'unverified';
  }
  return 'never';
}

/** Shenzhen Regulations: only organisations the regulator has verified may file. */
export function organizationNotVerified(): AppError {
  return new AppError(403, 'organization_not_verified', {
    detail: {
      zh: '机构尚未通过监管部门核验，暂不能提交备案或产品',
      en: 'Your organisation has not been verified by the regulator yet, so it cannot file',
    },
  });
}
