/**
 * The Electron IPC channels between preload and main: one for every contract call (`invoke`), one for
 * pushed events, one to start dragging an output file out of the window. Nothing else is listened to.
 */
export const CALL_CHANNEL = 'genvault:call';
export const EVENT_CHANNEL = 'genvault:event';
export const DRAG_CHANNEL = 'genvault:drag';

/** What `genvault:drag` carries: which output to drag. */
export interface DragRequest {
  jobId: string;
  kind: string;
  index: number;
}
