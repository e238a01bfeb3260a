/**
 * The shapes the core hands to the renderer, derived from library rows and queue state. Output paths
 * cross the boundary relative to the library folder (`media/2025/01/<id>/0.png`): the renderer turns
 * them into URLs with `mediaUrl()` and never learns where the library sits on disk.
 */
import path from 'node:path';
import type { QueueStateView } from '../../../shared/contract';
import type { JobView, OutputView, Page } from '../../../shared/domain';
import type { Vault } from '../vault';

/** `path` under `root` as a `/`-separated relative path; null for anything outside it. */
export function libraryRelative(root: string, absolute: string | null): string | null {
  if (absolute === null) return null;
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}

function clientOutput(root: string, output: OutputView): OutputView {
  return {
    ...output,
    path: libraryRelative(root, output.path),
    thumbPath: libraryRelative(root, output.thumbPath),
  };
}

/** A job view as the renderer receives it: output and thumbnail paths relative to the library. */
export function clientJobView(root: string, view: JobView): JobView {
  return { ...view, outputs: view.outputs.map((o) => clientOutput(root, o)) };
}

export function clientPage(root: string, page: Page<JobView>): Page<JobView> {
  return { items: page.items.map((v) => clientJobView(root, v)), next: page.next };
}

export function queueState(vault: Vault): QueueStateView {
  const connectivity = vault.queue.connectivity();
  let inFlight = 0;
  let waiting = 0;
  for (const job of vault.library.unfinishedJobs()) {
    // A job is in flight once its POST has gone out; before that it waits for a free slot.
    if (job.status === 'submitting' && job.submittedAt === null) waiting += 1;
    else inFlight += 1;
  }
  return {
    paused: vault.queue.pausedProviders().map(({ provider, reason }) => ({ provider, reason })),
    offline: connectivity.offline,
    offlineReason: connectivity.reason,
    inFlight,
    waiting,
    downloadsPending: vault.library.pendingOutputCount(),
  };
}
