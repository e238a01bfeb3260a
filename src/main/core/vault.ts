/**
 * The core as one object: the library, the provider clients, the queue and the key store, with the
 * operations every face of GenVault offers (CLI today, the Electron app and web bridge over IPC).
 * Everything here validates before it spends: a request that reaches `submit` has passed the prompt
 * rules, the request builders and the follow-up rules.
 */
import type { Dispatcher } from 'undici';
import os from 'node:os';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import sharp from 'sharp';
import {
  imageSourceSchema,
  maskImageSourceSchema,
  type ImageSource,
  type MaskImageView,
  type JobsPage,
  type RemovedJobsView,
} from '../../shared/contract';
import type { Size } from '../../shared/geometry';
import { FINISHED_STATUSES, type JobView, type Provider } from '../../shared/domain';
import { PROVIDER_LABELS } from '../../shared/labels';
import { InvalidInputError, JobFailedError, NetworkError, ApiError, GenVaultError } from './errors';
import { openLibrary, type Library } from './library';
import type { JobRow, ListQuery, NewJob } from './library';
import { parsePrompt } from './params';
import { LegnextClient } from './providers/legnext/client';
import {
  buildLegnextRequest,
  parseLegnextInput,
  taskTypeOfOp,
  type LegnextInput,
  type LegnextOp,
} from './providers/legnext/requests';
import { FOLLOW_UP_OPS, followUpBlocker, isFollowUpOp } from './providers/legnext/followups';
import type { RemoteJobSnapshot } from './providers/types';
import { JobQueue, type QueueEvent, type QueueOptions } from './queue/queue';
import { LeonardoClient } from './providers/leonardo';
import { ViduClient } from './providers/vidu';
import { inlineFileRefs, submitProviderVideo, type ProviderVideoRequest } from './provider-videos';
import { applyBaseUrls, readSettings } from './api/settings';
import { acquireQueueLock, type LockOwner } from './queue/lock';
import type { KeyStatus, SecretStore } from './secrets';
import { mediaDirFor, thumbsDirFor, toAbsolute } from './library/paths';
import {
  FILE_REF_PREFIX,
  ImageHost,
  checkUpload,
  importImageFile,
  inputFileOfRef,
  inputPathOfRef,
  inspectMask,
  planImage,
  replaceStrings,
  uploadRef,
  type ImageFacts,
  type ImagePlan,
} from './images';

/** The default library folder: `GENVAULT_LIBRARY`, else `~/GenVault` (the app and the CLI share it). */
export function defaultLibraryDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.GENVAULT_LIBRARY?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), 'GenVault');
}

export interface VaultOptions {
  libraryDir: string;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Used for API calls and CDN downloads; tests point it at loopback simulators. */
  dispatcher?: Dispatcher;
  queue?: Partial<Omit<QueueOptions, 'library' | 'clients' | 'now' | 'dispatcher'>>;
}

/** An image as the core takes it: an `ImageSource`, or the CLI's text (URL, `genvault-file:…`, `JOBID[:N]`). */
export type ImageArg = ImageSource | string;

/** Legnext operations on one image given by URL. */
export type ImageOp = 'upload-paint' | 'retexture' | 'remove-background' | 'enhance-upscale';

/** One image of a request: what the request is validated with, what is stored, and its lineage. */
interface PlannedImage {
  plan: ImagePlan;
  send: string;
  store: string;
}

/** `JOBID` or `JOBID:N`, as the CLI and the UI name an output. */
export interface OutputRef {
  ref: string;
  index: number | null;
}

export function parseOutputRef(text: string): OutputRef {
  const m = /^(.+?)(?::(\d))?$/.exec(text.trim());
  if (!m?.[1]) throw new InvalidInputError(`"${text}" is not a job reference (JOBID or JOBID:N).`);
  return { ref: m[1], index: m[2] === undefined ? null : Number(m[2]) };
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Consecutive failed polls after which waiting gives up (the job stays queued for a later run). */
  giveUpAfterAttempts?: number;
  onEvent?: (event: QueueEvent) => void;
}

export interface SyncSummary {
  jobs: number;
  completed: number;
  failed: number;
  archived: number;
  expired: number;
  errors: number;
}

/** `options.endImage` of an Animate follow-up: an ImageSource object, or `JOBID:N`/URL/path text. */
function endImageArg(value: unknown): ImageArg {
  if (typeof value === 'string') return value;
  const parsed = imageSourceSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidInputError(
      'The end frame must be a library image, an imported file or an image URL.',
      'endImage',
    );
  }
  return parsed.data;
}

/** `options.maskImage`: a library image or an imported file, or the CLI's `JOBID:N`/`genvault-file:` text. */
function maskImageArg(value: unknown): ImageArg {
  if (typeof value === 'string') return value;
  const parsed = maskImageSourceSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidInputError('The mask image must be a library image or an imported file.', 'maskImage');
  }
  return parsed.data;
}

/** The operations whose `mask` may be a mask image (Legnext's `mask.url`). */
const MASK_IMAGE_OPS: ReadonlySet<string> = new Set(['inpaint', 'edit', 'upload-paint']);

/** An image problem reported under `field` (the option the user filled in); other errors as they are. */
function underField(field: string, err: unknown): unknown {
  return err instanceof InvalidInputError && err.field === 'image'
    ? new InvalidInputError(err.message, field)
    : err;
}

/** Runs `plan`, reporting an image problem under `field`. */
function asField<T>(field: string, plan: () => T): T {
  try {
    return plan();
  } catch (err) {
    throw underField(field, err);
  }
}

export class Vault {
  readonly library: Library;
  readonly queue: JobQueue;
  readonly legnext: LegnextClient;
  readonly vidu: ViduClient;
  /** The S3-compatible image host for images that have no public URL. */
  readonly images: ImageHost;
  private leonardoClient: LeonardoClient | undefined;
  private readonly now: () => number;
  private queueOwner: 'self' | LockOwner | null = null;
  private releaseLock: (() => void) | undefined;
  private closed = false;

  private constructor(
    private readonly options: VaultOptions,
    library: Library,
  ) {
    this.library = library;
    this.now = options.now ?? Date.now;
    const env = options.env ?? process.env;
    this.legnext = new LegnextClient({
      baseUrl: env.LEGNEXT_BASE_URL?.trim() || undefined,
      apiKey: () => options.secrets.getKey('legnext'),
      dispatcher: options.dispatcher,
    });
    // UniAll's base is the user's own gateway: no default; the client says so when it is missing.
    this.vidu = new ViduClient({
      baseUrl: env.UNIALL_BASE_URL?.trim() || null,
      apiKey: () => options.secrets.getKey('vidu'),
      dispatcher: options.dispatcher,
    });
    this.images = new ImageHost({ library, secrets: options.secrets, dispatcher: options.dispatcher });
    this.queue = new JobQueue({
      ...options.queue,
      library,
      clients: { legnext: this.legnext, vidu: this.vidu, leonardo: this.leonardo() },
      now: this.now,
      dispatcher: options.dispatcher,
      // Right before each send: library files inlined (Vidu), image-host uploads presigned afresh.
      prepareRequest: async (req) => this.images.prepareRequest(await inlineFileRefs(library.root, req)),
    });
    // Base URLs saved in Settings apply to the app and to every command on this library alike.
    applyBaseUrls(this, readSettings(library).baseUrls);
  }

  static open(options: VaultOptions): Vault {
    const library = openLibrary(options.libraryDir, { now: options.now });
    return new Vault(options, library);
  }

  /** The Leonardo client (one per vault; shared by the queue and init-image uploads). */
  leonardo(): LeonardoClient {
    const env = this.options.env ?? process.env;
    this.leonardoClient ??= new LeonardoClient({
      baseUrl: env.LEONARDO_BASE_URL?.trim() || undefined,
      apiKey: () => this.options.secrets.getKey('leonardo'),
      dispatcher: this.options.dispatcher,
    });
    return this.leonardoClient;
  }

  /** The HTTP dispatcher the vault was opened with (for one-off calls such as checking a new key). */
  get dispatcher(): Dispatcher | undefined {
    return this.options.dispatcher;
  }

  get secrets(): SecretStore {
    return this.options.secrets;
  }

  /**
   * Starts the queue, unless another process (the app, another `genvault`) already runs it for this
   * library: then this vault follows the database and leaves sending and downloading to that one.
   */
  async start(): Promise<void> {
    if (this.queueOwner === 'self' || this.closed) return;
    const lock = acquireQueueLock(this.library.root, this.now);
    if (!lock.held) {
      this.queueOwner = lock.owner;
      return;
    }
    this.releaseLock = lock.release;
    this.queueOwner = 'self';
    await this.queue.start();
  }

  /** Who runs the queue of this library: this vault, another process, or nobody yet. */
  get queueRunner(): 'self' | LockOwner | null {
    return this.queueOwner;
  }

  /** Stops the queue (awaiting what is in flight) and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.stop();
    this.releaseLock?.();
    this.library.close();
  }

  /**
   * Calls `check` on every queue event, and also every half second while another process runs the
   * queue (its changes reach this one only through the database). Returns the unsubscribe.
   */
  private watch(check: () => void, onEvent?: (event: QueueEvent) => void, jobId?: string): () => void {
    const off = this.queue.on((event) => {
      onEvent?.(event);
      if ((event.type === 'job' && (!jobId || event.job.id === jobId)) || event.type === 'paused') check();
    });
    const timer = this.queueOwner === 'self' ? undefined : setInterval(check, 500);
    return () => {
      off();
      clearInterval(timer);
    };
  }

  // ── keys ─────────────────────────────────────────────────────────────────────────────────────

  keyStatus(provider: Provider = 'legnext'): Promise<KeyStatus> {
    return this.secrets.status(provider);
  }

  async setKey(key: string, provider: Provider = 'legnext'): Promise<KeyStatus> {
    await this.secrets.setKey(provider, key);
    this.queue.resume(provider);
    return this.secrets.status(provider);
  }

  async clearKey(provider: Provider = 'legnext'): Promise<boolean> {
    return this.secrets.clearKey(provider);
  }

  balance(signal?: AbortSignal): ReturnType<LegnextClient['balance']> {
    return this.legnext.balance(signal);
  }

  // ── submitting ───────────────────────────────────────────────────────────────────────────────

  /**
   * Validates `input`, writes the job row (`submitting`) and wakes the queue, which sends it.
   * `parents` records lineage to library jobs (follow-ups, blends and describes of library images).
   * `storeAs` swaps values of the validated body for what is stored (stand-in URLs for the
   * `genvault-upload:` references the queue presigns at send time).
   */
  submit(
    input: LegnextInput,
    parents: Array<{ job: JobRow; index: number | null }> = [],
    storeAs: ReadonlyMap<string, string> = new Map(),
  ): JobView {
    const parsed = parseLegnextInput(input);
    const built = buildLegnextRequest(parsed as LegnextInput);
    const request = storeAs.size ? { ...built, body: replaceStrings(built.body, storeAs) } : built;
    const op = request.op as LegnextOp;
    const first = parents[0];
    const promptText = promptOf(parsed as Record<string, unknown>) ?? first?.job.prompt ?? null;
    const parsedPrompt = promptText ? parsePrompt(promptText) : null;
    const init: NewJob = {
      provider: 'legnext',
      taskType: taskTypeOfOp(op),
      prompt: promptText,
      params: { ...(parsedPrompt?.params ?? {}), ...optionsOf(parsed as Record<string, unknown>) },
      request: { op: request.op, body: request.body },
      modelVersion: parsedPrompt?.version ?? first?.job.modelVersion ?? null,
      aspectRatio: parsedPrompt?.aspectRatio ?? first?.job.aspectRatio ?? null,
      parent: first ? { id: first.job.id, index: first.index, relation: relationOf(op) } : undefined,
      extraParents: parents.slice(1).map((p) => ({ id: p.job.id, index: p.index })),
    };
    const row = this.library.createJob(init);
    this.library.writeSidecar(row.id);
    this.queue.kick();
    return this.library.jobView(row.id);
  }

  imagine(prompt: string): JobView {
    return this.submit({ op: 'diffusion', prompt });
  }

  shorten(prompt: string): JobView {
    return this.submit({ op: 'shorten', prompt });
  }

  /**
   * A follow-up on a library job: checks the local rules (3-day window, available_actions, enhance
   * needs a draft, at most 4 extends) and fills in the parent's remote id.
   */
  followUp(op: LegnextOp, parentRef: OutputRef, options: Record<string, unknown> = {}): JobView {
    if (!isFollowUpOp(op)) throw new InvalidInputError(`${op} does not start from an existing job.`);
    const parent = this.library.resolveJobRef(parentRef.ref);
    const info = FOLLOW_UP_OPS[op];
    if (parent.provider !== 'legnext') {
      throw new InvalidInputError(
        `${info.label} is a Midjourney follow-up, and this job was made with ${PROVIDER_LABELS[parent.provider]}.`,
      );
    }
    const index = info.needsIndex
      ? (parentRef.index ?? (this.singleOutput(parent, info.parentKind) ? 0 : null))
      : null;
    if (info.needsIndex && index === null) {
      throw new InvalidInputError(
        `${info.label} needs an output number: write ${parentRef.ref}:N with N from 0 to 3.`,
      );
    }
    const blocker = followUpBlocker(this.followUpParent(parent), op, index, this.now());
    if (blocker) throw new InvalidInputError(blocker);
    if (!parent.remoteId) throw new InvalidInputError('The parent job has not been accepted by Legnext yet.');
    const storeAs = new Map<string, string>();
    const { endImage, ...rest } = this.withMaskImage(op, info.label, options, storeAs);
    const input: Record<string, unknown> = { ...rest, op, jobId: parent.remoteId };
    if (info.needsIndex) input[info.parentKind === 'video' ? 'videoNo' : 'imageNo'] = index;
    if (endImage === undefined) return this.submit(input as LegnextInput, [{ job: parent, index }], storeAs);

    // An end frame from anywhere (a file, an old library image): Legnext reads it as `--end URL` in
    // the prompt, so the URL goes there, planned like every other image (CDN URL or upload).
    if (op !== 'video-diffusion')
      throw new InvalidInputError(`${info.label} takes no end frame.`, 'endImage');
    const [planned] = this.planImages([endImageArg(endImage)], op) as [PlannedImage];
    const prompt = typeof rest.prompt === 'string' ? rest.prompt.trim() : '';
    if (/(^|\s)--(end|loop)\b/.test(prompt)) {
      throw new InvalidInputError(
        'The prompt already sets --end or --loop; give the end frame once.',
        'endImage',
      );
    }
    input.prompt = `${prompt} --end ${planned.send}`.trim();
    const endParent = planned.plan.parent ? this.library.getJob(planned.plan.parent.jobId) : undefined;
    const parents = [{ job: parent, index }];
    if (endParent && planned.plan.parent) parents.push({ job: endParent, index: planned.plan.parent.index });
    if (planned.send !== planned.store) storeAs.set(planned.send, planned.store);
    return this.submit(input as LegnextInput, parents, storeAs);
  }

  /**
   * `options.maskImage` → Legnext's `mask.url`: the mask is sent like any image (its CDN URL, or
   * uploaded to the image host; what is stored is added to `storeAs`) and is no parent of the new
   * job. Returns the options with `mask` in its place.
   */
  private withMaskImage(
    op: string,
    label: string,
    options: Record<string, unknown>,
    storeAs: Map<string, string>,
  ): Record<string, unknown> {
    const { maskImage, ...rest } = options;
    if (maskImage === undefined) return options;
    if (!MASK_IMAGE_OPS.has(op)) throw new InvalidInputError(`${label} takes no mask.`, 'maskImage');
    if (rest.mask !== undefined) {
      throw new InvalidInputError(
        'Give the mask either as drawn regions or as a mask image, not both.',
        'maskImage',
      );
    }
    const [planned] = asField('maskImage', () => this.planImages([maskImageArg(maskImage)], 'mask')) as [
      PlannedImage,
    ];
    if (planned.send !== planned.store) storeAs.set(planned.send, planned.store);
    return { ...rest, mask: { url: planned.send } };
  }

  /**
   * What must happen before a follow-up or image operation is sent that takes a while: a mask image
   * is checked against the image it masks (its problem thrown), and every image that will be uploaded
   * is uploaded now, so a problem with the image host shows when the user asks, not as a failed job.
   * `subject` is the image the operation works on.
   */
  async prepareImages(
    op: string,
    subject: ImageArg | null,
    options: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void> {
    if (options.maskImage !== undefined) {
      const mask = maskImageArg(options.maskImage);
      const target = subject === null ? null : await this.imageSize(subject);
      const { problem } = await this.inspectMaskImage(mask, target);
      if (problem) throw new InvalidInputError(problem, 'maskImage');
      await this.stageImages([mask], 'mask', signal).catch((err: unknown) => {
        throw underField('maskImage', err);
      });
    }
    if (options.endImage !== undefined) await this.stageImages([endImageArg(options.endImage)], op, signal);
  }

  /** The pixels of a library image or an imported file on this computer, for checks that read them. */
  private localImageFile(image: ImageArg, field: string): string {
    const source = typeof image === 'string' ? this.sourceOfText(image) : image;
    switch (source.kind) {
      case 'file':
        return inputFileOfRef(this.library.root, source.ref);
      case 'output': {
        const job = this.library.resolveJobRef(source.jobId);
        const output = this.library.getOutput(job.id, 'image', source.index);
        if (output?.state !== 'archived' || !output.path) {
          throw new InvalidInputError(
            `Image ${source.jobId}:${source.index} is not in the library folder yet.`,
            field,
          );
        }
        return toAbsolute(this.library.root, output.path);
      }
      case 'url':
        throw new InvalidInputError('This must be a file or a library image, not a URL.', field);
    }
  }

  /** An image's size in pixels when GenVault can know it without downloading it; else null. */
  async imageSize(image: ImageArg): Promise<Size | null> {
    const source = typeof image === 'string' ? this.sourceOfText(image) : image;
    if (source.kind === 'url') return null;
    if (source.kind === 'output') {
      const job = this.library.resolveJobRef(source.jobId);
      const output = this.library.getOutput(job.id, 'image', source.index);
      if (output?.width && output.height) return { width: output.width, height: output.height };
      if (output?.state !== 'archived') return null;
    }
    const meta = await sharp(this.localImageFile(source, 'image')).metadata();
    if (!meta.width || !meta.height) return null;
    return (meta.orientation ?? 1) >= 5
      ? { width: meta.height, height: meta.width }
      : { width: meta.width, height: meta.height };
  }

  /** What a mask image would repaint on an image of `target` size, and what keeps it from use. */
  async inspectMaskImage(mask: ImageArg, target: Size | null): Promise<MaskImageView> {
    return inspectMask(this.localImageFile(mask, 'maskImage'), target);
  }

  private singleOutput(job: JobRow, kind: 'image' | 'video'): boolean {
    return this.library.jobView(job.id).outputs.filter((o) => o.kind === kind).length === 1;
  }

  /** What the follow-up rules need to know about a parent. */
  followUpParent(job: JobRow): Parameters<typeof followUpBlocker>[0] {
    const outputs = this.library.jobView(job.id).outputs;
    return {
      taskType: job.taskType,
      status: job.status,
      prompt: job.prompt,
      createdAt: job.createdAt,
      availableActions: job.availableActions,
      outputKinds: outputs.map((o) => o.kind),
      imageCount: outputs.filter((o) => o.kind === 'image').length,
      videoCount: outputs.filter((o) => o.kind === 'video').length,
      extendDepth: this.library.extendDepth(job.id),
    };
  }

  /** A video: text-to-video, an image URL at the start of the prompt, or `from` a library image. */
  video(prompt: string | undefined, opts: { from?: OutputRef; quality?: 480 | 720 } = {}): JobView {
    if (opts.from) {
      return this.followUp('video-diffusion', opts.from, { prompt, quality: opts.quality });
    }
    return this.submit({ op: 'video-diffusion', prompt, quality: opts.quality });
  }

  /**
   * A video with Leonardo or Vidu: images from the library, from disk or by URL; same queue, archive
   * and lineage as Legnext (a Midjourney image animated with Kling is its child).
   */
  async videoWith(req: ProviderVideoRequest, signal?: AbortSignal): Promise<JobView> {
    return submitProviderVideo(
      {
        root: this.library.root,
        dispatcher: this.options.dispatcher,
        now: this.now,
        leonardo: () => this.leonardo(),
        resolveLibraryImage: (text) => this.libraryImage(text),
        createJob: (init) => {
          const first = init.parents[0];
          const row = this.library.createJob({
            provider: init.provider,
            taskType: init.taskType,
            prompt: init.prompt,
            params: init.params,
            request: { op: init.request.op, body: init.request.body },
            modelVersion: typeof init.params.model === 'string' ? init.params.model : null,
            aspectRatio: null,
            parent: first ? { id: first.job.id, index: first.index, relation: 'animate' } : undefined,
            extraParents: init.parents.slice(1).map((p) => ({ id: p.job.id, index: p.index })),
          });
          this.library.writeSidecar(row.id);
          this.queue.kick();
          return this.library.jobView(row.id);
        },
      },
      req,
      signal,
    );
  }

  /** `JOBID:N` of a library image, with its CDN URL and library-relative file path; null when no job matches. */
  private libraryImage(
    text: string,
  ): { job: JobRow; index: number; url: string | null; path: string | null } | null {
    let ref: OutputRef;
    let job: JobRow;
    try {
      ref = parseOutputRef(text);
      job = this.library.resolveJobRef(ref.ref);
    } catch {
      return null;
    }
    const images = this.library.outputsOf(job.id).filter((o) => o.kind === 'image');
    const output =
      ref.index === null
        ? images.length === 1
          ? images[0]
          : undefined
        : images.find((o) => o.index === ref.index);
    if (!output) {
      throw new InvalidInputError(
        ref.index === null
          ? `Job ${ref.ref} has ${images.length} images: name one as ${ref.ref}:N.`
          : `Job ${ref.ref} has no image ${ref.index}.`,
      );
    }
    return {
      job,
      index: output.index,
      url: output.url,
      path: output.state === 'archived' ? output.path : null,
    };
  }

  // ── images from anywhere ─────────────────────────────────────────────────────────────────────

  /** The CLI's image text: an http(s) URL, a `genvault-file:` reference, or `JOBID[:N]` of a library image. */
  private sourceOfText(text: string): ImageSource {
    const t = text.trim();
    if (/^https?:\/\//i.test(t)) return { kind: 'url', url: t };
    if (t.startsWith(FILE_REF_PREFIX)) return { kind: 'file', ref: t };
    const ref = parseOutputRef(t);
    const job = this.library.resolveJobRef(ref.ref);
    const images = this.library.outputsOf(job.id).filter((o) => o.kind === 'image');
    const output =
      ref.index === null
        ? images.length === 1
          ? images[0]
          : undefined
        : images.find((o) => o.index === ref.index);
    if (!output) {
      throw new InvalidInputError(
        ref.index === null
          ? `Job ${ref.ref} has ${images.length} images: name one as ${ref.ref}:N.`
          : `Job ${ref.ref} has no image ${ref.index}.`,
        'image',
      );
    }
    return { kind: 'output', jobId: job.id, index: output.index };
  }

  /**
   * An image argument of the command line: besides what `sourceOfText` takes, the path of an image
   * file on this computer, which is imported into the library's `inputs/` first.
   */
  async imageSourceOf(arg: string): Promise<ImageSource> {
    const t = arg.trim();
    const isPath = !/^https?:\/\//i.test(t) && !t.startsWith(FILE_REF_PREFIX) && existsSync(t);
    if (isPath && statSync(t).isFile()) {
      return { kind: 'file', ref: (await importImageFile(this.library.root, t)).ref };
    }
    return this.sourceOfText(t);
  }

  /** What the library knows about an image source, for `planImage`. */
  private imageFacts(source: ImageSource): ImageFacts {
    switch (source.kind) {
      case 'url':
        return { kind: 'url', url: source.url };
      case 'file': {
        const rel = inputPathOfRef(source.ref);
        return { kind: 'file', path: rel, present: existsSync(toAbsolute(this.library.root, rel)) };
      }
      case 'output': {
        const job = this.library.resolveJobRef(source.jobId);
        const output = this.library.getOutput(job.id, 'image', source.index);
        if (!output) {
          throw new InvalidInputError(`Job ${source.jobId} has no image ${source.index}.`, 'image');
        }
        return {
          kind: 'output',
          jobId: job.id,
          index: source.index,
          createdAt: job.createdAt,
          url: output.url,
          archivedPath: output.state === 'archived' ? output.path : null,
        };
      }
    }
  }

  /**
   * Where each image of an `op` request is sent from (see `planImage`). A library file to upload is
   * validated with a stand-in of its presigned URL and stored as `genvault-upload:<path>`.
   */
  private planImages(images: ImageArg[], op: string): PlannedImage[] {
    const hostConfigured = this.images.config() !== null;
    return images.map((image) => {
      const source = typeof image === 'string' ? this.sourceOfText(image) : image;
      const plan = planImage(this.imageFacts(source), hostConfigured, this.now());
      if (plan.kind === 'remote') return { plan, send: plan.url, store: plan.url };
      const file = statSync(toAbsolute(this.library.root, plan.path), { throwIfNoEntry: false });
      if (!file?.isFile()) {
        throw new InvalidInputError(`The image ${plan.path} is no longer in the library folder.`, 'image');
      }
      checkUpload(op, path.posix.extname(plan.path).slice(1), file.size);
      return { plan, send: this.images.standInUrl(plan.path), store: uploadRef(plan.path) };
    });
  }

  private submitWithImages(
    input: LegnextInput,
    planned: PlannedImage[],
    storeAs = new Map<string, string>(),
  ): JobView {
    const parents = planned.flatMap(({ plan }) => {
      const job = plan.parent ? this.library.getJob(plan.parent.jobId) : undefined;
      return job && plan.parent ? [{ job, index: plan.parent.index }] : [];
    });
    for (const p of planned) if (p.send !== p.store) storeAs.set(p.send, p.store);
    return this.submit(input, parents, storeAs);
  }

  /**
   * A URL a provider can fetch for `image` now: its own URL, the CDN URL of a library image inside its
   * 30 days, else a fresh presigned URL of the file uploaded to the image host. `op` applies that
   * operation's documented file limits.
   */
  async resolveImageSource(
    image: ImageArg,
    opts: { op?: string; signal?: AbortSignal } = {},
  ): Promise<{ url: string; parent: { job: JobRow; index: number } | null }> {
    const [{ plan }] = this.planImages([image], opts.op ?? '') as [PlannedImage];
    const job = plan.parent ? this.library.getJob(plan.parent.jobId) : undefined;
    const parent = job && plan.parent ? { job, index: plan.parent.index } : null;
    const url = plan.kind === 'remote' ? plan.url : await this.images.presign(plan.path, opts.signal);
    return { url, parent };
  }

  /**
   * Uploads now whatever sending `op` with these images would upload, so a problem with the image host
   * (its key, bucket, network) shows when the user asks rather than later as a failed job. Optional:
   * the send uploads what is missing.
   */
  async stageImages(images: ImageArg[], op: string, signal?: AbortSignal): Promise<void> {
    for (const { plan } of this.planImages(images, op)) {
      if (plan.kind === 'upload') await this.images.presign(plan.path, signal);
    }
  }

  /** Blends 2–5 images: library images, imported files, URLs. */
  blend(images: ImageArg[], aspectRatio?: '2:3' | '1:1' | '3:2'): JobView {
    const planned = this.planImages(images, 'blend');
    return this.submitWithImages(
      { op: 'blend', imageUrls: planned.map((p) => p.send), aspectRatio },
      planned,
    );
  }

  /** Four prompts that could have made the image. */
  describe(image: ImageArg): JobView {
    const planned = this.planImages([image], 'describe');
    return this.submitWithImages({ op: 'describe', imageUrl: planned[0]!.send }, planned);
  }

  /**
   * Image-URL operations on any image (library, imported file, URL): upload-paint, retexture, remove
   * background and Topaz upscale; `options` are the operation's own fields (prompt, canvas, mask…).
   */
  onImage(op: ImageOp, image: ImageArg, options: Record<string, unknown> = {}): JobView {
    const planned = this.planImages([image], op);
    const storeAs = new Map<string, string>();
    const rest = this.withMaskImage(op, op, options, storeAs);
    return this.submitWithImages(
      { ...rest, op, imageUrl: planned[0]!.send } as LegnextInput,
      planned,
      storeAs,
    );
  }

  /**
   * Removes finished jobs from the library, one after another. All are checked first: one still being
   * made or downloaded refuses the whole removal, and none of them may start a download meanwhile.
   * For each job its media folder goes first (to the Trash when `trash` is given, else deleted for
   * good) and decides: if it cannot go, that job stays whole, later ones are not touched, and the
   * answer says why (or, when nothing was removed yet, that error is thrown). Then its rows and
   * job.json go, then its thumbnails (made again from the files if they ever come back, so a failure
   * there loses nothing). Follow-ups stay, unlinked, with their job.json rewritten to say so.
   */
  async removeJobs(
    refs: readonly string[],
    opts: { trash?: (absPaths: string[]) => Promise<void> } = {},
  ): Promise<RemovedJobsView> {
    const jobs = [...new Map(refs.map((r) => this.library.resolveJobRef(r)).map((j) => [j.id, j])).values()];
    const nameOf = (job: JobRow) =>
      job.prompt ? `"${job.prompt.length > 60 ? `${job.prompt.slice(0, 57)}…` : job.prompt}"` : job.id;
    for (const job of jobs) {
      if (!FINISHED_STATUSES.includes(job.status)) {
        throw new InvalidInputError(
          `${nameOf(job)} is still being made: remove it once it has finished.`,
          'ids',
        );
      }
      if (this.library.outputsOf(job.id).some((o) => o.state === 'downloading')) {
        throw new InvalidInputError(
          `${nameOf(job)} is being downloaded right now: try again in a moment.`,
          'ids',
        );
      }
    }
    const filesTo = opts.trash ? 'trash' : 'deleted';
    const remove = async (rel: string) => {
      const abs = toAbsolute(this.library.root, rel);
      if (!existsSync(abs)) return;
      if (opts.trash) await opts.trash([abs]);
      else await rm(abs, { recursive: true, force: true });
    };
    const held = this.holdDownloads(jobs.map((j) => j.id));
    const removed: string[] = [];
    const orphans = new Set<string>();
    let bytes = 0;
    try {
      for (const job of jobs) {
        try {
          await remove(mediaDirFor(job));
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          if (removed.length === 0) throw new GenVaultError('failed', `${reason} Nothing was removed.`);
          return {
            removed,
            bytes,
            filesTo,
            problem: `Removed ${removed.length} of ${jobs.length} jobs; ${nameOf(job)} and the rest stay: ${reason}`,
          };
        }
        bytes += this.library
          .outputsOf(job.id)
          .reduce((sum, o) => sum + (o.state === 'archived' ? (o.bytes ?? 0) : 0), 0);
        for (const edge of this.library.children(job.id)) orphans.add(edge.childId);
        this.library.deleteJob(job.id);
        removed.push(job.id);
        // Thumbnails that cannot go to the Trash are deleted: they can be made again from the files.
        const thumbs = thumbsDirFor(job);
        await remove(thumbs)
          .catch(() => rm(toAbsolute(this.library.root, thumbs), { recursive: true, force: true }))
          .catch(() => undefined);
      }
    } finally {
      held.release();
      for (const id of orphans) if (this.library.getJob(id)) this.library.writeSidecar(id);
    }
    return { removed, bytes, filesTo, problem: null };
  }

  /**
   * Keeps the archiver from starting downloads of these jobs' outputs (their next attempt is cleared)
   * until `release`, which puts back the times of those still in the library.
   */
  private holdDownloads(jobIds: readonly string[]): { release(): void } {
    const waiting = jobIds.flatMap((jobId) =>
      this.library
        .outputsOf(jobId)
        .filter((o) => o.state === 'remote' || o.state === 'error')
        .map((o) => ({ jobId, kind: o.kind, index: o.index, nextAttemptAt: o.nextAttemptAt })),
    );
    for (const o of waiting) this.library.updateOutput(o.jobId, o.kind, o.index, { nextAttemptAt: null });
    return {
      release: () => {
        for (const o of waiting) {
          if (this.library.getJob(o.jobId)) {
            this.library.updateOutput(o.jobId, o.kind, o.index, { nextAttemptAt: o.nextAttemptAt });
          }
        }
      },
    };
  }

  /** Retry a failed job: a new row with the same request, linked to the failed one. */
  retry(ref: string): JobView {
    const job = this.library.resolveJobRef(ref);
    if (job.status !== 'failed') throw new InvalidInputError('Only a failed job can be retried.');
    if (!job.request)
      throw new InvalidInputError('This job was imported, so GenVault does not know its request.');
    const row = this.library.createJob({
      provider: job.provider,
      taskType: job.taskType,
      prompt: job.prompt,
      params: job.params,
      request: job.request,
      modelVersion: job.modelVersion,
      aspectRatio: job.aspectRatio,
      parent: job.parentId
        ? { id: job.parentId, index: job.parentIndex, relation: relationOf(job.request.op) }
        : undefined,
    });
    this.queue.kick();
    return this.library.jobView(row.id);
  }

  // ── import ───────────────────────────────────────────────────────────────────────────────────

  /** Adds jobs made elsewhere (the dashboard, another machine) by their Legnext ids. */
  async importJobs(remoteIds: string[], signal?: AbortSignal): Promise<JobView[]> {
    const views: JobView[] = [];
    for (const remoteId of remoteIds) {
      const existing = this.library.findByRemoteId('legnext', remoteId);
      const snap = await this.legnext.poll(remoteId, signal);
      const id = existing?.id ?? this.createImported(snap).id;
      this.library.applySnapshot(id, snap);
      const finished = snap.status === 'completed' || snap.status === 'failed';
      this.library.updateJob(id, { nextPollAt: finished ? null : this.now() });
      this.library.writeSidecar(id);
      views.push(this.library.jobView(id));
    }
    this.queue.kick();
    return views;
  }

  private createImported(snap: RemoteJobSnapshot): JobRow {
    const input = (snap.raw as { input?: Record<string, unknown> | null } | null)?.input ?? null;
    const prompt =
      typeof input?.text === 'string' ? input.text : typeof input?.prompt === 'string' ? input.prompt : null;
    const parentRemote = typeof input?.jobId === 'string' ? input.jobId : null;
    const parent = parentRemote ? this.library.findByRemoteId('legnext', parentRemote) : undefined;
    const parentIndex =
      typeof input?.imageNo === 'number'
        ? input.imageNo
        : typeof input?.videoNo === 'number'
          ? input.videoNo
          : null;
    const parsed = prompt ? parsePrompt(prompt) : null;
    return this.library.createJob({
      provider: 'legnext',
      remoteId: snap.remoteId,
      taskType: snap.taskType,
      status: 'queued',
      prompt,
      params: parsed?.params ?? {},
      request: null,
      modelVersion: parsed?.version ?? parent?.modelVersion ?? null,
      aspectRatio: parsed?.aspectRatio ?? parent?.aspectRatio ?? null,
      createdAt: snap.createdAt ? Date.parse(snap.createdAt) : this.now(),
      parent: parent ? { id: parent.id, index: parentIndex, relation: snap.taskType } : undefined,
    });
  }

  // ── waiting ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Resolves when the job has ended and each of its outputs is archived, expired, or out of download
   * attempts. Rejects with the reason when the job fails, the provider is paused (key, credits), or the
   * API stayed unreachable for `giveUpAfterAttempts` polls.
   */
  waitFor(id: string, opts: WaitOptions = {}): Promise<JobView> {
    const giveUp = opts.giveUpAfterAttempts ?? 6;
    return new Promise<JobView>((resolve, reject) => {
      let off = (): void => undefined;
      const finish = (fn: () => void) => {
        off();
        opts.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => finish(() => reject(new GenVaultError('failed', 'Stopped waiting for the job.')));
      const check = () => {
        const view = this.library.jobView(id);
        const job = this.library.getJob(id)!;
        const paused = this.queue
          .pausedProviders()
          .find((p) => p.provider === job.provider && p.status !== null);
        if (view.status === 'failed') {
          return finish(() =>
            reject(new JobFailedError(`The job failed: ${view.error?.message ?? 'no reason given'}`)),
          );
        }
        if (paused && view.status !== 'completed') {
          return finish(() =>
            reject(
              new ApiError({
                status: paused.status ?? 401,
                message: paused.reason,
                apiMessage: paused.reason,
              }),
            ),
          );
        }
        if (job.attempts >= giveUp && view.status !== 'completed') {
          return finish(() =>
            reject(
              new NetworkError(
                `Legnext could not be reached after ${job.attempts} attempts (${job.errorMessage ?? 'no answer'}); ` +
                  'the job is saved and `genvault sync` will pick it up.',
              ),
            ),
          );
        }
        if (view.status !== 'completed') return;
        const outputs = this.library.outputsOf(id);
        if (
          outputs.some(
            (o) =>
              o.state === 'remote' ||
              o.state === 'downloading' ||
              (o.state === 'error' && o.nextAttemptAt !== null),
          )
        ) {
          return;
        }
        finish(() => resolve(view));
      };
      off = this.watch(check, opts.onEvent, id);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /**
   * Resolves once the provider has accepted the job (or it failed on submit), so a command without
   * `--wait` exits with the job on Legnext's side and `sync` can finish it later.
   */
  waitUntilSent(id: string, opts: WaitOptions = {}): Promise<JobView> {
    const giveUp = opts.giveUpAfterAttempts ?? 6;
    return new Promise<JobView>((resolve, reject) => {
      const check = () => {
        const job = this.library.getJob(id)!;
        const paused = this.queue
          .pausedProviders()
          .find((p) => p.provider === job.provider && p.status !== null);
        if (job.status !== 'submitting') {
          off();
          if (job.status === 'failed') {
            reject(new JobFailedError(`The job was not accepted: ${job.errorMessage ?? 'no reason given'}`));
          } else resolve(this.library.jobView(id));
        } else if (paused) {
          off();
          reject(
            new ApiError({ status: paused.status ?? 401, message: paused.reason, apiMessage: paused.reason }),
          );
        } else if (job.attempts >= giveUp) {
          off();
          reject(
            new NetworkError(
              `Legnext could not be reached after ${job.attempts} attempts (${job.errorMessage ?? 'no answer'}); ` +
                'the job is saved and `genvault sync` will send it.',
            ),
          );
        }
      };
      const off = this.watch(check, undefined, id);
      check();
    });
  }

  /**
   * Polls every unfinished job and archives every pending output, resolving when nothing is left.
   * Jobs that cannot be reached after the retries stay in the library for the next run.
   */
  async sync(opts: WaitOptions = {}): Promise<SyncSummary> {
    const ids = this.library.unfinishedJobs().map((j) => j.id);
    const withPendingOutputs = this.library.jobsWithPendingOutputs();
    const all = [...new Set([...ids, ...withPendingOutputs])];
    // Jobs and outputs that ran out of attempts in an earlier run get a fresh budget: sync means "try now".
    for (const id of ids) this.library.updateJob(id, { attempts: 0, nextPollAt: this.now() });
    this.library.resetExhaustedOutputs(this.now());
    this.queue.kick();
    const results = await Promise.allSettled(all.map((id) => this.waitFor(id, opts)));
    const summary: SyncSummary = {
      jobs: all.length,
      completed: 0,
      failed: 0,
      archived: 0,
      expired: 0,
      errors: 0,
    };
    let unreachable: unknown;
    for (const [i, r] of results.entries()) {
      const view = this.library.jobView(all[i]!);
      if (view.status === 'completed') summary.completed++;
      if (view.status === 'failed') summary.failed++;
      for (const o of view.outputs) {
        if (o.state === 'archived') summary.archived++;
        else if (o.state === 'expired') summary.expired++;
        else if (o.state === 'error') summary.errors++;
      }
      if (r.status === 'rejected' && !(r.reason instanceof JobFailedError)) unreachable ??= r.reason;
    }
    if (unreachable) throw unreachable;
    return summary;
  }

  // ── browsing ─────────────────────────────────────────────────────────────────────────────────

  list(q: ListQuery = {}): JobsPage {
    return this.library.listJobs(q);
  }

  search(text: string, q: ListQuery = {}): JobsPage {
    return this.library.search(text, q);
  }

  show(ref: string): JobView {
    return this.library.jobView(this.library.resolveJobRef(ref).id);
  }

  rebuild(): { jobs: number; outputs: number } {
    return this.library.rebuildFromFolder();
  }
}

/** Reads job ids from a file: one per line or separated by spaces/commas; `#` starts a comment. */
export async function readIdFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InvalidInputError(`The file ${file} could not be read.`);
  }
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter(Boolean);
}

function promptOf(input: Record<string, unknown>): string | null {
  for (const key of ['prompt', 'remixPrompt']) {
    const v = input[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return null;
}

/** The operation's own options (type, scale, direction…), kept in params for display and search filters. */
function optionsOf(input: Record<string, unknown>): Record<string, unknown> {
  const skip = new Set([
    'op',
    'prompt',
    'remixPrompt',
    'jobId',
    'imageNo',
    'videoNo',
    'imageUrl',
    'imageUrls',
  ]);
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => !skip.has(k) && v !== undefined));
}

function relationOf(op: string): string {
  return op === 'video-diffusion' ? 'animate' : op === 'extend-video' ? 'extend' : op.replace(/-/g, '_');
}
