/**
 * The simulator's tasks and balance. A task's status is a pure function of the sim clock and the
 * timeline fixed at submit, so reading a task is all it takes to move it along; the price is taken
 * at submit (as gateways pre-charge) and refunded lazily when the task ends failed.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../legnext/clock';
import { FAIL_MARKER, FORBIDDEN_MARKER } from '../legnext/store';
import { QUOTA_MESSAGE, ViduSimError } from './errors';
import type { CreateSpec } from './validation';

export { FAIL_MARKER, FORBIDDEN_MARKER };

export type Phase = 'pending' | 'processing';
export type Durations = Record<Phase, number>;
export type TaskStatus = Phase | 'completed' | 'failed';
export type PollShape = 'data' | 'flat';

/** Signed result URLs of video gateways live about a day; the CDN forgets a file after this. */
export const CDN_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Credits per second of video, by tier and resolution; off-peak costs half (rounded up). */
const RATE: Record<CreateSpec['tier'], Record<CreateSpec['resolution'], number>> = {
  pro: { '540p': 10, '720p': 15, '1080p': 25 },
  turbo: { '540p': 5, '720p': 8, '1080p': 12 },
};

export function priceOf(spec: Pick<CreateSpec, 'tier' | 'resolution' | 'offpeak' | 'duration'>): number {
  const full = RATE[spec.tier][spec.resolution] * spec.duration;
  return spec.offpeak ? Math.ceil(full / 2) : full;
}

export interface SimTask {
  id: string;
  apiKey: string;
  spec: CreateSpec;
  createdAt: number;
  processingAt: number;
  endAt: number;
  outcome: 'completed' | 'failed';
  failReason: string;
  cost: number;
  /** Overrides the simulator's poll shape for this task. */
  pollShape: PollShape | undefined;
}

export interface StoreOptions {
  clock: SimClock;
  credits: number;
  durations: Durations;
  /** HTTP status of an empty balance: 403 with `insufficient_user_quota` (the default) or 402. */
  quotaStatus: 402 | 403;
}

export class TaskStore {
  /** Set once the server listens: result URLs point at the simulator's own CDN. */
  origin = '';
  private readonly tasks = new Map<string, SimTask>();
  private readonly unsettled = new Set<SimTask>();
  private balance: number;

  constructor(private readonly opts: StoreOptions) {
    this.balance = opts.credits;
  }

  now(): number {
    return this.opts.clock.now();
  }

  credits(): number {
    this.settle();
    return this.balance;
  }

  setCredits(credits: number): void {
    this.settle();
    this.balance = credits;
  }

  get(id: string): SimTask | undefined {
    return this.tasks.get(id);
  }

  statusAt(task: SimTask, now = this.now()): TaskStatus {
    if (now >= task.endAt) return task.outcome;
    if (now >= task.processingAt) return 'processing';
    return 'pending';
  }

  /** 0–99 while processing, 100 once ended, 0 before. */
  progressAt(task: SimTask, now = this.now()): number {
    const status = this.statusAt(task, now);
    if (status === 'completed' || status === 'failed') return 100;
    if (status === 'pending') return 0;
    const span = Math.max(1, task.endAt - task.processingAt);
    return Math.min(99, Math.floor(((now - task.processingAt) / span) * 100));
  }

  videoUrl(task: SimTask): string {
    return `${this.origin}/cdn/vidu/${task.id}.mp4`;
  }

  private settle(): void {
    const now = this.now();
    for (const task of this.unsettled) {
      if (now < task.endAt) continue;
      this.unsettled.delete(task);
      if (task.outcome === 'failed') this.balance += task.cost;
    }
  }

  /** Accepts a validated request or throws the gateway's error for it. */
  submit(spec: CreateSpec, apiKey: string): SimTask {
    this.settle();
    const markers = [spec.prompt, ...spec.images].join(' ');
    if (markers.includes(FORBIDDEN_MARKER)) {
      throw new ViduSimError(403, 'The prompt or an image was rejected by the content policy.', {
        code: 'content_policy_violation',
      });
    }
    const cost = priceOf(spec);
    if (cost > this.balance) {
      throw new ViduSimError(this.opts.quotaStatus, QUOTA_MESSAGE, {
        code: 'insufficient_user_quota',
        type: 'new_api_error',
      });
    }
    this.balance -= cost;
    const now = this.now();
    const { pending, processing } = this.opts.durations;
    const fails = markers.includes(FAIL_MARKER);
    const task: SimTask = {
      id: `task_${randomBytes(12).toString('hex')}`,
      apiKey,
      spec,
      createdAt: now,
      processingAt: now + pending,
      endAt: now + pending + processing,
      outcome: fails ? 'failed' : 'completed',
      failReason: fails ? 'Video generation failed: the output did not pass moderation.' : '',
      cost,
      pollShape: undefined,
    };
    this.tasks.set(task.id, task);
    this.unsettled.add(task);
    return task;
  }
}
