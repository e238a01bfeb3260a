/**
 * The GenVault domain as every process sees it: job and output vocabularies and the public JSON
 * shape of a job (printed by `genvault … --json`, sent to the renderer). Platform-free: imported by
 * main, preload, renderer and CLI alike.
 */
import { z } from 'zod';

export const PROVIDERS = ['legnext', 'leonardo', 'vidu'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Legnext task types, spelled as the API spells `task_type`. */
export const TASK_TYPES = [
  'diffusion',
  'variation',
  'upscale',
  'reroll',
  'blend',
  'describe',
  'shorten',
  'pan',
  'outpaint',
  'inpaint',
  'remix',
  'edit',
  'upload_paint',
  'retexture',
  'remove_background',
  'enhance',
  'enhance_upscale',
  'video_diffusion',
  'extend_video',
  'video_upscale',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/**
 * `submitting`: the row exists, the POST may or may not have reached the API.
 * `queued`: the API accepted it (pending/staged). `running`: processing.
 */
export const JOB_STATUSES = ['submitting', 'queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED_STATUSES: readonly JobStatus[] = ['completed', 'failed'];

export const OUTPUT_KINDS = ['image', 'video', 'grid'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** remote → downloading → archived | expired (CDN gone before we got it) | error (will retry). */
export const OUTPUT_STATES = ['remote', 'downloading', 'archived', 'expired', 'error'] as const;
export type OutputState = (typeof OUTPUT_STATES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Legnext deletes outputs 30 days after creation. */
export const CDN_RETENTION_MS = 30 * DAY_MS;
/** Follow-ups (upscale, vary, pan, extend…) are accepted for 3 days after creation. */
export const ACTIONS_WINDOW_MS = 3 * DAY_MS;

export const outputViewSchema = z.object({
  index: z.number().int(),
  kind: z.enum(OUTPUT_KINDS),
  url: z.string().nullable(),
  path: z.string().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  thumbPath: z.string().nullable(),
  state: z.enum(OUTPUT_STATES),
  error: z.string().nullable(),
});
export type OutputView = z.infer<typeof outputViewSchema>;

/** The public job shape (issue #2's CLI contract); extra fields are additions, never renames. */
export const jobViewSchema = z.object({
  id: z.string(),
  remoteId: z.string().nullable(),
  provider: z.enum(PROVIDERS),
  taskType: z.string(),
  status: z.enum(JOB_STATUSES),
  prompt: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  parent: z.object({ id: z.string(), index: z.number().int().nullable() }).nullable(),
  /**
   * The family the job belongs to (the library's `rootId` filter): the id of its first job, which
   * stays the family's name after that job is removed from the library.
   */
  rootId: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  cdnExpiresAt: z.string(),
  actionsExpireAt: z.string(),
  cost: z.object({ frozen: z.number(), consumed: z.number() }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  seed: z.string().nullable(),
  availableActions: z.record(z.string(), z.union([z.array(z.number().int()), z.boolean()])).nullable(),
  /** 0–100 while running, when the provider reports it. */
  progress: z.number().nullable(),
  /** How much of the job's output is safe on disk: none · pending · archived · partial · expired · error. */
  archiveState: z.enum(['none', 'pending', 'archived', 'partial', 'expired', 'error']),
  favorite: z.boolean(),
  tags: z.array(z.string()),
  outputs: z.array(outputViewSchema),
  text: z.object({ prompts: z.array(z.string()), description: z.string().nullable() }).nullable(),
});
export type JobView = z.infer<typeof jobViewSchema>;

export interface Page<T> {
  items: T[];
  next: string | null;
}
