/**
 * "Remove from library": the confirmation for the jobs in `useRemoval` (the library's selection, or the
 * job on screen in its detail). It says what happens to their files — moved to the system Trash in the
 * desktop app, deleted for good on the web bridge — with their count and size from the archived
 * outputs, lists the first prompts, and notes that follow-ups made from them stay. Mounted by each view
 * that can ask; a request does not outlive that view.
 */
import { useEffect, useState } from 'react';
import type { RemovedJobsView } from '../../../../shared/contract';
import type { JobView } from '../../../../shared/domain';
import { call, failureMessage } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatBytes, formatNumber, pluralize } from '../../lib/format';
import { isInFlight, promptText } from '../../lib/jobs';
import { fetchJob, getJob } from '../../store/jobs';
import {
  MAX_REMOVE,
  dismissRemoval,
  isStacking,
  removeJobs,
  stackOf,
  useLibrary,
  useRemoval,
} from '../../store/library';
import { loadLibraryInfo, useSettings } from '../../store/settings';
import { toast } from '../../store/ui';

/** Prompts listed by name; the rest are counted. */
const PROMPTS_SHOWN = 3;
/**
 * Up to this many jobs, each one's family is asked for, to say whether follow-ups made from them stay;
 * a larger selection gets the sentence without the check.
 */
const FAMILY_CHECKS = 50;
const PARALLEL_CALLS = 4;

/** Runs `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The views of `ids` (from the cache, else fetched); null while any is still being fetched. */
function useViews(ids: readonly string[], enabled: boolean): JobView[] | null {
  const [views, setViews] = useState<JobView[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    void mapLimited(ids, PARALLEL_CALLS, (id) => {
      const cached = getJob(id);
      return cached ? Promise.resolve(cached) : fetchJob(id).catch(() => undefined);
    }).then((found) => {
      if (alive) setViews(found.filter((job) => job !== undefined));
    });
    return () => {
      alive = false;
    };
  }, [ids, enabled]);
  return views;
}

/**
 * Whether a job being removed has a follow-up that is not being removed with it: 'yes', 'no', 'maybe'
 * (too many jobs to check, or the check failed), or null while checking.
 */
function useFollowUpsStay(ids: readonly string[], enabled: boolean): 'yes' | 'no' | 'maybe' | null {
  const [answer, setAnswer] = useState<'yes' | 'no' | 'maybe' | null>(null);
  useEffect(() => {
    if (!enabled) return;
    if (ids.length > FAMILY_CHECKS) {
      setAnswer('maybe');
      return;
    }
    let alive = true;
    const removing = new Set(ids);
    mapLimited(ids, PARALLEL_CALLS, async (id) => {
      const family = await call('jobs.lineage', { id });
      return family.edges.some((e) => e.parentId === id && !removing.has(e.childId));
    })
      .then((found) => alive && setAnswer(found.some(Boolean) ? 'yes' : 'no'))
      .catch(() => alive && setAnswer('maybe'));
    return () => {
      alive = false;
    };
  }, [ids, enabled]);
  return answer;
}

interface Summary {
  files: number;
  bytes: number;
  /** Jobs still being made or with a file downloading: the core refuses to remove those. */
  busy: number;
}

function summarize(views: readonly JobView[]): Summary {
  let files = 0;
  let bytes = 0;
  let busy = 0;
  for (const job of views) {
    for (const output of job.outputs) {
      if (output.state !== 'archived') continue;
      files++;
      bytes += output.bytes ?? 0;
    }
    if (isInFlight(job) || job.outputs.some((o) => o.state === 'downloading')) busy++;
  }
  return { files, bytes, busy };
}

function filesSentence(summary: Summary, one: boolean, filesTo: 'trash' | 'deleted'): string {
  if (summary.files === 0)
    return one ? 'It has no files in the library.' : 'They have no files in the library.';
  const owner = one ? 'Its' : 'Their';
  const single = summary.files === 1;
  const fate =
    filesTo === 'trash'
      ? `${single ? 'moves' : 'move'} to the Trash, where you can restore ${single ? 'it' : 'them'}`
      : `${single ? 'is' : 'are'} deleted for good`;
  return `${owner} ${pluralize(summary.files, 'file')} (${formatBytes(summary.bytes)}) ${fate}.`;
}

function busySentence(busy: number): string {
  const single = busy === 1;
  return (
    `${formatNumber(busy)} of these jobs ${single ? 'is' : 'are'} still being made or downloaded, and nothing ` +
    `is removed until ${single ? 'it has' : 'they have'} finished. Leave ${single ? 'it' : 'them'} out of ` +
    'the selection to remove the rest now.'
  );
}

function removedMessage(result: RemovedJobsView): string {
  const jobs = `Removed ${pluralize(result.removed.length, 'job')}`;
  if (result.bytes === 0) return jobs;
  const fate = result.filesTo === 'trash' ? 'moved to the Trash' : 'deleted';
  return `${jobs} · ${formatBytes(result.bytes)} ${fate}`;
}

/** After the library has changed: the card now in the focused place, else the empty state's action. */
function libraryFocusTarget(): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>('.grid-scroll .card[tabindex="0"]') ??
    document.querySelector<HTMLElement>('.library-body .empty .btn')
  );
}

function RemoveConfirmation({ ids, onRemoved }: { ids: readonly string[]; onRemoved?: () => void }) {
  const filesTo = useSettings((s) => s.library?.removeFilesTo);
  const tooMany = ids.length > MAX_REMOVE;
  const views = useViews(ids, !tooMany);
  const followUps = useFollowUpsStay(ids, !tooMany);
  const [busy, setBusy] = useState(false);
  const one = ids.length === 1;

  useEffect(() => {
    if (useSettings.getState().library === null) void loadLibraryInfo().catch(() => undefined);
  }, []);

  const confirm = async () => {
    setBusy(true);
    try {
      const result = await removeJobs(ids);
      // Stopped part-way: the jobs before the one whose files could not go are removed, the rest stay.
      if (result.problem) toast(result.problem, 'danger');
      else toast(removedMessage(result), 'success');
      dismissRemoval();
      onRemoved?.();
    } catch (err) {
      toast(failureMessage(err), 'danger');
      dismissRemoval();
    }
  };

  // Until the library says otherwise, the cautious wording: a file said to go to the Trash must be there.
  const fate = filesTo ?? 'deleted';
  const summary = views ? summarize(views) : null;
  const shown = views?.slice(0, PROMPTS_SHOWN) ?? [];
  const more = ids.length - shown.length;
  const them = one ? 'it' : 'them';
  // A stacked card stands for its whole family, but only the job it shows is removed.
  const stacked = useLibrary(isStacking);
  const rest = stacked ? ids.reduce((sum, id) => sum + Math.max(0, (stackOf(id)?.jobs ?? 1) - 1), 0) : 0;

  return (
    <ConfirmDialog
      title={
        one
          ? 'Remove this job from the library?'
          : `Remove ${formatNumber(ids.length)} jobs from the library?`
      }
      confirmLabel="Remove"
      busyLabel="Removing…"
      busy={busy}
      canConfirm={!tooMany}
      onConfirm={() => void confirm()}
      onCancel={dismissRemoval}
      fallbackFocus={libraryFocusTarget}
    >
      {tooMany ? (
        <p>
          GenVault removes at most {formatNumber(MAX_REMOVE)} jobs at a time. Select fewer jobs and remove the
          rest afterwards.
        </p>
      ) : (
        <>
          <p className="remove-files">
            {summary ? filesSentence(summary, one, fate) : `Counting ${one ? 'its' : 'their'} files…`}
          </p>
          {shown.length > 0 ? (
            <ul className="remove-prompts" aria-label={one ? 'Job' : 'Jobs'}>
              {shown.map((job) => {
                const prompt = promptText(job);
                return (
                  <li key={job.id} title={prompt}>
                    {prompt}
                  </li>
                );
              })}
              {more > 0 ? <li className="muted">and {formatNumber(more)} more</li> : null}
            </ul>
          ) : null}
          {rest > 0 ? (
            <p className="muted small">
              Only the {one ? 'job' : 'jobs'} shown {one ? 'is' : 'are'} removed:{' '}
              {rest === 1
                ? `the other job of ${one ? 'its family' : 'their families'} stays.`
                : `the other ${formatNumber(rest)} jobs of ${one ? 'its family' : 'their families'} stay.`}
            </p>
          ) : null}
          {followUps === 'yes' ? (
            <p className="muted small">Follow-ups made from {them} stay in the library.</p>
          ) : followUps === 'maybe' ? (
            <p className="muted small">Any follow-ups made from {them} stay in the library.</p>
          ) : null}
          {summary && summary.busy > 0 ? (
            <p className="remove-warning" role="note">
              {one
                ? 'This job is still being made or downloaded: it can be removed once it has finished.'
                : busySentence(summary.busy)}
            </p>
          ) : null}
        </>
      )}
    </ConfirmDialog>
  );
}

/** The confirmation, while one is asked for; `onRemoved` runs after a removal (the detail leaves). */
export function RemoveJobsDialog({ onRemoved }: { onRemoved?: () => void }) {
  const ids = useRemoval((s) => s.ids);
  useEffect(() => dismissRemoval, []);
  return ids ? <RemoveConfirmation ids={ids} onRemoved={onRemoved} /> : null;
}
