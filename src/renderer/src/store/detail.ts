/**
 * The job open in the detail view: its follow-up buttons (what each costs, and why one is disabled)
 * and its family (parent and children). Both are asked again when the job or one of its family
 * changes, so a child started from here appears as soon as it exists.
 */
import { create } from 'zustand';
import type { FollowUpStateView, LineageView } from '../../../shared/contract';
import type { JobView } from '../../../shared/domain';
import { call, failureMessage } from '../api';
import { noteJob } from './activity';
import { fetchJob, pinJobs, putJob, putJobs } from './jobs';
import { toast } from './ui';

interface DetailState {
  id: string | null;
  followUps: FollowUpStateView[] | null;
  lineage: LineageView | null;
  error: string | null;
  /** `op:index:label` of follow-ups being sent, to disable their buttons meanwhile. */
  sending: string[];
}

export const useDetail = create<DetailState>()(() => ({
  id: null,
  followUps: null,
  lineage: null,
  error: null,
  sending: [],
}));

let releasePins: () => void = () => undefined;

function pinFamily(ids: string[]): void {
  const release = pinJobs(ids);
  releasePins();
  releasePins = release;
}

export async function openDetail(id: string): Promise<void> {
  useDetail.setState({ id, followUps: null, lineage: null, error: null, sending: [] });
  pinFamily([id]);
  try {
    await fetchJob(id);
  } catch (err) {
    if (useDetail.getState().id === id) useDetail.setState({ error: failureMessage(err) });
    return;
  }
  await Promise.all([refreshFollowUps(id), refreshLineage(id)]);
}

export function closeDetail(): void {
  clearTimeout(refreshTimer);
  useDetail.setState({ id: null, followUps: null, lineage: null, error: null, sending: [] });
  pinFamily([]);
}

async function refreshFollowUps(id: string): Promise<void> {
  try {
    const followUps = await call('jobs.followUps', { id });
    if (useDetail.getState().id === id) useDetail.setState({ followUps });
  } catch (err) {
    if (useDetail.getState().id === id) useDetail.setState({ followUps: [], error: failureMessage(err) });
  }
}

async function refreshLineage(id: string): Promise<void> {
  try {
    const lineage = await call('jobs.lineage', { id });
    if (useDetail.getState().id !== id) return;
    putJobs(lineage.jobs);
    pinFamily(lineage.jobs.map((j) => j.id).concat(id));
    useDetail.setState({ lineage });
  } catch {
    // The family is an extra: the detail stays useful without it.
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Called for every `job` event: refresh when it concerns the open job or its family. */
export function noteDetailJob(job: JobView): void {
  const { id, lineage } = useDetail.getState();
  if (id === null) return;
  const related =
    job.id === id || job.parent?.id === id || (lineage?.jobs.some((j) => j.id === job.id) ?? false);
  if (!related) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (useDetail.getState().id !== id) return;
    void refreshFollowUps(id);
    void refreshLineage(id);
  }, 150);
}

export function followUpKey(f: Pick<FollowUpStateView, 'op' | 'index' | 'label'>): string {
  return `${f.op}:${f.index ?? '-'}:${f.label}`;
}

/** Asks again for the open job's family (a child was just started from one of its panels). */
export function refreshFamily(jobId: string): void {
  if (useDetail.getState().id === jobId) void refreshLineage(jobId);
}

/** Starts a one-click follow-up; the child lands in the cache, Activity and the family at once. */
export async function startFollowUp(jobId: string, f: FollowUpStateView): Promise<JobView | null> {
  const key = followUpKey(f);
  useDetail.setState((s) => ({ sending: [...s.sending, key] }));
  try {
    const child = await call('jobs.followUp', { op: f.op, id: jobId, index: f.index, options: f.options });
    putJob(child);
    noteJob(child);
    toast(`${f.label} started.`, 'success', { label: 'Open', route: { view: 'job', id: child.id } });
    refreshFamily(jobId);
    return child;
  } catch (err) {
    toast(failureMessage(err), 'danger');
    return null;
  } finally {
    useDetail.setState((s) => ({ sending: s.sending.filter((k) => k !== key) }));
  }
}
