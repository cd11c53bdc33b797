import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/connection.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { AppDeps } from './platform/deps.ts';
import { installCompression } from './platform/compression.ts';
import { healthRoutes } from './platform/health.ts';
import { apiHeaders, appHelmetOptions, installRequestDefaults, securityHeaders } from './platform/security-headers.ts';
import { newId } from './platform/ids.ts';
import { AppLogController, lazyChildLoggerFactory, loggerOptions } from './platform/logging.ts';
import { clientErrorHandler, frameworkErrorHandler, installProblemHandlers } from './platform/problem.ts';
import { registerOpenApi } from './platform/openapi.ts';
import { installRouteGuard, type RouteAction } from './platform/route-guard.ts';
import type { AnonymousPrincipal } from './platform/principal.ts';
import { lazySerializerFactory, validatorCompiler } from './platform/validation.ts';
import { registerModules } from './modules/index.ts';
import { registerWeb } from './platform/web.ts';

export interface BuildAppOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Logger on (true) in the server; tests pass false or a stream. */
  logger?: boolean | { stream: NodeJS.WritableStream };
}

/** Builds the whole HTTP application: platform plugins first, then every module, then the web UI. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const deps: AppDeps = {
    config,
    db: database.db,
    dbKind: database.kind,
    clock: options.clock ?? systemClock,
  };
  const app = Fastify({
    logger: loggerOptions(config.logLevel, options.logger ?? true),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => newId(),
    childLoggerFactory: lazyChildLoggerFactory,
    logController: new AppLogController(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: clientErrorHandler(apiHeaders(securityHeaders(appHelmetOptions(config.publicUrl)))),
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
  });
  app.setValidatorCompiler(validatorCompiler);
  const problems = installProblemHandlers(app);
  const routeActions = installRouteGuard(app);
  app.decorate('routeActions', routeActions);
  app.decorateRequest('principal', null as unknown as AnonymousPrincipal);
  const documentHeaders = installRequestDefaults(app, appHelmetOptions(config.publicUrl));
  installCompression(app);
  await registerOpenApi(app, config, routeActions, documentHeaders);

  await app.register(healthRoutes(deps));
  await registerModules(app, deps);
  await registerWeb(app, problems, documentHeaders);
  await app.ready();
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route with its declared authorization action. */
    routeActions: RouteAction[];
  }
}
