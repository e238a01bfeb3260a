/**
 * Seeded randomness for the benchmarks: every run of a benchmark builds the same data and draws the
 * same job durations, so two runs differ only by what they measure.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Log-normal around `median` with shape `sigma` (the spread of real task durations). */
  logNormal(median: number, sigma: number): number;
  hex(chars: number): string;
}

/** mulberry32: small, fast and good enough to shape test data (not for anything secret). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('Cannot pick from an empty list.');
      return item;
    },
    logNormal(median, sigma) {
      // Box–Muller; 1 - next() keeps the logarithm's argument above 0.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * normal);
    },
    hex(chars) {
      let out = '';
      while (out.length < chars)
        out += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return out.slice(0, chars);
    },
  };
  return rng;
}

/** A fixed discrete distribution, sampled in O(log n). */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: number[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map(([item]) => item);
    let total = 0;
    this.cumulative = entries.map(([, weight]) => (total += weight));
    if (!(total > 0)) throw new RangeError('A weighted choice needs a positive total weight.');
  }

  sample(rng: Rng): T {
    const target = rng.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

/** Items ranked by popularity: the k-th is chosen with weight 1 / k^exponent (Zipf), as words are. */
export function zipf<T>(items: readonly T[], exponent = 1): Weighted<T> {
  return new Weighted(items.map((item, k) => [item, 1 / (k + 1) ** exponent] as const));
}

/** A random UUID (version 4 layout) from the seeded generator. */
export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
