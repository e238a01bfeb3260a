/**
 * A bounded-concurrency work pool ordered by priority, for downloads: the queue adds one task per output
 * with its CDN expiry as the priority, so the file closest to deletion is fetched first.
 *
 * Contract: at most `concurrency` tasks run at once; lower priority numbers start first, equal ones in
 * the order added; a key that is waiting or running is not added twice. `stop()` rejects what is waiting,
 * aborts what runs through its AbortSignal and resolves once every running task has settled. The pool
 * owns no timers, so a stopped or idle pool holds nothing open.
 */
import { InvalidInputError } from '../errors';

export type PoolTask<T> = (signal: AbortSignal) => Promise<T>;

export interface PriorityPoolOptions {
  /** Tasks running at once; default 4. */
  concurrency?: number;
}

interface Entry {
  key: string;
  priority: number;
  /** Insertion order, the tie-breaker between equal priorities. */
  seq: number;
  /** Position in the heap while waiting; -1 once taken out. */
  index: number;
  run: PoolTask<unknown>;
  controller: AbortController;
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

const DEFAULT_CONCURRENCY = 4;

export class PriorityPool implements AsyncDisposable {
  readonly concurrency: number;
  /** Binary min-heap of waiting entries by (priority, seq). */
  private readonly waiting: Entry[] = [];
  /** Waiting and running entries by key. */
  private readonly byKey = new Map<string, Entry>();
  private readonly running = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private nextSeq = 0;
  private stopping: Promise<void> | undefined;
  private stopReason: unknown;

  constructor(opts: PriorityPoolOptions = {}) {
    const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidInputError(
        `Download concurrency must be a whole number of at least 1, not ${concurrency}.`,
      );
    }
    this.concurrency = concurrency;
  }

  /** Tasks waiting for a slot. */
  get pendingCount(): number {
    return this.waiting.length;
  }

  /** Tasks running now. */
  get activeCount(): number {
    return this.running.size;
  }

  /** Whether a task with this key is waiting or running. */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /**
   * Schedules `fn` unless a task with the same key is waiting or running, in which case that task's
   * promise is returned (and a waiting task moves up if `priority` is sooner). The promise settles with
   * the task's outcome; leaving it unobserved is allowed and never raises an unhandled rejection.
   */
  add<T>(priority: number, key: string, fn: PoolTask<T>): Promise<T> {
    if (this.stopping) return handled(Promise.reject(this.stopReason));
    const existing = this.byKey.get(key);
    if (existing) {
      if (existing.index >= 0 && priority < existing.priority) {
        existing.priority = priority;
        this.siftUp(existing.index);
      }
      return existing.promise as Promise<T>;
    }
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = handled(
      new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      }),
    );
    const entry: Entry = {
      key,
      priority,
      seq: this.nextSeq++,
      index: -1,
      run: fn,
      controller: new AbortController(),
      promise,
      resolve,
      reject,
    };
    this.byKey.set(key, entry);
    this.push(entry);
    this.pump();
    return promise as Promise<T>;
  }

  /** Resolves when nothing waits and nothing runs (at once if that is already so). */
  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Refuses new tasks, rejects waiting ones with an AbortError, aborts running ones through their signal,
   * and resolves when all of those have settled. Calling it again returns the same promise.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  private async shutDown(): Promise<void> {
    this.stopReason = new DOMException('The download pool was stopped.', 'AbortError');
    for (const entry of this.waiting.splice(0)) {
      entry.index = -1;
      this.byKey.delete(entry.key);
      entry.reject(this.stopReason);
    }
    for (const entry of this.byKey.values()) entry.controller.abort(this.stopReason);
    await Promise.all(this.running);
    this.notifyIfIdle();
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.concurrency) {
      const entry = this.pop();
      if (!entry) break;
      const execution = this.execute(entry);
      this.running.add(execution);
      void execution.finally(() => {
        this.running.delete(execution);
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  /** Never rejects: the outcome goes to the entry's promise. */
  private async execute(entry: Entry): Promise<void> {
    try {
      entry.resolve(await entry.run(entry.controller.signal));
    } catch (err) {
      entry.reject(err);
    } finally {
      this.byKey.delete(entry.key);
    }
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.running.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private before(a: Entry, b: Entry): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    entry.index = this.waiting.length;
    this.waiting.push(entry);
    this.siftUp(entry.index);
  }

  private pop(): Entry | undefined {
    const top = this.waiting[0];
    const last = this.waiting.pop();
    if (!top || !last) return undefined;
    if (last !== top) {
      this.place(last, 0);
      this.siftDown(0);
    }
    top.index = -1;
    return top;
  }

  private place(entry: Entry, index: number): void {
    this.waiting[index] = entry;
    entry.index = index;
  }

  private siftUp(start: number): void {
    let index = start;
    const entry = this.waiting[index];
    if (!entry) return;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.waiting[parentIndex];
      if (!parent || !this.before(entry, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(entry, index);
  }

  private siftDown(start: number): void {
    let index = start;
    const entry = this.waiting[index];
    if (!entry) return;
    for (;;) {
      const leftIndex = 2 * index + 1;
      const rightIndex = leftIndex + 1;
      const left = this.waiting[leftIndex];
      const right = this.waiting[rightIndex];
      let childIndex = leftIndex;
      let child = left;
      if (right && left && this.before(right, left)) {
        childIndex = rightIndex;
        child = right;
      }
      if (!child || !this.before(child, entry)) break;
      this.place(child, index);
      index = childIndex;
    }
    this.place(entry, index);
  }
}

/** Marks a promise as observed so an ignored rejection is not reported; awaiting it still throws. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
