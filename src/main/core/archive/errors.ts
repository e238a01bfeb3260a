/**
 * Failures particular to archiving an output. Transport trouble is reported with the core's own classes
 * (`NetworkError` for broken transfers, `ApiError` for 429/5xx so the caller backs off); these cover what
 * retrying the same URL soon will not fix.
 */
import { GenVaultError } from '../errors';

/**
 * The CDN answered 200 but the bytes are not the expected media: a web page, a JSON error, a different
 * media type, or a file that does not decode. Retrying the same URL is unlikely to help.
 */
export class ArchiveContentError extends GenVaultError {
  /** What was asked for. */
  readonly expected: 'image' | 'video';
  /** What arrived, in words: `a web page`, `a JSON document`, `a video`, `an image that does not decode`… */
  readonly received: string;
  constructor(init: { expected: 'image' | 'video'; received: string; detail: string; cause?: unknown }) {
    super('failed', `The CDN sent ${init.received} instead of the ${init.expected} (${init.detail}).`, {
      cause: init.cause,
    });
    this.expected = init.expected;
    this.received = init.received;
  }
}

/**
 * HTTP 403, 404 or 410: the CDN no longer serves (or never served) the file. The caller decides what it
 * means: past the 30-day retention the output is `expired`, earlier it is worth another try later.
 */
export class CdnGoneError extends GenVaultError {
  readonly status: number;
  constructor(status: number) {
    super('failed', `The CDN no longer serves this file (HTTP ${status}).`);
    this.status = status;
  }
}

/** The library folder refused a write (disk full, permissions, a vanished folder). */
export class ArchiveWriteError extends GenVaultError {
  /** The system error code, e.g. `ENOSPC`, when there is one. */
  readonly code: string | undefined;
  constructor(filePath: string, cause: unknown) {
    const code = systemErrorCode(cause);
    super('failed', `The file ${filePath} could not be written${code ? ` (${code})` : ''}.`, { cause });
    this.code = code;
  }
}

export function systemErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    return err.code;
  }
  return undefined;
}

/** A local file is not a decodable image or video: corrupt, truncated, or of another type. */
export class MediaDecodeError extends GenVaultError {
  /** The decoder's own words, e.g. `moov atom not found`. */
  readonly reason: string;
  constructor(filePath: string, expected: 'image' | 'video', reason: string) {
    super(
      'failed',
      `The file ${filePath} could not be decoded as ${expected === 'image' ? 'an image' : 'a video'} (${reason}).`,
    );
    this.reason = reason;
  }
}
