/**
 * One webhook attempt over HTTP(S) to a target pinned by `resolveWebhookTarget`
 * (ssrf-guard.ts). API-CONTRACT-2 §7: a 2xx is a delivery; anything else, or no answer within
 * 10 s, is a failed attempt. The socket goes to the pinned address (never resolved again, so
 * DNS rebinding cannot redirect it) while `Host`, TLS SNI and the certificate check use the
 * URL's host name. Redirects are never followed — a 3xx is a failed attempt, as the Location
 * could point anywhere the guard would refuse. The answer's body is read up to a cap and
 * discarded; only the status matters. Never throws: every failure is an outcome.
 */
import http from 'node:http';
import https from 'node:https';
import type { WebhookTarget } from './ssrf-guard.ts';
import { type DeliveryOutcome, WEBHOOK_TIMEOUT_MS } from './webhook-retry.ts';

/** Bytes of the receiver's answer read before the connection is closed. */
export const WEBHOOK_RESPONSE_BODY_CAP = 64 * 1024;

export const WEBHOOK_USER_AGENT = 'aigov-webhooks/1';

export interface WebhookRequest {
  /** The JSON body, exactly as signed. */
  body: string | Uint8Array;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` (signWebhook). */
  headers: Readonly<Record<string, string>>;
}

export interface DeliveryAttempt {
  outcome: DeliveryOutcome;
  /** From sending to the status line (or the failure), in milliseconds. */
  latencyMs: number;
}

export interface DeliveryOptions {
  /** The whole attempt: connect, TLS, request, answer. §7: 10 s. */
  timeoutMs?: number;
  responseBodyCap?: number;
  /** A monotonic clock in milliseconds for the latency; `performance.now` by default. */
  now?: () => number;
  /** Extra trust anchors for `https:` (tests); the system's by default. */
  ca?: string | Buffer | Array<string | Buffer>;
}

/** POSTs one signed webhook to a pinned target and reports what happened. */
export function deliverWebhook(
  target: WebhookTarget,
  request: WebhookRequest,
  options: DeliveryOptions = {},
): Promise<DeliveryAttempt> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const cap = options.responseBodyCap ?? WEBHOOK_RESPONSE_BODY_CAP;
  const now = options.now ?? (() => performance.now());
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
  const started = now();

  return new Promise<DeliveryAttempt>((resolve) => {
    let settled = false;
    let latencyMs: number | undefined;
    let status: number | undefined;
    const finish = (outcome: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ outcome, latencyMs: latencyMs ?? now() - started });
    };
    const byStatus = (code: number): DeliveryOutcome =>
      code >= 200 && code < 300 ? { kind: 'delivered', status: code } : { kind: 'rejected', status: code };

    const requestOptions: https.RequestOptions = {
      host: target.address,
      family: target.family,
      port: target.port,
      method: 'POST',
      path: `${target.url.pathname}${target.url.search}`,
      headers: {
        ...request.headers,
        host: target.url.host,
        'content-type': 'application/json',
        'content-length': String(body.length),
        'user-agent': WEBHOOK_USER_AGENT,
      },
      // One connection per attempt: no pooled socket outlives it or carries another subscriber's traffic.
      agent: false,
    };
    if (target.protocol === 'https:') {
      requestOptions.servername = target.servername;
      if (options.ca !== undefined) requestOptions.ca = options.ca;
    }
    let req: http.ClientRequest;
    try {
      req = (target.protocol === 'https:' ? https : http).request(requestOptions);
    } catch (error) {
      // Invalid header values are refused synchronously.
      resolve({ outcome: { kind: 'failed', error: (error as Error).message }, latencyMs: 0 });
      return;
    }

    const timer = setTimeout(() => {
      // Once a 2xx status line has arrived the receiver has the message: a slow body does
      // not make it a failure (§7: never sent again after a 2xx).
      finish(status === undefined ? { kind: 'failed', error: `no answer within ${timeoutMs} ms` } : byStatus(status));
    }, timeoutMs);

    req.on('response', (res) => {
      latencyMs = now() - started;
      status = res.statusCode ?? 0;
      const outcome = byStatus(status);
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > cap) finish(outcome);
      });
      res.on('end', () => finish(outcome));
      res.on('error', () => finish(outcome));
      res.on('aborted', () => finish(outcome));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'failed', error: describeNetworkError(error, target) });
    });
    req.end(body);
  });
}

/** "connect ECONNREFUSED 127.0.0.1:8080" with the host name the subscriber knows. */
function describeNetworkError(error: NodeJS.ErrnoException, target: WebhookTarget): string {
  const where = target.hostname === target.address ? target.address : `${target.hostname} (${target.address})`;
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === 'ECONNREFUSED') return `connection refused by ${where}:${target.port}`;
  if (code === 'ECONNRESET') return `connection reset by ${where}:${target.port}`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} is unreachable`;
  if (code.startsWith('ERR_TLS_') || code.includes('CERT') || /certificate/i.test(error.message)) {
    return `TLS to ${target.hostname} failed: ${error.message}`;
  }
  return code === '' ? error.message : `${code}: ${error.message}`;
}
