/**
 * The simulator's accounts and jobs. A job's status is a pure function of the sim clock and the
 * timeline fixed at submit, so reading a job is all it takes to move it along; credits are settled
 * lazily the same way (frozen at submit, consumed at completion, refunded on failure).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  MAX_VIDEO_EXTENSIONS,
  OUTPUT_SHAPE,
  TASK_COST,
  VIDEO_COST_PER_VIDEO,
  normalizeTaskType,
  type OutputShape,
  type SimTaskType,
} from './catalog';
import { ZERO_TIME, isoSeconds, type SimClock } from './clock';
import { SimHttpError, badRequest } from './errors';
import { aspectRatio, costMultiplier, parsePrompt, type PromptInfo } from './prompt';
import { describeOutput, shortenOutput, type TextOutput } from './text';
import type { ParentRef, SubmitSpec } from './validation';

export type Phase = 'pending' | 'staged' | 'processing';
export type Durations = Record<Phase, number>;
export type JobStatus = Phase | 'completed' | 'failed';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** "Operations on generated images (e.g. upscaling, variations) are valid for 3 days post-creation." */
export const ACTIONS_WINDOW_MS = 3 * DAY_MS;
/** "Images generated are stored for 30 days after creation and automatically deleted thereafter." */
export const CDN_RETENTION_MS = 30 * DAY_MS;

/**
 * A prompt (or image URL) containing this ends `failed` after processing; one containing the next is
 * refused at submit with 403, as a content-policy rejection.
 */
export const FAIL_MARKER = 'simulate:fail';
export const FORBIDDEN_MARKER = 'simulate:forbidden';

export interface SimJob {
  id: string;
  apiKey: string;
  taskType: SimTaskType;
  shape: OutputShape;
  /** Images or videos produced (0 for text tasks). */
  count: number;
  prompt: string;
  sourceUrl: string;
  callback: string;
  parent: { id: string; index: number } | undefined;
  createdAt: number;
  stagedAt: number;
  processingAt: number;
  endAt: number;
  outcome: 'completed' | 'failed';
  frozen: number;
  /** Jobs submitted over HTTP hold and spend credits; seeded jobs are history and cost nothing now. */
  charged: boolean;
  /** Pixel size of one image of this job. */
  width: number;
  height: number;
  alpha: boolean;
  draft: boolean;
  /** Extensions in this video's chain, this job included. */
  extensions: number;
  seed: string;
  text: TextOutput | undefined;
}

export interface SeedJobInit {
  taskType: string;
  prompt?: string;
  status?: 'pending' | 'processing' | 'completed' | 'failed';
  createdAt?: number;
  parentJobId?: string;
  videoCount?: 1 | 2 | 4;
  /** The account the job belongs to; defaults to the simulator's key. */
  apiKey?: string;
}

export interface StoreOptions {
  clock: SimClock;
  /** Owner of seeded jobs that name no account. */
  apiKey: string;
  credits: number;
  durations: Durations;
  durationsByTask: Partial<Record<SimTaskType, Partial<Durations>>>;
  maxConcurrent: number;
}

const GRID_CELL = 512;
const UPSCALED = 1024;

export class JobStore {
  /** Set once the server listens: output URLs point at the simulator's own CDN. */
  origin = '';
  readonly startedAt: number;
  private readonly jobs = new Map<string, SimJob>();
  /** Jobs not yet settled (still running at the last look). */
  private readonly unsettled = new Set<SimJob>();
  private balance: number;
  private consumed = 0;

  constructor(private readonly opts: StoreOptions) {
    this.balance = opts.credits;
    this.startedAt = opts.clock.now();
  }

  get maxConcurrent(): number {
    return this.opts.maxConcurrent;
  }

  now(): number {
    return this.opts.clock.now();
  }

  credits(): number {
    this.settle();
    return this.balance;
  }

  /** Points spent by completed jobs so far. */
  used(): number {
    this.settle();
    return this.consumed;
  }

  setCredits(points: number): void {
    this.settle();
    this.balance = points;
  }

  get(id: string): SimJob | undefined {
    return this.jobs.get(id);
  }

  /** Unfinished jobs of one account, oldest first. */
  active(apiKey: string): SimJob[] {
    this.settle();
    return [...this.unsettled].filter((j) => j.apiKey === apiKey);
  }

  statusAt(job: SimJob, now = this.now()): JobStatus {
    if (now >= job.endAt) return job.outcome;
    if (now >= job.processingAt) return 'processing';
    if (now >= job.stagedAt) return 'staged';
    return 'pending';
  }

  private settle(): void {
    const now = this.now();
    for (const job of this.unsettled) {
      if (now < job.endAt) continue;
      this.unsettled.delete(job);
      if (!job.charged) continue;
      if (job.outcome === 'failed') this.balance += job.frozen;
      else this.consumed += job.frozen;
    }
  }

  private durationsFor(taskType: SimTaskType): Durations {
    return { ...this.opts.durations, ...this.opts.durationsByTask[taskType] };
  }

  /** Accepts a validated request or throws the API's error for it. */
  submit(spec: SubmitSpec, apiKey: string): SimJob {
    this.settle();
    const now = this.now();
    const parent = spec.parent ? this.resolveParent(spec.parent, apiKey, now) : undefined;

    let prompt = spec.prompt;
    let cost = spec.cost;
    if (spec.taskType === 'reroll' && parent) {
      // A reroll runs the parent's prompt again, at the parent's price.
      prompt = parent.prompt;
      cost = TASK_COST.reroll * costMultiplier(parsePrompt(prompt));
    }
    // The markers may sit in the prompt or, for tasks without one (describe…), in the image URL.
    const markers = `${prompt} ${spec.sourceUrl}`;
    if (markers.includes(FORBIDDEN_MARKER)) {
      throw new SimHttpError(
        403,
        'Sensitive content detected: the prompt was rejected by the content policy.',
        {
          rawMessage: 'banned prompt detected',
        },
      );
    }
    let extensions = parent?.extensions ?? 0;
    if (spec.taskType === 'extend_video' && parent) {
      extensions = parent.extensions + 1;
      if (extensions > MAX_VIDEO_EXTENSIONS) {
        throw badRequest(
          `Video job ${parent.id} has already been extended ${MAX_VIDEO_EXTENSIONS} times, the most one video allows.`,
          'jobId',
        );
      }
    }
    const running = this.active(apiKey).length;
    if (running >= this.opts.maxConcurrent) {
      throw new SimHttpError(
        429,
        `Too many concurrent tasks: at most ${this.opts.maxConcurrent} may run at once, so wait for one to finish.`,
      );
    }
    if (this.balance < cost) {
      throw new SimHttpError(
        402,
        `Insufficient credits: this task needs ${cost} points and the balance is ${this.balance}.`,
      );
    }

    const info = parsePrompt(prompt);
    const d = this.durationsFor(spec.taskType);
    const stagedAt = now + d.pending;
    const processingAt = stagedAt + d.staged;
    const job = this.create({
      apiKey,
      taskType: spec.taskType,
      prompt,
      sourceUrl: spec.sourceUrl,
      callback: spec.callback,
      parent: parent ? { id: parent.id, index: spec.parent?.index ?? 0 } : undefined,
      createdAt: now,
      stagedAt,
      processingAt,
      endAt: processingAt + d.processing,
      outcome: markers.includes(FAIL_MARKER) ? 'failed' : 'completed',
      frozen: cost,
      charged: true,
      videoCount: spec.videoCount,
      aspect: spec.aspect,
      parentJob: parent,
      draft: isDraft(spec.taskType, info),
      extensions,
    });
    this.balance -= cost;
    return job;
  }

  private resolveParent(ref: ParentRef, apiKey: string, now: number): SimJob {
    const parent = this.jobs.get(ref.jobId);
    // Another account's job is reported exactly like a missing one.
    if (!parent || parent.apiKey !== apiKey) {
      throw badRequest(`jobId ${ref.jobId} does not match any job of this account.`, 'jobId');
    }
    const status = this.statusAt(parent, now);
    if (status === 'failed')
      throw badRequest(`Job ${parent.id} failed, so it has nothing to follow up on.`, 'jobId');
    if (status !== 'completed') {
      throw badRequest(`Job ${parent.id} has not completed yet; follow-ups need a completed job.`, 'jobId');
    }
    if (now - parent.createdAt >= ACTIONS_WINDOW_MS) {
      throw badRequest(
        `The follow-up window for job ${parent.id} has ended: actions are accepted for 3 days after a job is created.`,
        'jobId',
      );
    }
    const actions = availableActions(parent);
    if (ref.kind === 'job') {
      if (ref.action && actions?.[ref.action] !== true) {
        throw badRequest(`Job ${parent.id} does not allow ${ref.action}.`, 'jobId');
      }
      return parent;
    }
    if (ref.kind === 'video') {
      if (parent.shape !== 'video') throw badRequest(`Job ${parent.id} is not a video job.`, 'jobId');
      if (ref.index >= parent.count) {
        throw badRequest(
          `videoNo ${ref.index} does not exist: job ${parent.id} made ${parent.count} video(s).`,
          'videoNo',
        );
      }
      return parent;
    }
    if (parent.shape !== 'grid' && parent.shape !== 'single') {
      throw badRequest(`Job ${parent.id} made no images, so imageNo cannot refer to it.`, 'jobId');
    }
    if (ref.action === 'enhance' && !parent.draft) {
      throw badRequest(
        `enhance needs a parent created in draft mode (--v 7 --draft); job ${parent.id} was not.`,
        'jobId',
      );
    }
    if (ref.index >= parent.count) {
      throw badRequest(
        `imageNo ${ref.index} does not exist: job ${parent.id} made ${parent.count} image(s).`,
        'imageNo',
      );
    }
    if (ref.action) {
      const allowed = actions?.[ref.action];
      if (!Array.isArray(allowed) || !allowed.includes(ref.index)) {
        throw badRequest(`Image ${ref.index} of job ${parent.id} does not allow ${ref.action}.`, 'imageNo');
      }
    }
    return parent;
  }

  private create(init: {
    apiKey: string;
    taskType: SimTaskType;
    prompt: string;
    sourceUrl: string;
    callback: string;
    parent: { id: string; index: number } | undefined;
    createdAt: number;
    stagedAt: number;
    processingAt: number;
    endAt: number;
    outcome: 'completed' | 'failed';
    frozen: number;
    charged: boolean;
    videoCount: number;
    aspect: [number, number] | undefined;
    parentJob: SimJob | undefined;
    draft: boolean;
    extensions: number;
  }): SimJob {
    const id = randomUUID();
    const shape = OUTPUT_SHAPE[init.taskType];
    const large = init.taskType === 'upscale' || init.taskType === 'enhance_upscale';
    const [width, height] = init.aspect
      ? fit(init.aspect, large ? UPSCALED : GRID_CELL)
      : init.parentJob && (init.parentJob.shape === 'grid' || init.parentJob.shape === 'single')
        ? scaleTo(init.parentJob, large ? UPSCALED : GRID_CELL)
        : fit([1, 1], large ? UPSCALED : GRID_CELL);
    const count = shape === 'grid' ? 4 : shape === 'single' ? 1 : shape === 'video' ? init.videoCount : 0;
    const job: SimJob = {
      id,
      apiKey: init.apiKey,
      taskType: init.taskType,
      shape,
      count,
      prompt: init.prompt,
      sourceUrl: init.sourceUrl,
      callback: init.callback,
      parent: init.parent,
      createdAt: init.createdAt,
      stagedAt: init.stagedAt,
      processingAt: init.processingAt,
      endAt: init.endAt,
      outcome: init.outcome,
      frozen: init.frozen,
      charged: init.charged,
      width,
      height,
      alpha: init.taskType === 'remove_background',
      draft: init.draft,
      extensions: init.extensions,
      seed: String(createHash('sha256').update(id).digest().readUInt32BE(0)),
      text:
        init.taskType === 'describe'
          ? describeOutput(init.sourceUrl || init.prompt)
          : init.taskType === 'shorten'
            ? shortenOutput(init.prompt)
            : undefined,
    };
    this.jobs.set(id, job);
    // Even a job that is already over goes through settle(), which applies its charge or refund.
    this.unsettled.add(job);
    return job;
  }

  /** Puts a job straight into the store (history to import, or a job to resume polling). */
  seed(init: SeedJobInit): string {
    const taskType = normalizeTaskType(init.taskType);
    if (!taskType) throw new Error(`seedJob: unknown task type "${init.taskType}".`);
    const now = this.now();
    const createdAt = init.createdAt ?? now;
    const status = init.status ?? 'completed';
    const d = this.durationsFor(taskType);
    const parentJob = init.parentJobId ? this.jobs.get(init.parentJobId) : undefined;
    const prompt =
      init.prompt ?? (taskType === 'describe' ? 'https://cdn.example.com/seeded-image.png' : 'a seeded job');
    const videoCount = init.videoCount ?? (taskType === 'video_diffusion' ? 4 : 1);
    let stagedAt: number;
    let processingAt: number;
    let endAt: number;
    if (status === 'pending') {
      // Its lifecycle starts now, whatever created_at says, so a resumed poll sees it progress.
      stagedAt = now + d.pending;
      processingAt = stagedAt + d.staged;
      endAt = processingAt + d.processing;
    } else if (status === 'processing') {
      stagedAt = now;
      processingAt = now;
      endAt = now + d.processing;
    } else {
      endAt = Math.min(createdAt + d.pending + d.staged + d.processing, now);
      processingAt = Math.min(createdAt + d.pending + d.staged, endAt);
      stagedAt = Math.min(createdAt + d.pending, processingAt);
    }
    const info = parsePrompt(prompt);
    const job = this.create({
      apiKey: init.apiKey ?? this.opts.apiKey,
      taskType,
      prompt,
      sourceUrl: taskType === 'describe' ? prompt : '',
      callback: '',
      parent: init.parentJobId ? { id: init.parentJobId, index: 0 } : undefined,
      createdAt,
      stagedAt,
      processingAt,
      endAt,
      outcome: status === 'failed' || prompt.includes(FAIL_MARKER) ? 'failed' : 'completed',
      frozen: taskType === 'video_diffusion' ? VIDEO_COST_PER_VIDEO * videoCount : TASK_COST[taskType],
      charged: false,
      videoCount,
      aspect: aspectRatio(info),
      parentJob,
      draft: isDraft(taskType, info),
      extensions: (parentJob?.extensions ?? 0) + (taskType === 'extend_video' ? 1 : 0),
    });
    return job.id;
  }

  /** The job object exactly as the API returns it: from the POST (`submit`) or from GET /v1/job. */
  view(job: SimJob, from: 'submit' | 'get' = 'get'): Record<string, unknown> {
    const now = this.now();
    const status = from === 'submit' ? 'pending' : this.statusAt(job, now);
    const finished = status === 'completed' || status === 'failed';
    const started = finished || status === 'processing';
    const meta =
      from === 'submit'
        ? { created_at: '', started_at: '', ended_at: '' }
        : {
            created_at: isoSeconds(job.createdAt),
            started_at: started ? isoSeconds(job.processingAt) : ZERO_TIME,
            ended_at: finished ? isoSeconds(job.endAt) : ZERO_TIME,
          };
    return {
      job_id: job.id,
      model: 'midjourney',
      task_type: job.taskType,
      status,
      config: { service_mode: 'public', webhook_config: { endpoint: job.callback, secret: '' } },
      input: null,
      output: status === 'completed' ? this.completedOutput(job) : emptyOutput(job.shape),
      meta: {
        ...meta,
        usage: { type: 'point', frozen: job.frozen, consume: status === 'completed' ? job.frozen : 0 },
      },
      detail: null,
      logs: [],
      error:
        status === 'failed'
          ? {
              code: 500,
              raw_message: `the prompt asked the simulator to fail (${FAIL_MARKER})`,
              message: 'The task failed while generating: please try again.',
              detail: null,
            }
          : { code: 0, raw_message: '', message: '', detail: null },
    };
  }

  private completedOutput(job: SimJob): Record<string, unknown> {
    const base = this.origin;
    const image = (i: number): string => `${base}/cdn/mj/${job.id}_${i}.png`;
    // Topaz and background removal are not Midjourney generations: no seed, no follow-ups.
    const seed = job.taskType === 'enhance_upscale' || job.taskType === 'remove_background' ? '' : job.seed;
    switch (job.shape) {
      case 'grid':
        return {
          image_url: `${base}/cdn/temp/${job.id}.png`,
          image_urls: [0, 1, 2, 3].map(image),
          seed,
          available_actions: availableActions(job),
        };
      case 'single':
        return {
          image_url: image(0),
          image_urls: [image(0)],
          seed,
          available_actions: availableActions(job),
        };
      case 'video':
        return {
          video_urls: Array.from({ length: job.count }, (_, i) => `${base}/cdn/video/${job.id}_${i}.mp4`),
          seed,
        };
      case 'text':
        return { ...(job.text ?? shortenOutput(job.prompt)) };
    }
  }
}

function emptyOutput(shape: OutputShape): Record<string, unknown> {
  if (shape === 'video') return { video_urls: null, seed: '' };
  if (shape === 'text') return { promptEn: '', description: '', finalPrompt: '', prompts: [] };
  return { image_url: '', image_urls: null, seed: '' };
}

/** Enhance needs a grid generated in draft mode: `--v 7 --draft` (a reroll repeats that prompt). */
function isDraft(taskType: SimTaskType, info: PromptInfo): boolean {
  return (taskType === 'diffusion' || taskType === 'reroll') && info.draft && info.version === '7';
}

const ALL = [0, 1, 2, 3];

/**
 * The follow-ups each image allows, in the documented shape (action → image indexes, `reroll` a flag).
 * A grid allows everything on all four; a v7 draft grid also allows enhance; an upscale allows the
 * single-image actions on its one image; Topaz and background-removal results allow nothing.
 */
export function availableActions(job: SimJob): Record<string, number[] | boolean> | undefined {
  if (job.shape === 'grid') {
    return {
      edit: ALL,
      ...(job.draft ? { enhance: ALL } : {}),
      inpaint: ALL,
      outpaint: ALL,
      pan: ALL,
      remix: ALL,
      reroll: true,
      upscale: ALL,
      variation: ALL,
    };
  }
  if (job.shape !== 'single') return undefined;
  if (job.taskType !== 'upscale') return {};
  return { edit: [0], inpaint: [0], outpaint: [0], pan: [0], remix: [0], reroll: false, variation: [0] };
}

/** Image size for an aspect ratio with the long side at `long` px, both sides multiples of 8. */
function fit([w, h]: [number, number], long: number): [number, number] {
  const short = (s: number): number => Math.max(64, Math.round((long * s) / Math.max(w, h) / 8) * 8);
  return w >= h ? [long, short(h)] : [short(w), long];
}

function scaleTo(parent: SimJob, long: number): [number, number] {
  return fit([parent.width, parent.height], long);
}
