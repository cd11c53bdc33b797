/** One field-level problem, addressed by an RFC 6901 JSON pointer into the request. */
export interface FieldProblem {
  pointer: string;
  /** Shown to the user beside the field: both languages, or text already in the user's language. */
  message: string | LocalizedText;
}

export interface AppErrorOptions {
  /** User-safe explanation; may be a message key resolved per language. */
  detail?: string | LocalizedText;
  errors?: FieldProblem[];
  headers?: Record<string, string>;
  /** Internal cause, logged but never sent to the client. */
  cause?: unknown;
  /** Extra members for the problem document (e.g. `currentStatus`). */
  extensions?: Record<string, unknown>;
}

export interface LocalizedText {
  zh: string;
  en: string;
}

/**
 * The one error type of aigov. `code` is a stable snake_case id clients can branch on;
 * the handler in problem.ts turns it into RFC 9457 problem+json.
 */
export class AppError extends Error {
  readonly detail: string | LocalizedText | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    readonly status: number,
    readonly code: string,
    options: AppErrorOptions = {},
  ) {
    super(typeof options.detail === 'object' ? options.detail.en : (options.detail ?? code), { cause: options.cause });
    this.name = 'AppError';
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }
}

export const badRequest = (code: string, options?: AppErrorOptions): AppError => new AppError(400, code, options);
export const unauthorized = (options?: AppErrorOptions): AppError => new AppError(401, 'unauthenticated', options);
export const forbidden = (options?: AppErrorOptions): AppError => new AppError(403, 'forbidden', options);
export const notFound = (options?: AppErrorOptions): AppError => new AppError(404, 'not_found', options);
export const conflict = (code: string, options?: AppErrorOptions): AppError => new AppError(409, code, options);
export const preconditionFailed = (options?: AppErrorOptions): AppError =>
  new AppError(412, 'precondition_failed', options);
export const unprocessable = (code: string, options?: AppErrorOptions): AppError => new AppError(422, code, options);
export const tooManyRequests = (retryAfterSeconds: number, options?: AppErrorOptions): AppError =>
  new AppError(429, 'too_many_requests', {
    ...options,
    headers: { ...options?.headers, 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

/** Returns the value or throws the uniform 404 (a record the actor may not see looks missing). */
export function found<T>(value: T | undefined | null, options?: AppErrorOptions): T {
  if (value === undefined || value === null) throw notFound(options);
  return value;
}
