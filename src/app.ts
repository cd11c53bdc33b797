import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/connection.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { AppDeps } from './platform/deps.ts';
import { healthRoutes } from './platform/health.ts';
import {
  apiHeaders,
  appHelmetOptions,
  documentHeadersHook,
  installRequestDefaults,
  securityHeaders,
} from './platform/security-headers.ts';
import { newId } from './platform/ids.ts';
import { lazyChildLoggerFactory, loggerOptions } from './platform/logging.ts';
import { clientErrorHandler, frameworkErrorHandler, installProblemHandlers } from './platform/problem.ts';
import { installRouteGuard, type RouteAction } from './platform/route-guard.ts';
import type { AnonymousPrincipal } from './platform/principal.ts';
import { lazySerializerFactory, validatorCompiler } from './platform/validation.ts';
import { registerModules } from './modules/index.ts';
import { registerWeb } from './platform/web.ts';

const SWAGGER_UI_STATIC_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')),
  'static',
);

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
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'aigov API',
        version: '1.0.0',
        description:
          'Shenzhen AI Industry Promotion Regulations — regulator platform API (深圳经济特区人工智能产业促进条例)',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'aigov_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Named explicitly: in the server bundle the plugin cannot find its own directory.
    baseDir: SWAGGER_UI_STATIC_DIR,
    logo: { type: 'image/svg+xml', content: fs.readFileSync(path.join(SWAGGER_UI_STATIC_DIR, 'logo.svg')) },
    // The page is a document (swagger-ui's own CSP, from staticCSP, still wins).
    uiHooks: { onRequest: documentHeadersHook(documentHeaders) },
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger());

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
