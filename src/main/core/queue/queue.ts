/**
 * The persistent submit-and-poll loop. Every piece of state lives in the library (SQLite), so a
 * restart resumes exactly where the last run stopped: jobs waiting to be sent, jobs in flight, and
 * outputs still to download.
 *
 * One scheduler drives four kinds of work, each as many at once as its bound allows:
 *  - submit: rows in `submitting` that were never sent, while fewer than `concurrency` jobs are in
 *    flight on the provider (Legnext runs about 6 per account and answers 429 past that);
 *  - poll: jobs whose `nextPollAt` has come (adaptive schedule, see backoff.ts);
 *  - reconcile: rows an earlier run left `submitting` with a send time (it stopped mid-POST), looked up
 *    among the provider's active tasks instead of being sent again;
 *  - archive: outputs not yet on disk, closest to CDN expiry first.
 * The scheduler sleeps until the earliest due time; `kick()` wakes it when something changes.
 */
import { ApiError, GenVaultError, NetworkError, ProtocolError, isRetryable } from '../errors';
import type { Provider, JobView } from '../../../shared/domain';
import type { Library } from '../library';
import type { JobRow, OutputToArchive } from '../library/rows';
import type { ProviderClient, RemoteJobSnapshot, SubmitRequest } from '../providers/types';
import {
  DEFAULT_POLL_POLICY,
  DOWNLOAD_RETRY_BACKOFF,
  RETRY_BACKOFF,
  nextPollDelay,
  retryDelay,
  speedFactorFor,
} from './backoff';
import type { BackoffPolicy, PollPolicy } from './backoff';
import { OutputArchiver } from './archiver';
import { DurationModel } from './durations';
import type { Dispatcher } from 'undici';

export type QueueEvent =
  | { type: 'job'; job: JobView }
  | { type: 'download'; jobId: string; kind: string; index: number; received: number; total: number | null }
  | { type: 'paused'; provider: Provider; reason: string }
  | { type: 'resumed'; provider: Provider }
  | { type: 'offline'; reason: string }
  | { type: 'online' };

export type QueueListener = (event: QueueEvent) => void;

export interface QueueOptions {
  library: Library;
  clients: Partial<Record<Provider, ProviderClient>>;
  now?: () => number;
  random?: () => number;
  /** Jobs in flight per provider; Legnext allows about 6. */
  concurrency?: number;
  /** Polls in flight at once, all providers together. */
  pollConcurrency?: number;
  downloadConcurrency?: number;
  /** Download attempts of one output before it waits for a manual retry. */
  maxDownloadAttempts?: number;
  pollPolicy?: PollPolicy;
  retryPolicy?: BackoffPolicy;
  downloadRetryPolicy?: BackoffPolicy;
  /** Dispatcher for CDN downloads (tests and benchmarks point it at loopback). */
  dispatcher?: Dispatcher;
  /**
   * Turns a stored request into the one sent, right before each send (e.g. inlines library files that
   * the stored body only names, so the database does not hold megabytes of base64).
   */
  prepareRequest?: (request: SubmitRequest) => Promise<SubmitRequest>;
}

/** The longest the scheduler sleeps, so rows written by other processes are noticed. */
const IDLE_RECHECK_MS = 5000;

/** Statuses that count against the provider's concurrency limit. */
function occupiesSlot(job: JobRow): boolean {
  return (
    job.status === 'queued' ||
    job.status === 'running' ||
    (job.status === 'submitting' && job.submittedAt !== null)
  );
}

export class JobQueue {
  readonly library: Library;
  private readonly clients: Partial<Record<Provider, ProviderClient>>;
  private readonly now: () => number;
  private readonly random: () => number;
  private concurrency: number;
  private readonly pollConcurrency: number;
  private readonly pollPolicy: PollPolicy;
  private readonly retryPolicy: BackoffPolicy;
  private readonly archiver: OutputArchiver;
  private readonly durations: DurationModel;
  private readonly prepareRequest: QueueOptions['prepareRequest'];

  private readonly listeners = new Set<QueueListener>();
  private readonly abort = new AbortController();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly pausedReason = new Map<Provider, { reason: string; status: number | null }>();
  private readonly blockedUntil = new Map<Provider, number>();
  private startup: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private ticking = false;
  private tickAgain = false;
  private started = false;
  private stopped = false;
  private offline = false;
  private offlineReason: string | null = null;

  constructor(options: QueueOptions) {
    this.library = options.library;
    this.clients = options.clients;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.concurrency = options.concurrency ?? 6;
    this.pollConcurrency = options.pollConcurrency ?? 8;
    this.pollPolicy = options.pollPolicy ?? DEFAULT_POLL_POLICY;
    this.retryPolicy = options.retryPolicy ?? RETRY_BACKOFF;
    this.prepareRequest = options.prepareRequest;
    this.durations = new DurationModel((taskType) =>
      this.library
        .listJobs({ taskType, status: 'completed', sort: 'newest', limit: 15 })
        .items.flatMap((j) => (j.endedAt ? [Date.parse(j.endedAt) - Date.parse(j.createdAt)] : [])),
    );
    this.archiver = new OutputArchiver({
      library: this.library,
      now: this.now,
      random: this.random,
      concurrency: options.downloadConcurrency ?? 4,
      maxAttempts: options.maxDownloadAttempts ?? 6,
      retryPolicy: options.downloadRetryPolicy ?? DOWNLOAD_RETRY_BACKOFF,
      dispatcher: options.dispatcher,
      emit: (event) => this.emit(event),
      onSettled: () => this.kick(),
    });
  }

  on(listener: QueueListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: QueueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A faulty listener (a closed window, a broken pipe) must not stop the queue.
        console.error('genvault: queue listener failed:', err);
      }
    }
  }

  private emitJob(id: string): void {
    if (this.listeners.size === 0) return;
    this.emit({ type: 'job', job: this.library.jobView(id) });
  }

  /** Resume everything a previous run left unfinished, then keep running until `stop()`. */
  start(): Promise<void> {
    this.startup ??= this.resumePreviousRun();
    return this.startup;
  }

  private async resumePreviousRun(): Promise<void> {
    // Before any download of this run starts, so every temp file found is a killed run's leftover.
    await this.archiver.removeLeftovers();
    if (this.stopped) return;
    this.library.recoverInterruptedDownloads();
    // Rows a run left in `submitting` with a send time are reconciled by the scheduler (see runDueWork).
    this.started = true;
    this.kick();
  }

  /** Abort what is in flight and wait for it to settle; leaves the library consistent for the next run. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.startup?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight.values()]);
    await this.archiver.stop();
    this.listeners.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** `status` is the HTTP status that paused it (401 key, 402 credits), null for a pause by the user. */
  pausedProviders(): Array<{ provider: Provider; reason: string; status: number | null }> {
    return [...this.pausedReason].map(([provider, p]) => ({ provider, ...p }));
  }

  /** Pause a provider's submits and polls (downloads need no key and go on). */
  pause(provider: Provider, reason: string, status: number | null = null): void {
    if (this.pausedReason.get(provider)?.reason === reason) return;
    this.pausedReason.set(provider, { reason, status });
    this.emit({ type: 'paused', provider, reason });
  }

  /** After the user fixed the key or topped up credits. */
  resume(provider: Provider): void {
    if (!this.pausedReason.delete(provider)) return;
    this.emit({ type: 'resumed', provider });
    this.kick();
  }

  /** Whether the last call to a provider failed for want of a network, and why. */
  connectivity(): { offline: boolean; reason: string | null } {
    return { offline: this.offline, reason: this.offlineReason };
  }

  /** Jobs in flight per provider; applies from the next scheduling round (running jobs are not cut). */
  setConcurrency(jobs: number): void {
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new RangeError(`concurrency must be a whole number ≥ 1, not ${jobs}`);
    this.concurrency = jobs;
    this.kick();
  }

  get maxInFlight(): number {
    return this.concurrency;
  }

  /** When the scheduler next wakes (the queue's clock, ms); Infinity while it is not scheduled. */
  get nextWakeAt(): number {
    return this.wakeAt;
  }

  /** Wake the scheduler now (a job was added, a key set, a download settled). */
  kick(): void {
    this.scheduleAt(this.now());
  }

  /** Make a failed or stuck output eligible for download again. */
  retryOutput(jobId: string, kind: string, index: number): void {
    this.archiver.reset(jobId, kind, index);
    this.kick();
  }

  private scheduleAt(at: number): void {
    if (this.stopped || !this.started) return;
    // An earlier timer already covers this time, unless its wake time has passed without it firing:
    // the wall clock jumped (the machine slept, or a test moved its clock), so start afresh.
    if (this.timer && at >= this.wakeAt && this.wakeAt > this.now()) return;
    clearTimeout(this.timer);
    this.wakeAt = at;
    const delay = Math.max(0, at - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = Infinity;
      void this.tick();
    }, delay);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        this.runDueWork();
      } while (this.tickAgain && !this.stopped);
    } catch (err) {
      // The loop must survive anything: log, back off a little, try again.
      console.error('genvault: queue tick failed:', err);
      this.scheduleAt(this.now() + 5000);
    } finally {
      this.ticking = false;
    }
  }

  private runDueWork(): void {
    const now = this.now();
    const unfinished = this.library.unfinishedJobs();
    let next = Infinity;

    const slotsUsed = new Map<Provider, number>();
    for (const job of unfinished) {
      if (occupiesSlot(job)) slotsUsed.set(job.provider, (slotsUsed.get(job.provider) ?? 0) + 1);
    }

    let polls = [...this.inFlight.keys()].filter((k) => k.startsWith('poll:')).length;
    for (const job of unfinished) {
      if (this.inFlight.has(`submit:${job.id}`) || this.inFlight.has(`poll:${job.id}`)) continue;
      const provider = job.provider;
      if (this.pausedReason.has(provider)) continue;
      const blocked = this.blockedUntil.get(provider) ?? 0;
      const due = Math.max(job.nextPollAt ?? now, blocked);
      if (due > now) {
        next = Math.min(next, due);
        continue;
      }
      if (job.status === 'submitting' && job.submittedAt === null) {
        const used = slotsUsed.get(provider) ?? 0;
        if (used >= this.concurrency) continue; // a finishing job kicks the scheduler
        slotsUsed.set(provider, used + 1);
        this.track(`submit:${job.id}`, this.submit(job));
      } else if (job.remoteId) {
        if (polls >= this.pollConcurrency) {
          next = Math.min(next, now + 250);
          continue;
        }
        polls++;
        this.track(`poll:${job.id}`, this.poll(job));
      } else if (job.status === 'submitting') {
        // Sent by an earlier run that stopped before the answer came: maybe created, maybe not.
        this.track(`submit:${job.id}`, this.reconcileSubmit(job));
      }
    }

    const archiveNext = this.archiver.runDue(now);
    next = Math.min(next, archiveNext);
    // Even with nothing due, look again soon: another process (a `genvault` command next to the app)
    // may have added jobs to the library, and only this queue sends them.
    this.scheduleAt(Math.min(next, now + IDLE_RECHECK_MS));
  }

  private track(key: string, work: Promise<void>): void {
    const settled = work
      .catch((err: unknown) => console.error(`genvault: ${key} failed unexpectedly:`, err))
      .finally(() => {
        this.inFlight.delete(key);
        this.kick();
      });
    this.inFlight.set(key, settled);
  }

  private clientFor(provider: Provider): ProviderClient {
    const client = this.clients[provider];
    if (!client) throw new GenVaultError('invalid', `GenVault has no ${provider} client configured.`);
    return client;
  }

  private async submit(job: JobRow): Promise<void> {
    const request = job.request;
    if (!request) {
      this.fail(job.id, 'invalid', 'The job has no stored request to send.');
      return;
    }
    // Written before the POST: a crash from here on leaves a row that says "maybe sent". The error
    // path needs this send time to recognise the job among the provider's active tasks.
    const sent = this.library.updateJob(job.id, { submittedAt: this.now() });
    this.emitJob(job.id);
    try {
      const stored: SubmitRequest = { provider: job.provider, op: request.op, body: request.body };
      const ready = this.prepareRequest ? await this.prepareRequest(stored) : stored;
      const snap = await this.clientFor(job.provider).submit(ready, this.abort.signal);
      this.online();
      this.accept(job.id, snap);
    } catch (err) {
      if (this.stopped) {
        // Aborted by stop(): the POST may have gone out; the next start reconciles it.
        return;
      }
      await this.onSubmitError(sent, err);
    }
  }

  private accept(id: string, snap: RemoteJobSnapshot): void {
    const before = this.library.getJob(id)?.status;
    const row = this.library.applySnapshot(id, snap);
    const finished = row.status === 'completed' || row.status === 'failed';
    if (row.status === 'completed' && before !== 'completed' && row.endedAt !== null) {
      this.durations.record(row.taskType, row.endedAt - row.createdAt);
    }
    this.library.updateJob(id, {
      attempts: 0,
      nextPollAt: finished ? null : this.now() + this.pollDelay(row),
    });
    this.library.writeSidecar(id);
    this.emitJob(id);
  }

  private pollDelay(row: JobRow): number {
    return nextPollDelay({
      taskType: row.taskType,
      pollCount: row.pollCount,
      sinceSubmitMs: this.now() - (row.submittedAt ?? row.createdAt),
      policy: this.pollPolicy,
      learnedMs: this.durations.expected(row.taskType),
      speedFactor: speedFactorFor(row.params),
    });
  }

  private async onSubmitError(job: JobRow, err: unknown): Promise<void> {
    if (err instanceof ApiError && !err.retryable) {
      if (err.pausesQueue) {
        // Legnext refused before creating anything: keep the job waiting for the user to act.
        this.library.updateJob(job.id, { submittedAt: null });
        this.pause(job.provider, err.message, err.status);
      } else {
        this.fail(job.id, String(err.status), err.message);
      }
      this.emitJob(job.id);
      return;
    }
    if (err instanceof NetworkError || err instanceof ProtocolError) {
      // The request may have reached the API before the connection broke: look for it first.
      if ((await this.adoptIfCreated(job)) === 'adopted') return;
    }
    if (isRetryable(err)) {
      const attempts = job.attempts + 1;
      const retryAfter = err instanceof ApiError ? err.retryAfterMs : undefined;
      const wait = retryDelay(attempts, retryAfter, this.retryPolicy, this.random);
      this.noteTrouble(job.provider, err, wait);
      this.library.updateJob(job.id, {
        submittedAt: null,
        attempts,
        nextPollAt: this.now() + wait,
        errorCode: null,
        errorMessage: (err as Error).message,
      });
      this.emitJob(job.id);
      return;
    }
    this.fail(job.id, err instanceof GenVaultError ? err.kind : 'error', (err as Error).message);
    this.emitJob(job.id);
  }

  /**
   * A submit whose answer was lost: if the provider lists an active task of the same type created
   * since we sent ours and not already in the library, it is ours. `unknown`: the provider could not
   * be asked, so nothing can be concluded yet.
   */
  private async adoptIfCreated(job: JobRow): Promise<'adopted' | 'absent' | 'unknown'> {
    const client = this.clients[job.provider] as (ProviderClient & ActiveTaskLister) | undefined;
    if (!client?.activeTasks || job.submittedAt === null) return 'absent';
    let snap: RemoteJobSnapshot;
    try {
      const tasks = await client.activeTasks(this.abort.signal);
      const since = job.submittedAt - 5000;
      const candidates = tasks.filter(
        (t) =>
          t.taskType.replace(/-/g, '_') === job.taskType &&
          (t.createdAt === null || Date.parse(t.createdAt) >= since) &&
          !this.library.findByRemoteId(job.provider, t.remoteId),
      );
      if (candidates.length !== 1) return 'absent';
      snap = await client.poll(candidates[0]!.remoteId, this.abort.signal);
    } catch {
      return 'unknown';
    }
    this.accept(job.id, snap);
    return 'adopted';
  }

  /**
   * A row left in `submitting` with a send time by a run that died (or was stopped) mid-POST: adopt
   * the job if the provider lists it, fail it if not, and never send it again on a guess. While the
   * provider cannot be asked (offline at start-up) the question waits for a later look.
   */
  private async reconcileSubmit(job: JobRow): Promise<void> {
    const outcome = await this.adoptIfCreated(job);
    if (outcome === 'adopted' || this.stopped) return;
    if (outcome === 'unknown') {
      const attempts = job.attempts + 1;
      this.library.updateJob(job.id, {
        attempts,
        nextPollAt: this.now() + retryDelay(attempts, undefined, this.retryPolicy, this.random),
      });
    } else {
      this.fail(
        job.id,
        'interrupted',
        'GenVault stopped while sending this job and the provider does not list it as running; ' +
          'it was not sent again so it is not paid for twice. Use Retry to send it.',
      );
    }
    this.emitJob(job.id);
  }

  private async poll(job: JobRow): Promise<void> {
    try {
      const snap = await this.clientFor(job.provider).poll(job.remoteId!, this.abort.signal);
      this.online();
      this.library.updateJob(job.id, { lastPolledAt: this.now(), pollCount: job.pollCount + 1 });
      this.accept(job.id, snap);
    } catch (err) {
      if (this.stopped) return;
      this.onPollError(job, err);
    }
  }

  private onPollError(job: JobRow, err: unknown): void {
    if (err instanceof ApiError && !err.retryable) {
      if (err.pausesQueue) {
        this.pause(job.provider, err.message, err.status);
        this.library.updateJob(job.id, { nextPollAt: this.now() });
      } else {
        this.fail(job.id, String(err.status), err.message);
      }
      this.emitJob(job.id);
      return;
    }
    const attempts = job.attempts + 1;
    const retryAfter = err instanceof ApiError ? err.retryAfterMs : undefined;
    const wait = retryDelay(attempts, retryAfter, this.retryPolicy, this.random);
    this.noteTrouble(job.provider, err, wait);
    this.library.updateJob(job.id, {
      attempts,
      lastPolledAt: this.now(),
      nextPollAt: this.now() + wait,
    });
    this.emitJob(job.id);
  }

  /** Rate limits hold back the whole provider; network trouble flips the app offline. */
  private noteTrouble(provider: Provider, err: unknown, wait: number): void {
    if (err instanceof ApiError && err.status === 429) {
      this.blockedUntil.set(provider, Math.max(this.blockedUntil.get(provider) ?? 0, this.now() + wait));
    }
    if (err instanceof NetworkError && !this.offline) {
      this.offline = true;
      this.offlineReason = err.message;
      this.emit({ type: 'offline', reason: err.message });
    }
  }

  private online(): void {
    if (!this.offline) return;
    this.offline = false;
    this.offlineReason = null;
    this.emit({ type: 'online' });
  }

  private fail(id: string, code: string, message: string): void {
    this.library.updateJob(id, {
      status: 'failed',
      errorCode: code,
      errorMessage: message,
      nextPollAt: null,
      endedAt: this.now(),
    });
    this.library.writeSidecar(id);
  }
}

/** Optional capability of a client: list jobs in flight (Legnext `/account/active_tasks`). */
interface ActiveTaskLister {
  activeTasks?: (
    signal?: AbortSignal,
  ) => Promise<Array<{ remoteId: string; taskType: string; createdAt: string | null }>>;
}

export type { OutputToArchive };
