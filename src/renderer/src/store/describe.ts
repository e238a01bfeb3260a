/**
 * Describe (an image → four prompts) and Shorten (a long prompt → shorter ones): the image slot, the
 * prompt to shorten, the job each last sent, and the searchable list of past describes and shortens.
 */
import { create } from 'zustand';
import type { JobView } from '../../../shared/domain';
import { call, failureMessage } from '../api';
import type { DroppedImage } from '../views/library/dnd';
import { noteJob } from './activity';
import { emptySlot, resolveDropped, toImageSource, type Slot } from './imageSlots';
import { putJob, putJobs } from './jobs';
import { toast } from './ui';

export type DescribeTab = 'describe' | 'shorten';

export const TEXT_TASK_TYPES = ['describe', 'shorten'];
const HISTORY_LIMIT = 30;

interface DescribeState {
  tab: DescribeTab;
  slot: Slot;
  /** The prompt to shorten. */
  prompt: string;
  submitting: boolean;
  error: string | null;
  /** The last job sent from each tab; its suggestions show when it completes. */
  describeJob: string | null;
  shortenJob: string | null;
  history: {
    text: string;
    ids: string[];
    phase: 'idle' | 'loading' | 'ready' | 'error';
    error: string | null;
  };
}

export const useDescribe = create<DescribeState>()(() => ({
  tab: 'describe',
  slot: emptySlot(),
  prompt: '',
  submitting: false,
  error: null,
  describeJob: null,
  shortenJob: null,
  history: { text: '', ids: [], phase: 'idle', error: null },
}));

export function setTab(tab: DescribeTab): void {
  useDescribe.setState({ tab, error: null });
}

export function setShortenPrompt(prompt: string): void {
  useDescribe.setState({ prompt, error: null });
}

export async function placeDescribeImage(images: DroppedImage[]): Promise<void> {
  const first = images[0];
  if (!first) return;
  if (images.length > 1) toast('Describe takes one image; the first one was used.', 'info');
  const id = useDescribe.getState().slot.id;
  useDescribe.setState((s) => ({ slot: { ...s.slot, loading: true, error: null }, error: null }));
  try {
    const image = await resolveDropped(first);
    if (useDescribe.getState().slot.id !== id) return;
    useDescribe.setState((s) => ({ slot: { ...s.slot, image, loading: false } }));
  } catch (err) {
    if (useDescribe.getState().slot.id !== id) return;
    useDescribe.setState((s) => ({ slot: { ...s.slot, loading: false, error: failureMessage(err) } }));
  }
}

export function clearDescribeImage(): void {
  useDescribe.setState({ slot: emptySlot(), error: null });
}

function sent(job: JobView, key: 'describeJob' | 'shortenJob', words: string): JobView {
  putJob(job);
  noteJob(job);
  useDescribe.setState({ [key]: job.id } as Pick<DescribeState, typeof key>);
  toast(`${words} started.`, 'success', { label: 'Open', route: { view: 'job', id: job.id } });
  return job;
}

export async function submitDescribe(): Promise<JobView | null> {
  const { slot } = useDescribe.getState();
  if (!slot.image) {
    useDescribe.setState({ error: 'Add an image to describe first.' });
    return null;
  }
  useDescribe.setState({ submitting: true, error: null });
  try {
    return sent(await call('jobs.describe', { image: toImageSource(slot.image) }), 'describeJob', 'Describe');
  } catch (err) {
    useDescribe.setState({ error: failureMessage(err) });
    return null;
  } finally {
    useDescribe.setState({ submitting: false });
  }
}

export async function submitShorten(): Promise<JobView | null> {
  const prompt = useDescribe.getState().prompt.trim();
  if (!prompt) {
    useDescribe.setState({ error: 'Write or paste the prompt to shorten first.' });
    return null;
  }
  useDescribe.setState({ submitting: true, error: null });
  try {
    return sent(await call('jobs.shorten', { prompt }), 'shortenJob', 'Shorten');
  } catch (err) {
    useDescribe.setState({ error: failureMessage(err) });
    return null;
  } finally {
    useDescribe.setState({ submitting: false });
  }
}

let historyGeneration = 0;

/** Past describes and shortens, newest first; with `text`, those whose prompts match it. */
export async function loadHistory(text = useDescribe.getState().history.text): Promise<void> {
  const generation = ++historyGeneration;
  useDescribe.setState((s) => ({ history: { ...s.history, text, phase: 'loading', error: null } }));
  const query = { taskType: TEXT_TASK_TYPES, limit: HISTORY_LIMIT, sort: 'newest' as const };
  try {
    const trimmed = text.trim();
    const page = trimmed
      ? await call('jobs.search', { text: trimmed, query })
      : await call('jobs.list', query);
    if (generation !== historyGeneration) return;
    putJobs(page.items);
    useDescribe.setState((s) => ({
      history: { ...s.history, ids: page.items.map((j) => j.id), phase: 'ready' },
    }));
  } catch (err) {
    if (generation !== historyGeneration) return;
    useDescribe.setState((s) => ({ history: { ...s.history, phase: 'error', error: failureMessage(err) } }));
  }
}

let historyTimer: ReturnType<typeof setTimeout> | undefined;

export function setHistoryText(text: string): void {
  useDescribe.setState((s) => ({ history: { ...s.history, text } }));
  clearTimeout(historyTimer);
  historyTimer = setTimeout(() => void loadHistory(text), 250);
}

/** A describe or shorten finished: it belongs at the head of the history. */
export function noteTextJob(job: JobView): void {
  if (!TEXT_TASK_TYPES.includes(job.taskType) || job.status !== 'completed') return;
  const { history } = useDescribe.getState();
  if (history.phase === 'idle' || history.ids.includes(job.id) || history.text.trim() !== '') return;
  useDescribe.setState((s) => ({ history: { ...s.history, ids: [job.id, ...s.history.ids] } }));
}
