/**
 * What every provider client shares about talking HTTP: turning transport failures and timeouts
 * into plain `NetworkError`s naming the service, reading `Retry-After`, and keeping the API key out
 * of anything that could be logged or stored.
 */
import { NetworkError } from '../errors';

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

/** The plain cause of a transport failure, found in the error or its causes (undici wraps them). */
function causeOf(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in CAUSES) return CAUSES[code]!;
    e = (e as { cause?: unknown }).cause;
  }
  return 'the connection failed';
}

/** A transport failure (refused, reset, DNS…) as a `NetworkError`: "Could not reach <service>: <cause>." */
export function networkErrorFrom(err: unknown, service: string): NetworkError {
  return new NetworkError(`Could not reach ${service}: ${causeOf(err)}.`, { cause: err });
}

export function timeoutError(timeoutMs: number, service: string, err?: unknown): NetworkError {
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  return new NetworkError(`${service} did not answer within ${seconds}.`, { cause: err });
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
