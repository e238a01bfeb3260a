/**
 * Servers that must not share the measuring process's event loop run in a child process (forked with
 * the same TypeScript loader) and answer calls over the IPC channel: `{id, method, params}` in,
 * `{id, result}` or `{id, error}` out.
 */
import { fork, type ChildProcess } from 'node:child_process';

interface CallMessage {
  id: number;
  method: string;
  params: unknown;
}

interface ReplyMessage {
  id: number;
  result?: unknown;
  error?: string;
}

/** How long a child may take to exit after `close` before it is killed. */
const EXIT_GRACE_MS = 5000;

export interface ChildServer {
  readonly pid: number;
  call<T>(method: string, params?: unknown): Promise<T>;
  /** Asks the child to shut down (method `close`), then waits for it to exit. */
  close(): Promise<void>;
}

export async function startChild(modulePath: string, args: string[] = []): Promise<ChildServer> {
  const child: ChildProcess = fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const { reject } of pending.values()) {
        reject(new Error(`The child process ${modulePath} exited (${signal ?? code}) before answering.`));
      }
      pending.clear();
      resolve();
    });
  });
  child.on('message', (raw) => {
    const message = raw as ReplyMessage;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const server: ChildServer = {
    pid: child.pid!,
    call<T>(method: string, params?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`The child process ${modulePath} is not running.`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, method, params } satisfies CallMessage);
      });
    },
    async close() {
      if (exited) return;
      await server.call('close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await exit;
      clearTimeout(timer);
    },
  };
  return server;
}

export type Handlers = Record<string, (params: never) => unknown>;

/**
 * The child's side: answers each call with its handler's result. `close` runs the `close` handler
 * (if any), replies, and lets the process end once nothing else keeps it alive.
 */
export function serveCalls(handlers: Handlers): void {
  if (!process.send) throw new Error('This module is meant to be started with startChild().');
  process.on('message', (raw) => {
    const { id, method, params } = raw as CallMessage;
    const handler = handlers[method] as ((p: unknown) => unknown) | undefined;
    const reply = (message: Omit<ReplyMessage, 'id'>): void => {
      process.send!({ id, ...message }, undefined, undefined, () => {
        if (method === 'close') process.disconnect();
      });
    };
    if (!handler) {
      if (method === 'close') reply({ result: null });
      else reply({ error: `Unknown method ${method}.` });
      return;
    }
    Promise.resolve()
      .then(() => handler(params))
      .then(
        (result) => reply({ result: result ?? null }),
        (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
      );
  });
}
