/**
 * The Leonardo image-to-video client: one request per call, JSON in and out, typed errors. Retries,
 * backoff and rate-limit pauses belong to the queue, which reads `ApiError.retryable` / `retryAfterMs`.
 *
 * A start or end frame from disk reaches Leonardo in two steps (`uploadInitImage`): `POST /init-image`
 * returns a presigned POST form for its storage, then the file goes there as multipart form data
 * WITHOUT the Bearer token (the storage authorises by the signed policy and rejects other credentials;
 * the key must not leave for a host other than Leonardo's API either).
 */
import { Blob } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { FormData, fetch, request } from 'undici';
import type { Dispatcher } from 'undici';
import { sniffMedia, SNIFF_BYTES } from '../../archive/sniff';
import { InvalidInputError, ProtocolError } from '../../errors';
import type { ProviderClient, RemoteJobSnapshot, SubmitRequest } from '../types';
import { BaseUrl, type BaseUrlRules, type BaseUrlSource } from '../base-url';
import {
  apiErrorFromResponse,
  missingKeyError,
  networkErrorFrom,
  scrubKey,
  timeoutError,
  uploadErrorFromResponse,
} from './errors';
import { LEONARDO_IMAGE_TO_VIDEO_OP } from './requests';
import {
  parseInitImageUpload,
  parseLeonardoGeneration,
  parseLeonardoMe,
  parseLeonardoSubmit,
  type LeonardoAccount,
} from './schemas';

export const DEFAULT_LEONARDO_BASE_URL = 'https://cloud.leonardo.ai/api/rest/v1';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** "Examples of file extensions are png, jpg, jpeg, and webp" (Upload Init Image). */
export const INIT_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'] as const;
export type InitImageExtension = (typeof INIT_IMAGE_EXTENSIONS)[number];

const MIME_OF: Record<InitImageExtension, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export interface LeonardoClientOptions {
  /**
   * API root; default `LEONARDO_BASE_URL`, else https://cloud.leonardo.ai/api/rest/v1. A base URL
   * given here or by the environment is fixed: `applySettingsBaseUrl` does not replace it.
   */
  baseUrl?: string;
  /** Asked on every request, so a key change applies at once. */
  apiKey: () => Promise<string | null>;
  dispatcher?: Dispatcher;
  /** Whole request, headers and body (the upload of a file included); default 30 s. */
  requestTimeoutMs?: number;
}

/** Printable ASCII only: anything else cannot travel in an HTTP header (and is surely a paste error). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

const STORAGE = "Leonardo's image storage";

const BASE_URL_RULES: BaseUrlRules = {
  service: 'Leonardo',
  envVar: 'LEONARDO_BASE_URL',
  defaultUrl: DEFAULT_LEONARDO_BASE_URL,
};

function extensionOf(ext: string): InitImageExtension {
  const e = ext.trim().toLowerCase().replace(/^\./, '');
  if (!(INIT_IMAGE_EXTENSIONS as readonly string[]).includes(e)) {
    throw new InvalidInputError(`Leonardo takes png, jpg, jpeg or webp images, not "${ext}".`, 'extension');
  }
  return e as InitImageExtension;
}

async function imageBytes(file: string | Buffer): Promise<Buffer> {
  if (typeof file !== 'string') return file;
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const reason =
      code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new InvalidInputError(`The image file ${file} ${reason}.`, 'file');
  }
}

/** The bytes must be the image type the extension announces, or Leonardo stores something it cannot use. */
function checkImage(bytes: Buffer, ext: InitImageExtension, file: string | Buffer): void {
  const name = typeof file === 'string' ? `The file ${file}` : 'The image';
  if (bytes.length === 0) throw new InvalidInputError(`${name} is empty.`, 'file');
  const sniffed = sniffMedia(bytes.subarray(0, SNIFF_BYTES));
  if (sniffed?.mime !== MIME_OF[ext]) {
    const actual = sniffed ? `a ${sniffed.ext.toUpperCase()} file` : 'not a PNG, JPEG or WebP image';
    throw new InvalidInputError(`${name} is ${actual}, not the ${ext} image it was given as.`, 'file');
  }
}

export class LeonardoClient implements ProviderClient {
  readonly provider = 'leonardo' as const;
  private readonly endpoint: BaseUrl;
  private readonly apiKey: () => Promise<string | null>;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;

  constructor(opts: LeonardoClientOptions) {
    this.endpoint = new BaseUrl(BASE_URL_RULES, opts.baseUrl);
    // A wrong LEONARDO_BASE_URL or constructor value is a configuration error worth stopping for.
    void this.endpoint.url;
    this.apiKey = opts.apiKey;
    this.dispatcher = opts.dispatcher;
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** The API root requests go to now. */
  get baseUrl(): string {
    return this.endpoint.url;
  }

  get baseUrlSource(): BaseUrlSource {
    return this.endpoint.source;
  }

  /** The base URL from Settings (null: the default); the environment's, when set, wins. */
  applySettingsBaseUrl(url: string | null): void {
    this.endpoint.applySetting(url);
  }

  /** `GET {base}/me`: the account behind the key. Costs nothing, so it is how a new key is checked. */
  async me(signal?: AbortSignal): Promise<LeonardoAccount> {
    return parseLeonardoMe(await this.call('GET', '/me', undefined, signal));
  }

  /** `POST {base}/generations-image-to-video` with the body `buildLeonardoRequest` made. */
  async submit(req: SubmitRequest, signal?: AbortSignal): Promise<RemoteJobSnapshot> {
    if (req.provider !== 'leonardo' || req.op !== LEONARDO_IMAGE_TO_VIDEO_OP) {
      throw new InvalidInputError(`"${req.op}" is not a Leonardo operation.`, 'op');
    }
    const json = await this.call('POST', `/${LEONARDO_IMAGE_TO_VIDEO_OP}`, req.body, signal);
    return parseLeonardoSubmit(json);
  }

  /** `GET {base}/generations/{id}`. */
  async poll(remoteId: string, signal?: AbortSignal): Promise<RemoteJobSnapshot> {
    const id = remoteId.trim();
    if (id === '') {
      throw new InvalidInputError('A Leonardo generation id is needed to check on a job.', 'remoteId');
    }
    const json = await this.call('GET', `/generations/${encodeURIComponent(id)}`, undefined, signal);
    return parseLeonardoGeneration(json, id);
  }

  /**
   * Uploads a start or end frame (a file path or its bytes) and returns its init image id, to use with
   * `imageType: 'UPLOADED'` (or `endFrameImage.type: 'UPLOADED'`). `ext` is one of
   * `INIT_IMAGE_EXTENSIONS`, in any case, with or without its dot; the bytes must be that image type.
   */
  async uploadInitImage(file: string | Buffer, ext: string, signal?: AbortSignal): Promise<{ id: string }> {
    const extension = extensionOf(ext);
    const bytes = await imageBytes(file);
    checkImage(bytes, extension, file);
    const json = await this.call('POST', '/init-image', { extension }, signal);
    const upload = parseInitImageUpload(json);

    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    // Presigned POST policies only cover fields sent before the file, so the file goes last.
    form.append(
      'file',
      new Blob([new Uint8Array(bytes)], { type: MIME_OF[extension] }),
      `image.${extension}`,
    );

    const { combined, timeout } = this.deadline(signal);
    let status: number;
    let retryAfter: string | undefined;
    let bodyText: string;
    try {
      const res = await fetch(upload.url, {
        method: 'POST',
        body: form,
        signal: combined,
        dispatcher: this.dispatcher,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after') ?? undefined;
      bodyText = await res.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw timeoutError(this.timeoutMs, err, STORAGE);
      throw networkErrorFrom(err, STORAGE);
    }
    if (status < 200 || status >= 300) throw uploadErrorFromResponse({ status, bodyText, retryAfter });
    return { id: upload.id };
  }

  private deadline(signal: AbortSignal | undefined): { combined: AbortSignal; timeout: AbortSignal } {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return { combined: signal ? AbortSignal.any([signal, timeout]) : timeout, timeout };
  }

  private async key(): Promise<string> {
    const key = (await this.apiKey())?.trim();
    if (!key) throw missingKeyError();
    if (!HEADER_SAFE.test(key)) {
      throw new InvalidInputError(
        'The Leonardo API key contains spaces or characters an API key cannot have; set it again.',
        'apiKey',
      );
    }
    return key;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const apiKey = await this.key();
    const { combined, timeout } = this.deadline(signal);
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(`${this.endpoint.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: combined,
        dispatcher: this.dispatcher,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw timeoutError(this.timeoutMs, err);
      throw networkErrorFrom(err);
    }

    text = scrubKey(text, apiKey);
    if (status < 200 || status >= 300) {
      throw apiErrorFromResponse({
        status,
        bodyText: text,
        retryAfter: responseHeaders['retry-after'],
        apiKey,
      });
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      const contentType = String(responseHeaders['content-type'] ?? 'unknown type')
        .split(';')[0]!
        .trim();
      throw new ProtocolError(`Leonardo sent a response GenVault cannot read (${contentType}, not JSON).`, {
        cause: err,
      });
    }
  }
}
