/**
 * The simulator's notion of "now": wall time plus an offset tests can push forward. Every job phase,
 * timestamp, follow-up window and CDN expiry is read from this clock, so `advance()` alone moves
 * jobs along; nothing in the simulator runs on timers.
 */
export interface SimClock {
  /** Milliseconds since the epoch on the simulator's clock. */
  now(): number;
  /** Move the clock forward by `ms` (never backwards: settled credits cannot be unsettled). */
  advance(ms: number): void;
}

export function createClock(): SimClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The simulator clock only moves forward.');
      offset += ms;
    },
  };
}

/** Legnext's placeholder for a timestamp that has not happened yet (Go's zero time). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Second precision, `Z` suffix: the form the API's examples use (`2025-10-14T02:22:04Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
