/**
 * The jobs cache: every JobView the renderer knows, by id, updated by call results and `job` events.
 * Lists (library, activity) hold ids only and read the cache through `useJob`. The library can hold
 * hundreds of thousands of ids, so views the grid has scrolled far away from are evicted; jobs that a
 * view is showing are pinned and never evicted.
 */
import { create } from 'zustand';
import type { JobView } from '../../../shared/domain';
import { call } from '../api';

interface JobsState {
  byId: Record<string, JobView>;
}

export const useJobs = create<JobsState>()(() => ({ byId: {} }));

export function useJob(id: string | null | undefined): JobView | undefined {
  return useJobs((s) => (id ? s.byId[id] : undefined));
}

export function getJob(id: string): JobView | undefined {
  return useJobs.getState().byId[id];
}

/** How many views `byId` holds, kept as it changes: counting the keys on every scrolled frame adds up. */
let cachedCount = 0;

export function putJobs(jobs: readonly JobView[]): void {
  if (jobs.length === 0) return;
  useJobs.setState((s) => {
    const byId = { ...s.byId };
    for (const job of jobs) {
      if (byId[job.id] === undefined) cachedCount++;
      byId[job.id] = job;
    }
    return { byId };
  });
}

export function putJob(job: JobView): void {
  putJobs([job]);
}

const pins = new Map<string, number>();

/** Keeps jobs in the cache while a view shows them; returns the release. */
export function pinJobs(ids: readonly string[]): () => void {
  for (const id of ids) pins.set(id, (pins.get(id) ?? 0) + 1);
  return () => {
    for (const id of ids) {
      const n = (pins.get(id) ?? 1) - 1;
      if (n <= 0) pins.delete(id);
      else pins.set(id, n);
    }
  };
}

/** Drops cached views for which `keep` is false, unless pinned. */
export function evictJobs(keep: (id: string) => boolean): void {
  useJobs.setState((s) => {
    const byId: Record<string, JobView> = {};
    let kept = 0;
    let dropped = 0;
    for (const [id, job] of Object.entries(s.byId)) {
      if (keep(id) || pins.has(id)) {
        byId[id] = job;
        kept++;
      } else dropped++;
    }
    if (dropped === 0) return s;
    cachedCount = kept;
    return { byId };
  });
}

export function cachedJobCount(): number {
  return cachedCount;
}

const inFlightGets = new Map<string, Promise<JobView>>();

/** Fetches one job into the cache; concurrent requests for the same id share one call. */
export function fetchJob(id: string): Promise<JobView> {
  let pending = inFlightGets.get(id);
  if (!pending) {
    pending = call('jobs.get', { id })
      .then((job) => {
        putJob(job);
        return job;
      })
      .finally(() => inFlightGets.delete(id));
    inFlightGets.set(id, pending);
  }
  return pending;
}

/** Optimistic: the star flips at once and flips back if the library refuses. */
export async function setFavorite(id: string, favorite: boolean): Promise<void> {
  const before = getJob(id);
  if (before) putJob({ ...before, favorite });
  try {
    putJob(await call('jobs.setFavorite', { id, favorite }));
  } catch (err) {
    if (before) putJob(before);
    throw err;
  }
}

/** The latest tag change asked for, per job: only its answer may replace what the chips show. */
const tagWrites = new Map<string, number>();

/**
 * Optimistic like the star: the chips change at once. Changes made in quick succession are sent in
 * order, and an earlier one's answer is not applied over a later change still on its way (its own
 * answer brings the final tags). If the latest change fails, the job is read again from the library.
 */
export async function setTags(id: string, tags: readonly string[]): Promise<void> {
  const before = getJob(id);
  const write = (tagWrites.get(id) ?? 0) + 1;
  tagWrites.set(id, write);
  if (before) putJob({ ...before, tags: [...tags] });
  try {
    const saved = await call('jobs.setTags', { id, tags: [...tags] });
    if (tagWrites.get(id) === write) putJob(saved);
  } catch (err) {
    if (tagWrites.get(id) === write) {
      await fetchJob(id).catch(() => {
        if (before) putJob(before);
      });
    }
    throw err;
  }
}
