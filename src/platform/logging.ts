import type { FastifyServerOptions } from 'fastify';
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

export function loggerOptions(
  level: LogLevel,
  enabled: boolean | { stream: NodeJS.WritableStream },
): FastifyServerOptions['logger'] {
  if (enabled === false) return false;
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return enabled === true ? base : { ...base, stream: enabled.stream };
}
