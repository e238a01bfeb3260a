/**
 * The API's error shape. Every error status the simulator answers carries the documented body
 * `{code, message, raw_message, detail}` with `code` equal to the HTTP status.
 */
export interface ApiErrorBody {
  code: number;
  message: string;
  raw_message: string;
  detail: null;
}

export class SimHttpError extends Error {
  readonly status: number;
  readonly rawMessage: string;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    message: string,
    init: { rawMessage?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.rawMessage = init.rawMessage ?? '';
    this.headers = init.headers ?? {};
  }
  body(): ApiErrorBody {
    return errorBody(this.status, this.message, this.rawMessage);
  }
}

export function errorBody(code: number, message: string, rawMessage = ''): ApiErrorBody {
  return { code, message, raw_message: rawMessage, detail: null };
}

/** A request the docs call invalid (missing field, bad value, rejected prompt flag). */
export function badRequest(message: string, field?: string): SimHttpError {
  return new SimHttpError(400, message, { rawMessage: field ? `invalid parameter: ${field}` : '' });
}

export const AUTH_FAILED_MESSAGE = 'Failed to verify api key';
