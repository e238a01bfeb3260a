/**
 * A year of someone's Legnext history, job by job, deterministic for a seed: what they asked (prompt,
 * request body), what Legnext answered (the wire JSON, folded into a snapshot by GenVault's own parser)
 * and what GenVault then did with the outputs (archived, still pending, failed download, expired).
 *
 * Output totals are exact: every job is drawn from one of four shapes whose remaining counts are fixed
 * up front (grid + 4 images = 5 outputs, single image = 1, video batch = 4, none = 0), in the
 * proportions that make 4 outputs per job on average.
 */
import { CDN_RETENTION_MS, DAY_MS } from '../../src/shared/domain';
import type { JobStatus } from '../../src/shared/domain';
import type { JobRequest } from '../../src/main/core/library';
import { parsePrompt } from '../../src/main/core/params';
import {
  buildLegnextRequest,
  parseLegnextInput,
  parseLegnextJob,
} from '../../src/main/core/providers/legnext';
import type { LegnextInput } from '../../src/main/core/providers/legnext';
import type { RemoteJobSnapshot } from '../../src/main/core/providers/types';
import { Weighted, createRng, uuid, zipf } from '../lib/random';
import type { Rng } from '../lib/random';
import { ADJECTIVES, DETAILS, LIGHTING, PLACES, STYLES, SUBJECTS, inventNames } from './vocabulary';

type Shape = 'grid' | 'single' | 'video' | 'none';

/** What the archiver did with one output, as `updateOutput` would record it. */
export interface OutputOutcome {
  kind: 'grid' | 'image' | 'video';
  index: number;
  state: 'remote' | 'archived' | 'error' | 'expired';
  bytes: number | null;
  sha256: string | null;
  mime: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  attempts: number;
  nextAttemptAt: number | null;
  error: string | null;
  archivedAt: number | null;
}

export interface JobPlan {
  ordinal: number;
  taskType: string;
  status: JobStatus;
  prompt: string | null;
  params: Record<string, unknown>;
  modelVersion: string | null;
  aspectRatio: string | null;
  request: JobRequest;
  /** The job this one follows up, by ordinal (always an earlier job). */
  parent: { ordinal: number; index: number | null; relation: string } | null;
  createdAt: number;
  submittedAt: number | null;
  /** Null while the job is still `submitting` (nothing came back yet). */
  snapshot: RemoteJobSnapshot | null;
  /** Outputs in the order the snapshot lists them, with what became of each. */
  outputs: OutputOutcome[];
  favorite: boolean;
  tags: string[];
  nextPollAt: number | null;
  lastPolledAt: number | null;
  pollCount: number;
}

export interface PlanOptions {
  jobs: number;
  /** "Now" for the library: the newest job is minutes old, the oldest a year. */
  now: number;
  seed: number;
  /** How far back the oldest job goes; default a year. */
  historyDays?: number;
  /** Base of the CDN URLs written into outputs. */
  cdnOrigin?: string;
}

/** Jobs still in flight at "now" (the queue resumes them at start-up). */
const UNFINISHED_JOBS = 20;
const SHAPE_SHARE: Record<Shape, number> = { grid: 0.65, single: 0.15, video: 0.15, none: 0.05 };
const SHAPE_OUTPUTS: Record<Shape, number> = { grid: 5, single: 1, video: 4, none: 0 };

const VERSIONS = new Weighted<string | null>([
  [null, 30],
  ['--v 7', 22],
  ['--v 6.1', 18],
  ['--v 8', 8],
  ['--v 8.1', 5],
  ['--niji 6', 11],
  ['--v 6', 6],
]);
const ASPECTS = new Weighted<string | null>([
  [null, 20],
  ['1:1', 14],
  ['16:9', 20],
  ['2:3', 10],
  ['3:2', 9],
  ['9:16', 11],
  ['4:5', 7],
  ['21:9', 5],
  ['4:3', 4],
]);
const GRID_TASKS = new Weighted<string>([
  ['diffusion', 70],
  ['variation', 14],
  ['reroll', 4],
  ['remix', 4],
  ['pan', 3],
  ['outpaint', 2],
  ['inpaint', 2],
  ['blend', 1],
]);
const NONE_KINDS = new Weighted<'describe' | 'shorten' | 'failed'>([
  ['describe', 40],
  ['shorten', 15],
  ['failed', 45],
]);
const TAGS = zipf(['keeper', 'client', 'wallpaper', 'print', 'reference', 'portfolio', 'moodboard', 'todo']);

/** Outputs still waiting for download are among the jobs of the last few days. */
const PENDING_WINDOW_MS = 3 * DAY_MS;
const CDN_FAILURE = 'The CDN is failing (HTTP 503); the download will be retried later.';

/** Jobs of the grid, single-image and video shapes in a plan of `jobs` (the rest make no files). */
function shapeCounts(jobs: number): [number, number, number] {
  return [SHAPE_SHARE.grid, SHAPE_SHARE.single, SHAPE_SHARE.video].map((share) =>
    Math.floor(jobs * share),
  ) as [number, number, number];
}

/** Milliseconds → the API's timestamp form (whole seconds, `Z`). */
function apiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function sizeFor(aspect: string | null, long: number): [number, number] {
  const [w, h] = (aspect ?? '1:1').split(':').map(Number) as [number, number];
  const short = Math.max(64, Math.round((long * Math.min(w, h)) / Math.max(w, h) / 8) * 8);
  return w >= h ? [long, short] : [short, long];
}

interface RecentGrid {
  ordinal: number;
  createdAt: number;
  prompt: string;
  imageUrl: string;
}

export class LibraryPlanner {
  readonly total: number;
  private readonly rng: Rng;
  private readonly now: number;
  private readonly cdn: string;
  private readonly remaining: Record<Shape, number>;
  private readonly names: Weighted<string>;
  private readonly words: {
    subjects: Weighted<string>;
    adjectives: Weighted<string>;
    places: Weighted<string>;
    styles: Weighted<string>;
    lighting: Weighted<string>;
    details: Weighted<string>;
  };
  /** The last grid jobs, newest last: follow-ups pick their parent here (it must be under 3 days old). */
  private readonly recentGrids: RecentGrid[] = [];
  /** Prompts of jobs that may still be picked as parents (follow-ups inherit their parent's prompt). */
  private readonly parentPrompts = new Map<number, string | null>();
  private ordinal = 0;
  private clock: number;
  private readonly step: number;
  private readonly unfinished: number;

  constructor(opts: PlanOptions) {
    this.total = opts.jobs;
    this.rng = createRng(opts.seed);
    this.now = opts.now;
    this.cdn = opts.cdnOrigin ?? 'https://cdn.legnext.ai';
    const [grid, single, video] = shapeCounts(opts.jobs);
    // In-flight jobs have no outputs yet: they come out of the share of jobs without files.
    this.unfinished = Math.min(UNFINISHED_JOBS, opts.jobs - grid - single - video);
    this.remaining = { grid, single, video, none: opts.jobs - this.unfinished - grid - single - video };
    this.names = zipf(inventNames(this.rng, 3000), 1.1);
    this.words = {
      subjects: zipf(SUBJECTS),
      adjectives: zipf(ADJECTIVES),
      places: zipf(PLACES),
      styles: zipf(STYLES),
      lighting: zipf(LIGHTING),
      details: zipf(DETAILS),
    };
    const history = (opts.historyDays ?? 365) * DAY_MS;
    this.clock = opts.now - history;
    this.step = history / opts.jobs;
  }

  /** Outputs the whole plan produces. */
  get totalOutputs(): number {
    const [grid, single, video] = shapeCounts(this.total);
    return grid * SHAPE_OUTPUTS.grid + single * SHAPE_OUTPUTS.single + video * SHAPE_OUTPUTS.video;
  }

  /** The next job in creation order, or null after the last. */
  next(): JobPlan | null {
    if (this.ordinal >= this.total) return null;
    const ordinal = this.ordinal++;
    const unfinished = ordinal >= this.total - this.unfinished;
    // Arrivals are a Poisson process over the year; in-flight jobs are the last few minutes.
    this.clock = unfinished
      ? this.now - (this.total - ordinal) * 15_000
      : Math.min(this.clock + -Math.log(1 - this.rng.next()) * this.step, this.now - 3_600_000);
    const createdAt = Math.floor(this.clock / 1000) * 1000;
    return unfinished ? this.unfinishedJob(ordinal, createdAt) : this.settledJob(ordinal, createdAt);
  }

  private drawShape(): Shape {
    const left = this.remaining.grid + this.remaining.single + this.remaining.video + this.remaining.none;
    let target = this.rng.next() * left;
    for (const shape of ['grid', 'single', 'video', 'none'] as const) {
      target -= this.remaining[shape];
      if (target < 0) {
        this.remaining[shape] -= 1;
        return shape;
      }
    }
    this.remaining.none -= 1;
    return 'none';
  }

  private prompt(): string {
    const r = this.rng;
    const w = this.words;
    const parts: string[] = [];
    let subject = `${w.adjectives.sample(r)} ${w.subjects.sample(r)}`;
    if (r.chance(0.35)) subject = `${w.adjectives.sample(r)} ${subject}`;
    if (r.chance(0.5)) subject += ` ${w.places.sample(r)}`;
    parts.push(r.chance(0.15) ? `a ${subject} and a ${w.subjects.sample(r)}` : subject);
    const styles = r.int(0, 2);
    for (let i = 0; i < styles; i++) parts.push(w.styles.sample(r));
    if (r.chance(0.55)) parts.push(w.lighting.sample(r));
    const details = r.int(0, 3);
    for (let i = 0; i < details; i++) parts.push(w.details.sample(r));
    if (r.chance(0.3)) parts.push(`${r.chance(0.5) ? 'by' : 'in the style of'} ${this.names.sample(r)}`);
    const flags: string[] = [];
    const aspect = ASPECTS.sample(r);
    if (aspect) flags.push(`--ar ${aspect}`);
    const version = VERSIONS.sample(r);
    if (version) flags.push(version);
    if (r.chance(0.3)) flags.push(`--s ${r.pick([50, 100, 250, 500, 750])}`);
    if (r.chance(0.1)) flags.push(`--chaos ${r.int(1, 60)}`);
    if (r.chance(0.1) && !version?.startsWith('--niji')) flags.push('--raw');
    return [parts.join(', '), ...flags].join(' ');
  }

  private parentGrid(createdAt: number): RecentGrid | null {
    // Follow-ups happen soon after their parent; anything past the 3-day window is not allowed.
    const fresh = this.recentGrids.filter((g) => createdAt - g.createdAt < 2.5 * DAY_MS);
    return fresh.length === 0
      ? null
      : fresh[fresh.length - 1 - Math.floor(this.rng.next() ** 3 * fresh.length)]!;
  }

  private settledJob(ordinal: number, createdAt: number): JobPlan {
    const r = this.rng;
    const shape = this.drawShape();
    let input: LegnextInput;
    let parent: RecentGrid | null = null;
    let parentIndex: number | null = null;
    let failed = false;
    if (shape === 'grid') {
      let task = GRID_TASKS.sample(r);
      parent = task === 'diffusion' || task === 'blend' ? null : this.parentGrid(createdAt);
      if (parent === null && task !== 'blend') task = 'diffusion';
      parentIndex = task === 'reroll' || parent === null ? null : r.int(0, 3);
      input = this.gridInput(task, parent === null ? '' : this.remoteIdOf(parent.ordinal), parentIndex);
    } else if (shape === 'single') {
      parent = this.parentGrid(createdAt);
      parentIndex = parent === null ? null : r.int(0, 3);
      input =
        parent === null
          ? { op: 'remove-background', imageUrl: `${this.cdn}/uploads/${uuid(r)}.png` }
          : {
              op: 'upscale',
              jobId: this.remoteIdOf(parent.ordinal),
              imageNo: parentIndex!,
              type: r.pick(['subtle', 'creative']),
            };
    } else if (shape === 'video') {
      parent = r.chance(0.5) ? this.parentGrid(createdAt) : null;
      parentIndex = parent === null ? null : r.int(0, 3);
      input =
        parent === null
          ? { op: 'video-diffusion', prompt: this.prompt().replace(/ --.*$/, '') }
          : {
              op: 'video-diffusion',
              jobId: this.remoteIdOf(parent.ordinal),
              imageNo: parentIndex!,
              quality: r.pick([480, 720]),
            };
    } else {
      const kind = NONE_KINDS.sample(r);
      failed = kind === 'failed';
      if (kind === 'describe') {
        parent = r.chance(0.5) ? this.parentGrid(createdAt) : null;
        parentIndex = parent === null ? null : r.int(0, 3);
        input = { op: 'describe', imageUrl: parent ? parent.imageUrl : `${this.cdn}/uploads/${uuid(r)}.png` };
      } else if (kind === 'shorten') {
        input = { op: 'shorten', prompt: `${this.prompt()} ${this.prompt().replace(/ --.*$/, '')}` };
      } else {
        input = { op: 'diffusion', prompt: this.prompt() };
      }
    }
    const plan = this.finish(ordinal, createdAt, input, parent, parentIndex, failed ? 'failed' : 'completed');
    if (plan.outputs.length !== SHAPE_OUTPUTS[shape]) {
      throw new Error(
        `A ${plan.taskType} job produced ${plan.outputs.length} outputs instead of ${SHAPE_OUTPUTS[shape]}.`,
      );
    }
    return plan;
  }

  /** `jobId` is the parent's remote id (empty for a diffusion or blend, which have none). */
  private gridInput(task: string, jobId: string, index: number | null): LegnextInput {
    const r = this.rng;
    switch (task) {
      case 'variation':
        return { op: 'variation', jobId, imageNo: index!, type: r.pick(['subtle', 'strong']) };
      case 'reroll':
        return { op: 'reroll', jobId };
      case 'remix':
        return { op: 'remix', jobId, imageNo: index!, remixPrompt: this.prompt(), mode: 'strong' };
      case 'pan':
        return {
          op: 'pan',
          jobId,
          imageNo: index!,
          direction: r.pick(['down', 'right', 'up', 'left']),
          scale: 1.5,
        };
      case 'outpaint':
        return { op: 'outpaint', jobId, imageNo: index!, scale: r.pick([1.5, 2]) };
      case 'inpaint':
        return {
          op: 'inpaint',
          jobId,
          imageNo: index!,
          remixPrompt: this.prompt().replace(/ --.*$/, ''),
          mask: { areas: [{ width: 1024, height: 1024, points: [100, 100, 600, 100, 600, 600, 100, 600] }] },
        };
      case 'blend':
        return {
          op: 'blend',
          imageUrls: [`${this.cdn}/uploads/${uuid(r)}.png`, `${this.cdn}/uploads/${uuid(r)}.png`],
          aspectRatio: r.pick(['2:3', '1:1', '3:2']),
        };
      default:
        return { op: 'diffusion', prompt: this.prompt() };
    }
  }

  /** Remote ids are derived from ordinals, so a follow-up can name its parent without a lookup. */
  private remoteIdOf(ordinal: number): string {
    return `${(0x10000000 + ordinal).toString(16)}-5eed-4000-8000-${ordinal.toString(16).padStart(12, '0')}`;
  }

  private finish(
    ordinal: number,
    createdAt: number,
    input: LegnextInput,
    parent: RecentGrid | null,
    parentIndex: number | null,
    outcome: 'completed' | 'failed',
  ): JobPlan {
    const r = this.rng;
    const parsedInput = parseLegnextInput(input) as Record<string, unknown>;
    const request = buildLegnextRequest(parsedInput as LegnextInput);
    const op = request.op;
    const taskType = op.replaceAll('-', '_');
    const parentPrompt = parent ? (this.parentPrompts.get(parent.ordinal) ?? null) : null;
    // As Vault.submit: the job's own prompt, else its parent's; params from the prompt plus the op's options.
    const ownPrompt = [parsedInput.prompt, parsedInput.remixPrompt].find(
      (p): p is string => typeof p === 'string' && p.trim() !== '',
    );
    const prompt = ownPrompt ?? parentPrompt;
    const parsed = prompt ? parsePrompt(prompt) : null;
    const options = Object.fromEntries(
      Object.entries(parsedInput).filter(
        ([k, v]) =>
          !['op', 'prompt', 'remixPrompt', 'jobId', 'imageNo', 'videoNo', 'imageUrl', 'imageUrls'].includes(
            k,
          ) && v !== undefined,
      ),
    );
    const params = { ...(parsed?.params ?? {}), ...options };
    const remoteId = this.remoteIdOf(ordinal);
    const queuedFor = r.logNormal(4000, 0.8);
    const runFor = taskType.startsWith('video') ? r.logNormal(110_000, 0.3) : r.logNormal(35_000, 0.3);
    const startedAt = createdAt + queuedFor;
    const endedAt = startedAt + (taskType === 'describe' || taskType === 'shorten' ? runFor / 8 : runFor);
    const raw = this.wireJob({
      remoteId,
      taskType,
      createdAt,
      startedAt,
      endedAt,
      outcome,
    });
    const snapshot = parseLegnextJob(raw, taskType);
    const outputs = snapshot.outputs.map((o) => this.outcome(o.kind, o.index, createdAt, endedAt, parsed));
    const relation =
      op === 'video-diffusion' ? 'animate' : op === 'extend-video' ? 'extend' : op.replaceAll('-', '_');
    const plan: JobPlan = {
      ordinal,
      taskType,
      status: outcome,
      prompt,
      params,
      modelVersion: parsed?.version ?? null,
      aspectRatio: parsed?.aspectRatio ?? null,
      request: { op: request.op, body: request.body },
      parent: parent ? { ordinal: parent.ordinal, index: parentIndex, relation } : null,
      createdAt,
      submittedAt: createdAt - r.int(80, 400),
      snapshot,
      outputs,
      favorite: outcome === 'completed' && r.chance(0.05),
      tags: r.chance(0.03) ? [...new Set([TAGS.sample(r), TAGS.sample(r)])] : [],
      nextPollAt: null,
      lastPolledAt: Math.ceil(endedAt + r.int(200, 6000)),
      pollCount: r.int(2, 6),
    };
    if (outcome === 'completed' && snapshot.outputs.some((o) => o.kind === 'grid')) {
      this.recentGrids.push({
        ordinal,
        createdAt,
        prompt: prompt ?? '',
        imageUrl: snapshot.outputs.find((o) => o.kind === 'image')!.url,
      });
      if (this.recentGrids.length > 400) this.recentGrids.shift();
    }
    this.parentPrompts.set(ordinal, prompt);
    // Only recent grids can be parents: forget older prompts to keep memory flat over 250,000 jobs.
    for (const key of this.parentPrompts.keys()) {
      if (key >= (this.recentGrids[0]?.ordinal ?? ordinal)) break;
      this.parentPrompts.delete(key);
    }
    return plan;
  }

  /** A job still in flight: a few queued or running on Legnext, one waiting for a free slot. */
  private unfinishedJob(ordinal: number, createdAt: number): JobPlan {
    const r = this.rng;
    const prompt = this.prompt();
    const parsed = parsePrompt(prompt);
    const request = buildLegnextRequest(parseLegnextInput({ op: 'diffusion', prompt }) as LegnextInput);
    const last = ordinal === this.total - 1;
    const remoteId = this.remoteIdOf(ordinal);
    const running = !last && r.chance(0.6);
    const snapshot = last
      ? null
      : parseLegnextJob(
          this.wireJob({
            remoteId,
            taskType: 'diffusion',
            createdAt,
            startedAt: running ? createdAt + 3000 : null,
            endedAt: null,
            outcome: running ? 'running' : 'queued',
          }),
          'diffusion',
        );
    return {
      ordinal,
      taskType: 'diffusion',
      status: last ? 'submitting' : running ? 'running' : 'queued',
      prompt,
      params: parsed.params,
      modelVersion: parsed.version,
      aspectRatio: parsed.aspectRatio,
      request: { op: request.op, body: request.body },
      parent: null,
      createdAt,
      submittedAt: last ? null : createdAt + 150,
      snapshot,
      outputs: [],
      favorite: false,
      tags: [],
      nextPollAt: last ? null : this.now + r.int(1000, 20_000),
      lastPolledAt: last ? null : this.now - r.int(1000, 10_000),
      pollCount: last ? 0 : r.int(1, 4),
    };
  }

  /** The job object as GET /v1/job/{id} returns it (the documented shape). */
  private wireJob(j: {
    remoteId: string;
    taskType: string;
    createdAt: number;
    startedAt: number | null;
    endedAt: number | null;
    outcome: 'completed' | 'failed' | 'running' | 'queued';
  }): Record<string, unknown> {
    const r = this.rng;
    const id = j.remoteId;
    const zero = '0001-01-01T00:00:00Z';
    const cost = j.taskType.startsWith('video') ? 480 : j.taskType === 'upscale' ? 120 : 80;
    const done = j.outcome === 'completed';
    let output: Record<string, unknown>;
    const seed = String(r.int(100_000_000, 4_294_967_295));
    if (j.taskType === 'describe' || j.taskType === 'shorten') {
      const prompts = [0, 1, 2, 3].map(() => this.prompt());
      output = done
        ? {
            promptEn: prompts[0],
            description: j.taskType === 'describe' ? `A ${this.prompt().replace(/ --.*$/, '')}.` : '',
            finalPrompt: prompts[0],
            prompts,
          }
        : { promptEn: '', description: '', finalPrompt: '', prompts: [] };
    } else if (j.taskType.startsWith('video')) {
      output = done
        ? { video_urls: [0, 1, 2, 3].map((i) => `${this.cdn}/video/${id}_${i}.mp4`), seed }
        : { video_urls: null, seed: '' };
    } else if (j.taskType === 'upscale' || j.taskType === 'remove_background') {
      output = done
        ? {
            image_url: `${this.cdn}/mj/${id}_0.png`,
            image_urls: [`${this.cdn}/mj/${id}_0.png`],
            seed,
            available_actions: {},
          }
        : { image_url: '', image_urls: null, seed: '' };
    } else {
      const all = [0, 1, 2, 3];
      output = done
        ? {
            image_url: `${this.cdn}/temp/${id}.png`,
            image_urls: all.map((i) => `${this.cdn}/mj/${id}_${i}.png`),
            seed,
            available_actions: {
              edit: all,
              inpaint: all,
              outpaint: all,
              pan: all,
              remix: all,
              reroll: true,
              upscale: all,
              variation: all,
            },
          }
        : { image_url: '', image_urls: null, seed: '' };
    }
    const finished = done || j.outcome === 'failed';
    return {
      job_id: id,
      model: 'midjourney',
      task_type: j.taskType,
      status: j.outcome === 'running' ? 'processing' : j.outcome === 'queued' ? 'pending' : j.outcome,
      config: { service_mode: 'public', webhook_config: { endpoint: '', secret: '' } },
      input: null,
      output,
      meta: {
        created_at: apiTime(j.createdAt),
        started_at: j.startedAt === null ? zero : apiTime(j.startedAt),
        ended_at: finished && j.endedAt !== null ? apiTime(j.endedAt) : zero,
        usage: { type: 'point', frozen: cost, consume: done ? cost : 0 },
      },
      detail: null,
      logs: [],
      error:
        j.outcome === 'failed'
          ? {
              code: 500,
              raw_message: 'worker error',
              message: 'The task failed while generating: please try again.',
              detail: null,
            }
          : { code: 0, raw_message: '', message: '', detail: null },
    };
  }

  /**
   * What the archiver made of one output, for someone who runs GenVault most days: archived almost
   * always; a few of the last days' outputs still waiting (the app was closed), a few of the last month's
   * retrying after a CDN error, and a few older ones never archived before their 30 days ended (expired).
   */
  private outcome(
    kind: 'grid' | 'image' | 'video',
    index: number,
    createdAt: number,
    endedAt: number,
    parsed: ReturnType<typeof parsePrompt> | null,
  ): OutputOutcome {
    const r = this.rng;
    const age = this.now - createdAt;
    const roll = r.next();
    const empty = {
      kind,
      index,
      bytes: null,
      sha256: null,
      mime: null,
      width: null,
      height: null,
      durationMs: null,
      archivedAt: null,
    };
    if (age < CDN_RETENTION_MS && roll < 0.005) {
      return {
        ...empty,
        state: 'error',
        attempts: 2,
        nextAttemptAt: this.now + r.int(5000, 120_000),
        error: CDN_FAILURE,
      };
    }
    if (age < PENDING_WINDOW_MS && roll < 0.035) {
      return { ...empty, state: 'remote', attempts: 0, nextAttemptAt: 0, error: null };
    }
    if (age >= CDN_RETENTION_MS && roll < 0.02) {
      const ended = new Date(createdAt + CDN_RETENTION_MS).toISOString();
      return {
        ...empty,
        state: 'expired',
        attempts: 1,
        nextAttemptAt: 0,
        error: `The CDN deleted this file before it was archived (its 30 days ended ${ended}).`,
      };
    }
    const video = kind === 'video';
    const [width, height] = video
      ? sizeFor(parsed?.aspectRatio ?? null, 832)
      : sizeFor(parsed?.aspectRatio ?? null, kind === 'grid' ? 2048 : 1024);
    return {
      kind,
      index,
      state: 'archived',
      bytes: video
        ? r.int(1_500_000, 6_000_000)
        : kind === 'grid'
          ? r.int(4_000_000, 8_000_000)
          : r.int(900_000, 2_600_000),
      sha256: r.hex(64),
      mime: video ? 'video/mp4' : 'image/png',
      width,
      height,
      durationMs: video ? 5042 : null,
      attempts: 0,
      nextAttemptAt: 0,
      error: null,
      archivedAt: Math.ceil(endedAt) + r.int(1500, 30_000),
    };
  }
}
