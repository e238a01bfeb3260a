/**
 * Turning what went wrong talking to Leonardo (its API and the storage behind its presigned uploads)
 * into GenVault's typed errors, each with one plain sentence; the service's own words are kept in
 * `apiMessage`. The API key is scrubbed from anything kept.
 */
import { z } from 'zod';
import type { NetworkError } from '../../errors';
import { ApiError, InvalidInputError } from '../../errors';
import {
  networkErrorFrom as transportError,
  parseRetryAfter,
  scrubKey,
  timeoutError as transportTimeout,
} from '../transport';

export { scrubKey };

export const MISSING_KEY_MESSAGE =
  'No Leonardo API key is set; add it in Settings (or set LEONARDO_API_KEY), then try again.';

export function missingKeyError(): InvalidInputError {
  return new InvalidInputError(MISSING_KEY_MESSAGE, 'apiKey');
}

const text = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .nullish()
  .catch(null);

/**
 * Leonardo's error body is Hasura's `{error, path, code}`; `message` and a nested `error.message` are
 * read as well, for gateways that answer in the more common shape.
 */
export const leonardoErrorBodySchema = z.looseObject({
  error: z
    .union([z.string(), z.number(), z.looseObject({ message: text })])
    .nullish()
    .catch(null),
  message: text,
  code: text,
});

function looksLikeHtml(body: string): boolean {
  return /^\s*<(?:!doctype|html|head|body|\?xml)/i.test(body);
}

/** The API's own message from an error body; a short plain-text body is kept as is; an HTML page yields ''. */
export function apiMessageOf(bodyText: string): string {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    const body = bodyText.trim();
    return looksLikeHtml(body) ? '' : body.slice(0, 500);
  }
  const parsed = leonardoErrorBodySchema.safeParse(json);
  if (!parsed.success) return '';
  const { error, message } = parsed.data;
  const fromError = typeof error === 'object' && error !== null ? error.message : error;
  const candidates = [fromError, message].map((v) => (v === null || v === undefined ? '' : String(v).trim()));
  return candidates.find((v) => v !== '') ?? '';
}

/** Leonardo reports an empty balance in words, with whatever status its gateway chose. */
const OUT_OF_CREDITS =
  /(?:\bnot|n't)\b.{0,20}\benough\b.{0,20}\b(?:credits?|tokens?)\b|\b(?:insufficient|out of|no (?:more|remaining))\b.{0,30}\b(?:credits?|tokens?)\b/i;

function quoted(apiMessage: string): string {
  return apiMessage ? `: "${apiMessage.replace(/[.\s]+$/, '')}".` : '.';
}

function sentenceFor(status: number, apiMessage: string): string {
  switch (status) {
    case 400:
    case 422:
      return `Leonardo rejected the request as invalid${quoted(apiMessage)}`;
    case 401:
      return 'Leonardo did not accept the API key; replace it in Settings (or LEONARDO_API_KEY).';
    case 402:
      return 'Your Leonardo account is out of API credits; top it up at leonardo.ai to continue.';
    case 403:
      return `Leonardo refused the request (content moderation or permission)${quoted(apiMessage)}`;
    case 404:
      // An HTTP 404 means a wrong address: an unknown generation is answered 200 with no generation.
      return `Leonardo could not find what the request refers to${quoted(apiMessage)}`;
    case 413:
      return 'The request is too large for Leonardo; use a smaller image.';
    case 429:
      return 'Leonardo is rate limiting requests (too many at once); GenVault will try again shortly.';
    default:
      if (status >= 500) {
        return `Leonardo is unavailable right now (HTTP ${status}); GenVault will try again.`;
      }
      return `Leonardo rejected the request (HTTP ${status})${quoted(apiMessage)}`;
  }
}

/**
 * An error status → `ApiError`. A 4xx whose message says the balance is exhausted is reported as 402
 * whatever status carried it, so the queue pauses instead of failing every job in turn.
 */
export function apiErrorFromResponse(init: {
  status: number;
  bodyText: string;
  retryAfter: string | string[] | undefined;
  apiKey: string | null;
  now?: number;
}): ApiError {
  const apiMessage = scrubKey(apiMessageOf(init.bodyText), init.apiKey);
  const outOfCredits = init.status >= 400 && init.status < 500 && OUT_OF_CREDITS.test(apiMessage);
  const status = outOfCredits ? 402 : init.status;
  return new ApiError({
    status,
    message: sentenceFor(status, apiMessage),
    apiMessage,
    retryAfterMs: parseRetryAfter(init.retryAfter, init.now),
  });
}

/** `GET /generations/{id}` answers `generations_by_pk: null` for an id this key does not own. */
export function generationNotFoundError(remoteId: string): ApiError {
  return new ApiError({
    status: 404,
    message: `Leonardo has no generation ${remoteId} for this API key.`,
    apiMessage: '',
  });
}

/** S3-style `<Error><Code>…</Code><Message>…</Message></Error>` → "Code: Message". */
function storageMessageOf(bodyText: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(bodyText)?.[1]?.trim() ?? '';
  const message = /<Message>([^<]*)<\/Message>/.exec(bodyText)?.[1]?.trim() ?? '';
  if (code || message) return [code, message].filter(Boolean).join(': ');
  return looksLikeHtml(bodyText) ? '' : bodyText.trim().slice(0, 300);
}

/** The presigned upload was refused by the storage service (not by Leonardo's API). */
export function uploadErrorFromResponse(init: {
  status: number;
  bodyText: string;
  retryAfter: string | string[] | undefined;
}): ApiError {
  const apiMessage = storageMessageOf(init.bodyText);
  let message: string;
  if (init.status === 429 || init.status >= 500) {
    message = `Leonardo's image storage is unavailable right now (HTTP ${init.status}); try the upload again.`;
  } else if (init.status === 403) {
    message = `Leonardo's image storage refused the upload; its upload permission may have expired${quoted(apiMessage)}`;
  } else {
    message = `Leonardo's image storage rejected the upload (HTTP ${init.status})${quoted(apiMessage)}`;
  }
  return new ApiError({
    status: init.status,
    message,
    apiMessage,
    retryAfterMs: parseRetryAfter(init.retryAfter),
  });
}

/** A transport failure as a `NetworkError`; `target` says what was being reached. */
export function networkErrorFrom(err: unknown, target = 'Leonardo'): NetworkError {
  return transportError(err, target);
}

export function timeoutError(timeoutMs: number, err?: unknown, target = 'Leonardo'): NetworkError {
  return transportTimeout(timeoutMs, target, err);
}
