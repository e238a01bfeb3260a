/**
 * What the app tells the person outside its window: an OS notification when a job of theirs finishes
 * or fails, and the dock/taskbar badge with the number of jobs in flight.
 */
import type { EventMap, EventName } from '../../shared/contract';
import { FINISHED_STATUSES, type JobStatus } from '../../shared/domain';

export interface ActivityOptions {
  notify: (title: string, body: string) => void;
  setBadge: (count: number) => void;
  /** Read at each event, so turning notifications off in Settings applies at once. */
  notificationsEnabled: () => boolean;
  /** Jobs unfinished at start-up, so a job that finishes later is recognised as newly finished. */
  unfinished: ReadonlyArray<{ id: string; status: JobStatus }>;
}

const PROMPT_PREVIEW_CHARS = 80;

function preview(job: EventMap['job']): string {
  const text = (job.prompt ?? '').replace(/\s+--.*$/s, '').trim();
  const what = text || job.taskType.replace(/_/g, ' ');
  return what.length > PROMPT_PREVIEW_CHARS ? `${what.slice(0, PROMPT_PREVIEW_CHARS - 1)}…` : what;
}

/** An event sink for `bindEvents`; notifies once per job, when it goes from unfinished to finished. */
export function createActivityReporter(
  opts: ActivityOptions,
): <E extends EventName>(event: E, payload: EventMap[E]) => void {
  const lastStatus = new Map<string, JobStatus>(opts.unfinished.map((j) => [j.id, j.status]));
  let lastBadge = -1;
  return (event, payload) => {
    if (event === 'queue') {
      const queue = payload as EventMap['queue'];
      const count = queue.inFlight + queue.waiting;
      if (count !== lastBadge) {
        lastBadge = count;
        opts.setBadge(count);
      }
      return;
    }
    if (event !== 'job') return;
    const job = payload as EventMap['job'];
    const before = lastStatus.get(job.id);
    const finished = FINISHED_STATUSES.includes(job.status);
    if (finished) lastStatus.delete(job.id);
    else lastStatus.set(job.id, job.status);
    if (!finished || before === undefined || !opts.notificationsEnabled()) return;
    if (job.status === 'completed') opts.notify('Generation finished', preview(job));
    else opts.notify('Generation failed', job.error?.message ?? preview(job));
  };
}
