/**
 * The renderer's side of the web bridge: `GenVaultApi` over the browser's WebSocket. Browser-safe (no
 * Node imports). Calls wait while the socket (re)connects, and each fails with a `CallError` object —
 * the same rejection the Electron preload gives — if no answer comes within its timeout. After a lost
 * connection it reconnects with growing delays; events resume on the new socket.
 */
import type {
  CallError,
  CallName,
  CallRequest,
  CallResponse,
  CallResult,
  EventMap,
  EventName,
  GenVaultApi,
} from './contract';

export interface BridgeClientOptions {
  /** Per call, from the moment it is made; default 30 s. */
  callTimeoutMs?: number;
  /** First reconnect delay, doubling up to `maxReconnectMs`; defaults 250 ms and 5 s. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** The WebSocket constructor; the browser's by default. */
  WebSocketImpl?: typeof WebSocket;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: CallError) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
  message: string;
}

/** `ws://<host of this page>/ws`: the bridge serves the page and the socket from one origin. */
function defaultSocketUrl(): string {
  const location = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (!location) throw new Error('connectBridge needs a URL outside a browser page.');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export interface BridgeClient extends GenVaultApi {
  readonly transport: 'bridge';
  /** Whether the socket is open right now. */
  readonly connected: boolean;
  /** Called with true on every (re)connection and false on every loss, e.g. for a "reconnecting" notice. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  /** Closes the socket for good; pending calls fail as unavailable. */
  close(): void;
}

export function connectBridge(url?: string, options: BridgeClientOptions = {}): BridgeClient {
  const socketUrl = url ?? defaultSocketUrl();
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const firstDelay = options.reconnectMs ?? 250;
  const maxDelay = options.maxReconnectMs ?? 5000;
  const Impl = options.WebSocketImpl ?? WebSocket;

  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let delay = firstDelay;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const fail = (id: number, error: CallError) => {
    const call = pending.get(id);
    if (!call) return;
    clearTimeout(call.timer);
    pending.delete(id);
    call.reject(error);
  };

  const announce = (connected: boolean) => {
    for (const listener of [...connectionListeners]) {
      try {
        listener(connected);
      } catch (err) {
        console.error('genvault: a connection listener failed:', err);
      }
    }
  };

  const flush = () => {
    if (socket?.readyState !== Impl.OPEN) return;
    for (const call of pending.values()) {
      if (call.sent) continue;
      socket.send(call.message);
      call.sent = true;
    }
  };

  const onMessage = (text: string) => {
    let message: { id?: unknown; result?: CallResult<unknown>; event?: EventName; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.event === 'string') {
      for (const listener of listeners.get(message.event) ?? []) {
        try {
          (listener as (payload: unknown) => void)(message.payload);
        } catch (err) {
          console.error(`genvault: a ${message.event} listener failed:`, err);
        }
      }
      return;
    }
    if (typeof message.id !== 'number' || !message.result) return;
    const call = pending.get(message.id);
    if (!call) return;
    clearTimeout(call.timer);
    pending.delete(message.id);
    if (message.result.ok) call.resolve(message.result.value);
    else call.reject(message.result.error);
  };

  const open = () => {
    if (closed) return;
    const ws = new Impl(socketUrl);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      delay = firstDelay;
      flush();
      announce(true);
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data === 'string') onMessage(event.data);
    });
    // A failed connection also fires `close`, where reconnecting is handled.
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (opened) announce(false);
      // A call sent on the lost socket may or may not have run: say so rather than send it twice.
      for (const [id, call] of pending) {
        if (call.sent) {
          fail(id, {
            kind: 'unavailable',
            message:
              'The connection to GenVault was lost before it answered; check the result before retrying.',
          });
        }
      }
      if (closed) return;
      reconnectTimer = setTimeout(open, delay);
      delay = Math.min(maxDelay, delay * 2);
    });
  };

  open();

  return {
    transport: 'bridge',

    get connected() {
      return socket?.readyState === Impl.OPEN;
    },

    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => {
        connectionListeners.delete(listener);
      };
    },

    call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
      return new Promise<CallResponse<K>>((resolve, reject) => {
        if (closed) {
          reject({
            kind: 'unavailable',
            message: 'The connection to GenVault is closed.',
          } satisfies CallError);
          return;
        }
        const id = nextId++;
        const timer = setTimeout(
          () => fail(id, { kind: 'unavailable', message: 'GenVault did not answer in time; try again.' }),
          callTimeoutMs,
        );
        pending.set(id, {
          resolve: resolve as (value: unknown) => void,
          reject,
          timer,
          sent: false,
          message: JSON.stringify({ id, name, request }),
        });
        flush();
      });
    },

    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const stored = listener as (payload: never) => void;
      set.add(stored);
      return () => {
        set.delete(stored);
      };
    },

    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()]) {
        fail(id, { kind: 'unavailable', message: 'The connection to GenVault is closed.' });
      }
      socket?.close();
      socket = null;
    },
  };
}
