/**
 * The preload of the GenVault window (sandboxed, so it is built as one CommonJS file and may require
 * only `electron`). It exposes `window.genvault`, the contract's `GenVaultApi`, and nothing of
 * Electron itself: no ipcRenderer, no event objects. A failed call rejects with the plain `CallError`
 * object (kind, message, field), which survives the context bridge intact.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type {
  CallName,
  CallRequest,
  CallResponse,
  CallResult,
  EventMap,
  EventName,
  GenVaultApi,
} from '../shared/contract';
import { CALL_CHANNEL, DRAG_CHANNEL, EVENT_CHANNEL, type DragRequest } from '../shared/ipc';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: { event: EventName; payload: unknown }) => {
  for (const listener of listeners.get(message.event) ?? []) {
    try {
      listener(message.payload);
    } catch (err) {
      console.error(`genvault: a ${message.event} listener failed:`, err);
    }
  }
});

const api = {
  transport: 'electron',

  async call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
    const result = (await ipcRenderer.invoke(CALL_CHANNEL, name, request)) as CallResult<CallResponse<K>>;
    if (result.ok) return result.value;
    throw result.error;
  },

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    const stored = listener as Listener;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  },

  startDrag(jobId: string, kind: string, index: number): void {
    ipcRenderer.send(DRAG_CHANNEL, { jobId, kind, index } satisfies DragRequest);
  },
} as const satisfies GenVaultApi;

contextBridge.exposeInMainWorld('genvault', api);
