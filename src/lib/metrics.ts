/**
 * The Prometheus metrics of `GET /metrics` (API-CONTRACT-2 §7), on a prom-client registry of
 * their own (never the process-global one, so two apps in one test process do not mix).
 * HTTP metrics are observed per request; the domain gauges are read from the database when
 * Prometheus scrapes (`render()`), through callbacks the integrations module supplies.
 *
 * Label values are bounded: `route` is the route template (`/api/v1/filings/:id`), never the
 * raw path, and requests that matched no route share one value; unknown methods are `OTHER`.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Label value of requests that matched no route (404s, scans): one series, not one per path. */
export const UNMATCHED_ROUTE = '(unmatched)';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Seconds; Prometheus' default buckets stop at 10 s, which a slow export can pass. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Counts = Readonly<Record<string, number>>;
type Source<T> = () => T | Promise<T>;

/**
 * Where the domain gauges come from; each is read at scrape time. Without a source (or when it
 * fails) a labelled gauge has no sample and an unlabelled one reads 0 — prom-client always
 * exposes an unlabelled gauge — so alerts on a failing database should watch
 * `aigov_metrics_collect_errors_total`.
 */
export interface MetricsSources {
  /** Filings by status (`draft`, `submitted`, …); include zeros so a series does not vanish. */
  filingsByStatus?: Source<Counts>;
  /** Open items past their statutory deadline, by kind (`filing`, `tracking_report`, `incident`, …). */
  overdueByKind?: Source<Counts>;
  /** Age in seconds of the oldest unprocessed outbox event; 0 when none waits. */
  outboxLagSeconds?: Source<number>;
  /** Leaves in the public transparency log. */
  transparencyLogSize?: Source<number>;
}

export interface HttpObservation {
  method: string;
  /** The matched route's template, or undefined when no route matched. */
  route: string | undefined;
  status: number;
  durationSeconds: number;
}

export interface AigovMetrics {
  readonly registry: Registry;
  /** `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  observeHttpRequest(observation: HttpObservation): void;
  /** The exposition text; a failing source is counted in `aigov_metrics_collect_errors_total`, never thrown. */
  render(): Promise<string>;
}

/** A registry with every §7 metric. */
export function createMetrics(sources: MetricsSources = {}): AigovMetrics {
  const registry = new Registry();
  const registers = [registry];

  const collectErrors = new Counter({
    name: 'aigov_metrics_collect_errors_total',
    help: 'Scrapes in which reading a metric from the database failed, by metric.',
    labelNames: ['metric'] as const,
    registers,
  });

  const httpRequests = new Counter({
    name: 'aigov_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'aigov_http_request_duration_seconds',
    help: 'Time to answer HTTP requests in seconds, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });

  /** Runs a source; on failure the metric reports nothing this scrape and the failure is counted. */
  async function read<T>(metric: string, source: Source<T> | undefined): Promise<T | undefined> {
    if (source === undefined) return undefined;
    try {
      return await source();
    } catch {
      collectErrors.inc({ metric });
      return undefined;
    }
  }

  // Each gauge is refreshed by render() before the registry serialises: prom-client reads all
  // metrics at once, so a failure counted inside a gauge's own collect() would miss this scrape.
  const refreshers: Array<() => Promise<void>> = [];
  const labelledGauge = (name: string, help: string, label: string, source: Source<Counts> | undefined) => {
    const gauge = new Gauge({ name, help, labelNames: [label], registers });
    refreshers.push(async () => {
      const counts = await read(name, source);
      gauge.reset();
      for (const [value, count] of Object.entries(counts ?? {})) gauge.set({ [label]: value }, count);
    });
  };
  const plainGauge = (name: string, help: string, source: Source<number> | undefined) => {
    const gauge = new Gauge({ name, help, registers });
    refreshers.push(async () => {
      const value = await read(name, source);
      gauge.reset();
      if (value !== undefined) gauge.set(value);
    });
  };

  labelledGauge('aigov_filings', 'Filings by status.', 'status', sources.filingsByStatus);
  labelledGauge('aigov_overdue', 'Open items past their deadline, by kind.', 'kind', sources.overdueByKind);
  plainGauge(
    'aigov_outbox_lag_seconds',
    'Age of the oldest unprocessed outbox event in seconds (0 when none waits).',
    sources.outboxLagSeconds,
  );
  plainGauge('aigov_transparency_log_size', 'Entries in the public transparency log.', sources.transparencyLogSize);

  return {
    registry,
    contentType: registry.contentType,
    observeHttpRequest({ method, route, status, durationSeconds }) {
      const labels = {
        method: METHODS.has(method.toUpperCase()) ? method.toUpperCase() : 'OTHER',
        route: route === undefined || route === '' ? UNMATCHED_ROUTE : route,
        status: Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'invalid',
      };
      httpRequests.inc(labels);
      if (Number.isFinite(durationSeconds) && durationSeconds >= 0) httpDuration.observe(labels, durationSeconds);
    },
    async render() {
      await Promise.all(refreshers.map((refresh) => refresh()));
      return registry.metrics();
    },
  };
}
