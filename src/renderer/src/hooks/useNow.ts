/**
 * Shared clocks for relative labels ("expires in 3 days", "running for 12 s"): every component reads
 * the same tick instead of running its own timer, and a clock only runs while someone reads it.
 * Library cards use the minute clock so scrolling a large grid is never disturbed by re-renders.
 */
import { useEffect } from 'react';
import { create } from 'zustand';

function ticker(intervalMs: number) {
  const useClock = create<{ now: number }>()(() => ({ now: Date.now() }));
  let timer: ReturnType<typeof setInterval> | undefined;
  let users = 0;
  const acquire = () => {
    users++;
    if (timer === undefined) {
      useClock.setState({ now: Date.now() });
      timer = setInterval(() => useClock.setState({ now: Date.now() }), intervalMs);
    }
    return () => {
      users--;
      if (users === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  };
  return function useTick(): number {
    useEffect(acquire, []);
    return useClock((s) => s.now);
  };
}

/** The current time, refreshed every second. */
export const useNowSeconds = ticker(1000);
/** The current time, refreshed every minute. */
export const useNowMinutes = ticker(60_000);
