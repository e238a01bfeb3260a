/**
 * Pure timing functions of the queue: how long to wait before retrying a failed call, and when to poll
 * a job next. Kept free of clocks and randomness (both are passed in) so they are tested exactly.
 */

export interface BackoffPolicy {
  /** Delay of the first retry. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  factor: number;
  /** 0–1: the share of each delay that is randomised ("equal jitter"), so clients do not retry in step. */
  jitter: number;
}

export const RETRY_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.5 };

/** Downloads back off harder: a CDN that failed once rarely recovers within seconds. */
export const DOWNLOAD_RETRY_BACKOFF: BackoffPolicy = {
  baseMs: 2000,
  maxMs: 5 * 60_000,
  factor: 3,
  jitter: 0.5,
};

/** Delay before retry number `attempt` (1 = first retry). `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exp = policy.baseMs * policy.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxMs, exp);
  const fixed = capped * (1 - policy.jitter);
  return Math.round(fixed + capped * policy.jitter * random());
}

/**
 * The wait a server asked for wins over our own backoff, but is bounded so a bogus header cannot
 * park a job for hours.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: BackoffPolicy = RETRY_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, 10 * policy.maxMs);
  return backoffDelay(attempt, policy, random);
}

export interface PollPolicy {
  /** Never poll more often than this. */
  minMs: number;
  /** Never wait longer than this between polls of a running job. */
  maxMs: number;
  /** Share of the expected duration at which the first poll goes out. */
  firstPollShare: number;
  /** The first poll waits at most this long, however slow the task type is expected to be. */
  firstPollMaxMs: number;
  /** Share of the expected duration between the first and second poll. */
  stepShare: number;
  /** Growth of the interval after each poll that found the job unfinished. */
  growth: number;
  /** Expected durations per task type, ms; `default` for the rest. */
  expectedMs: Record<string, number>;
}

/**
 * Typical durations of Legnext tasks in fast mode (the docs: "usually completes image generation
 * within 1 minute"; video several minutes; describe/shorten a few seconds).
 */
export const LEGNEXT_EXPECTED_MS: Record<string, number> = {
  default: 45_000,
  diffusion: 45_000,
  variation: 40_000,
  reroll: 45_000,
  remix: 40_000,
  blend: 40_000,
  pan: 40_000,
  outpaint: 40_000,
  inpaint: 40_000,
  edit: 45_000,
  upload_paint: 45_000,
  retexture: 40_000,
  upscale: 25_000,
  enhance: 30_000,
  enhance_upscale: 40_000,
  remove_background: 15_000,
  describe: 8_000,
  shorten: 6_000,
  video_diffusion: 150_000,
  extend_video: 150_000,
  video_upscale: 90_000,
};

export const DEFAULT_POLL_POLICY: PollPolicy = {
  minMs: 2000,
  maxMs: 30_000,
  firstPollShare: 0.8,
  firstPollMaxMs: 90_000,
  stepShare: 0.1,
  growth: 1.4,
  expectedMs: LEGNEXT_EXPECTED_MS,
};

export function expectedDuration(taskType: string, policy: PollPolicy, learnedMs?: number | null): number {
  if (learnedMs && learnedMs > 0) return learnedMs;
  return policy.expectedMs[taskType] ?? policy.expectedMs.default ?? 45_000;
}

/**
 * When to poll next, measured from now.
 *
 * Polling every few seconds from the start (the SDK's loop) spends most requests while the job cannot
 * possibly be done. Instead: the first poll goes out at a share of the expected duration, then the
 * interval starts small (jobs tend to finish near the expected time) and grows geometrically, so a
 * job that runs long costs few requests and one that finishes on time is seen within a few seconds.
 *
 * `pollCount` is how many polls have already been made since the submit; `sinceSubmitMs` the
 * elapsed time; `draft`/`turbo` shorten expectations as the docs describe.
 */
export function nextPollDelay(input: {
  taskType: string;
  pollCount: number;
  sinceSubmitMs: number;
  policy?: PollPolicy;
  learnedMs?: number | null;
  speedFactor?: number;
}): number {
  const policy = input.policy ?? DEFAULT_POLL_POLICY;
  const expected = expectedDuration(input.taskType, policy, input.learnedMs) * (input.speedFactor ?? 1);
  const clamp = (ms: number, max: number) => Math.round(Math.min(max, Math.max(policy.minMs, ms)));
  if (input.pollCount === 0) {
    return clamp(expected * policy.firstPollShare - input.sinceSubmitMs, policy.firstPollMaxMs);
  }
  const step = expected * policy.stepShare * policy.growth ** (input.pollCount - 1);
  return clamp(step, policy.maxMs);
}

/** Speed modes change the expected duration: draft ~10x faster, turbo up to 4x (the docs' figures). */
export function speedFactorFor(params: Record<string, unknown>): number {
  if (params.draft === true) return 0.25;
  if (params.turbo === true) return 0.4;
  return 1;
}
