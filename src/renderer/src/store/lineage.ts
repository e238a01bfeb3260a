/**
 * Families for the lineage graph, by the job asked about: fetched with `jobs.lineage`, kept in the jobs
 * cache (pinned while a graph shows them) and asked again when a job of the family changes or a new
 * child appears. Self-contained: a graph mounted anywhere (the lineage view, a job's detail) follows
 * job events through its own subscription.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { LineageView } from '../../../shared/contract';
import type { JobView } from '../../../shared/domain';
import { call, failureMessage, on } from '../api';
import { fetchJob, getJob, pinJobs, putJobs } from './jobs';

interface FamilyEntry {
  lineage: LineageView | null;
  error: string | null;
}

interface LineageState {
  byJob: Record<string, FamilyEntry>;
}

export const useLineageStore = create<LineageState>()(() => ({ byJob: {} }));

const watchers = new Map<string, number>();
const pinReleases = new Map<string, () => void>();
const refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();

async function refresh(jobId: string): Promise<void> {
  try {
    const lineage = await call('jobs.lineage', { id: jobId });
    if (!watchers.has(jobId)) return;
    putJobs(lineage.jobs);
    const release = pinJobs(lineage.jobs.map((j) => j.id));
    pinReleases.get(jobId)?.();
    pinReleases.set(jobId, release);
    useLineageStore.setState((s) => ({ byJob: { ...s.byJob, [jobId]: { lineage, error: null } } }));
  } catch (err) {
    if (!watchers.has(jobId)) return;
    useLineageStore.setState((s) => ({
      byJob: {
        ...s.byJob,
        [jobId]: { lineage: s.byJob[jobId]?.lineage ?? null, error: failureMessage(err) },
      },
    }));
  }
}

function scheduleRefresh(jobId: string): void {
  clearTimeout(refreshTimers.get(jobId));
  refreshTimers.set(
    jobId,
    setTimeout(() => {
      refreshTimers.delete(jobId);
      if (watchers.has(jobId)) void refresh(jobId);
    }, 150),
  );
}

let unsubscribe: (() => void) | null = null;

/** A job changed: refresh each watched family it belongs to or now joins (a new child of a member). */
function onJob(job: JobView): void {
  for (const jobId of watchers.keys()) {
    const family = useLineageStore.getState().byJob[jobId]?.lineage;
    const members = new Set(family?.jobs.map((j) => j.id) ?? [jobId]);
    if (members.has(job.id) || (job.parent && members.has(job.parent.id))) scheduleRefresh(jobId);
  }
}

function watch(jobId: string): () => void {
  watchers.set(jobId, (watchers.get(jobId) ?? 0) + 1);
  unsubscribe ??= on('job', onJob);
  void refresh(jobId);
  return () => {
    const n = (watchers.get(jobId) ?? 1) - 1;
    if (n > 0) {
      watchers.set(jobId, n);
      return;
    }
    watchers.delete(jobId);
    clearTimeout(refreshTimers.get(jobId));
    refreshTimers.delete(jobId);
    pinReleases.get(jobId)?.();
    pinReleases.delete(jobId);
    useLineageStore.setState((s) => {
      const byJob = { ...s.byJob };
      delete byJob[jobId];
      return { byJob };
    });
    if (watchers.size === 0) {
      unsubscribe?.();
      unsubscribe = null;
    }
  };
}

/** The family of `jobId`, kept current while the calling component is mounted. */
export function useLineage(jobId: string): FamilyEntry {
  useEffect(() => watch(jobId), [jobId]);
  return useLineageStore((s) => s.byJob[jobId]) ?? { lineage: null, error: null };
}

/**
 * The family `jobId` belongs to, as the library's `rootId` filter names it: its first job's id, which
 * is still the family's name after that job has been removed.
 */
export async function familyRoot(jobId: string): Promise<string> {
  return (getJob(jobId) ?? (await fetchJob(jobId))).rootId;
}
