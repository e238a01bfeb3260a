import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, jobViewSchema } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import type { Library } from '../../src/main/core/library';
import { T0, imageOutputs, snapshot, useTempLibraries } from './helpers';

const temp = useTempLibraries();

function finishedJob(lib: Library, remoteId: string, createdAt: number) {
  const job = lib.createJob({
    provider: 'legnext',
    taskType: 'diffusion',
    remoteId,
    status: 'queued',
    createdAt,
  });
  lib.applySnapshot(job.id, snapshot({ remoteId, outputs: imageOutputs(remoteId) }));
  return job;
}

describe('outputsToArchive', () => {
  it('offers the outputs closest to CDN expiry first; within a job images before the grid', () => {
    const { lib } = temp.fresh();
    const recent = finishedJob(lib, 'recent', T0);
    const old = finishedJob(lib, 'old', T0 - 20 * DAY_MS);
    const middle = finishedJob(lib, 'middle', T0 - 5 * DAY_MS);
    const order = lib
      .outputsToArchive(T0, 100)
      .map(
        (o) =>
          `${o.jobId === old.id ? 'old' : o.jobId === middle.id ? 'middle' : 'recent'}:${o.kind}${o.index}`,
      );
    expect(order).toEqual([
      'old:image0',
      'old:image1',
      'old:image2',
      'old:image3',
      'old:grid0',
      'middle:image0',
      'middle:image1',
      'middle:image2',
      'middle:image3',
      'middle:grid0',
      'recent:image0',
      'recent:image1',
      'recent:image2',
      'recent:image3',
      'recent:grid0',
    ]);
    const first = lib.outputsToArchive(T0, 1)[0]!;
    expect(first).toMatchObject({
      jobId: old.id,
      cdnExpiresAt: T0 - 20 * DAY_MS + 30 * DAY_MS,
      jobCreatedAt: T0 - 20 * DAY_MS,
      url: 'https://cdn.example.test/old/0.png',
    });
    expect(recent.id).not.toBe(old.id);
  });

  it('skips outputs in flight, done, given up on, or not yet due for a retry', () => {
    const { lib } = temp.fresh();
    const job = finishedJob(lib, 'r', T0);
    lib.updateOutput(job.id, 'image', 0, { state: 'downloading' });
    lib.updateOutput(job.id, 'image', 1, { state: 'archived', path: 'media/a/1.png' });
    lib.updateOutput(job.id, 'image', 2, { state: 'error', nextAttemptAt: T0 + 60_000, attempts: 1 });
    lib.updateOutput(job.id, 'image', 3, { state: 'expired' });
    lib.updateOutput(job.id, 'grid', 0, { state: 'error', nextAttemptAt: null, attempts: 5 });
    expect(lib.outputsToArchive(T0, 10)).toEqual([]);
    expect(lib.outputsToArchive(T0 + 60_000, 10).map((o) => [o.kind, o.index])).toEqual([['image', 2]]);
    expect(lib.nextOutputAttemptAt()).toBe(T0 + 60_000);
    expect(lib.pendingOutputCount()).toBe(3);

    expect(lib.resetExhaustedOutputs(T0 + 5)).toBe(1);
    expect(lib.getOutput(job.id, 'grid', 0)).toMatchObject({ attempts: 0, nextAttemptAt: T0 + 5 });
    expect(lib.nextOutputAttemptAt()).toBe(T0 + 5);
    expect(lib.recoverInterruptedDownloads()).toBe(1);
    expect(lib.getOutput(job.id, 'image', 0)?.state).toBe('remote');
    expect(lib.recoverInterruptedDownloads()).toBe(0);
  });
});

describe('archive state of a job', () => {
  it('follows its outputs through every transition', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      remoteId: 'a',
      status: 'queued',
    });
    const state = () => lib.getJob(job.id)!.archiveState;
    expect(state()).toBe('none');
    lib.applySnapshot(job.id, snapshot({ remoteId: 'a', outputs: imageOutputs('a').slice(0, 3) }));
    expect(state()).toBe('pending');
    lib.updateOutput(job.id, 'grid', 0, { state: 'downloading' });
    expect(state()).toBe('pending');
    lib.updateOutput(job.id, 'grid', 0, { state: 'archived', path: 'media/g.png' });
    lib.updateOutput(job.id, 'image', 0, { state: 'archived', path: 'media/0.png' });
    expect(state()).toBe('pending');
    lib.updateOutput(job.id, 'image', 1, { state: 'error', error: 'timeout' });
    expect(state()).toBe('error');
    lib.updateOutput(job.id, 'image', 1, { state: 'archived', path: 'media/1.png', error: null });
    expect(state()).toBe('archived');
    expect(lib.jobsWithPendingOutputs()).toEqual([]);
    lib.updateOutput(job.id, 'image', 1, { state: 'expired', path: null });
    expect(state()).toBe('partial');
    for (const [kind, index] of [
      ['grid', 0],
      ['image', 0],
    ] as const) {
      lib.updateOutput(job.id, kind, index, { state: 'expired', path: null });
    }
    expect(state()).toBe('expired');
    // A new output from a later poll re-opens the job.
    lib.applySnapshot(job.id, snapshot({ remoteId: 'a', outputs: imageOutputs('a') }));
    expect(state()).toBe('pending');
    expect(lib.jobsWithPendingOutputs()).toEqual([job.id]);
  });
});

describe('updateOutput', () => {
  it('stores paths relative to the library and shows them absolute', () => {
    const { lib, dir, clk } = temp.fresh();
    const job = finishedJob(lib, 'p', T0);
    const file = path.join(dir, 'media', '2025', '01', job.id, '0.png');
    clk.advance(1234);
    const row = lib.updateOutput(job.id, 'image', 0, {
      state: 'archived',
      path: file,
      bytes: 2048,
      sha256: 'ab'.repeat(32),
      mime: 'image/png',
      width: 1024,
      height: 1024,
      thumbPath: `thumbs/2025/01/${job.id}/0.webp`,
    });
    expect(row).toMatchObject({
      path: `media/2025/01/${job.id}/0.png`,
      thumbPath: `thumbs/2025/01/${job.id}/0.webp`,
      archivedAt: T0 + 1234,
    });
    const view = jobViewSchema.parse(lib.jobView(job.id));
    expect(view.outputs[0]).toEqual({
      index: 0,
      kind: 'image',
      url: 'https://cdn.example.test/p/0.png',
      path: file,
      bytes: 2048,
      sha256: 'ab'.repeat(32),
      width: 1024,
      height: 1024,
      durationMs: null,
      thumbPath: path.join(dir, 'thumbs', '2025', '01', job.id, '0.webp'),
      state: 'archived',
      error: null,
    });
    expect(lib.stats()).toEqual({ jobs: 1, outputs: 5, archived: 1, bytes: 2048 });
  });

  it('refuses paths outside the library, unknown outputs and unknown states', () => {
    const { lib } = temp.fresh();
    const job = finishedJob(lib, 'q', T0);
    expect(() => lib.updateOutput(job.id, 'image', 0, { path: '/etc/passwd' })).toThrow(
      /outside the library/,
    );
    expect(() => lib.updateOutput(job.id, 'image', 0, { path: '../elsewhere.png' })).toThrow(
      InvalidInputError,
    );
    expect(() => lib.updateOutput(job.id, 'video', 0, { state: 'archived' })).toThrow(
      `Job ${job.id} has no video output 0.`,
    );
    expect(() => lib.updateOutput(job.id, 'image', 0, { state: 'gone' as 'expired' })).toThrow(
      /Unknown output state/,
    );
    expect(lib.getOutput(job.id, 'image', 0)?.state).toBe('remote');
  });
});
