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
  sort: z.enum(SORTS).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  cursor: z.string().max(400).nullable().optional(),
});
export type ListQueryInput = z.infer<typeof listQuerySchema>;

export const settingsSchema = z.strictObject({
  theme: z.enum(THEMES),
  notifications: z.boolean(),
  /** Jobs in flight on Legnext at once (the API allows about 6). */
  concurrency: z.number().int().min(1).max(12),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = { theme: 'system', notifications: true, concurrency: 6 };

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
}

/**
 * Every JobView the main side sends (responses and `job` events) carries output `path` and `thumbPath`
 * relative to the library folder (`media/2025/01/<id>/0.png`); `mediaUrl()` in `./media` turns one
 * into a URL the current transport serves.
 */

/** Follow-up options the UI sends; validated again by the core's request builders. */
const followUpOptions = z.record(z.string().max(40), z.unknown());

export const contract = {
  'keys.status': { request: z.strictObject({ provider }), response: {} as KeyStatusView },
  /** Checks the key with a balance call before storing it. */
  'keys.set': {
    request: z.strictObject({ provider, key: z.string().trim().min(8).max(500) }),
    response: {} as KeyStatusView,
  },
  'keys.clear': { request: z.strictObject({ provider }), response: {} as KeyStatusView },
  'account.balance': { request: z.strictObject({}), response: {} as BalanceView },

  'jobs.list': { request: listQuerySchema, response: {} as Page<JobView> },
  'jobs.search': {
    request: z.strictObject({ text: z.string().trim().min(1).max(500), query: listQuerySchema }),
    response: {} as Page<JobView>,
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
  'jobs.retry': { request: z.strictObject({ id }), response: {} as JobView },
  'jobs.setFavorite': { request: z.strictObject({ id, favorite: z.boolean() }), response: {} as JobView },
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

  'library.info': { request: z.strictObject({}), response: {} as LibraryInfoView },
  /** Opens the library folder (or one job's folder) in the system file manager; Electron only. */
  'library.reveal': { request: z.strictObject({ id: id.optional() }), response: {} as { ok: boolean } },
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
