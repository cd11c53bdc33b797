/**
 * `GET /metrics` (API-CONTRACT-2 §7): Prometheus text format, only with `AIGOV_METRICS_TOKEN`
 * as a bearer token (404 while unset, 401 without or with a wrong one). The HTTP histogram is
 * fed by an `onResponse` hook on every route, labelled with the route template. The domain
 * gauges are read from the database at each scrape: a cross-module, read-only view (counts
 * only), so it reads the other modules' tables with plain SQL instead of going through them.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { sql } from 'kysely';
import { createMetrics, type AigovMetrics } from '../../lib/metrics.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound, unauthorized } from '../../platform/errors.ts';
import { FILING_STATUSES } from '../../domain/filings.ts';
import { messageCounts } from './webhook-repo.ts';

/** Filing statuses in which the regulator (or the organisation) owes the next step by `due_date`. */
const OPEN_FILING_STATUSES = ['submitted', 'under_review', 'information_requested'];

async function count(deps: AppDeps, query: ReturnType<typeof sql<{ n: string | number }>>): Promise<number> {
  const result = await query.execute(deps.db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Today's date in China Standard Time (deadlines are civil dates there). */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function buildMetrics(deps: AppDeps): AigovMetrics {
  const metrics = createMetrics({
    async filingsByStatus() {
      const rows = await sql<{ status: string; n: string }>`
        SELECT status, count(*) AS n FROM filings GROUP BY status`.execute(deps.db);
      const counts: Record<string, number> = Object.fromEntries(FILING_STATUSES.map((s) => [s, 0]));
      for (const row of rows.rows) counts[row.status] = Number(row.n);
      return counts;
    },
    async overdueByKind() {
      const today = chinaDate(deps.clock.now());
      const filing = await count(
        deps,
        sql`SELECT count(*) AS n FROM filings
             WHERE status IN (${sql.join(OPEN_FILING_STATUSES)}) AND due_date IS NOT NULL AND due_date < ${today}`,
      );
      const webhook = (await messageCounts(deps.db)).failed;
      return { filing, webhook_message: webhook };
    },
    async outboxLagSeconds() {
      const result = await sql<{ oldest: Date | string | null }>`
        SELECT min(created_at) AS oldest FROM outbox_events WHERE processed_at IS NULL`.execute(deps.db);
      const oldest = result.rows[0]?.oldest;
      if (oldest === null || oldest === undefined) return 0;
      return Math.max(0, (deps.clock.now().getTime() - new Date(oldest).getTime()) / 1000);
    },
    transparencyLogSize: () => count(deps, sql`SELECT count(*) AS n FROM log_leaves`),
  });
  const registers = [metrics.registry];
  const outboxRetrying = new Gauge({
    name: 'aigov_outbox_retrying_events',
    help: 'Unprocessed outbox events that failed at least once and wait for a retry.',
    registers,
    async collect() {
      this.set(
        await count(deps, sql`SELECT count(*) AS n FROM outbox_events WHERE processed_at IS NULL AND attempts > 0`),
      );
    },
  });
  const webhookMessages = new Gauge({
    name: 'aigov_webhook_messages',
    help: 'Webhook messages by status (pending, delivered, failed: the retry schedule is spent).',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      for (const [status, n] of Object.entries(await messageCounts(deps.db))) this.set({ status }, n);
    },
  });
  const auditSize = new Gauge({
    name: 'aigov_audit_trail_size',
    help: 'Entries in the hash-chained audit trail.',
    registers,
    async collect() {
      this.set(await count(deps, sql`SELECT count(*) AS n FROM audit_events`));
    },
  });
  void outboxRetrying;
  void webhookMessages;
  void auditSize;
  return metrics;
}

function sameToken(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function metricsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const token = deps.config.metricsToken;
  const metrics = token === undefined ? undefined : buildMetrics(deps);
  if (metrics !== undefined) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.observeHttpRequest({
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        durationSeconds: reply.elapsedTime / 1000,
      });
      done();
    });
  }
  app.get('/metrics', { schema: { hide: true }, config: { auth: 'public' } }, async (request, reply) => {
    if (metrics === undefined || token === undefined) throw notFound();
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (match === null || !sameToken(match[1]!, token)) {
      throw unauthorized({ headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
    }
    return reply
      .header('cache-control', 'no-store')
      .type(metrics.contentType)
      .send(await metrics.render());
  });
}
