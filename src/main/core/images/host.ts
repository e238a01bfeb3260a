/**
 * The user's image host: an S3-compatible bucket that turns library files into URLs Legnext can fetch.
 * Its settings live in the library (`imageHost.config`), its secret access key in the keychain
 * (account `image-host`, env override `GENVAULT_S3_SECRET_ACCESS_KEY`), never in the library file.
 *
 * Presigned URLs are short-lived and the queue may send a job much later (a restart, a pause, a 429),
 * so a stored request never holds one: it names the file (`genvault-upload:<library path>`) and
 * `prepareRequest` uploads it (content-addressed, so a HEAD skips what is already there) and presigns
 * a fresh URL right before each send.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { imageHostSchema, type ImageHostConfig, type ImageHostView } from '../../../shared/contract';
import { InvalidInputError, NetworkError, ProtocolError } from '../errors';
import type { Library } from '../library';
import { toAbsolute } from '../library/paths';
import { MAX_IMAGE_URL_CHARS } from '../providers/legnext/inputs';
import { networkErrorFrom } from '../providers/transport';
import type { SubmitRequest } from '../providers/types';
import type { SecretStore } from '../secrets';
import { sniffImage } from './inputs';
import { DEFAULT_S3_TIMEOUT_MS, ImageHostError, S3Client, bucketBase, imageHostErrorFrom } from './s3';
import { sha256Hex } from './sigv4';
import { NO_IMAGE_HOST_MESSAGE } from './sources';

export const IMAGE_HOST_SETTING = 'imageHost.config';
export const IMAGE_HOST_ACCOUNT = 'image-host';
/** Marks a library file in a stored request that is sent as a presigned image-host URL. */
export const UPLOAD_REF_PREFIX = 'genvault-upload:';

export const MISSING_SECRET_MESSAGE =
  'The image host has no secret access key yet: add it in Settings → Image host.';

export interface ImageHostOptions {
  library: Library;
  secrets: SecretStore;
  dispatcher?: Dispatcher;
  /** The signing clock; real time unless a test pins it. */
  clock?: () => number;
  timeoutMs?: number;
}

/** `genvault-upload:<library-relative path>`. */
export function uploadRef(libraryPath: string): string {
  return `${UPLOAD_REF_PREFIX}${libraryPath}`;
}

function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
  }
  return isIP(host) === 6 && /^f[cd]/.test(host);
}

function checkUrlLength(url: string): string {
  if (url.length > MAX_IMAGE_URL_CHARS) {
    throw new InvalidInputError(
      `The presigned link to this image is ${url.length} characters long, but Legnext takes image URLs of ` +
        `at most ${MAX_IMAGE_URL_CHARS}; use a shorter endpoint, bucket name or key prefix for the image host.`,
      'imageHost',
    );
  }
  return url;
}

/** A deep copy of `value` with every string that is a key of `replacements` replaced by its value. */
export function replaceStrings<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = replacements.get(v);
      if (whole !== undefined) return whole;
      // Also inside a string: an image URL can sit in a prompt as a flag's value (`--end URL`).
      let out = v;
      for (const [from, to] of replacements) if (out.includes(from)) out = out.split(from).join(to);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Upload references anywhere in a string: a whole field, or a token inside a prompt. */
const UPLOAD_REF_IN_TEXT = new RegExp(`${UPLOAD_REF_PREFIX}[^\\s]+`, 'g');

export class ImageHost {
  private readonly library: Library;
  private readonly secrets: SecretStore;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly clock: () => number;
  private readonly timeoutMs: number;

  constructor(opts: ImageHostOptions) {
    this.library = opts.library;
    this.secrets = opts.secrets;
    this.dispatcher = opts.dispatcher;
    this.clock = opts.clock ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_S3_TIMEOUT_MS;
  }

  /** The stored settings; null when no host is set up. */
  config(): ImageHostConfig | null {
    return this.library.getSetting(IMAGE_HOST_SETTING, imageHostSchema) ?? null;
  }

  async view(): Promise<ImageHostView> {
    const secret = await this.secrets.secretStatus(IMAGE_HOST_ACCOUNT);
    return { config: this.config(), secretSet: secret.set, secretSource: secret.source };
  }

  /** Stores the settings and, when given, the secret (else the stored secret is kept). */
  async set(config: ImageHostConfig, secretAccessKey?: string): Promise<ImageHostView> {
    const parsed = imageHostSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'config';
      throw new InvalidInputError(
        `The image host's ${field} is not valid: ${issue?.message ?? 'unknown'}.`,
        field,
      );
    }
    const next = { ...parsed.data, endpoint: parsed.data.endpoint.replace(/\/+$/, '') };
    bucketBase(next);
    if (secretAccessKey !== undefined) {
      const secret = secretAccessKey.trim();
      if (secret.length < 8) {
        throw new InvalidInputError('The secret access key is too short to be one.', 'secretAccessKey');
      }
      await this.secrets.setSecret(IMAGE_HOST_ACCOUNT, secret);
    }
    this.library.setSetting(IMAGE_HOST_SETTING, next);
    return this.view();
  }

  /** Forgets the settings and removes the secret from the keychain. */
  async clear(): Promise<ImageHostView> {
    this.library.setSetting(IMAGE_HOST_SETTING, undefined);
    await this.secrets.clearSecret(IMAGE_HOST_ACCOUNT);
    return this.view();
  }

  private async client(): Promise<S3Client> {
    const config = this.config();
    if (!config) throw new InvalidInputError(NO_IMAGE_HOST_MESSAGE, 'imageHost');
    const secret = await this.secrets.getSecret(IMAGE_HOST_ACCOUNT);
    if (!secret) throw new InvalidInputError(MISSING_SECRET_MESSAGE, 'secretAccessKey');
    return new S3Client({
      config,
      secretAccessKey: secret,
      dispatcher: this.dispatcher,
      now: this.clock,
      timeoutMs: this.timeoutMs,
    });
  }

  /**
   * A URL of exactly the shape and length the presigned one will have, for validating a request before
   * anything is uploaded; unique per file. Throws when no host is set up or the URL would be too long.
   */
  standInUrl(libraryPath: string): string {
    const config = this.config();
    if (!config) throw new InvalidInputError(NO_IMAGE_HOST_MESSAGE, 'imageHost');
    const client = new S3Client({ config, secretAccessKey: 'stand-in', now: this.clock });
    const ext = path.posix.extname(libraryPath).slice(1);
    return checkUrlLength(client.presignGet(`${config.prefix}${sha256Hex(libraryPath)}.${ext}`));
  }

  /**
   * Puts a library file on the host under `<prefix><sha256>.<ext>` unless it is there already, and
   * returns a fresh presigned GET URL for it.
   */
  async presign(libraryPath: string, signal?: AbortSignal): Promise<string> {
    const client = await this.client();
    let bytes: Buffer;
    try {
      bytes = await readFile(toAbsolute(this.library.root, libraryPath));
    } catch {
      throw new InvalidInputError(`The image ${libraryPath} is no longer in the library folder.`, 'image');
    }
    const sniffed = sniffImage(bytes);
    if (!sniffed)
      throw new InvalidInputError(`The file ${libraryPath} is not an image GenVault can send.`, 'image');
    const key = `${client.config.prefix}${sha256Hex(bytes)}.${sniffed.ext}`;
    if (!(await client.exists(key, signal))) await client.put(key, bytes, sniffed.mime, signal);
    return checkUrlLength(client.presignGet(key));
  }

  /**
   * The queue's last step before a send: every `genvault-upload:` reference in the body becomes a fresh
   * presigned URL. The host being unreachable is reported as a retryable answer of the host, so the
   * queue tries again later without taking Legnext for offline or looking for a job never posted.
   */
  async prepareRequest(req: SubmitRequest, signal?: AbortSignal): Promise<SubmitRequest> {
    const refs = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') for (const ref of value.match(UPLOAD_REF_IN_TEXT) ?? []) refs.add(ref);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(req.body);
    if (refs.size === 0) return req;
    const urls = new Map<string, string>();
    try {
      for (const ref of refs) urls.set(ref, await this.presign(ref.slice(UPLOAD_REF_PREFIX.length), signal));
    } catch (err) {
      if (err instanceof NetworkError) {
        throw new ImageHostError({ status: 503, message: err.message, apiMessage: err.message });
      }
      throw err;
    }
    return { ...req, body: replaceStrings(req.body, urls) };
  }

  /** Uploads a small image, reads it back through a presigned URL, compares the bytes and deletes it. */
  async test(signal?: AbortSignal): Promise<{ ok: true; message: string }> {
    const client = await this.client();
    const { config } = client;
    const image = await sharp({
      create: { width: 4, height: 4, channels: 3, background: { r: 32, g: 96, b: 160 } },
    })
      .png()
      .toBuffer();
    const key = `${config.prefix}genvault-check-${randomBytes(8).toString('hex')}.png`;
    await client.put(key, image, 'image/png', signal);
    let readBack: Buffer;
    try {
      readBack = await this.fetchPresigned(client, key, signal);
    } catch (err) {
      await client.delete(key, signal).catch(() => undefined);
      throw err;
    }
    await client.delete(key, signal);
    if (!readBack.equals(image)) {
      throw new ProtocolError(
        'The image host sent back different bytes than were uploaded, so it cannot serve images to Legnext.',
      );
    }
    const host = new URL(config.endpoint).hostname;
    const local = isLocalHost(host)
      ? ` Note that ${host} is on this computer or a private network, so Legnext's servers cannot fetch images from it.`
      : '';
    return {
      ok: true,
      message: `The image host works: a test image went up to the bucket "${config.bucket}", came back intact through a presigned link and was deleted.${local}`,
    };
  }

  private async fetchPresigned(client: S3Client, key: string, signal?: AbortSignal): Promise<Buffer> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let body: Buffer;
    try {
      const res = await request(client.presignGet(key), {
        dispatcher: this.dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = res.statusCode;
      body = Buffer.from(await res.body.arrayBuffer());
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw networkErrorFrom(err, 'the image host');
    }
    if (status === 200) return body;
    const secret = (await this.secrets.getSecret(IMAGE_HOST_ACCOUNT)) ?? '';
    const cause = imageHostErrorFrom(status, body.toString('utf8'), client.config, secret);
    throw new ImageHostError({
      status,
      message: `The upload worked, but reading it back through a presigned link did not: ${cause.message.charAt(0).toLowerCase()}${cause.message.slice(1)}`,
      apiMessage: cause.apiMessage,
    });
  }
}
