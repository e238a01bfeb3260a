/**
 * Videos from the other providers (Leonardo image-to-video, UniAll's Vidu) through the same library,
 * queue and archive as Legnext. What is special about them is how an image gets to the API:
 *  - Vidu takes image URLs or inline data URIs. A library image on disk is sent inline (it works
 *    offline from the CDN and after its 30 days); the stored request only names the file
 *    (`genvault-file:<path>`) and the queue inlines it right before each send.
 *  - Leonardo takes ids of images uploaded to it: the image is uploaded as an init image first.
 * Files from outside the library are copied into `<library>/inputs/` (by content hash) so a job's
 * inputs stay with the library even if the original is moved.
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { getGlobalDispatcher, interceptors, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { JobView } from '../../shared/domain';
import { CDN_RETENTION_MS } from '../../shared/domain';
import { InvalidInputError, NetworkError } from './errors';
import type { JobRow } from './library';
import { toAbsolute } from './library/paths';
import type { SubmitRequest } from './providers/types';
import { buildViduRequest, VIDU_MAX_INLINE_IMAGE_BYTES, type ViduInput } from './providers/vidu';
import { buildLeonardoRequest, type LeonardoClient, type LeonardoVideoInput } from './providers/leonardo';
import { adoptFile, FILE_REF_PREFIX } from './images/inputs';

export { FILE_REF_PREFIX } from './images/inputs';

export const VIDEO_PROVIDERS = ['leonardo', 'vidu'] as const;
export type VideoProvider = (typeof VIDEO_PROVIDERS)[number];

export interface ProviderVideoRequest {
  provider: VideoProvider;
  prompt: string;
  /** First frame: `JOBID:N` of a library image, a file path, an http(s) URL (or `leonardo:ID` for a Leonardo image). */
  from?: string;
  /** Last frame (Vidu first-and-last; Leonardo KLING2_1 end frame). */
  last?: string;
  /** Vidu reference images (up to 4). */
  refs?: string[];
  model?: string;
  duration?: number;
  resolution?: string;
  aspectRatio?: string;
  negativePrompt?: string;
  seed?: number;
  audio?: boolean;
  bgm?: boolean;
  promptEnhance?: boolean;
}

/** What the core needs from the Vault to submit; keeps this module free of a cycle with vault.ts. */
export interface VideoHost {
  readonly root: string;
  readonly dispatcher: Dispatcher | undefined;
  now(): number;
  resolveLibraryImage(
    ref: string,
  ): { job: JobRow; index: number; url: string | null; path: string | null } | null;
  leonardo(): LeonardoClient;
  createJob(init: {
    provider: VideoProvider;
    taskType: string;
    prompt: string;
    params: Record<string, unknown>;
    request: SubmitRequest;
    parents: Array<{ job: JobRow; index: number | null }>;
  }): JobView;
}

const MIME_BY_EXT: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

function extOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}

type Resolved =
  | { kind: 'library'; job: JobRow; index: number; file: string | null; url: string | null }
  | { kind: 'file'; file: string }
  | { kind: 'url'; url: string }
  | { kind: 'leonardo'; id: string };

function resolveArg(host: VideoHost, arg: string, field: string): Resolved {
  const text = arg.trim();
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
  const leo = /^leonardo:(.+)$/i.exec(text);
  if (leo?.[1]) return { kind: 'leonardo', id: leo[1] };
  if (existsSync(text)) return { kind: 'file', file: path.resolve(text) };
  const lib = host.resolveLibraryImage(text);
  if (lib) {
    return {
      kind: 'library',
      job: lib.job,
      index: lib.index,
      file: lib.path ? toAbsolute(host.root, lib.path) : null,
      url: lib.url && host.now() < lib.job.createdAt + CDN_RETENTION_MS ? lib.url : null,
    };
  }
  throw new InvalidInputError(
    `${field} "${arg}" is not a library image (JOBID:N), a file or an http(s) URL.`,
    field,
  );
}

async function dataUri(file: string, field: string): Promise<string> {
  const mime = MIME_BY_EXT[extOf(file)];
  if (!mime) throw new InvalidInputError(`${field} must be a PNG, JPEG or WebP image.`, field);
  const size = (await stat(file)).size;
  if (size > VIDU_MAX_INLINE_IMAGE_BYTES) {
    throw new InvalidInputError(
      `${field} is ${(size / 1e6).toFixed(1)} MB; Vidu takes inline images of at most ${VIDU_MAX_INLINE_IMAGE_BYTES / 1e6} MB.`,
      field,
    );
  }
  return `data:${mime};base64,${(await readFile(file)).toString('base64')}`;
}

/** Replaces every `genvault-file:` string in a stored request with the file inlined as a data URI. */
export async function inlineFileRefs(root: string, req: SubmitRequest): Promise<SubmitRequest> {
  const walk = async (value: unknown): Promise<unknown> => {
    if (typeof value === 'string' && value.startsWith(FILE_REF_PREFIX)) {
      const rel = value.slice(FILE_REF_PREFIX.length);
      const file = toAbsolute(root, rel);
      if (!existsSync(file)) {
        throw new InvalidInputError(`The input image ${rel} is no longer in the library folder.`);
      }
      return dataUri(file, 'image');
    }
    if (Array.isArray(value)) return Promise.all(value.map(walk));
    if (value && typeof value === 'object') {
      const entries = await Promise.all(
        Object.entries(value).map(async ([k, v]) => [k, await walk(v)] as const),
      );
      return Object.fromEntries(entries);
    }
    return value;
  };
  return { ...req, body: (await walk(req.body)) as Record<string, unknown> };
}

/**
 * A Vidu image field: a library file becomes a file reference (validated as the data URI it will be),
 * a URL stays a URL. Returns the value to validate with and the value to store.
 */
async function viduImage(
  host: VideoHost,
  r: Resolved,
  field: string,
): Promise<{ send: string; store: string }> {
  switch (r.kind) {
    case 'url':
      return { send: r.url, store: r.url };
    case 'leonardo':
      throw new InvalidInputError(`${field}: a Leonardo image id cannot be sent to Vidu.`, field);
    case 'file': {
      const rel = await adoptFile(host.root, r.file, field);
      return { send: await dataUri(toAbsolute(host.root, rel), field), store: FILE_REF_PREFIX + rel };
    }
    case 'library': {
      if (r.file) {
        const rel = path.relative(host.root, r.file).split(path.sep).join('/');
        return { send: await dataUri(r.file, field), store: FILE_REF_PREFIX + rel };
      }
      if (r.url) return { send: r.url, store: r.url };
      throw new InvalidInputError(
        `${field}: this image was never archived and Legnext's CDN no longer has it.`,
        field,
      );
    }
  }
}

async function fetchBytes(url: string, dispatcher: Dispatcher | undefined, field: string): Promise<Buffer> {
  try {
    // undici's request does not follow redirects by itself; image hosts and CDNs often redirect.
    const following = (dispatcher ?? getGlobalDispatcher()).compose(
      interceptors.redirect({ maxRedirections: 3 }),
    );
    const res = await request(url, { dispatcher: following });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new InvalidInputError(`${field}: the image URL answered HTTP ${res.statusCode}.`, field);
    }
    return Buffer.from(await res.body.arrayBuffer());
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    throw new NetworkError(`${field}: the image could not be fetched (${(err as Error).message}).`, {
      cause: err,
    });
  }
}

function sniffExt(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'webp';
  }
  return null;
}

/** A Leonardo image: uploaded as an init image (or a Leonardo-generated id used as is). */
async function leonardoImage(
  host: VideoHost,
  r: Resolved,
  field: string,
  signal?: AbortSignal,
): Promise<{ id: string; type: 'UPLOADED' | 'GENERATED' }> {
  if (r.kind === 'leonardo') return { id: r.id, type: 'GENERATED' };
  let bytes: Buffer;
  if (r.kind === 'file') bytes = await readFile(r.file);
  else if (r.kind === 'library' && r.file) bytes = await readFile(r.file);
  else if (r.kind === 'library' && r.url) bytes = await fetchBytes(r.url, host.dispatcher, field);
  else if (r.kind === 'url') bytes = await fetchBytes(r.url, host.dispatcher, field);
  else
    throw new InvalidInputError(
      `${field}: this image was never archived and the CDN no longer has it.`,
      field,
    );
  const ext = sniffExt(bytes);
  if (!ext) throw new InvalidInputError(`${field} must be a PNG, JPEG or WebP image.`, field);
  const { id } = await host.leonardo().uploadInitImage(bytes, ext, signal);
  return { id, type: 'UPLOADED' };
}

function parentOf(r: Resolved | undefined): { job: JobRow; index: number } | null {
  return r?.kind === 'library' ? { job: r.job, index: r.index } : null;
}

/** Validates, prepares the images, writes the job row; the queue sends it. */
export async function submitProviderVideo(
  host: VideoHost,
  req: ProviderVideoRequest,
  signal?: AbortSignal,
): Promise<JobView> {
  const first = req.from ? resolveArg(host, req.from, 'from') : undefined;
  const last = req.last ? resolveArg(host, req.last, 'last') : undefined;
  const refs = (req.refs ?? []).map((r, i) => resolveArg(host, r, `ref ${i + 1}`));
  const parents = [first, last, ...refs].flatMap((r) => {
    const p = parentOf(r);
    return p ? [p] : [];
  });

  if (req.provider === 'vidu') {
    const swaps = new Map<string, string>();
    const image = async (r: Resolved, field: string) => {
      const v = await viduImage(host, r, field);
      swaps.set(v.send, v.store);
      return v.send;
    };
    const input: ViduInput = {
      model: req.model as ViduInput['model'],
      prompt: req.prompt,
      image: first ? await image(first, 'from') : undefined,
      lastImage: last ? await image(last, 'last') : undefined,
      referenceImages: refs.length
        ? await Promise.all(refs.map((r, i) => image(r, `ref ${i + 1}`)))
        : undefined,
      aspectRatio: req.aspectRatio as ViduInput['aspectRatio'],
      duration: req.duration,
      audio: req.audio,
      bgm: req.bgm,
      seed: req.seed,
    };
    const built = buildViduRequest(input);
    const stored = JSON.parse(JSON.stringify(built.body), (_k, v: unknown) =>
      typeof v === 'string' && swaps.has(v) ? swaps.get(v) : v,
    ) as Record<string, unknown>;
    return host.createJob({
      provider: 'vidu',
      taskType: built.op,
      prompt: req.prompt,
      params: {
        model: req.model,
        duration: built.body.duration,
        ...(req.aspectRatio ? { aspectRatio: req.aspectRatio } : {}),
      },
      request: { ...built, body: stored },
      parents,
    });
  }

  if (!first) throw new InvalidInputError('Leonardo makes videos from an image: give --from.', 'from');
  if (refs.length) throw new InvalidInputError('Leonardo takes no reference images.', 'refs');
  const start = await leonardoImage(host, first, 'from', signal);
  const end = last ? await leonardoImage(host, last, 'last', signal) : undefined;
  const input: LeonardoVideoInput = {
    prompt: req.prompt,
    imageId: start.id,
    imageType: start.type,
    model: req.model as LeonardoVideoInput['model'],
    duration: req.duration as LeonardoVideoInput['duration'],
    resolution: req.resolution as LeonardoVideoInput['resolution'],
    aspectRatio: req.aspectRatio as LeonardoVideoInput['aspectRatio'],
    endFrameImage: end,
    negativePrompt: req.negativePrompt,
    seed: req.seed,
    promptEnhance: req.promptEnhance,
  };
  const built = buildLeonardoRequest(input);
  return host.createJob({
    provider: 'leonardo',
    taskType: 'image_to_video',
    prompt: req.prompt,
    params: {
      model: built.body.model,
      ...(req.duration ? { duration: req.duration } : {}),
      ...(req.resolution ? { resolution: req.resolution } : {}),
    },
    request: built,
    parents,
  });
}
