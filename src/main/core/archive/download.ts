/**
 * Download one CDN output to the library, verified, before Legnext deletes it.
 *
 * Contract: the file reaches `<dir>/<baseName>.<ext>` only after its length, magic bytes, decodability
 * and sha256 are known and it has been fsynced; every failure removes the temp file. Broken transfers
 * (reset, early close, idle gap) are resumed within the call; everything else is reported with a typed
 * error so the queue can decide between retry-later, expired and failed.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { errors as undiciErrors, getGlobalDispatcher, interceptors, request, type Dispatcher } from 'undici';
import { ApiError, GenVaultError, InvalidInputError, NetworkError, ProtocolError } from '../errors';
import { parseRetryAfter } from '../providers/transport';
import { commitTempFile, ensureDirectory, tempPathFor } from './atomic';
import {
  ArchiveContentError,
  ArchiveWriteError,
  CdnGoneError,
  MediaDecodeError,
  systemErrorCode,
} from './errors';
import sharp from 'sharp';
import { probeImage, probeVideo } from './media';
import { makeThumbnail } from './thumbnail';
import { describeContent, SNIFF_BYTES, sniffMedia, type MediaType } from './sniff';

export interface ArchiveTarget {
  url: string;
  /** Final folder; created when missing. */
  dir: string;
  /** File name without extension, e.g. `0` or `grid`; the extension comes from the verified content. */
  baseName: string;
  expect: 'image' | 'video';
}

export interface ArchivedFile {
  path: string;
  bytes: number;
  sha256: string;
  mime: string;
  /** Without the dot. */
  ext: string;
  width: number | null;
  height: number | null;
  /** Videos only. */
  durationMs: number | null;
}

export interface DownloadOptions {
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** Bytes of the file received so far (counted from the start, also after a resume) and the total when known. */
  onProgress?: (received: number, total: number | null) => void;
  /** Resumes after a broken transfer within one call; one more break ends the call with a NetworkError. */
  maxResumes?: number;
  /** No byte (or no response head) for this long counts as a broken transfer. */
  idleTimeoutMs?: number;
  /**
   * Images: write the WebP thumbnail here as part of verification (the one full decode both need),
   * before the file gets its final name. Videos ignore it (their poster is a separate step).
   */
  thumbnail?: string;
}

const DEFAULT_MAX_RESUMES = 5;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_REDIRECTIONS = 5;
/** How much of an error page is kept as `ApiError.apiMessage`. */
const ERROR_BODY_LIMIT = 1024;

export async function downloadVerified(
  target: ArchiveTarget,
  opts: DownloadOptions = {},
): Promise<ArchivedFile> {
  validateTarget(target);
  opts.signal?.throwIfAborted();
  await ensureDirectory(target.dir);
  const tempPath = tempPathFor(target.dir, target.baseName);
  let handle: FileHandle | undefined;
  try {
    try {
      handle = await open(tempPath, 'wx');
    } catch (err) {
      throw new ArchiveWriteError(tempPath, err);
    }
    const received = await new Transfer(target, opts, handle, tempPath).run();
    try {
      await handle.sync();
      await handle.close();
      handle = undefined;
    } catch (err) {
      throw new ArchiveWriteError(tempPath, err);
    }
    const facts =
      opts.thumbnail && target.expect === 'image'
        ? await decodeIntoThumbnail(tempPath, received.media, opts.thumbnail)
        : await verifyDecodable(tempPath, received.media, target.expect, opts.signal);
    opts.signal?.throwIfAborted();
    const finalPath = path.join(target.dir, `${target.baseName}.${received.media.ext}`);
    if (await hasSameContent(finalPath, received.bytes, received.sha256)) {
      // A re-run after a crash between rename and the DB update: the archived copy is already right.
      await rm(tempPath, { force: true });
    } else {
      await commitTempFile(tempPath, finalPath);
    }
    return {
      path: finalPath,
      bytes: received.bytes,
      sha256: received.sha256,
      mime: received.media.mime,
      ext: received.media.ext,
      ...facts,
    };
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw err;
  }
}

function validateTarget(target: ArchiveTarget): void {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new InvalidInputError(`The download address "${target.url}" is not a valid URL.`, 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInputError(`The download address "${target.url}" is not an http(s) URL.`, 'url');
  }
  const name = target.baseName;
  if (name === '' || name.startsWith('.') || /[/\\\0]/.test(name)) {
    throw new InvalidInputError(`"${name}" cannot be used as a file name in the library.`, 'baseName');
  }
}

interface Received {
  bytes: number;
  sha256: string;
  media: MediaType;
}

/** A transfer that stopped before its end; worth resuming. Never leaves this module. */
class BrokenTransfer extends Error {}

/**
 * One download's state across attempts. Invariants: `have` bytes are on disk at offsets 0…have-1, `hash`
 * has consumed exactly those bytes in order, and `head` holds the first min(have, SNIFF_BYTES) of them.
 */
class Transfer {
  private have = 0;
  private total: number | null = null;
  private hash: Hash = createHash('sha256');
  private head: Buffer = Buffer.alloc(0);
  private media: MediaType | null = null;
  /** The server has shown it honours Range (Accept-Ranges: bytes, or a 206). */
  private rangeOk = false;
  /** ETag or Last-Modified of the first full response, sent as If-Range so a changed file restarts. */
  private validator: string | null = null;
  private readonly dispatcher: Dispatcher;
  private readonly maxResumes: number;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly target: ArchiveTarget,
    private readonly opts: DownloadOptions,
    private readonly file: FileHandle,
    private readonly tempPath: string,
  ) {
    // undici's request does not follow redirects by itself; CDNs commonly redirect to storage.
    this.dispatcher = (opts.dispatcher ?? getGlobalDispatcher()).compose(
      interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }),
    );
    this.maxResumes = opts.maxResumes ?? DEFAULT_MAX_RESUMES;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  async run(): Promise<Received> {
    let breaks = 0;
    for (;;) {
      if (this.have > 0 && !this.rangeOk) await this.startOver();
      try {
        if ((await this.attempt()) === 'complete') break;
      } catch (err) {
        if (this.opts.signal?.aborted) throw this.opts.signal.reason;
        // The request's own arguments are fixed, so undici only refuses one over a redirect loop.
        if (err instanceof undiciErrors.InvalidArgumentError) {
          throw new ProtocolError('The CDN answered with redirects that cannot be followed.', { cause: err });
        }
        if (!isTransportFailure(err)) throw err;
        breaks += 1;
        if (breaks > this.maxResumes) {
          throw new NetworkError(
            `The ${this.target.expect} could not be downloaded: the transfer broke off ${breaks} times (${failureText(err)}).`,
            { cause: err },
          );
        }
      }
    }
    if (!this.media) throw new Error('Transfer finished without sniffing its content.');
    return { bytes: this.have, sha256: this.hash.digest('hex'), media: this.media };
  }

  /**
   * One request: from byte 0, or from `have` when resuming. Resolves `complete` when the whole file is on
   * disk, `partial` when the server sent a shorter range than asked (ask again for the rest).
   */
  private async attempt(): Promise<'complete' | 'partial'> {
    const resuming = this.have > 0;
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (resuming) {
      headers.range = `bytes=${this.have}-`;
      if (this.validator) headers['if-range'] = this.validator;
    }
    const attempt = new AbortController();
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, attempt.signal]) : attempt.signal;
    const idle = setTimeout(
      () => attempt.abort(new BrokenTransfer(`no data for ${formatSeconds(this.idleTimeoutMs)}`)),
      this.idleTimeoutMs,
    );
    try {
      const res = await request(this.target.url, {
        method: 'GET',
        headers,
        signal,
        dispatcher: this.dispatcher,
      });
      idle.refresh();
      const end = await this.acceptResponse(res, resuming);
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        idle.refresh();
        await this.append(chunk, res.headers);
        if (end !== null && this.have > end) {
          throw new ProtocolError('The CDN sent more bytes than it announced.');
        }
        this.opts.onProgress?.(this.have, this.total);
      }
      if (!this.media) this.checkHead(res.headers);
      if (end !== null && this.have < end) throw new BrokenTransfer('the connection closed early');
      return this.total === null || this.have >= this.total ? 'complete' : 'partial';
    } catch (err) {
      // Our own idle abort surfaces from undici as an abort error; report it as the break it is.
      if (attempt.signal.aborted && !this.opts.signal?.aborted) throw attempt.signal.reason;
      throw err;
    } finally {
      clearTimeout(idle);
    }
  }

  /**
   * Judges the status line and headers; returns the offset one past the last byte this response will
   * carry, or null when the server does not say.
   */
  private async acceptResponse(res: Dispatcher.ResponseData, resuming: boolean): Promise<number | null> {
    const { statusCode: status, headers } = res;
    if (status === 206) {
      const range = parseContentRange(headerValue(headers['content-range']));
      const totalChanged = range?.total != null && this.total !== null && range.total !== this.total;
      if (!range || range.start !== this.have || totalChanged) {
        await discard(res.body);
        this.rangeOk = false;
        throw new BrokenTransfer('the server resumed at the wrong place');
      }
      this.rangeOk = true;
      this.total = range.total ?? this.total;
      return range.end + 1;
    }
    if (status === 200) {
      // A 200 to a Range request: the server ignored Range, or If-Range saw a changed file. Either way
      // the body is the whole file.
      if (resuming) await this.startOver();
      this.total = parseLength(headerValue(headers['content-length']));
      this.rangeOk = /\bbytes\b/i.test(headerValue(headers['accept-ranges']) ?? '');
      this.validator = strongEtag(headerValue(headers.etag)) ?? headerValue(headers['last-modified']) ?? null;
      return this.total;
    }
    if (status === 416 && resuming) {
      await discard(res.body);
      this.rangeOk = false;
      throw new BrokenTransfer('the server refused to resume');
    }
    throw await statusError(res);
  }

  private async append(chunk: Buffer, headers: IncomingHttpHeaders): Promise<void> {
    await writeAt(this.file, chunk, this.have, this.tempPath);
    this.hash.update(chunk);
    this.have += chunk.length;
    if (!this.media && this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
      // Judge as soon as the head is complete, so a 50 MB web page is not downloaded to be refused.
      if (this.head.length >= SNIFF_BYTES) this.checkHead(headers);
    }
  }

  private checkHead(headers: IncomingHttpHeaders): void {
    const media = sniffMedia(this.head);
    if (!media || media.kind !== this.target.expect) {
      const contentType = headerValue(headers['content-type']);
      throw new ArchiveContentError({
        expected: this.target.expect,
        received: describeContent(this.head),
        detail: contentType ? `Content-Type ${contentType}` : 'no Content-Type',
      });
    }
    this.media = media;
  }

  private async startOver(): Promise<void> {
    try {
      await this.file.truncate(0);
    } catch (err) {
      throw new ArchiveWriteError(this.tempPath, err);
    }
    this.have = 0;
    this.total = null;
    this.hash = createHash('sha256');
    this.head = Buffer.alloc(0);
    this.media = null;
  }
}

async function writeAt(file: FileHandle, chunk: Buffer, position: number, filePath: string): Promise<void> {
  let written = 0;
  try {
    while (written < chunk.length) {
      const { bytesWritten } = await file.write(chunk, written, chunk.length - written, position + written);
      written += bytesWritten;
    }
  } catch (err) {
    throw new ArchiveWriteError(filePath, err);
  }
}

/** Connection trouble and early ends, as opposed to a refusal, bad content or a bug. */
function isTransportFailure(err: unknown): boolean {
  if (err instanceof GenVaultError) return false;
  return (
    err instanceof BrokenTransfer ||
    err instanceof undiciErrors.UndiciError ||
    systemErrorCode(err) !== undefined
  );
}

function failureText(err: unknown): string {
  if (err instanceof BrokenTransfer) return err.message;
  const code = systemErrorCode(err);
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (err instanceof undiciErrors.SocketError) return 'the connection closed early';
  if (err instanceof undiciErrors.ResponseContentLengthMismatchError) return 'the connection closed early';
  if (code) return code;
  return err instanceof Error ? err.message : String(err);
}

async function statusError(res: Dispatcher.ResponseData): Promise<GenVaultError> {
  const status = res.statusCode;
  if (status === 403 || status === 404 || status === 410) {
    await discard(res.body);
    return new CdnGoneError(status);
  }
  const apiMessage = await readSnippet(res.body);
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(headerValue(res.headers['retry-after']), Date.now());
    return new ApiError({
      status,
      message:
        status === 429
          ? 'The CDN is limiting downloads (HTTP 429); the download will be retried later.'
          : `The CDN is failing (HTTP ${status}); the download will be retried later.`,
      apiMessage,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return new ApiError({ status, message: `The CDN refused the download (HTTP ${status}).`, apiMessage });
}

/** Drops a body we will not read. A bare destroy() would emit an unobserved 'error' from undici. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: ERROR_BODY_LIMIT }).catch(() => undefined);
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= ERROR_BODY_LIMIT) break;
    }
  } catch {
    // The status already says what matters; a broken error page adds nothing.
  }
  body.destroy();
  return Buffer.concat(parts).toString('utf8', 0, Math.min(size, ERROR_BODY_LIMIT)).trim();
}

/**
 * The full decode an image needs for its thumbnail doubles as the proof that it decodes, so an
 * archived image costs one decode, not two. Size comes from the header.
 */
async function decodeIntoThumbnail(
  filePath: string,
  media: MediaType,
  thumbnail: string,
): Promise<Pick<ArchivedFile, 'width' | 'height' | 'durationMs'>> {
  try {
    let size: { width?: number; height?: number };
    try {
      size = await sharp(filePath).metadata();
    } catch (err) {
      throw new MediaDecodeError(filePath, 'image', err instanceof Error ? err.message : String(err));
    }
    if (!size.width || !size.height) throw new MediaDecodeError(filePath, 'image', 'no dimensions');
    await makeThumbnail(filePath, thumbnail);
    return { width: size.width, height: size.height, durationMs: null };
  } catch (err) {
    // A thumbnail that could not be written (disk full) is not a damaged image: let it through as is.
    if (!(err instanceof MediaDecodeError)) throw err;
    throw new ArchiveContentError({
      expected: 'image',
      received: 'a damaged file',
      detail: `${media.mime}: ${err.reason}`,
      cause: err,
    });
  }
}

async function verifyDecodable(
  filePath: string,
  media: MediaType,
  expect: 'image' | 'video',
  signal: AbortSignal | undefined,
): Promise<Pick<ArchivedFile, 'width' | 'height' | 'durationMs'>> {
  try {
    if (expect === 'image') return { ...(await probeImage(filePath)), durationMs: null };
    return await probeVideo(filePath, signal);
  } catch (err) {
    if (!(err instanceof MediaDecodeError)) throw err;
    throw new ArchiveContentError({
      expected: expect,
      received: 'a damaged file',
      detail: `${media.mime}: ${err.reason}`,
      cause: err,
    });
  }
}

async function hasSameContent(filePath: string, bytes: number, sha256: string): Promise<boolean> {
  try {
    const info = await stat(filePath);
    if (!info.isFile() || info.size !== bytes) return false;
  } catch (err) {
    if (systemErrorCode(err) === 'ENOENT') return false;
    throw new ArchiveWriteError(filePath, err);
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex') === sha256;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseLength(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** `bytes <start>-<end>/<total|*>`; null when malformed. */
export function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? null : Number(match[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

/** Weak ETags are not allowed in If-Range (RFC 9110 §13.1.5). */
function strongEtag(value: string | undefined): string | undefined {
  return value && !value.startsWith('W/') ? value : undefined;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
