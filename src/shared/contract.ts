/**
 * The one contract between the renderer and the main process (and the web bridge, which carries the
 * same calls over a WebSocket). Each call has a name, a zod schema for its request (parsed on the
 * main side before anything runs) and a response type. Events are pushed main → renderer.
 * Nothing else crosses the process boundary.
 */
import { z } from 'zod';
import type { JobView, Page, Provider } from './domain';
import { JOB_STATUSES, PROVIDERS } from './domain';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const SORTS = ['newest', 'oldest'] as const;
export const ARCHIVE_FILTERS = ['none', 'pending', 'archived', 'partial', 'expired', 'error'] as const;

const id = z.string().min(1).max(200);
const provider = z.enum(PROVIDERS);

export const listQuerySchema = z.strictObject({
  taskType: z.union([z.string().max(40), z.array(z.string().max(40)).max(30)]).optional(),
  status: z.union([z.enum(JOB_STATUSES), z.array(z.enum(JOB_STATUSES)).max(5)]).optional(),
  provider: provider.optional(),
  modelVersion: z.string().max(20).optional(),
  aspectRatio: z.string().max(20).optional(),
  createdFrom: z.number().int().nonnegative().optional(),
  createdTo: z.number().int().nonnegative().optional(),
  favorite: z.boolean().optional(),
  archiveState: z.union([z.enum(ARCHIVE_FILTERS), z.array(z.enum(ARCHIVE_FILTERS)).max(6)]).optional(),
  rootId: id.optional(),
  /** One job per family (its first); ignored with `rootId`. The page then carries `stacks`. */
  stacked: z.boolean().optional(),
  sort: z.enum(SORTS).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  cursor: z.string().max(400).nullable().optional(),
});
export type ListQueryInput = z.infer<typeof listQuerySchema>;

/** The family a stacked listing shows one job for: its lineage root and how many jobs it holds. */
export interface StackView {
  /** What the `rootId` filter takes to list the family whole. */
  rootId: string;
  /** Jobs in the family, the listed one included (1 for a job alone). */
  jobs: number;
}

/** A page of `jobs.list` / `jobs.search`; a stacked query adds the family of each job listed, by job id. */
export interface JobsPage extends Page<JobView> {
  stacks?: Record<string, StackView>;
}

const baseUrl = z
  .string()
  .trim()
  .max(500)
  .refine((s) => s === '' || /^https?:\/\/[^\s/]+/i.test(s), { error: 'must be an http(s) URL' });

export const settingsSchema = z.strictObject({
  theme: z.enum(THEMES),
  notifications: z.boolean(),
  /** Jobs in flight on Legnext at once (the API allows about 6). */
  concurrency: z.number().int().min(1).max(12),
  /**
   * API base URLs per provider; '' means the provider's public default. An environment variable
   * (`LEGNEXT_BASE_URL`, `LEONARDO_BASE_URL`, `UNIALL_BASE_URL`) wins over the stored value.
   */
  baseUrls: z.strictObject({ legnext: baseUrl, leonardo: baseUrl, vidu: baseUrl }),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notifications: true,
  concurrency: 6,
  baseUrls: { legnext: '', leonardo: '', vidu: '' },
};

/**
 * An image the user points at, wherever it lives. The core turns it into a URL the provider can fetch
 * (`resolveImageSource`): a library image inside its 30 days → its CDN URL; anything else (a file
 * imported with `files.import`, an archived image past 30 days) → uploaded to the image host and sent
 * as a short-lived presigned URL; no host configured → a clear error saying what to set up.
 */
export const imageSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('output'), jobId: id, index: z.number().int().min(0).max(3) }),
  /** A file stored by `files.import` (`genvault-file:<sha256>.<ext>`). */
  z.strictObject({
    kind: z.literal('file'),
    ref: z.string().regex(/^genvault-file:[a-f0-9]{64}\.[a-z0-9]{1,5}$/),
  }),
  z.strictObject({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/ }).max(2048) }),
]);
export type ImageSource = z.infer<typeof imageSourceSchema>;

/** Where uploads for image URLs go: any S3-compatible bucket (AWS S3, R2, MinIO, B2). */
export const imageHostSchema = z.strictObject({
  /** e.g. `https://s3.eu-west-1.amazonaws.com` or `https://<account>.r2.cloudflarestorage.com`. */
  endpoint: z.url({ protocol: /^https?$/ }).max(500),
  region: z.string().trim().min(1).max(60),
  bucket: z.string().trim().min(3).max(63),
  accessKeyId: z.string().trim().min(3).max(200),
  /** Path-style URLs (`endpoint/bucket/key`); MinIO and most self-hosted servers need them. */
  pathStyle: z.boolean(),
  /** Key prefix for uploads, e.g. `genvault/`. */
  prefix: z.string().max(200),
  /** Lifetime of each presigned GET URL (minutes). */
  urlMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60),
});
export type ImageHostConfig = z.infer<typeof imageHostSchema>;

export interface ImageHostView {
  config: ImageHostConfig | null;
  /** Whether a secret access key is set; the secret itself never leaves main. */
  secretSet: boolean;
  /** Where it comes from: the environment variable, the OS keychain, or the encrypted-file fallback. */
  secretSource: 'env' | 'keychain' | 'file' | null;
}

/** A file brought into the app (dropped, pasted) and stored under `<library>/inputs/`. */
/**
 * A black-and-white mask image (white = repaint, black = keep), as an alternative to drawn
 * `mask.areas` for Vary region, Edit and Paint on a canvas. A follow-up takes it as
 * `options.maskImage` (an ImageSource of kind `file` or `output`); the core checks it against the
 * area it must cover, uploads it like any image and sends it as Legnext's `mask.url`.
 */
export const maskImageSourceSchema = z.discriminatedUnion('kind', [
  imageSourceSchema.options[0],
  imageSourceSchema.options[1],
]);

/** What a mask image would do on an image (or canvas) of the size it was checked against. */
export interface MaskImageView {
  width: number;
  height: number;
  /** Share of the mask that is white or light: what would be repainted (0–1). */
  whiteShare: number;
  /** Share that is neither near-black nor near-white (0–1); a little comes from anti-aliased edges. */
  greyShare: number;
  /** Why it cannot be used for that size, in one sentence; null when it can. */
  problem: string | null;
}

export interface ImportedFileView {
  ref: string;
  /** Library-relative path of the stored copy (`inputs/<sha256>.<ext>`), for `mediaUrl`. */
  path: string;
  name: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
}

/** A video model of another provider, with what it accepts, for the "Animate with…" picker. */
export interface VideoModelView {
  provider: Exclude<Provider, 'legnext'>;
  id: string;
  label: string;
  /** What the model takes: start image, end frame, reference images, text only. */
  accepts: { image: boolean; lastFrame: boolean; references: number; textOnly: boolean };
  durations: number[];
  defaultDuration: number;
  resolutions: string[];
  defaultResolution: string;
  aspectRatios: string[];
  audio: boolean;
  note: string | null;
}

export const videoWithSchema = z.strictObject({
  provider: z.enum(['leonardo', 'vidu']),
  model: z.string().min(1).max(80),
  prompt: z.string().max(8192),
  from: imageSourceSchema.optional(),
  last: imageSourceSchema.optional(),
  refs: z.array(imageSourceSchema).max(7).optional(),
  duration: z.number().int().min(1).max(16).optional(),
  resolution: z.string().max(20).optional(),
  aspectRatio: z.string().max(10).optional(),
  negativePrompt: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
  audio: z.boolean().optional(),
  bgm: z.boolean().optional(),
  /** Leonardo: let Leonardo rewrite the prompt before generating. */
  promptEnhance: z.boolean().optional(),
});

/**
 * Where one provider's API calls go now, for Settings: the live client's base URL and what decided it.
 * An environment variable wins over the stored setting, which wins over the public default.
 */
export interface ProviderEndpointView {
  provider: Provider;
  /** The base URL calls go to; null when none is set (UniAll has no public default). */
  url: string | null;
  /** The public default, for the field's placeholder; null for UniAll, whose base is your gateway. */
  defaultUrl: string | null;
  source: 'env' | 'settings' | 'default' | 'none';
  /** The environment variable that overrides the setting. */
  envVar: string;
}

export const outputRefSchema = z.strictObject({
  id,
  kind: z.enum(['image', 'video', 'grid']),
  index: z.number().int().min(0).max(3),
});
export type OutputRef = z.infer<typeof outputRefSchema>;

export interface KeyStatusView {
  provider: Provider;
  set: boolean;
  last4: string | null;
  source: 'env' | 'keychain' | 'file' | null;
  /** Set when keys fall back to an encrypted file because no OS keychain answered. */
  note: string | null;
}

export interface BalanceView {
  credits: number;
  points: number;
  balanceUsd: number | null;
  lowBalance: boolean;
}

export interface PromptCheckView {
  issues: Array<{ flag: string | null; message: string }>;
  cost: { points: number; basis: string };
  version: string;
  aspectRatio: string | null;
}

export interface FollowUpStateView {
  op: string;
  label: string;
  /** Which outputs it applies to (null: the whole job). */
  index: number | null;
  enabled: boolean;
  /** Why it is disabled, in plain words, when it is. */
  reason: string | null;
  cost: number;
  /** What to send as `options` in `jobs.followUp` for this button (e.g. `{ type: 'subtle' }`). */
  options: Record<string, unknown>;
}

export interface LineageView {
  /** Every job of the family reachable from the asked one, the asked one included. */
  jobs: JobView[];
  edges: Array<{ parentId: string; parentIndex: number | null; childId: string; relation: string }>;
}

export interface QueueStateView {
  paused: Array<{ provider: Provider; reason: string }>;
  offline: boolean;
  offlineReason: string | null;
  inFlight: number;
  waiting: number;
  downloadsPending: number;
}

export interface LibraryInfoView {
  dir: string;
  jobs: number;
  outputs: number;
  archived: number;
  bytes: number;
  /** Whether `library.reveal` can open a file manager here (Electron: true; the web bridge: false). */
  canReveal?: boolean;
  /**
   * Where `jobs.remove` puts files: the system Trash, where they can be restored (Electron), or
   * nowhere: deleted for good (the web bridge and the CLI).
   */
  removeFilesTo?: 'trash' | 'deleted';
}

/** What `jobs.remove` did. */
export interface RemovedJobsView {
  /** GenVault ids of the jobs removed, in the order asked. */
  removed: string[];
  /** Bytes of archived files the removal freed (or moved to the Trash). */
  bytes: number;
  filesTo: 'trash' | 'deleted';
  /**
   * Why the removal stopped before the last job: that job's files could not be removed, so it and the
   * jobs after it were left whole. Null when every job was removed.
   */
  problem: string | null;
}

/**
 * Every JobView the main side sends (responses and `job` events) carries output `path` and `thumbPath`
 * relative to the library folder (`media/2025/01/<id>/0.png`); `mediaUrl()` in `./media` turns one
 * into a URL the current transport serves.
 */

/** The most tags one job takes. */
export const MAX_TAGS = 50;

/** Follow-up options the UI sends; validated again by the core's request builders. */
const followUpOptions = z.record(z.string().max(40), z.unknown());

export const contract = {
  'keys.status': { request: z.strictObject({ provider }), response: {} as KeyStatusView },
  /**
   * Checks the key before storing it: Legnext with a balance call, Leonardo with `GET /me`; UniAll has
   * no call that checks a key for free, so its key is checked for its form and proves itself on use.
   */
  'keys.set': {
    request: z.strictObject({ provider, key: z.string().trim().min(8).max(500) }),
    response: {} as KeyStatusView,
  },
  'keys.clear': { request: z.strictObject({ provider }), response: {} as KeyStatusView },
  'account.balance': { request: z.strictObject({}), response: {} as BalanceView },

  'jobs.list': { request: listQuerySchema, response: {} as JobsPage },
  'jobs.search': {
    request: z.strictObject({ text: z.string().trim().min(1).max(500), query: listQuerySchema }),
    response: {} as JobsPage,
  },
  'jobs.get': { request: z.strictObject({ id }), response: {} as JobView },
  'jobs.lineage': { request: z.strictObject({ id }), response: {} as LineageView },
  'jobs.followUps': { request: z.strictObject({ id }), response: {} as FollowUpStateView[] },
  'jobs.imagine': { request: z.strictObject({ prompt: z.string().max(8192) }), response: {} as JobView },
  'jobs.video': {
    request: z.strictObject({
      prompt: z.string().max(8192),
      quality: z.union([z.literal(480), z.literal(720)]).optional(),
    }),
    response: {} as JobView,
  },
  'jobs.followUp': {
    request: z.strictObject({
      op: z.string().max(40),
      id,
      index: z.number().int().min(0).max(3).nullable(),
      options: followUpOptions,
    }),
    response: {} as JobView,
  },
  /** Every other-provider video: Leonardo image-to-video, Vidu text/image/first-last/reference. */
  'jobs.videoWith': { request: videoWithSchema, response: {} as JobView },
  'video.models': { request: z.strictObject({}), response: {} as VideoModelView[] },
  /** Each provider's base URL in use and where it comes from (env, settings, default). */
  'providers.endpoints': { request: z.strictObject({}), response: {} as ProviderEndpointView[] },
  'jobs.blend': {
    request: z.strictObject({
      images: z.array(imageSourceSchema).min(2).max(5),
      aspectRatio: z.enum(['2:3', '1:1', '3:2']).optional(),
    }),
    response: {} as JobView,
  },
  'jobs.describe': { request: z.strictObject({ image: imageSourceSchema }), response: {} as JobView },
  'jobs.shorten': { request: z.strictObject({ prompt: z.string().max(8192) }), response: {} as JobView },
  /** Operations on any image, in the library or not: upload-paint, retexture, remove-background, Topaz. */
  'jobs.onImage': {
    request: z.strictObject({
      op: z.enum(['upload-paint', 'retexture', 'remove-background', 'enhance-upscale']),
      image: imageSourceSchema,
      options: followUpOptions,
    }),
    response: {} as JobView,
  },
  'jobs.retry': { request: z.strictObject({ id }), response: {} as JobView },
  /**
   * Removes finished jobs from the library: their rows, job.json, files and thumbnails (to the Trash
   * where there is one, see LibraryInfoView.removeFilesTo). Refused, with nothing removed, while any
   * of them is still being made or downloaded. Their follow-ups stay, without the link to them.
   */
  'jobs.remove': {
    request: z.strictObject({ ids: z.array(id).min(1).max(2000) }),
    response: {} as RemovedJobsView,
  },
  'jobs.setFavorite': { request: z.strictObject({ id, favorite: z.boolean() }), response: {} as JobView },
  /** Replaces a job's tags (trimmed, case-insensitively unique, each at most 100 characters). */
  'jobs.setTags': {
    request: z.strictObject({ id, tags: z.array(z.string().max(200)).max(MAX_TAGS) }),
    response: {} as JobView,
  },
  'outputs.retry': {
    request: z.strictObject({
      id,
      kind: z.enum(['image', 'video', 'grid']),
      index: z.number().int().min(0).max(3),
    }),
    response: {} as JobView,
  },
  'prompt.check': {
    request: z.strictObject({ prompt: z.string().max(10_000), kind: z.enum(['image', 'video']) }),
    response: {} as PromptCheckView,
  },

  'queue.state': { request: z.strictObject({}), response: {} as QueueStateView },
  'queue.pause': { request: z.strictObject({}), response: {} as QueueStateView },
  'queue.resume': { request: z.strictObject({}), response: {} as QueueStateView },

  /** Checks a mask image against the size it must cover (the image, or the canvas of Edit/Paint). */
  'images.checkMask': {
    request: z.strictObject({
      mask: maskImageSourceSchema,
      width: z.number().int().min(1).max(16_384),
      height: z.number().int().min(1).max(16_384),
    }),
    response: {} as MaskImageView,
  },
  /** Stores a dropped or pasted image (≤ 30 MB, PNG/JPEG/WebP/GIF) under `<library>/inputs/`. */
  'files.import': {
    request: z.strictObject({
      name: z.string().trim().min(1).max(255),
      dataBase64: z.string().min(4).max(41_000_000),
    }),
    response: {} as ImportedFileView,
  },
  /** Copies output files into a folder; `dir: null` asks with a folder picker (Electron only). */
  'outputs.export': {
    request: z.strictObject({
      items: z.array(outputRefSchema).min(1).max(2000),
      dir: z.string().max(4096).nullable(),
    }),
    response: {} as {
      dir: string;
      written: number;
      skipped: Array<{ ref: OutputRef; reason: string }>;
    } | null,
  },
  /** Puts an output image on the system clipboard (Electron; the browser copies it itself). */
  'outputs.copy': { request: outputRefSchema, response: {} as { ok: boolean } },
  'imageHost.get': { request: z.strictObject({}), response: {} as ImageHostView },
  /** Saves the host; `secretAccessKey` is stored in the keychain and may be left out to keep the stored one. */
  'imageHost.set': {
    request: z.strictObject({
      config: imageHostSchema,
      secretAccessKey: z.string().trim().min(8).max(200).optional(),
    }),
    response: {} as ImageHostView,
  },
  'imageHost.clear': { request: z.strictObject({}), response: {} as ImageHostView },
  /** Uploads a tiny object, reads it back through a presigned URL and deletes it. */
  'imageHost.test': { request: z.strictObject({}), response: {} as { ok: true; message: string } },

  'library.info': { request: z.strictObject({}), response: {} as LibraryInfoView },
  /** Opens the library folder (or one job's folder) in the system file manager; Electron only. */
  'library.reveal': {
    request: z.strictObject({
      id: id.optional(),
      kind: z.enum(['image', 'video', 'grid']).optional(),
      index: z.number().int().min(0).max(3).optional(),
    }),
    response: {} as { ok: boolean },
  },
  'settings.get': { request: z.strictObject({}), response: {} as Settings },
  'settings.set': { request: settingsSchema.partial().strict(), response: {} as Settings },
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallRequest<K extends CallName> = z.input<Contract[K]['request']>;
export type CallResponse<K extends CallName> = Contract[K]['response'];

/** Events pushed to the renderer. */
export interface EventMap {
  job: JobView;
  download: { jobId: string; kind: string; index: number; received: number; total: number | null };
  queue: QueueStateView;
}
export type EventName = keyof EventMap;

/** How the renderer reaches main: the Electron preload, or the loopback web bridge in a browser. */
export type Transport = 'electron' | 'bridge';

/** What the preload exposes as `window.genvault` (and the web bridge client implements). */
export interface GenVaultApi {
  /** Which transport this is; decides the form of media URLs (see `mediaUrl`). */
  readonly transport?: Transport;
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Electron only: start dragging an output file out of the window. */
  startDrag?(jobId: string, kind: string, index: number): void;
}

/** Errors cross the boundary as data, never as thrown objects with stacks. */
export interface CallError {
  kind: 'invalid' | 'rejected' | 'unavailable' | 'failed' | 'internal';
  message: string;
  field?: string;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };
