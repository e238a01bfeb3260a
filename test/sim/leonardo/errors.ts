/**
 * The two error shapes the simulator answers with: Leonardo's API errors are Hasura's
 * `{error, path, code}` (as listed on Leonardo's "API Error Messages" page), and its presigned uploads
 * fail the way S3 does, with an XML `<Error>` document.
 */
import type { SimResponse } from '../legnext/http';

export interface LeonardoErrorBody {
  error: string;
  /** JSON path of the offending input, `$` when it is the request as a whole. */
  path: string;
  /** `unexpected`, `validation-failed`, `access-denied`… */
  code: string;
}

export class LeonardoSimError extends Error {
  readonly status: number;
  readonly path: string;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    message: string,
    init: { path?: string; code?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.path = init.path ?? '$';
    this.code = init.code ?? 'unexpected';
    this.headers = init.headers ?? {};
  }
  body(): LeonardoErrorBody {
    return { error: this.message, path: this.path, code: this.code };
  }
}

/** A field of the wrong type or an unknown field: Hasura's input validation. */
export function validationFailed(field: string, message: string): LeonardoSimError {
  return new LeonardoSimError(400, message, { path: `$.${field}`, code: 'validation-failed' });
}

/** A request that is well-typed but not acceptable (wrong duration for the model…). */
export function badRequest(message: string): LeonardoSimError {
  return new LeonardoSimError(400, message);
}

export const AUTH_FAILED_MESSAGE = 'Authentication hook unauthorized this request';
export const NOT_ENOUGH_CREDITS_MESSAGE =
  'You do not have enough API credits to complete this request. Please top up your API credits.';

/** An S3 error response: `Code` such as AccessDenied, InvalidArgument, EntityTooLarge. */
export class StorageError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
  response(requestId: string): SimResponse {
    return storageErrorResponse(this.status, this.code, this.message, requestId);
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function storageErrorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): SimResponse {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `<RequestId>${xmlEscape(requestId)}</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: Buffer.from(xml) };
}
