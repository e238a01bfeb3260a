/**
 * A small S3 client for the image host: PUT, HEAD and DELETE of one object, and presigned GET URLs.
 * Any S3-compatible store works (AWS, R2, MinIO, B2), path-style or virtual-hosted. Failures become
 * one plain sentence each; the secret access key is never part of a message, a URL or a log line.
 */
import { isIP } from 'node:net';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { ImageHostConfig } from '../../../shared/contract';
import { ApiError, InvalidInputError } from '../errors';
import { networkErrorFrom, scrubKey, timeoutError } from '../providers/transport';
import { EMPTY_SHA256, encodeKey, presignUrl, sha256Hex, signRequest } from './sigv4';

/** Uploads are at most 30 MB; a slow uplink still finishes one well inside this. */
export const DEFAULT_S3_TIMEOUT_MS = 120_000;
const SERVICE = 'The image host';

/**
 * An answer of the image host that is an error. Never pauses the Legnext queue: a 401 or 403 from the
 * bucket says nothing about the Legnext key or credits.
 */
export class ImageHostError extends ApiError {
  override get pausesQueue(): boolean {
    return false;
  }
}

export interface S3ClientOptions {
  config: ImageHostConfig;
  secretAccessKey: string;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** The signing clock: real time (S3 refuses requests more than 15 minutes off). */
  now?: () => number;
}

interface S3Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function tag(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m?.[1]?.trim() || null;
}

/** The one sentence a person reads for an S3 error code (from the XML body, when the answer had one). */
function messageFor(code: string | null, status: number, config: ImageHostConfig, xml: string): string {
  switch (code) {
    case 'SignatureDoesNotMatch':
      return 'The image host did not accept the secret access key; check that it was copied whole and belongs to this access key ID.';
    case 'InvalidAccessKeyId':
      return `The image host does not know the access key ID "${config.accessKeyId}"; check it in the image host settings.`;
    case 'NoSuchBucket':
      return `The bucket "${config.bucket}" does not exist on the image host; create it or correct its name.`;
    case 'AccessDenied':
      return `The image host refused access to the bucket "${config.bucket}": the access key needs permission to put, get and delete objects in it.`;
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException': {
      const expected = tag(xml, 'Region');
      return expected
        ? `The bucket "${config.bucket}" is in the region "${expected}", not "${config.region}"; correct the region.`
        : `The image host does not accept the region "${config.region}" for this bucket; correct the region.`;
    }
    case 'PermanentRedirect':
    case 'TemporaryRedirect': {
      const endpoint = tag(xml, 'Endpoint');
      return endpoint
        ? `The bucket "${config.bucket}" must be reached through ${endpoint}; correct the endpoint or the region.`
        : `The bucket "${config.bucket}" must be reached through another endpoint; correct the endpoint or the region.`;
    }
    case 'RequestTimeTooSkewed':
      return "The image host refused the request because this computer's clock is off; set the clock to the right time.";
    case 'InvalidBucketName':
      return `"${config.bucket}" is not a valid bucket name for the image host.`;
    case 'EntityTooLarge':
      return 'The image host refused the file because it is too large.';
    case 'SlowDown':
    case 'ServiceUnavailable':
    case 'InternalError':
      return `The image host is busy or failing (HTTP ${status}); GenVault will try again.`;
    default:
      break;
  }
  if (status === 403) {
    return `The image host refused the request (HTTP 403): check the access key ID, its secret and the bucket's permissions.`;
  }
  if (status === 404) return `The image host found no bucket "${config.bucket}" at ${config.endpoint}.`;
  if (status === 429 || status >= 500) {
    return `The image host is busy or failing (HTTP ${status}); GenVault will try again.`;
  }
  return `The image host answered HTTP ${status}${code ? ` (${code})` : ''}.`;
}

/** An error answer as an `ImageHostError`; `secret` is scrubbed from what is kept of the body. */
export function imageHostErrorFrom(
  status: number,
  bodyText: string,
  config: ImageHostConfig,
  secret: string,
): ImageHostError {
  const xml = scrubKey(bodyText, secret);
  const code = tag(xml, 'Code');
  const detail = tag(xml, 'Message');
  return new ImageHostError({
    status,
    message: messageFor(code, status, config, xml),
    apiMessage: [code, detail].filter(Boolean).join(': ') || `HTTP ${status}`,
  });
}

/** Where objects of `config`'s bucket live: path-style `endpoint/bucket/`, or `bucket.endpoint/`. */
export function bucketBase(config: ImageHostConfig): URL {
  const endpoint = new URL(config.endpoint);
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  if (config.pathStyle) {
    return new URL(`${endpoint.origin}${basePath}/${encodeKey(config.bucket)}/`);
  }
  const hostname = endpoint.hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname) !== 0) {
    throw new InvalidInputError(
      'An image host reached by IP address needs path-style URLs: turn on path-style.',
      'pathStyle',
    );
  }
  if (config.bucket.includes('.') && endpoint.protocol === 'https:') {
    // A dotted bucket name breaks the TLS wildcard certificate of virtual-hosted addresses.
    throw new InvalidInputError(
      `The bucket "${config.bucket}" has dots in its name, so it must be reached path-style: turn on path-style.`,
      'pathStyle',
    );
  }
  return new URL(`${endpoint.protocol}//${config.bucket}.${endpoint.host}${basePath}/`);
}

export class S3Client {
  readonly config: ImageHostConfig;
  private readonly secret: string;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly base: URL;

  constructor(opts: S3ClientOptions) {
    this.config = opts.config;
    this.secret = opts.secretAccessKey;
    this.dispatcher = opts.dispatcher;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
    this.base = bucketBase(opts.config);
  }

  /** The object's URL, unsigned. */
  objectUrl(key: string): URL {
    return new URL(encodeKey(key), this.base);
  }

  /** A URL that fetches the object without credentials for `config.urlMinutes`. */
  presignGet(key: string): string {
    return presignUrl({
      method: 'GET',
      url: this.objectUrl(key),
      region: this.config.region,
      credentials: { accessKeyId: this.config.accessKeyId, secretAccessKey: this.secret },
      now: this.now(),
      expiresSeconds: this.config.urlMinutes * 60,
    });
  }

  async put(key: string, body: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
    await this.send('PUT', key, signal, { body, contentType });
  }

  /**
   * Whether the object is known to exist. S3 answers a HEAD of a missing object with 403 rather than
   * 404 when the key may not list the bucket, which a put/get/delete-only key cannot: both mean "not
   * known", and a PUT that follows reports any real refusal with its reason.
   */
  async exists(key: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.send('HEAD', key, signal, { absent: [403, 404] });
    return res.status >= 200 && res.status < 300;
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.send('DELETE', key, signal);
  }

  private async send(
    method: 'PUT' | 'HEAD' | 'DELETE',
    key: string,
    signal: AbortSignal | undefined,
    opts: { body?: Buffer; contentType?: string; absent?: readonly number[] } = {},
  ): Promise<S3Response> {
    const url = this.objectUrl(key);
    const headers = signRequest({
      method,
      url,
      headers: opts.contentType ? { 'content-type': opts.contentType } : {},
      payloadHash: opts.body ? sha256Hex(opts.body) : EMPTY_SHA256,
      region: this.config.region,
      credentials: { accessKeyId: this.config.accessKeyId, secretAccessKey: this.secret },
      now: this.now(),
    });
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: S3Response;
    try {
      const answer = await request(url, {
        method,
        headers,
        body: opts.body,
        signal: combined,
        dispatcher: this.dispatcher,
      });
      res = {
        status: answer.statusCode,
        headers: answer.headers,
        body: Buffer.from(await answer.body.arrayBuffer()),
      };
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw timeoutError(this.timeoutMs, SERVICE, err);
      throw networkErrorFrom(err, 'the image host');
    }
    if (res.status >= 200 && res.status < 300) return res;
    if (opts.absent?.includes(res.status)) return res;
    throw imageHostErrorFrom(res.status, res.body.toString('utf8'), this.config, this.secret);
  }
}
