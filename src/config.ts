import path from 'node:path';

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
  readonly logKeyName: string;
  /** Base64 PKCS#8 Ed25519 key; undefined → generated once into the data dir. */
  readonly logSigningKey: string | undefined;
  /** `auto` builds the web UI on start when dist/web is missing; `never` skips it. */
  readonly webBuild: 'auto' | 'never';
  readonly bodyLimitBytes: number;
  /** Anonymous risk self-checks per minute per client address and instance; 0 turns the limit off. */
  readonly selfCheckRateLimitPerMinute: number;
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
  const publicUrl = url('AIGOV_PUBLIC_URL', ['http:', 'https:']);
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
    logOrigin: read('AIGOV_LOG_ORIGIN') ?? 'aigov.local/transparency-log',
    logKeyName: read('AIGOV_LOG_KEY_NAME') ?? 'aigov.local',
    logSigningKey: read('AIGOV_LOG_SIGNING_KEY'),
    webBuild: oneOf('AIGOV_WEB_BUILD', ['auto', 'never'], 'auto'),
    bodyLimitBytes: integer('AIGOV_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    selfCheckRateLimitPerMinute: integer('AIGOV_SELF_CHECK_RATE_LIMIT', 120, 0, 1_000_000),
    maxDocumentsPerFiling: integer('AIGOV_MAX_DOCUMENTS_PER_FILING', 50, 1, 10_000),
    maxDocumentBytesPerFiling: integer('AIGOV_MAX_DOCUMENT_BYTES_PER_FILING', 100 * MIB, 20 * MIB, 2 ** 50),
    maxDocumentBytesPerOrganization: integer('AIGOV_MAX_DOCUMENT_BYTES_PER_ORG', 2048 * MIB, 20 * MIB, 2 ** 50),
    documentStore:
      read('AIGOV_DOCUMENT_STORE') === undefined
        ? undefined
        : oneOf('AIGOV_DOCUMENT_STORE', DOCUMENT_STORE_KINDS, 'files'),
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
  if (/\s|\+/.test(config.logKeyName)) {
    problems.push(`AIGOV_LOG_KEY_NAME must not contain spaces or '+' (got "${config.logKeyName}")`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Hides a password in a connection URL before it reaches a message. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
