import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_POLICY,
  RETRY_BACKOFF,
  backoffDelay,
  expectedDuration,
  nextPollDelay,
  retryDelay,
  speedFactorFor,
} from '../../src/main/core/queue/backoff';
import { DurationModel } from '../../src/main/core/queue/durations';

const policy = { baseMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.5 };

describe('backoffDelay', () => {
  it('doubles per attempt, half fixed and half jittered', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(1000);
    expect(backoffDelay(2, policy, () => 0)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(3000);
  });

  it('never exceeds the cap, however many attempts', () => {
    for (const attempt of [7, 10, 50, 1000]) {
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBeLessThanOrEqual(60_000);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(30_000);
    }
  });

  it('spreads clients apart: different random draws give different delays', () => {
    const delays = new Set([0.1, 0.4, 0.7, 0.9].map((r) => backoffDelay(4, policy, () => r)));
    expect(delays.size).toBe(4);
  });
});

describe('retryDelay', () => {
  it('uses the server Retry-After when given, bounded to ten caps', () => {
    expect(retryDelay(1, 7000, RETRY_BACKOFF, () => 0)).toBe(7000);
    expect(retryDelay(1, 0, RETRY_BACKOFF, () => 0)).toBe(0);
    expect(retryDelay(1, 24 * 3600_000, RETRY_BACKOFF, () => 0)).toBe(600_000);
  });

  it('falls back to exponential backoff without one', () => {
    expect(retryDelay(3, undefined, RETRY_BACKOFF, () => 0)).toBe(backoffDelay(3, RETRY_BACKOFF, () => 0));
  });
});

describe('nextPollDelay', () => {
  it('waits for most of the expected duration before the first poll, within its own cap', () => {
    const first = nextPollDelay({ taskType: 'diffusion', pollCount: 0, sinceSubmitMs: 0 });
    expect(first).toBe(Math.round(45_000 * DEFAULT_POLL_POLICY.firstPollShare));
    const slow = nextPollDelay({ taskType: 'diffusion', pollCount: 0, sinceSubmitMs: 0, learnedMs: 600_000 });
    expect(slow).toBe(DEFAULT_POLL_POLICY.firstPollMaxMs);
  });

  it('counts the time already spent since the submit (a resumed job is polled sooner)', () => {
    const resumed = nextPollDelay({ taskType: 'diffusion', pollCount: 0, sinceSubmitMs: 30_000 });
    expect(resumed).toBe(Math.round(45_000 * 0.8 - 30_000));
    expect(nextPollDelay({ taskType: 'diffusion', pollCount: 0, sinceSubmitMs: 600_000 })).toBe(
      DEFAULT_POLL_POLICY.minMs,
    );
  });

  it('then polls at short, growing intervals, capped at the maximum', () => {
    const intervals = [1, 2, 3, 4, 5, 6, 12, 40].map((pollCount) =>
      nextPollDelay({ taskType: 'diffusion', pollCount, sinceSubmitMs: 40_000 }),
    );
    for (let i = 1; i < intervals.length; i++)
      expect(intervals[i]!).toBeGreaterThanOrEqual(intervals[i - 1]!);
    expect(intervals[0]).toBe(Math.round(45_000 * 0.1));
    expect(intervals.at(-1)).toBe(DEFAULT_POLL_POLICY.maxMs);
  });

  it('knows that describe is quick and video slow, and draft/turbo faster', () => {
    const describe = nextPollDelay({ taskType: 'describe', pollCount: 0, sinceSubmitMs: 0 });
    const video = nextPollDelay({ taskType: 'video_diffusion', pollCount: 0, sinceSubmitMs: 0 });
    expect(describe).toBeLessThan(video);
    expect(describe).toBe(Math.round(8000 * 0.8));
    expect(video).toBe(DEFAULT_POLL_POLICY.firstPollMaxMs);
    const draft = nextPollDelay({
      taskType: 'diffusion',
      pollCount: 0,
      sinceSubmitMs: 0,
      speedFactor: speedFactorFor({ draft: true }),
    });
    expect(draft).toBe(Math.round(45_000 * 0.25 * 0.8));
  });

  it('prefers a learned duration over the documented one', () => {
    expect(expectedDuration('diffusion', DEFAULT_POLL_POLICY, 12_000)).toBe(12_000);
    expect(expectedDuration('diffusion', DEFAULT_POLL_POLICY, null)).toBe(45_000);
    expect(expectedDuration('unknown_type', DEFAULT_POLL_POLICY)).toBe(45_000);
    expect(nextPollDelay({ taskType: 'diffusion', pollCount: 0, sinceSubmitMs: 0, learnedMs: 10_000 })).toBe(
      8000,
    );
  });
});

describe('DurationModel', () => {
  it('keeps the documented figure until it has three samples, then uses the 75th percentile', () => {
    const model = new DurationModel(() => []);
    expect(model.expected('diffusion')).toBeNull();
    model.record('diffusion', 20_000);
    model.record('diffusion', 80_000);
    expect(model.expected('diffusion')).toBeNull();
    model.record('diffusion', 30_000);
    // Sorted 20, 30, 80 s: three quarters of the way is halfway between 30 and 80.
    expect(model.expected('diffusion')).toBe(55_000);
    model.record('diffusion', 40_000);
    // 20, 30, 40, 80 s: a quarter of the way from 40 to 80.
    expect(model.expected('diffusion')).toBe(50_000);
    expect(model.expected('upscale')).toBeNull();
  });

  it('expects most past jobs to be done, so the first poll lands near the typical finish', () => {
    const durations = [31, 33, 34, 35, 36, 36, 37, 38, 39, 40, 41, 43, 45, 48, 52].map((s) => s * 1000);
    const model = new DurationModel(() => durations);
    const expected = model.expected('diffusion')!;
    const median = 38_000;
    expect(expected).toBe(42_000);
    const done = durations.filter((d) => d <= expected).length;
    expect(done / durations.length).toBeGreaterThanOrEqual(0.7);
    // The first poll (0.8 of the expectation) lands near the median job, not well before it.
    const first = nextPollDelay({
      taskType: 'diffusion',
      pollCount: 0,
      sinceSubmitMs: 0,
      learnedMs: expected,
    });
    expect(first).toBe(Math.round(42_000 * DEFAULT_POLL_POLICY.firstPollShare));
    expect(first).toBeGreaterThan(0.85 * median);
    // One very slow job does not drag the expectation along.
    model.record('diffusion', 600_000);
    expect(model.expected('diffusion')).toBeLessThan(46_000);
  });

  it('starts from the library history, newest first, and forgets the oldest beyond its window', () => {
    const asked: string[] = [];
    const model = new DurationModel((taskType) => {
      asked.push(taskType);
      return [10_000, 11_000, 12_000, -5, Number.NaN];
    });
    expect(model.expected('variation')).toBe(11_500);
    for (let i = 0; i < 15; i++) model.record('variation', 50_000);
    expect(model.expected('variation')).toBe(50_000);
    expect(asked).toEqual(['variation']);
  });
});
