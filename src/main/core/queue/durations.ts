/**
 * What GenVault has learned about how long each task type takes for this user: the median of the most
 * recent completed jobs. Real durations depend on the account's plan, the hour and the prompt's flags,
 * so the documented typical figures are only the starting point; after a few jobs the first poll goes
 * out close to when this user's jobs really finish.
 */
const WINDOW = 15;
/** Fewer samples than this and the documented figure is kept. */
const MIN_SAMPLES = 3;

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

  /** The median of recent durations, or null while there are too few to trust. */
  expected(taskType: string): number | null {
    const list = this.window(taskType);
    if (list.length < MIN_SAMPLES) return null;
    const sorted = [...list].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
}
