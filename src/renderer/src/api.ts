/**
 * The renderer's only way to the core. In Electron the preload exposes `window.genvault`; in a plain
 * browser (the loopback web bridge) the same contract is carried over a WebSocket by `connectBridge`.
 * Either way every call resolves with the response or rejects with a `CallFailure` whose message is
 * one plain sentence for the person using the app.
 */
import { connectBridge } from '../../shared/bridge-client';
import type {
  CallError,
  CallName,
  CallRequest,
  CallResponse,
  EventMap,
  EventName,
  GenVaultApi,
  Transport,
} from '../../shared/contract';

declare global {
  interface Window {
    genvault?: GenVaultApi;
  }
}

export class CallFailure extends Error {
  readonly kind: CallError['kind'];
  readonly field: string | undefined;

  constructor(error: CallError) {
    super(error.message);
    this.name = 'CallFailure';
    this.kind = error.kind;
    this.field = error.field;
  }
}

const CALL_ERROR_KINDS: ReadonlySet<string> = new Set([
  'invalid',
  'rejected',
  'unavailable',
  'failed',
  'internal',
]);

/** Transports reject with a CallError-shaped object (or an Error carrying one); anything else is internal. */
export function toCallFailure(err: unknown): CallFailure {
  if (err instanceof CallFailure) return err;
  if (typeof err === 'object' && err !== null) {
    const candidate = err as Partial<CallError> & { error?: Partial<CallError> };
    const source =
      typeof candidate.error === 'object' && candidate.error !== null ? candidate.error : candidate;
    if (
      typeof source.message === 'string' &&
      typeof source.kind === 'string' &&
      CALL_ERROR_KINDS.has(source.kind)
    ) {
      return new CallFailure({
        kind: source.kind,
        message: source.message,
        ...(typeof source.field === 'string' ? { field: source.field } : {}),
      });
    }
    if (err instanceof Error && err.message)
      return new CallFailure({ kind: 'unavailable', message: err.message });
  }
  return new CallFailure({ kind: 'internal', message: 'Something went wrong inside GenVault.' });
}

type Api = GenVaultApi & { onConnectionChange?(listener: (connected: boolean) => void): () => void };

let instance: Api | null = null;

function api(): Api {
  instance ??= window.genvault ?? connectBridge();
  return instance;
}

/** Which transport carries the calls; it decides the form of media URLs. */
export function transport(): Transport {
  return api().transport ?? (window.genvault ? 'electron' : 'bridge');
}

/**
 * Follows the link to the core: the web bridge reports each loss and reconnection of its socket;
 * Electron's IPC cannot be lost, so there nothing is ever reported.
 */
export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  return api().onConnectionChange?.(listener) ?? (() => undefined);
}

export async function call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
  try {
    return await api().call(name, request);
  } catch (err) {
    throw toCallFailure(err);
  }
}

export function on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
  return api().on(event, listener);
}

/** Whether outputs can be dragged out of the window as files (Electron only). */
export function canDragFiles(): boolean {
  return typeof api().startDrag === 'function';
}

/** Starts dragging an output's file out of the window; call from a `dragstart` handler. */
export function startFileDrag(jobId: string, kind: string, index: number): void {
  api().startDrag?.(jobId, kind, index);
}

/** A failure's message, for catch blocks that receive `unknown`. */
export function failureMessage(err: unknown): string {
  return toCallFailure(err).message;
}
