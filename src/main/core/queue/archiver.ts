/**
 * Moves outputs from the CDN into the library: picks due outputs (closest to CDN expiry first), runs
 * verified downloads in a bounded pool, makes thumbnails, and records every state change in the DB so a
 * crash at any moment leaves either no file or a verified one.
 */
import type { Dispatcher } from 'undici';
import { rm } from 'node:fs/promises';
import {
  ArchiveContentError,
  CdnGoneError,
  PriorityPool,
  downloadVerified,
  removeStrayTempFiles,
  videoPoster,
} from '../archive';
import { ApiError } from '../errors';
import type { Library } from '../library';
import { mediaDirFor, thumbPathFor, thumbsDirFor, toAbsolute, toRelative } from '../library/paths';
import type { OutputToArchive } from '../library/rows';
import { retryDelay, type BackoffPolicy } from './backoff';
import type { QueueEvent } from './queue';

export interface OutputArchiverOptions {
  library: Library;
  now: () => number;
  random: () => number;
  concurrency: number;
  maxAttempts: number;
  retryPolicy: BackoffPolicy;
  dispatcher: Dispatcher | undefined;
  emit: (event: QueueEvent) => void;
  /** Called after every download settles, so the scheduler can pick the next one. */
  onSettled: () => void;
}

/** Progress events at most this often per output, so a fast download does not flood the renderer. */
const PROGRESS_INTERVAL_MS = 200;

export class OutputArchiver {
  private readonly pool: PriorityPool;
  constructor(private readonly o: OutputArchiverOptions) {
    this.pool = new PriorityPool({ concurrency: o.concurrency });
  }

  private key(jobId: string, kind: string, index: number): string {
    return `${jobId}/${kind}/${index}`;
  }

  /** Starts every due output not already in the pool; returns when the next one falls due. */
  runDue(now: number): number {
    const room = this.o.concurrency * 4;
    const due = this.o.library.outputsToArchive(now, room);
    for (const output of due) {
      const key = this.key(output.jobId, output.kind, output.index);
      if (this.pool.has(key)) continue;
      this.pool
        .add(output.cdnExpiresAt, key, (signal) => this.archive(output, signal))
        .catch(() => undefined)
        .finally(() => this.o.onSettled());
    }
    const next = this.o.library.nextOutputAttemptAt();
    return next === null || next <= now ? Infinity : next;
  }

  reset(jobId: string, kind: string, index: number): void {
    this.o.library.updateOutput(jobId, kind as OutputToArchive['kind'], index, {
      state: 'remote',
      attempts: 0,
      nextAttemptAt: this.o.now(),
      error: null,
    });
  }

  async stop(): Promise<void> {
    await this.pool.stop();
  }

  /**
   * Removes the `.part` temp files a killed run left beside outputs it was downloading (and their
   * thumbnails). Only before this run downloads anything: a running download's temp file looks the same.
   */
  async removeLeftovers(): Promise<void> {
    const { library } = this.o;
    for (const id of library.jobsWithPendingOutputs()) {
      const job = library.getJob(id);
      if (!job) continue;
      for (const dir of [mediaDirFor(job), thumbsDirFor(job)]) {
        // A leftover that cannot be removed (permissions) is harmless: it only takes space.
        await removeStrayTempFiles(toAbsolute(library.root, dir)).catch(() => 0);
      }
    }
  }

  private async archive(output: OutputToArchive, signal: AbortSignal): Promise<void> {
    const { library } = this.o;
    const job = library.getJob(output.jobId);
    if (!job || !output.url) return;
    library.updateOutput(job.id, output.kind, output.index, { state: 'downloading' });
    this.emitJob(job.id);
    let lastProgress = 0;
    try {
      const thumbRel = thumbPathFor(job, output.kind, output.index);
      const thumbAbs = toAbsolute(library.root, thumbRel);
      const file = await downloadVerified(
        {
          url: output.url,
          dir: toAbsolute(library.root, mediaDirFor(job)),
          baseName: output.kind === 'grid' ? 'grid' : String(output.index),
          expect: output.kind === 'video' ? 'video' : 'image',
        },
        {
          dispatcher: this.o.dispatcher,
          signal,
          // Images get their thumbnail from the same decode that verifies them.
          thumbnail: thumbAbs,
          onProgress: (received, total) => {
            const t = this.o.now();
            if (t - lastProgress < PROGRESS_INTERVAL_MS && received !== total) return;
            lastProgress = t;
            this.o.emit({
              type: 'download',
              jobId: job.id,
              kind: output.kind,
              index: output.index,
              received,
              total,
            });
          },
        },
      );
      if (!library.getJob(job.id)) return; // removed while it downloaded: see `finally`
      let width = file.width;
      let height = file.height;
      let durationMs = file.durationMs;
      if (output.kind === 'video') {
        const poster = await videoPoster(file.path, thumbAbs);
        width ??= poster.width;
        height ??= poster.height;
        durationMs ??= poster.durationMs;
      }
      library.updateOutput(job.id, output.kind, output.index, {
        state: 'archived',
        path: toRelative(library.root, file.path),
        bytes: file.bytes,
        sha256: file.sha256,
        mime: file.mime,
        width,
        height,
        durationMs,
        thumbPath: thumbRel,
        error: null,
        archivedAt: this.o.now(),
      });
      library.writeSidecar(job.id);
    } catch (err) {
      if (signal.aborted) {
        // Stopped mid-download: nothing partial was kept; the next run starts it again.
        library.updateOutput(job.id, output.kind, output.index, { state: 'remote' });
        return;
      }
      if (library.getJob(job.id)) this.onError(output, err);
    } finally {
      if (library.getJob(job.id)) this.emitJob(job.id);
      else await this.removeFolders(job);
    }
  }

  /** What a download left of a job removed from the library meanwhile: its media and thumbnail folders. */
  private async removeFolders(job: { id: string; createdAt: number }): Promise<void> {
    for (const dir of [mediaDirFor(job), thumbsDirFor(job)]) {
      await rm(toAbsolute(this.o.library.root, dir), { recursive: true, force: true });
    }
  }

  private onError(output: OutputToArchive, err: unknown): void {
    const now = this.o.now();
    const attempts = output.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof CdnGoneError && now >= output.cdnExpiresAt) {
      this.o.library.updateOutput(output.jobId, output.kind, output.index, {
        state: 'expired',
        attempts,
        error: `The CDN deleted this file before it was archived (its 30 days ended ${new Date(
          output.cdnExpiresAt,
        ).toISOString()}).`,
      });
      return;
    }
    const giveUp = attempts >= this.o.maxAttempts;
    const retryAfter = err instanceof ApiError ? err.retryAfterMs : undefined;
    // A web page instead of an image is usually a CDN hiccup too, but not worth hammering.
    const factor = err instanceof ArchiveContentError ? 3 : 1;
    const wait = retryDelay(attempts, retryAfter, this.o.retryPolicy, this.o.random) * factor;
    this.o.library.updateOutput(output.jobId, output.kind, output.index, {
      state: 'error',
      attempts,
      // Past the attempt budget the output waits for a manual retry (or the next `sync`).
      nextAttemptAt: giveUp ? null : Math.min(now + wait, Math.max(now, output.cdnExpiresAt - 60_000)),
      error: message,
    });
  }

  private emitJob(jobId: string): void {
    this.o.emit({ type: 'job', job: this.o.library.jobView(jobId) });
  }
}
