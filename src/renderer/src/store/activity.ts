/**
 * Activity: the queue's state (paused, offline, counts), jobs in flight, failures, downloads still
 * to finish and their byte progress. Filled once from the library and kept current by events.
 */
import { create } from 'zustand';
import type { EventMap, QueueStateView } from '../../../shared/contract';
import type { JobView } from '../../../shared/domain';
import { call, failureMessage } from '../api';
import { archiveStateOf, isInFlight } from '../lib/jobs';
import { pinJobs, putJob, putJobs } from './jobs';
import { toast } from './ui';

export type DownloadProgress = EventMap['download'];

interface ActivityState {
  queue: QueueStateView | null;
  /** Jobs being sent, queued or running, newest first. */
  active: string[];
  /** Failed jobs, newest first. */
  failed: string[];
  /** Finished jobs with files still downloading or failing to download, newest first. */
  downloading: string[];
  /** Jobs whose files all reached the library this session, newest first. */
  saved: string[];
  /** Byte progress per output, `jobId:kind:index`. */
  downloads: Record<string, DownloadProgress>;
  loaded: boolean;
  /** False while the link to the core is lost (the web bridge's socket is reconnecting). */
  connected: boolean;
}

export const useActivity = create<ActivityState>()(() => ({
  queue: null,
  active: [],
  failed: [],
  downloading: [],
  saved: [],
  downloads: {},
  loaded: false,
  connected: true,
}));

const MAX_FAILED_SHOWN = 50;
const MAX_SAVED_SHOWN = 8;

export function downloadKey(jobId: string, kind: string, index: number): string {
  return `${jobId}:${kind}:${index}`;
}

let releasePins: () => void = () => undefined;

function repin(): void {
  const { active, failed, downloading, saved } = useActivity.getState();
  const release = pinJobs([...active, ...failed, ...downloading, ...saved]);
  releasePins();
  releasePins = release;
}

export async function loadActivity(): Promise<void> {
  try {
    const [queue, active, failed, downloading] = await Promise.all([
      call('queue.state', {}),
      call('jobs.list', { status: ['submitting', 'queued', 'running'], limit: 200 }),
      call('jobs.list', { status: 'failed', limit: MAX_FAILED_SHOWN }),
      call('jobs.list', { archiveState: ['pending', 'error'], limit: 200 }),
    ]);
    putJobs([...active.items, ...failed.items, ...downloading.items]);
    useActivity.setState({
      queue,
      active: active.items.map((j) => j.id),
      failed: failed.items.map((j) => j.id),
      downloading: downloading.items.filter((j) => !isInFlight(j)).map((j) => j.id),
      loaded: true,
    });
    repin();
  } catch (err) {
    toast(`Activity could not be loaded: ${failureMessage(err)}`, 'danger');
  }
}

function without(list: string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : list;
}

function withFirst(list: string[], id: string, max = Infinity): string[] {
  return list.includes(id) ? list : [id, ...list].slice(0, max);
}

/** Moves a job between the lists as its status and downloads change. */
export function noteJob(job: JobView): void {
  useActivity.setState((s) => {
    const wasTracked = s.active.includes(job.id) || s.downloading.includes(job.id);
    const archive = archiveStateOf(job);
    const inFlight = isInFlight(job);
    const downloadingNow = !inFlight && (archive === 'pending' || archive === 'error');
    const downloads = { ...s.downloads };
    for (const o of job.outputs) {
      if (o.state !== 'downloading') delete downloads[downloadKey(job.id, o.kind, o.index)];
    }
    return {
      active: inFlight ? withFirst(s.active, job.id) : without(s.active, job.id),
      failed:
        job.status === 'failed' ? withFirst(s.failed, job.id, MAX_FAILED_SHOWN) : without(s.failed, job.id),
      downloading: downloadingNow ? withFirst(s.downloading, job.id) : without(s.downloading, job.id),
      saved: wasTracked && archive === 'archived' ? withFirst(s.saved, job.id, MAX_SAVED_SHOWN) : s.saved,
      downloads,
    };
  });
  repin();
}

export function noteDownload(progress: DownloadProgress): void {
  useActivity.setState((s) => ({
    downloads: { ...s.downloads, [downloadKey(progress.jobId, progress.kind, progress.index)]: progress },
  }));
}

export function noteQueue(queue: QueueStateView): void {
  useActivity.setState({ queue });
}

/** Events sent while the link was down are lost: reload what Activity shows when it comes back. */
export function noteConnection(connected: boolean): void {
  const wasConnected = useActivity.getState().connected;
  useActivity.setState({ connected });
  if (connected && !wasConnected) void loadActivity();
}

export async function pauseQueue(): Promise<void> {
  try {
    noteQueue(await call('queue.pause', {}));
  } catch (err) {
    toast(failureMessage(err), 'danger');
  }
}

export async function resumeQueue(): Promise<void> {
  try {
    noteQueue(await call('queue.resume', {}));
  } catch (err) {
    toast(failureMessage(err), 'danger');
  }
}

export async function retryJob(id: string): Promise<JobView | null> {
  try {
    const job = await call('jobs.retry', { id });
    putJob(job);
    noteJob(job);
    toast('Sent again.', 'success', { label: 'Open', route: { view: 'job', id: job.id } });
    return job;
  } catch (err) {
    toast(failureMessage(err), 'danger');
    return null;
  }
}

export async function retryOutput(
  id: string,
  kind: 'image' | 'video' | 'grid',
  index: number,
): Promise<void> {
  try {
    const job = await call('outputs.retry', { id, kind, index });
    putJob(job);
    noteJob(job);
  } catch (err) {
    toast(failureMessage(err), 'danger');
  }
}

/** Whether new work can be sent now, and if not, why (in words for a disabled button). */
export function submitBlocker(queue: QueueStateView | null, keySet: boolean): string | null {
  if (!keySet) return 'Add your Legnext API key in Settings first.';
  if (queue?.offline) return 'GenVault is offline; it will send again when Legnext can be reached.';
  const paused = queue?.paused.find((p) => p.provider === 'legnext');
  if (paused) return paused.reason;
  return null;
}
