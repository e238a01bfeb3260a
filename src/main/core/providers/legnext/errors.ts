/**
 * Turning what went wrong talking to Legnext into GenVault's typed errors: an error status into an
 * `ApiError` with one plain sentence (the API's own words kept in `apiMessage`), a transport failure
 * into a `NetworkError`. The API key is scrubbed from anything kept.
 */
import { ApiError, InvalidInputError, NetworkError } from '../../errors';
import { legnextErrorBodySchema } from './schemas';

export const MISSING_KEY_MESSAGE =
  'No Legnext API key is set; add it in Settings (or `genvault key set`, or LEGNEXT_API_KEY), then try again.';

export function missingKeyError(): InvalidInputError {
  return new InvalidInputError(MISSING_KEY_MESSAGE, 'apiKey');
}

/** Replaces every occurrence of the key, so an API that echoes it back cannot leak it into logs or the DB. */
export function scrubKey(text: string, apiKey: string | null): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[api key]') : text;
}

/** `Retry-After` as delta-seconds or an HTTP date → ms from `now` (never negative); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  // An HTTP date names its weekday or month; anything else (a negative number…) is not one.
  if (!/[a-z]{3}/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection was closed before an answer arrived',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
};

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in CAUSES) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A transport failure (refused, reset, DNS…) as a `NetworkError` with a plain cause. */
export function networkErrorFrom(err: unknown): NetworkError {
  const code = errorCode(err);
  const cause = code ? CAUSES[code] : 'the connection failed';
  return new NetworkError(`Could not reach Legnext: ${cause}.`, { cause: err });
}

export function timeoutError(timeoutMs: number, err?: unknown): NetworkError {
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  return new NetworkError(`Legnext did not answer within ${seconds}.`, { cause: err });
}
