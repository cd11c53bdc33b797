import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config.ts';

/** Never let credentials or personal secrets reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.adminPassword',
];

let stdoutDestination: DestinationStream | undefined;

/**
 * Standard output, written asynchronously: while one write is in flight the next lines are
 * gathered and written together, off the request path, instead of one blocking write(2) per
 * line (which cost /healthz 60 % of its throughput at `info`, bench/README.md). No minimum
 * length: a quiet server's line (`listening`) still goes out at once. pino flushes it synchronously when the process
 * exits (also on `process.exit`), so no line is lost on a clean or fatal exit; only a kill -9
 * can lose the last few kilobytes. One destination per process, shared by every app built in it.
 */
export function asyncStdout(): DestinationStream {
  stdoutDestination ??= pino.destination({ dest: 1, sync: false });
  return stdoutDestination;
}

export function loggerOptions(
  level: LogLevel,
  enabled: boolean | { stream: NodeJS.WritableStream },
): FastifyServerOptions['logger'] {
  if (enabled === false) return false;
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return { ...base, stream: enabled === true ? asyncStdout() : enabled.stream };
}

/** Probed every few seconds by load balancers and orchestrators: not worth a line each at `info`. */
function isHealthProbe(url: string): boolean {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path === '/healthz' || path === '/readyz';
}

/**
 * fastify's request lines, except the two for a health probe that succeeded: `/healthz` and
 * `/readyz` log nothing at `info` (a probe every few seconds per balancer would fill the log),
 * while a failed readiness check (503) or an error is logged as any other request's.
 */
export class AppLogController extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (isHealthProbe(request.url)) return;
    super.incomingRequest(request, reply);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error == null && reply.statusCode < 400 && isHealthProbe(request.url)) return;
    super.requestCompleted(error, request, reply);
  }
}

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger, made into a pino child on its first line that would be written. Fastify
 * otherwise builds a child (bindings serialised, methods copied) for every request, which is
 * a few per cent of the cheapest routes, while at `warn` a successful request logs nothing.
 * The child gets exactly the bindings and options fastify asked for.
 */
class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
  ) {}

  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings);
    return this.made;
  }

  private log(method: LogMethod, args: unknown[]): void {
    if (this.made === undefined && !this.parent.isLevelEnabled(method)) return;
    const logger = this.real();
    Reflect.apply(logger[method], logger, args);
  }

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.log('error', args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', args);
  }
  info(...args: unknown[]): void {
    this.log('info', args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

/** Any own setting (fastify passes `{}` unless a route sets a level or serializers); allocates nothing. */
function hasSettings(options: object): boolean {
  for (const key in options) if (Object.hasOwn(options, key)) return true;
  return false;
}

/** fastify's `childLoggerFactory`: lazy children, unless a route sets its own level or serializers. */
export const lazyChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) =>
  hasSettings(options) || !('isLevelEnabled' in logger)
    ? logger.child(bindings, options)
    : new LazyChildLogger(logger as Logger, bindings);
