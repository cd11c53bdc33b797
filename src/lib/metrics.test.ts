import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { createMetrics, UNMATCHED_ROUTE } from './metrics.ts';

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((candidate) => candidate.name === name);
  assert.ok(found, `${name} is exposed`);
  return found;
}

function scrapeOf() {
  let lag = 12.5;
  const metrics = createMetrics({
    filingsByStatus: async () => ({ draft: 3, submitted: 2, accepted: 0 }),
    overdueByKind: () => ({ filing: 1, tracking_report: 4 }),
    outboxLagSeconds: () => lag,
    transparencyLogSize: async () => 1024,
  });
  metrics.observeHttpRequest({ method: 'GET', route: '/api/v1/filings/:id', status: 200, durationSeconds: 0.012 });
  metrics.observeHttpRequest({ method: 'get', route: '/api/v1/filings/:id', status: 200, durationSeconds: 0.3 });
  metrics.observeHttpRequest({ method: 'POST', route: '/api/v1/filings', status: 422, durationSeconds: 0.02 });
  metrics.observeHttpRequest({ method: 'GET', route: undefined, status: 404, durationSeconds: 0.001 });
  metrics.observeHttpRequest({ method: 'PROPFIND', route: undefined, status: 404, durationSeconds: 0.001 });
  return { metrics, setLag: (value: number) => (lag = value) };
}

test('the §7 metrics parse as Prometheus text with their names, types and labels', async () => {
  const { metrics } = scrapeOf();
  assert.equal(metrics.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  const text = await metrics.render();
  const families = parsePrometheusTextFormat(text);

  const requests = family(families, 'aigov_http_requests_total');
  assert.equal(requests.type, 'COUNTER');
  assert.ok(requests.help.length > 0);
  assert.deepEqual(
    requests.metrics.map((sample) => [sample.labels, sample.value]),
    [
      [{ method: 'GET', route: '/api/v1/filings/:id', status: '200' }, '2'],
      [{ method: 'POST', route: '/api/v1/filings', status: '422' }, '1'],
      [{ method: 'GET', route: UNMATCHED_ROUTE, status: '404' }, '1'],
      [{ method: 'OTHER', route: UNMATCHED_ROUTE, status: '404' }, '1'],
    ],
  );

  const duration = family(families, 'aigov_http_request_duration_seconds');
  assert.equal(duration.type, 'HISTOGRAM');
  // The parser folds a histogram's label sets into one; the series themselves are read from the text.
  assert.ok(
    text.includes(
      'aigov_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/v1/filings/:id",status="200"} 1\n',
    ),
  );
  assert.ok(
    text.includes(
      'aigov_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/filings/:id",status="200"} 2\n',
    ),
  );
  assert.ok(
    text.includes('aigov_http_request_duration_seconds_count{method="POST",route="/api/v1/filings",status="422"} 1\n'),
  );
  assert.match(
    text,
    /^aigov_http_request_duration_seconds_sum\{method="GET",route="\/api\/v1\/filings\/:id",status="200"\} 0\.312$/m,
  );

  const filings = family(families, 'aigov_filings');
  assert.equal(filings.type, 'GAUGE');
  assert.deepEqual(
    filings.metrics.map((sample) => [sample.labels, sample.value]),
    [
      [{ status: 'draft' }, '3'],
      [{ status: 'submitted' }, '2'],
      [{ status: 'accepted' }, '0'],
    ],
  );
  const overdue = family(families, 'aigov_overdue');
  assert.equal(overdue.type, 'GAUGE');
  assert.deepEqual(
    overdue.metrics.map((sample) => [sample.labels, sample.value]),
    [
      [{ kind: 'filing' }, '1'],
      [{ kind: 'tracking_report' }, '4'],
    ],
  );
  const lag = family(families, 'aigov_outbox_lag_seconds');
  assert.equal(lag.type, 'GAUGE');
  assert.deepEqual(lag.metrics, [{ value: '12.5' }]);
  const log = family(families, 'aigov_transparency_log_size');
  assert.equal(log.type, 'GAUGE');
  assert.deepEqual(log.metrics, [{ value: '1024' }]);
  for (const parsed of families) assert.ok(parsed.help.length > 0, `${parsed.name} has HELP`);
});

test('gauges are read again at every scrape', async () => {
  const { metrics, setLag } = scrapeOf();
  await metrics.render();
  setLag(0);
  const families = parsePrometheusTextFormat(await metrics.render());
  assert.deepEqual(family(families, 'aigov_outbox_lag_seconds').metrics, [{ value: '0' }]);
});

test('a failing source leaves its gauge empty for that scrape and is counted, not thrown', async () => {
  let failing = true;
  const metrics = createMetrics({
    filingsByStatus: async () => {
      if (failing) throw new Error('database is down');
      return { draft: 1 };
    },
  });
  const first = parsePrometheusTextFormat(await metrics.render());
  assert.deepEqual(family(first, 'aigov_filings').metrics, []);
  assert.deepEqual(family(first, 'aigov_metrics_collect_errors_total').metrics, [
    { labels: { metric: 'aigov_filings' }, value: '1' },
  ]);
  failing = false;
  const second = parsePrometheusTextFormat(await metrics.render());
  assert.deepEqual(family(second, 'aigov_filings').metrics, [{ labels: { status: 'draft' }, value: '1' }]);
});

test('each registry is its own: two apps in one process do not share counts', async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.observeHttpRequest({ method: 'GET', route: '/x', status: 200, durationSeconds: 0.1 });
  assert.match(await a.render(), /^aigov_http_requests_total\{[^}]*\} 1$/m);
  assert.doesNotMatch(await b.render(), /^aigov_http_requests_total\{/m);
});

test('odd observations keep labels bounded and skip impossible durations', async () => {
  const metrics = createMetrics();
  metrics.observeHttpRequest({ method: 'GET', route: '', status: 0, durationSeconds: Number.NaN });
  const text = await metrics.render();
  assert.match(text, /^aigov_http_requests_total\{method="GET",route="\(unmatched\)",status="invalid"\} 1$/m);
  assert.doesNotMatch(text, /_count\{[^}]*status="invalid"/);
});

/** Prometheus' own linter, when the machine has it (Debian: the `prometheus` package). */
function promtool(t: TestContext, text: string) {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error !== undefined) {
    t.skip('promtool is not installed');
    return undefined;
  }
  return run;
}

test('promtool check metrics accepts the exposition', async (t) => {
  const { metrics } = scrapeOf();
  const run = promtool(t, await metrics.render());
  if (run === undefined) return;
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.equal(`${run.stdout}${run.stderr}`.trim(), '');
});
