/**
 * The follow-up panels of the open job: which output they act on, which panel is open, and sending
 * one. A panel validates its own fields first; what the core still refuses comes back here with the
 * field it names, so the panel can point at it.
 */
import { create } from 'zustand';
import type { CallRequest } from '../../../shared/contract';
import type { JobView } from '../../../shared/domain';
import { call, toCallFailure } from '../api';
import { noteJob } from './activity';
import { refreshFamily } from './detail';
import { putJob } from './jobs';
import { toast } from './ui';

export interface PanelError {
  message: string;
  /** The request field the core named (`scale`, `mask.areas[0]`), when it named one. */
  field: string | null;
}

interface FollowUpsState {
  jobId: string | null;
  /** The output index the panels act on. */
  target: number;
  /** Id of the open panel, or null. */
  open: string | null;
  sending: boolean;
  error: PanelError | null;
}

export const useFollowUps = create<FollowUpsState>()(() => ({
  jobId: null,
  target: 0,
  open: null,
  sending: false,
  error: null,
}));

/** Resets the panels when another job is shown. */
export function showFollowUpsFor(jobId: string, firstIndex: number): void {
  if (useFollowUps.getState().jobId === jobId) return;
  useFollowUps.setState({ jobId, target: firstIndex, open: null, sending: false, error: null });
}

export function setTarget(index: number): void {
  useFollowUps.setState({ target: index, error: null });
}

export function openPanel(id: string | null): void {
  useFollowUps.setState({ open: id, error: null });
}

/** Opens a panel for one output, e.g. from the "More" button under an image. */
export function openPanelFor(index: number, id: string): void {
  useFollowUps.setState({ target: index, open: id, error: null });
}

type FollowUpRequest = CallRequest<'jobs.followUp'>;
type OnImageRequest = CallRequest<'jobs.onImage'>;

export type PanelRequest =
  { call: 'jobs.followUp'; request: FollowUpRequest } | { call: 'jobs.onImage'; request: OnImageRequest };

/**
 * Sends a panel's request. On success the child is in the cache, Activity and the family, a toast
 * offers to open it, and the resolved value is the child; on failure the error is kept for the panel
 * (and announced) and the value is null.
 */
export async function sendPanel(parentId: string, label: string, req: PanelRequest): Promise<JobView | null> {
  if (useFollowUps.getState().sending) return null;
  useFollowUps.setState({ sending: true, error: null });
  try {
    const child =
      req.call === 'jobs.followUp' ? await call(req.call, req.request) : await call(req.call, req.request);
    putJob(child);
    noteJob(child);
    toast(`${label} started.`, 'success', { label: 'Open', route: { view: 'job', id: child.id } });
    refreshFamily(parentId);
    return child;
  } catch (err) {
    const failure = toCallFailure(err);
    useFollowUps.setState({ error: { message: failure.message, field: failure.field ?? null } });
    toast(failure.message, 'danger');
    return null;
  } finally {
    useFollowUps.setState({ sending: false });
  }
}
