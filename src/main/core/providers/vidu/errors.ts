/**
 * Turning what went wrong talking to UniAll into GenVault's typed errors: an error status into an
 * `ApiError` with one plain sentence (the gateway's own words kept in `apiMessage`), a transport
 * failure into a `NetworkError`. The API key is scrubbed from anything kept.
 */
import type { NetworkError } from '../../errors';
import { ApiError, InvalidInputError } from '../../errors';
import {
  networkErrorFrom as transportError,
  parseRetryAfter,
  scrubKey,
  timeoutError as transportTimeout,
} from '../transport';
import { viduErrorBodySchema } from './schemas';

export { parseRetryAfter, scrubKey };

export const MISSING_KEY_MESSAGE =
  'No UniAll API key is set; add it in Settings (or UNIALL_API_KEY), then try again.';
export const MISSING_BASE_URL_MESSAGE = 'Set the UniAll base URL in Settings or UNIALL_BASE_URL.';

export function missingKeyError(): InvalidInputError {
  return new InvalidInputError(MISSING_KEY_MESSAGE, 'apiKey');
}

export function missingBaseUrlError(): InvalidInputError {
  return new InvalidInputError(MISSING_BASE_URL_MESSAGE, 'baseUrl');
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(?:!doctype|html|head|body|\?xml)/i.test(text);
}

interface ApiWords {
  message: string;
  code: string;
}

/** The gateway's own message and error code from an error body; a short plain-text body is kept as is. */
function apiWordsOf(bodyText: string): ApiWords {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    const text = bodyText.trim();
    return { message: looksLikeHtml(text) ? '' : text.slice(0, 500), code: '' };
  }
  const parsed = viduErrorBodySchema.safeParse(json);
  if (!parsed.success) return { message: '', code: '' };
  const b = parsed.data;
  const nested = typeof b.error === 'object' && b.error !== null ? b.error : null;
  const flat = typeof b.error === 'string' ? b.error : null;
  const message = [nested?.message, flat, b.message, b.msg, b.detail].find((v) => v) ?? '';
  return { message: message.slice(0, 500), code: nested?.code ?? b.code ?? '' };
}

/** The gateway's own message from an error body ('' for an HTML page or an unreadable body). */
export function apiMessageOf(bodyText: string): string {
  return apiWordsOf(bodyText).message;
}

/**
 * Gateways of this kind report an empty balance as 403 (`insufficient_user_quota`) or 429
 * (`insufficient_quota`) as often as 402. Either way no retry can succeed until the user tops up, so
 * it is reported as 402, which pauses the queue.
 */
const OUT_OF_CREDITS =
  /insufficient[\s_-]*(?:user[\s_-]*)?(?:quota|credits?|balance|funds)|quota[\s_-]*(?:is[\s_-]*)?not[\s_-]*enough|not[\s_-]*enough[\s_-]*(?:quota|credits?|balance)|余额不足|额度不足/i;

export function isOutOfCredits(words: { message: string; code: string }): boolean {
  return OUT_OF_CREDITS.test(words.code) || OUT_OF_CREDITS.test(words.message);
}

function quoted(apiMessage: string): string {
  return apiMessage ? `: "${apiMessage.replace(/[.\s]+$/, '')}".` : '.';
}

export interface ErrorContext {
  /** Set for a poll: a 404 then names the task. */
  remoteId?: string;
}

function sentenceFor(status: number, apiMessage: string, ctx: ErrorContext): string {
  switch (status) {
    case 400:
    case 422:
      return `UniAll rejected the video request as invalid${quoted(apiMessage)}`;
    case 401:
      return 'UniAll did not accept the API key; replace it in Settings (or UNIALL_API_KEY).';
    case 402:
      return 'Your UniAll account is out of credits; top it up with your gateway to continue.';
    case 403:
      return `UniAll refused the request (content policy or permission)${quoted(apiMessage)}`;
    case 404:
      return ctx.remoteId !== undefined
        ? `UniAll has no video task ${ctx.remoteId} for this API key.`
        : `UniAll has no video endpoint at this base URL; check the UniAll base URL in Settings${quoted(apiMessage)}`;
    case 413:
      return 'The request is too large for UniAll; use image URLs or smaller images.';
    case 429:
      return 'UniAll is rate limiting requests (too many at once); GenVault will try again shortly.';
    default:
      if (status >= 500) return `UniAll is unavailable right now (HTTP ${status}); GenVault will try again.`;
      return `UniAll rejected the request (HTTP ${status})${quoted(apiMessage)}`;
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
  const words = apiWordsOf(init.bodyText);
  const apiMessage = scrubKey(words.message, init.apiKey);
  const status =
    init.status >= 400 && init.status < 500 && init.status !== 401 && isOutOfCredits(words)
      ? 402
      : init.status;
  return new ApiError({
    status,
    message: sentenceFor(status, apiMessage, init.context ?? {}),
    apiMessage,
    retryAfterMs: parseRetryAfter(init.retryAfter, init.now),
  });
}

/**
 * An error reported inside a 200 (`{code: 404, message}`, `{error:{…}}`, `{code: "task_not_exist",
 * data: null}`): the status it stands for, or null when the body is not an error. A body carrying a
 * task `status` is never an error here.
 */
export function embeddedErrorStatus(json: unknown): number | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const obj = json as Record<string, unknown>;
  if ('status' in obj) return null;
  const data = obj.data;
  if (data !== null && typeof data === 'object') return null;
  const numeric = typeof obj.code === 'number' ? obj.code : Number.NaN;
  if (Number.isInteger(numeric) && numeric >= 400 && numeric <= 599) return numeric;
  const hasError = obj.error !== undefined && obj.error !== null && obj.error !== false;
  const namedFailure =
    data === null && typeof obj.code === 'string' && !/^(?:success|ok|0|200)$/i.test(obj.code.trim());
  if (!hasError && !namedFailure) return null;
  const words = apiWordsOf(JSON.stringify(json));
  const text = `${words.code} ${words.message}`;
  if (/not[\s_-]*(?:exist|found)/i.test(text)) return 404;
  if (/(?:invalid|wrong|missing)[\s_-]*(?:api[\s_-]*)?(?:key|token)|unauthori[sz]ed/i.test(text)) return 401;
  return 400;
}

/** A transport failure (refused, reset, DNS…) as a `NetworkError` naming UniAll. */
export function networkErrorFrom(err: unknown): NetworkError {
  return transportError(err, 'UniAll');
}

export function timeoutError(timeoutMs: number, err?: unknown): NetworkError {
  return transportTimeout(timeoutMs, 'UniAll', err);
}
