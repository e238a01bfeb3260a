/**
 * The gateway's error shape. UniAll is an OpenAI-style gateway: every error status carries
 * `{error: {message, type, param, code}}`, `code` being a word rather than the HTTP status.
 */
export interface ViduErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export function errorBody(
  message: string,
  code: string,
  type = 'invalid_request_error',
  param: string | null = null,
): ViduErrorBody {
  return { error: { message, type, param, code } };
}

export class ViduSimError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    message: string,
    init: { code: string; type?: string; param?: string; headers?: Record<string, string> },
  ) {
    super(message);
    this.status = status;
    this.code = init.code;
    this.type = init.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }
  body(): ViduErrorBody {
    return errorBody(this.message, this.code, this.type, this.param);
  }
}

/** A request the docs call invalid: a missing field, a value out of range, a mode mix-up. */
export function invalidParameter(param: string, message: string): ViduSimError {
  return new ViduSimError(400, message, { code: 'invalid_parameter', param });
}

export const AUTH_FAILED_MESSAGE = 'Invalid token: the API key is missing or not recognised.';
export const QUOTA_MESSAGE = 'Insufficient user quota: the account balance cannot cover this task.';
