/**
 * Sending aigov's mails (API-CONTRACT-2 §7 "Email"): by SMTP through nodemailer when
 * `AIGOV_SMTP_URL` is set (`smtp://[user:password@]host[:port]` or `smtps://…`), otherwise
 * through a fallback sender — the development file drop (mail-drop-files.ts) — as before.
 *
 * The URL is parsed here rather than handed to nodemailer whole: nodemailer reads transport
 * kinds from URL parameters (`sendmail`, `path`, `streamTransport`, …), and the environment
 * should only ever choose an SMTP server. Each message has a stable Message-ID derived from its
 * id (the outbox event's), so a retried send is recognisably the same message.
 */
import nodemailer from 'nodemailer';
import type { RenderedMail } from './email-templates.ts';

/** A rendered mail to one recipient. */
export interface MailMessage extends RenderedMail {
  /** Stable id (the outbox event's): the Message-ID and the drop file's name derive from it. */
  id: string;
  to: string;
  /** The `Date:` header; the transport's time when absent. */
  date?: Date;
}

export interface MailSender {
  readonly kind: 'smtp' | 'file';
  /** Resolves once the server accepted the message; rejects with a {@link MailDeliveryError}. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** A send that failed; `permanent` when the server refused for good (5xx), so retrying is pointless. */
export class MailDeliveryError extends Error {
  readonly permanent: boolean;
  readonly responseCode: number | undefined;

  constructor(message: string, options: { permanent: boolean; responseCode?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'MailDeliveryError';
    this.permanent = options.permanent;
    this.responseCode = options.responseCode;
  }
}

/** What `AIGOV_SMTP_URL` may say, beyond scheme, credentials, host and port. */
const URL_PARAMETERS = {
  /** `requireTLS=false` allows credentials over a connection without STARTTLS. */
  requireTLS: 'boolean',
  /** `ignoreTLS=true` never upgrades (a relay with a broken STARTTLS). */
  ignoreTLS: 'boolean',
  /** The EHLO name. */
  name: 'string',
  /** `tls.rejectUnauthorized=false` accepts a relay's self-signed certificate. */
  'tls.rejectUnauthorized': 'boolean',
  'tls.servername': 'string',
} as const;

export interface SmtpSettings {
  host: string;
  port: number;
  /** `smtps:` — TLS from the first byte (port 465). */
  secure: boolean;
  auth: { user: string; pass: string } | undefined;
  requireTLS: boolean;
  ignoreTLS: boolean;
  name: string | undefined;
  tls: { rejectUnauthorized?: boolean; servername?: string };
}

/**
 * Parses `AIGOV_SMTP_URL`. With credentials on `smtp://`, STARTTLS is required unless the URL
 * says `requireTLS=false`: otherwise an attacker on the path could strip the STARTTLS offer
 * and read the password. Problems name the variable's parts, never the password.
 */
export function parseSmtpUrl(raw: string): { ok: true; settings: SmtpSettings } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'AIGOV_SMTP_URL is not a URL' };
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    return { ok: false, problem: `AIGOV_SMTP_URL must start with smtp:// or smtps:// (got ${url.protocol}//)` };
  }
  if (url.hostname === '') return { ok: false, problem: 'AIGOV_SMTP_URL has no host' };
  if (url.pathname !== '' && url.pathname !== '/') return { ok: false, problem: 'AIGOV_SMTP_URL has a path' };
  const secure = url.protocol === 'smtps:';
  const auth =
    url.username === '' && url.password === ''
      ? undefined
      : { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  const settings: SmtpSettings = {
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    auth,
    requireTLS: !secure && auth !== undefined,
    ignoreTLS: false,
    name: undefined,
    tls: {},
  };
  for (const [key, value] of url.searchParams) {
    const type = Object.hasOwn(URL_PARAMETERS, key) ? URL_PARAMETERS[key as keyof typeof URL_PARAMETERS] : undefined;
    if (type === undefined) {
      return {
        ok: false,
        problem: `AIGOV_SMTP_URL parameter ${key} is not supported (use ${Object.keys(URL_PARAMETERS).join(', ')})`,
      };
    }
    if (type === 'boolean' && value !== 'true' && value !== 'false') {
      return { ok: false, problem: `AIGOV_SMTP_URL parameter ${key} must be true or false` };
    }
    const flag = value === 'true';
    if (key === 'requireTLS') settings.requireTLS = flag;
    else if (key === 'ignoreTLS') settings.ignoreTLS = flag;
    else if (key === 'name') settings.name = value;
    else if (key === 'tls.rejectUnauthorized') settings.tls.rejectUnauthorized = flag;
    else if (key === 'tls.servername') settings.tls.servername = value;
  }
  if (settings.requireTLS && settings.ignoreTLS) {
    return { ok: false, problem: 'AIGOV_SMTP_URL cannot both require and ignore STARTTLS' };
  }
  return { ok: true, settings };
}

/** `aigov <no-reply@host of AIGOV_PUBLIC_URL>`, for deployments that name no sender. */
export function defaultMailFrom(publicUrl: string | undefined): string {
  let host = 'localhost';
  if (publicUrl !== undefined) {
    try {
      host = new URL(publicUrl).hostname || host;
    } catch {
      // keep localhost
    }
  }
  return `aigov <no-reply@${host}>`;
}

function messageIdOf(id: string, from: string): string {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) throw new RangeError('mail id: letters, digits, "_" and "-" only');
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'aigov.invalid';
  return `<${id}@${domain}>`;
}

/** RFC 3834: an automatic message; Content-Language lists both languages of the body. */
const MAIL_HEADERS = { 'Auto-Submitted': 'auto-generated', 'Content-Language': 'zh-CN, en' };

export interface SmtpSenderOptions {
  /** The `From:` address, e.g. `深圳市人工智能监管 <no-reply@aigov.example.gov.cn>`. */
  from: string;
  /** Trust anchors for the server's certificate (tests, private CAs); the system's by default. */
  ca?: string | Buffer | Array<string | Buffer>;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** An SMTP sender for `AIGOV_SMTP_URL`; throws a {@link MailDeliveryError}-free `Error` when the URL is unusable. */
export function createSmtpMailSender(smtpUrl: string, options: SmtpSenderOptions): MailSender {
  const parsed = parseSmtpUrl(smtpUrl);
  if (!parsed.ok) throw new Error(parsed.problem);
  const { settings } = parsed;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.auth,
    requireTLS: settings.requireTLS,
    ignoreTLS: settings.ignoreTLS,
    name: settings.name,
    tls: { ...settings.tls, ...(options.ca === undefined ? {} : { ca: options.ca }) },
    // nodemailer's defaults (2 min to connect, 10 min idle) would hold an outbox batch too long.
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    // Messages carry no attachments; never let one read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  const secrets = settings.auth === undefined ? [] : [settings.auth.pass];
  return {
    kind: 'smtp',
    async send(message) {
      const messageId = messageIdOf(message.id, options.from);
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          date: message.date,
          headers: MAIL_HEADERS,
        });
      } catch (error) {
        throw mailDeliveryError(error, secrets);
      }
      return { messageId };
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The server's word on a failed send, when it gave one: a 5xx reply (RFC 5321 §4.2.1) is
 * permanent; a 4xx, a timeout or a lost connection is worth another try.
 */
function mailDeliveryError(error: unknown, secrets: readonly string[]): MailDeliveryError {
  const details = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const code = typeof details.code === 'string' ? details.code : undefined;
  let message = typeof details.message === 'string' ? details.message : 'mail could not be sent';
  for (const secret of secrets) if (secret.length > 0) message = message.split(secret).join('[redacted]');
  return new MailDeliveryError(`${code === undefined ? '' : `${code}: `}${message}`, {
    permanent: responseCode !== undefined && responseCode >= 500 && responseCode < 600,
    responseCode,
    cause: error,
  });
}

/** The SMTP sender when `smtpUrl` is set, the fallback (the file drop) otherwise. */
export function createMailSender(input: {
  smtpUrl: string | undefined;
  from: string;
  fallback: () => MailSender;
}): MailSender {
  return input.smtpUrl === undefined ? input.fallback() : createSmtpMailSender(input.smtpUrl, { from: input.from });
}
