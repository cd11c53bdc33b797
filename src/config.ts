import path from 'node:path';
import { isValidKeyName } from './lib/checkpoint.ts';
import { parseSmtpUrl } from './lib/email-transport.ts';
import { parseWebhookAllowHosts } from './lib/ssrf-guard.ts';

/** Everything aigov reads from its environment, parsed and validated once at start. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** `postgres://…` for PostgreSQL; undefined → embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly logLevel: LogLevel;
  /** External base URL (e.g. https://aigov.example.gov.cn); drives Secure cookies and the CSRF origin check. */
  readonly publicUrl: string | undefined;
  readonly trustProxy: boolean;
  readonly sessionTtlHours: number;
  readonly sessionIdleMinutes: number;
  /** Origin line of transparency-log checkpoints (C2SP tlog-checkpoint). */
  readonly logOrigin: string;
  /**
   * Signed-note name of the checkpoint key: `AIGOV_LOG_KEY_NAME`, by default the origin
   * (tlog-checkpoint: the key name SHOULD be the origin).
   */
  readonly logKeyName: string;
  /**
   * True when `logKeyName` is the default. A log already signing under the previous default,
   * `aigov.local`, then keeps that name (see transparency-log/signing-key.ts).
   */
  readonly logKeyNameIsDefault: boolean;
  /** Base64 PKCS#8 Ed25519 key; undefined → generated once into the data dir. */
  readonly logSigningKey: string | undefined;
  /** `auto` builds the web UI on start when dist/web is missing; `never` skips it. */
  readonly webBuild: 'auto' | 'never';
  readonly bodyLimitBytes: number;
  /** Anonymous risk self-checks per minute per client address and instance; 0 turns the limit off. */
  readonly selfCheckRateLimitPerMinute: number;
  /**
   * The rehearsal clock (API-CONTRACT-2 §0): the server's clock starts at this instant and runs
   * at normal speed. Only with `AIGOV_ALLOW_CLOCK_OVERRIDE=yes`.
   */
  readonly clockStart: Date | undefined;
  /** Documents one filing may hold. */
  readonly maxDocumentsPerFiling: number;
  /** Bytes of documents one filing may hold (each document is at most 20 MB). */
  readonly maxDocumentBytesPerFiling: number;
  /** Bytes of documents one organisation may hold across all its filings (documents are kept). */
  readonly maxDocumentBytesPerOrganization: number;
  /**
   * Where uploaded documents' bytes go: `files` (content-addressed under `dataDir/documents`)
   * or `database` (bytea); undefined → `files` on PGlite, `database` on PostgreSQL.
   */
  readonly documentStore: DocumentStoreKind | undefined;
  /** `AIGOV_WEBHOOK_ALLOW_HOSTS`: webhook hosts exempt from the SSRF address check (exact names or IPs). */
  readonly webhookAllowHosts: ReadonlySet<string>;
  /** `AIGOV_METRICS_TOKEN`: `GET /metrics` answers only with this bearer token; unset → 404. */
  readonly metricsToken: string | undefined;
  /** `AIGOV_SMTP_URL` (`smtp://` or `smtps://`); unset → mails are files in the data dir. */
  readonly smtpUrl: string | undefined;
  /** `AIGOV_SMTP_FROM`: the From address; `aigov <no-reply@<public host>>` by default. */
  readonly smtpFrom: string | undefined;
  /** `AIGOV_OIDC_ISSUER`, `AIGOV_OIDC_CLIENT_ID`, `AIGOV_OIDC_CLIENT_SECRET`: staff single sign-on. */
  readonly oidc: OidcConfig | undefined;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export const DOCUMENT_STORE_KINDS = ['files', 'database'] as const;
export type DocumentStoreKind = (typeof DOCUMENT_STORE_KINDS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Readonly<Record<string, string | undefined>>;

const MIB = 1024 * 1024;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Every problem is collected, so an operator fixes them all in one
 * go; the message names each variable and the value it got.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const instant = (name: string): Date | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(raw);
    if (match === null || !isCivilDateTime(match.slice(1, 7).map(Number))) {
      problems.push(`${name} must be an RFC 3339 instant such as 2026-12-10T09:00:00+08:00 (got "${raw}")`);
      return undefined;
    }
    return new Date(raw);
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${redactUrl(raw)}")`);
      return undefined;
    }
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(cwd, read('AIGOV_DATA_DIR') ?? 'data');
  const adminEmail = read('AIGOV_ADMIN_EMAIL');
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(adminEmail)) {
    problems.push(`AIGOV_ADMIN_EMAIL must be an email address (got "${adminEmail}")`);
  }
  const adminPassword = env.AIGOV_ADMIN_PASSWORD === '' ? undefined : env.AIGOV_ADMIN_PASSWORD;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push('AIGOV_ADMIN_PASSWORD must have at least 12 characters');
  }
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push('AIGOV_ADMIN_EMAIL and AIGOV_ADMIN_PASSWORD must be set together');
  }
  const logOrigin = read('AIGOV_LOG_ORIGIN') ?? 'aigov.local/transparency-log';
  const explicitKeyName = read('AIGOV_LOG_KEY_NAME');
  const publicUrl = url('AIGOV_PUBLIC_URL', ['http:', 'https:']);
  const clockStart = instant('AIGOV_CLOCK_START');
  const allowClockOverride = read('AIGOV_ALLOW_CLOCK_OVERRIDE');
  if (allowClockOverride !== undefined && allowClockOverride !== 'yes') {
    problems.push(`AIGOV_ALLOW_CLOCK_OVERRIDE must be "yes" or unset (got "${allowClockOverride}")`);
  } else if (clockStart !== undefined && allowClockOverride !== 'yes') {
    problems.push(
      'AIGOV_CLOCK_START is refused unless AIGOV_ALLOW_CLOCK_OVERRIDE=yes is also set: a rehearsal clock must never start by accident',
    );
  }
  const allowHosts = parseWebhookAllowHosts(read('AIGOV_WEBHOOK_ALLOW_HOSTS'));
  if (allowHosts.invalid.length > 0) {
    problems.push(
      `AIGOV_WEBHOOK_ALLOW_HOSTS lists hosts only, comma-separated, without scheme, port or path (got ${allowHosts.invalid.map((h) => `"${h}"`).join(', ')})`,
    );
  }
  const metricsToken = env.AIGOV_METRICS_TOKEN === '' ? undefined : env.AIGOV_METRICS_TOKEN;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,512}$/.test(metricsToken)) {
    problems.push('AIGOV_METRICS_TOKEN must be 16 to 512 printable characters without spaces');
  }
  const smtpUrl = read('AIGOV_SMTP_URL');
  if (smtpUrl !== undefined) {
    const parsed = parseSmtpUrl(smtpUrl);
    if (!parsed.ok) problems.push(`AIGOV_SMTP_URL: ${parsed.problem}`);
  }
  const oidcIssuer = url('AIGOV_OIDC_ISSUER', ['https:', 'http:']);
  const oidcClientId = read('AIGOV_OIDC_CLIENT_ID');
  const oidcClientSecret = read('AIGOV_OIDC_CLIENT_SECRET');
  const oidcSet = [read('AIGOV_OIDC_ISSUER'), oidcClientId, oidcClientSecret].filter((v) => v !== undefined).length;
  if (oidcSet !== 0 && oidcSet !== 3) {
    problems.push('AIGOV_OIDC_ISSUER, AIGOV_OIDC_CLIENT_ID and AIGOV_OIDC_CLIENT_SECRET must be set together');
  }
  const trustProxy = oneOf('AIGOV_TRUST_PROXY', ['true', 'false'], 'false') === 'true';
  const config: Config = {
    port,
    host,
    databaseUrl,
    dataDir,
    adminEmail,
    adminPassword,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    publicUrl,
    trustProxy,
    sessionTtlHours: integer('AIGOV_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    sessionIdleMinutes: integer('AIGOV_SESSION_IDLE_MINUTES', 120, 5, 24 * 60),
    logOrigin,
    logKeyName: explicitKeyName ?? logOrigin,
    logKeyNameIsDefault: explicitKeyName === undefined,
    logSigningKey: read('AIGOV_LOG_SIGNING_KEY'),
    webBuild: oneOf('AIGOV_WEB_BUILD', ['auto', 'never'], 'auto'),
    bodyLimitBytes: integer('AIGOV_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    selfCheckRateLimitPerMinute: integer('AIGOV_SELF_CHECK_RATE_LIMIT', 120, 0, 1_000_000),
    clockStart,
    maxDocumentsPerFiling: integer('AIGOV_MAX_DOCUMENTS_PER_FILING', 50, 1, 10_000),
    maxDocumentBytesPerFiling: integer('AIGOV_MAX_DOCUMENT_BYTES_PER_FILING', 100 * MIB, 20 * MIB, 2 ** 50),
    maxDocumentBytesPerOrganization: integer('AIGOV_MAX_DOCUMENT_BYTES_PER_ORG', 2048 * MIB, 20 * MIB, 2 ** 50),
    documentStore:
      read('AIGOV_DOCUMENT_STORE') === undefined
        ? undefined
        : oneOf('AIGOV_DOCUMENT_STORE', DOCUMENT_STORE_KINDS, 'files'),
    webhookAllowHosts: allowHosts.hosts,
    metricsToken,
    smtpUrl: smtpUrl !== undefined && parseSmtpUrl(smtpUrl).ok ? smtpUrl : undefined,
    smtpFrom: read('AIGOV_SMTP_FROM'),
    oidc:
      oidcIssuer !== undefined && oidcClientId !== undefined && oidcClientSecret !== undefined
        ? { issuer: oidcIssuer, clientId: oidcClientId, clientSecret: oidcClientSecret }
        : undefined,
  };
  if (config.documentStore === 'files' && databaseUrl !== undefined) {
    // Instances on PostgreSQL share nothing but the database: a file written by one would be
    // missing on the others, and one instance's orphan sweep could not see another's uploads.
    problems.push('AIGOV_DOCUMENT_STORE=files needs the embedded database (unset DATABASE_URL)');
  }
  if (config.maxDocumentBytesPerOrganization < config.maxDocumentBytesPerFiling) {
    problems.push(
      `AIGOV_MAX_DOCUMENT_BYTES_PER_ORG (${config.maxDocumentBytesPerOrganization}) must not be smaller than AIGOV_MAX_DOCUMENT_BYTES_PER_FILING (${config.maxDocumentBytesPerFiling})`,
    );
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a note line may not hold
  if (/[\u0000-\u001f]/.test(logOrigin)) {
    problems.push('AIGOV_LOG_ORIGIN must be one line of text without control characters');
  } else if (!isValidKeyName(config.logKeyName)) {
    problems.push(
      explicitKeyName === undefined
        ? `AIGOV_LOG_ORIGIN "${logOrigin}" cannot name the checkpoint key, as it does by default: a signed-note key name has no spaces and no '+'; set AIGOV_LOG_KEY_NAME`
        : `AIGOV_LOG_KEY_NAME must not contain spaces or '+' (got "${config.logKeyName}")`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Year, month, day, hour, minute, second in range (Date would roll 30 February over into March). */
function isCivilDateTime([year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0]: number[]): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

/** Hides a password in a connection URL before it reaches a message. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
