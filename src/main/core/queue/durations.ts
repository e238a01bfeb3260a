/**
 * What GenVault has learned about how long each task type takes for this user: the 75th percentile of
 * the most recent completed jobs. Real durations depend on the account's plan, the hour and the prompt's
 * flags, so the documented typical figures are only the starting point; after a few jobs the first poll
 * goes out close to when this user's jobs really finish.
 *
 * Why the 75th percentile and not the median: the first poll goes out at `firstPollShare` (0.8) of the
 * expected duration, so with the median it lands before most jobs are done and the job is polled again
 * shortly after. The benchmark (BENCHMARKS.md, queue) measured that: with the median the warm queue
 * needed more requests per job than the cold one using the documented figures. At the 75th percentile
 * the first poll lands near the typical finish, and a job that runs long is still caught by the short
 * polls that follow.
 */
const WINDOW = 15;
/** Fewer samples than this and the documented figure is kept. */
const MIN_SAMPLES = 3;
/** Which share of recent jobs should be done by the expected duration. */
const EXPECTED_QUANTILE = 0.75;

/** The q-quantile (0–1) of a non-empty sorted list, interpolating between neighbouring samples. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const low = sorted[below]!;
  const high = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return low + (high - low) * (at - below);
}

export class DurationModel {
  private readonly samples = new Map<string, number[]>();

  /** `history(taskType)` gives durations (ms) of past completed jobs, newest first, read once per type. */
  constructor(private readonly history: (taskType: string) => number[]) {}

  private window(taskType: string): number[] {
    let list = this.samples.get(taskType);
    if (!list) {
      list = this.history(taskType)
        .filter((ms) => Number.isFinite(ms) && ms > 0)
        .slice(0, WINDOW)
        .reverse();
      this.samples.set(taskType, list);
    }
    return list;
  }

  record(taskType: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0) return;
    const list = this.window(taskType);
    list.push(durationMs);
    if (list.length > WINDOW) list.shift();
  }

  /** The 75th percentile of recent durations, or null while there are too few to trust. */
  expected(taskType: string): number | null {
    const list = this.window(taskType);
    if (list.length < MIN_SAMPLES) return null;
    return Math.round(
      quantile(
        [...list].sort((a, b) => a - b),
        EXPECTED_QUANTILE,
      ),
    );
  }
}
