import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: embedded database in ./data on 127.0.0.1:3000', () => {
  const config = loadConfig({}, '/srv/aigov');
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, '/srv/aigov/data');
  assert.equal(config.logLevel, 'info');
  assert.ok(Object.isFrozen(config));
});

test('reads every documented variable', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/aigov',
    AIGOV_DATA_DIR: '/var/lib/aigov',
    AIGOV_ADMIN_EMAIL: 'admin@example.gov.cn',
    AIGOV_ADMIN_PASSWORD: 'correct horse battery',
    LOG_LEVEL: 'warn',
    AIGOV_PUBLIC_URL: 'https://aigov.example.gov.cn',
  });
  assert.equal(config.port, 8080);
  assert.equal(config.databaseUrl, 'postgres://postgres@127.0.0.1:5432/aigov');
  assert.equal(config.dataDir, '/var/lib/aigov');
  assert.equal(config.adminEmail, 'admin@example.gov.cn');
  assert.equal(config.logLevel, 'warn');
});

const badValues: Array<[Record<string, string>, RegExp]> = [
  [{ PORT: 'eighty' }, /^PORT must be an integer/],
  [{ PORT: '70000' }, /^PORT must be an integer/],
  [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres: or postgresql: URL/],
  [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  [{ AIGOV_ADMIN_EMAIL: 'nobody' }, /AIGOV_ADMIN_EMAIL must be an email address/],
  [{ AIGOV_ADMIN_EMAIL: 'a@b.cn', AIGOV_ADMIN_PASSWORD: 'short' }, /AIGOV_ADMIN_PASSWORD must have at least 12/],
  [{ AIGOV_TRUST_PROXY: 'yes' }, /^AIGOV_TRUST_PROXY must be one of true, false/],
  [
    { AIGOV_CLOCK_START: '2026-12-10T09:00:00+08:00' },
    /AIGOV_CLOCK_START is refused unless AIGOV_ALLOW_CLOCK_OVERRIDE=yes/,
  ],
  [
    { AIGOV_CLOCK_START: '2026-12-10T09:00:00+08:00', AIGOV_ALLOW_CLOCK_OVERRIDE: 'true' },
    /AIGOV_ALLOW_CLOCK_OVERRIDE must be "yes"/,
  ],
  [
    { AIGOV_CLOCK_START: '2026-12-10', AIGOV_ALLOW_CLOCK_OVERRIDE: 'yes' },
    /AIGOV_CLOCK_START must be an RFC 3339 instant/,
  ],
  [
    { AIGOV_CLOCK_START: '2026-02-30T00:00:00Z', AIGOV_ALLOW_CLOCK_OVERRIDE: 'yes' },
    /AIGOV_CLOCK_START must be an RFC 3339 instant/,
  ],
];

for (const [env, expected] of badValues) {
  test(`rejects ${JSON.stringify(env)} naming the variable`, () => {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && error.problems.some((p) => expected.test(p)),
    );
  });
}

test('collects every problem at once and never echoes a database password', () => {
  try {
    loadConfig({ PORT: 'x', DATABASE_URL: 'mysql://user:secret@host/db' });
    assert.fail('should throw');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 2);
    assert.doesNotMatch(error.message, /secret/);
  }
});

test('the rehearsal clock starts at AIGOV_CLOCK_START only when the override is allowed', () => {
  assert.equal(loadConfig({}).clockStart, undefined);
  const config = loadConfig({ AIGOV_CLOCK_START: '2026-12-10T09:00:00+08:00', AIGOV_ALLOW_CLOCK_OVERRIDE: 'yes' });
  assert.equal(config.clockStart?.toISOString(), '2026-12-10T01:00:00.000Z');
});

test('document quotas: defaults, overrides, bounds and their order', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.maxDocumentsPerFiling, 50);
  assert.equal(defaults.maxDocumentBytesPerFiling, 100 * 1024 * 1024);
  assert.equal(defaults.maxDocumentBytesPerOrganization, 2 * 1024 * 1024 * 1024);
  const set = loadConfig({
    AIGOV_MAX_DOCUMENTS_PER_FILING: '10',
    AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: '52428800',
    AIGOV_MAX_DOCUMENT_BYTES_PER_ORG: '1073741824',
  });
  assert.equal(set.maxDocumentsPerFiling, 10);
  assert.equal(set.maxDocumentBytesPerFiling, 52428800);
  assert.equal(set.maxDocumentBytesPerOrganization, 1073741824);
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };
  assert.match(
    problems({ AIGOV_MAX_DOCUMENTS_PER_FILING: '0' })[0]!,
    /^AIGOV_MAX_DOCUMENTS_PER_FILING must be an integer/,
  );
  // Below one full-size document (20 MB) a filing could hold nothing the contract allows.
  assert.match(
    problems({ AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: '1000000' })[0]!,
    /^AIGOV_MAX_DOCUMENT_BYTES_PER_FILING must be an integer from 20971520/,
  );
  assert.match(problems({ AIGOV_MAX_DOCUMENT_BYTES_PER_ORG: '1e9' })[0]!, /^AIGOV_MAX_DOCUMENT_BYTES_PER_ORG must be/);
  assert.match(
    problems({ AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: '209715200', AIGOV_MAX_DOCUMENT_BYTES_PER_ORG: '104857600' })[0]!,
    /AIGOV_MAX_DOCUMENT_BYTES_PER_ORG \(104857600\) must not be smaller than AIGOV_MAX_DOCUMENT_BYTES_PER_FILING/,
  );
});

test('document store: files or database; files only with the embedded database', () => {
  assert.equal(loadConfig({}).documentStore, undefined, 'by database kind');
  assert.equal(loadConfig({ AIGOV_DOCUMENT_STORE: 'database' }).documentStore, 'database');
  assert.equal(loadConfig({ AIGOV_DOCUMENT_STORE: 'files' }).documentStore, 'files');
  assert.throws(
    () => loadConfig({ AIGOV_DOCUMENT_STORE: 's3' }),
    /AIGOV_DOCUMENT_STORE must be one of files, database/,
  );
  assert.throws(
    () => loadConfig({ AIGOV_DOCUMENT_STORE: 'files', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/aigov' }),
    /AIGOV_DOCUMENT_STORE=files needs the embedded database/,
  );
});
