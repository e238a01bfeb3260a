/**
 * Typed errors of the core. Every failure a user can meet is one of these, with a message that is a
 * single plain sentence; the CLI maps `exitCode` straight to its process exit status.
 *
 *  2 invalid input (nothing was sent) · 3 rejected by the API · 4 network/server unavailable ·
 *  1 a job failed or an output could not be archived.
 */
export type ErrorKind = 'invalid' | 'rejected' | 'unavailable' | 'failed';

const EXIT_CODES: Record<ErrorKind, number> = { failed: 1, invalid: 2, rejected: 3, unavailable: 4 };

export class GenVaultError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
  }
  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** Caught before any request was spent: a bad flag, an out-of-range value, a missing file. */
export class InvalidInputError extends GenVaultError {
  /** The offending field or `--flag`, when there is one. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super('invalid', message);
    this.field = field;
  }
}

/**
 * The API answered with an error status. 4xx other than 429 are final (`rejected`); 429 and 5xx are
 * `retryable` and only surface as `unavailable` once the retries are spent.
 */
export class ApiError extends GenVaultError {
  readonly status: number;
  /** The provider's own message, kept verbatim for the detail view. */
  readonly apiMessage: string;
  readonly retryable: boolean;
  /** From Retry-After, in ms, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(init: { status: number; message: string; apiMessage: string; retryAfterMs?: number }) {
    const retryable = init.status === 429 || init.status >= 500;
    super(retryable ? 'unavailable' : 'rejected', init.message);
    this.status = init.status;
    this.apiMessage = init.apiMessage;
    this.retryable = retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
  /** 401/402 stop the whole queue: nothing else can succeed until the user acts. */
  get pausesQueue(): boolean {
    return this.status === 401 || this.status === 402;
  }
}

/** No usable answer: connection refused or reset, timeout, or a body that is not the documented shape. */
export class NetworkError extends GenVaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}

/** A response arrived but does not fit the documented contract (malformed JSON, missing job id…). */
export class ProtocolError extends GenVaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}

/** A job ended in `failed`, or an output could not be archived. */
export class JobFailedError extends GenVaultError {
  constructor(message: string) {
    super('failed', message);
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof ApiError) return err.retryable;
  return err instanceof NetworkError || err instanceof ProtocolError;
}
