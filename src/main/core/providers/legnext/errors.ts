/**
 * Turning what went wrong talking to Legnext into GenVault's typed errors: an error status into an
 * `ApiError` with one plain sentence (the API's own words kept in `apiMessage`), a transport failure
 * into a `NetworkError`. The API key is scrubbed from anything kept.
 */
import type { NetworkError } from '../../errors';
import { ApiError, InvalidInputError } from '../../errors';
import { legnextErrorBodySchema } from './schemas';
import {
  networkErrorFrom as transportError,
  parseRetryAfter,
  scrubKey,
  timeoutError as transportTimeout,
} from '../transport';

export { parseRetryAfter, scrubKey };

export const MISSING_KEY_MESSAGE =
  'No Legnext API key is set; add it in Settings (or `genvault key set`, or LEGNEXT_API_KEY), then try again.';

export function missingKeyError(): InvalidInputError {
  return new InvalidInputError(MISSING_KEY_MESSAGE, 'apiKey');
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(?:!doctype|html|head|body|\?xml)/i.test(text);
}

/**
 * The API's own message from an error body: `message`, else `raw_message`, else the same fields
 * nested under `error`; a short plain-text body is kept as is; an HTML page yields ''.
 */
export function apiMessageOf(bodyText: string): string {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    const text = bodyText.trim();
    return looksLikeHtml(text) ? '' : text.slice(0, 500);
  }
  const parsed = legnextErrorBodySchema.safeParse(json);
  if (!parsed.success) return '';
  const b = parsed.data;
  const pick = (...values: (string | null | undefined)[]) =>
    values.map((v) => v?.trim() ?? '').find((v) => v !== '');
  return pick(b.message, b.raw_message, b.error?.message, b.error?.raw_message) ?? '';
}

function quoted(apiMessage: string): string {
  return apiMessage ? `: "${apiMessage.replace(/[.\s]+$/, '')}".` : '.';
}

export interface ErrorContext {
  /** What was being done, for a 404: a poll names the job, a submit the op. */
  remoteId?: string;
  op?: string;
}

function sentenceFor(status: number, apiMessage: string, ctx: ErrorContext): string {
  switch (status) {
    case 400:
    case 422:
      return `Legnext rejected the request as invalid${quoted(apiMessage)}`;
    case 401:
      return 'Legnext did not accept the API key; replace it in Settings (or with `genvault key set`).';
    case 402:
      return 'Your Legnext account is out of credits; top it up at legnext.ai to continue.';
    case 403:
      return `Legnext refused the request (content policy or permission)${quoted(apiMessage)}`;
    case 404:
      return ctx.remoteId !== undefined
        ? `Legnext has no job ${ctx.remoteId} for this API key.`
        : `Legnext could not find what the request refers to${quoted(apiMessage)}`;
    case 413:
      return 'The request is too large for Legnext; use a smaller image.';
    case 429:
      return 'Legnext is rate limiting requests (too many at once); GenVault will try again shortly.';
    default:
      if (status >= 500) return `Legnext is unavailable right now (HTTP ${status}); GenVault will try again.`;
      return `Legnext rejected the request (HTTP ${status})${quoted(apiMessage)}`;
  }
}

export function apiErrorFromResponse(init: {
  status: number;
  bodyText: string;
  retryAfter: string | string[] | undefined;
  apiKey: string | null;
  context?: ErrorContext;
  now?: number;
}): ApiError {
  const apiMessage = scrubKey(apiMessageOf(init.bodyText), init.apiKey);
  return new ApiError({
    status: init.status,
    message: sentenceFor(init.status, apiMessage, init.context ?? {}),
    apiMessage,
    retryAfterMs: parseRetryAfter(init.retryAfter, init.now),
  });
}

/** A transport failure (refused, reset, DNS…) as a `NetworkError` naming Legnext. */
export function networkErrorFrom(err: unknown): NetworkError {
  return transportError(err, 'Legnext');
}

export function timeoutError(timeoutMs: number, err?: unknown): NetworkError {
  return transportTimeout(timeoutMs, 'Legnext', err);
}
