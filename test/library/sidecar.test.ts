import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, jobViewSchema } from '../../src/shared/domain';
import type { JobView } from '../../src/shared/domain';
import type { Library } from '../../src/main/core/library';
import { mediaDirFor, outputPathFor, thumbPathFor } from '../../src/main/core/library';
import { T0, clock, imageOutputs, snapshot, useTempLibraries } from './helpers';

const temp = useTempLibraries();
const API_KEY = 'lgx_live_9f8e7d6c5b4a';

/** Writes a real file for an output and records it as archived, the way the archiver does. */
function archive(
  lib: Library,
  jobId: string,
  kind: 'image' | 'grid' | 'video',
  index: number,
  withThumb = true,
) {
  const job = lib.getJob(jobId)!;
  const ext = kind === 'video' ? 'mp4' : 'png';
  const relative = outputPathFor(job, kind, index, ext);
  const content = Buffer.from(`${jobId}/${kind}/${index}`.repeat(10));
  mkdirSync(path.dirname(lib.absolute(relative)), { recursive: true });
  writeFileSync(lib.absolute(relative), content);
  const thumb = thumbPathFor(job, kind, index);
  if (withThumb) {
    mkdirSync(path.dirname(lib.absolute(thumb)), { recursive: true });
    writeFileSync(lib.absolute(thumb), 'thumb');
  }
  lib.updateOutput(jobId, kind, index, {
    state: 'archived',
    path: lib.absolute(relative),
    bytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    mime: kind === 'video' ? 'video/mp4' : 'image/png',
    width: 512,
    height: 512,
    durationMs: kind === 'video' ? 5000 : null,
    thumbPath: withThumb ? thumb : null,
  });
}

/** A small library with every kind of row a sidecar has to carry. */
function populate(lib: Library): string[] {
  const root = lib.createJob({
    provider: 'legnext',
    taskType: 'diffusion',
    prompt: 'a paper boat on a puddle --ar 3:2 --v 7',
    params: { ar: '3:2', v: '7' },
    request: { op: 'diffusion', body: { text: 'a paper boat on a puddle --ar 3:2 --v 7' } },
    modelVersion: '7',
    aspectRatio: '3:2',
    status: 'queued',
    remoteId: 'rem-root',
  });
  lib.applySnapshot(
    root.id,
    snapshot({
      remoteId: 'rem-root',
      createdAt: '2025-01-15T11:59:59.500Z',
      startedAt: '2025-01-15T12:00:03.000Z',
      endedAt: '2025-01-15T12:00:41.125Z',
      outputs: imageOutputs('rem-root'),
      seed: '998877',
      cost: { frozen: 0, consumed: 8 },
      availableActions: { upscale: [0, 1, 2, 3], variation: [0, 1, 2, 3], reroll: true },
      raw: { job_id: 'rem-root', config: { webhook_config: { endpoint: '', secret: API_KEY } } },
    }),
  );
  archive(lib, root.id, 'grid', 0);
  archive(lib, root.id, 'image', 0);
  archive(lib, root.id, 'image', 1, false);
  lib.updateOutput(root.id, 'image', 2, { state: 'error', error: 'The CDN timed out.', attempts: 2 });
  lib.setTags(root.id, ['boats', 'Print']);
  lib.setFavorite(root.id, true);

  const upscale = lib.createJob({
    provider: 'legnext',
    taskType: 'upscale',
    parent: { id: root.id, index: 0, relation: 'upscale' },
    status: 'queued',
    remoteId: 'rem-up',
    request: { op: 'upscale', body: { jobId: 'rem-root', imageNo: 0, type: 0 } },
  });
  lib.applySnapshot(
    upscale.id,
    snapshot({
      remoteId: 'rem-up',
      taskType: 'upscale',
      outputs: [{ kind: 'image', index: 0, url: 'https://cdn.example.test/up.png' }],
    }),
  );
  archive(lib, upscale.id, 'image', 0);

  const other = lib.createJob({
    provider: 'legnext',
    taskType: 'diffusion',
    prompt: 'neon koi',
    remoteId: 'rem-koi',
    status: 'queued',
  });
  lib.applySnapshot(other.id, snapshot({ remoteId: 'rem-koi', outputs: imageOutputs('rem-koi') }));
  const blend = lib.createJob({
    provider: 'legnext',
    taskType: 'blend',
    parent: { id: upscale.id, index: 0, relation: 'blend' },
    extraParents: [{ id: other.id, index: 3 }],
    createdAt: T0 + 40 * DAY_MS,
  });
  lib.updateJob(blend.id, { status: 'failed', errorCode: '10003', errorMessage: 'The prompt was refused.' });

  const describe = lib.createJob({
    provider: 'legnext',
    taskType: 'describe',
    parent: { id: root.id, index: 1, relation: 'describe' },
    remoteId: 'rem-desc',
    status: 'running',
  });
  lib.applySnapshot(
    describe.id,
    snapshot({
      remoteId: 'rem-desc',
      taskType: 'describe',
      text: { prompts: ['origami boat, rain', 'paper ship in a puddle'], description: 'A folded boat.' },
    }),
  );

  const video = lib.createJob({
    provider: 'vidu',
    taskType: 'video',
    prompt: 'the boat drifts',
    remoteId: 'vidu-1',
    status: 'queued',
    createdAt: Date.UTC(2024, 11, 31, 23, 59, 59),
  });
  lib.applySnapshot(
    video.id,
    snapshot({
      provider: 'vidu',
      remoteId: 'vidu-1',
      taskType: 'video',
      outputs: [{ kind: 'video', index: 0, url: 'https://v.example.test/0.mp4' }],
    }),
  );
  archive(lib, video.id, 'video', 0);

  // Submitted but never answered: a sidecar without a remote id.
  const pending = lib.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'never sent' });
  return [root.id, upscale.id, other.id, blend.id, describe.id, video.id, pending.id];
}

function views(lib: Library, ids: string[]): JobView[] {
  return ids.map((id) => jobViewSchema.parse(lib.jobView(id)));
}

function removeDb(dir: string): void {
  for (const name of ['genvault.db', 'genvault.db-wal', 'genvault.db-shm'])
    rmSync(path.join(dir, name), { force: true });
}

describe('sidecars', () => {
  it('round-trips: write every sidecar, delete the DB, rebuild, and get the same jobs back', () => {
    const clk = clock();
    const { lib, dir } = temp.fresh(clk);
    const ids = populate(lib);
    for (const id of ids) lib.writeSidecar(id);
    const before = views(lib, ids);
    const lineageBefore = ids.map((id) => [lib.parents(id), lib.children(id)]);
    const listBefore = lib.listJobs().items.map((j) => j.id);
    const statsBefore = lib.stats();
    const rowsBefore = ids.map((id) => {
      const { updatedAt: _u, nextPollAt: _n, ...rest } = lib.getJob(id)!;
      return rest;
    });
    lib.close();
    removeDb(dir);

    const rebuilt = temp.open(dir, { now: clk.now });
    expect(rebuilt.listJobs().items).toEqual([]);
    const result = rebuilt.rebuildFromFolder();
    expect(result).toEqual({ jobs: ids.length, outputs: 5 + 1 + 5 + 1, skipped: [], missingFiles: 0 });
    expect(views(rebuilt, ids)).toEqual(before);
    expect(ids.map((id) => [rebuilt.parents(id), rebuilt.children(id)])).toEqual(lineageBefore);
    expect(rebuilt.listJobs().items.map((j) => j.id)).toEqual(listBefore);
    expect(
      ids.map((id) => {
        const { updatedAt: _u, nextPollAt: _n, ...rest } = rebuilt.getJob(id)!;
        return rest;
      }),
    ).toEqual(rowsBefore);
    expect(rebuilt.search('origami').items.map((j) => j.id)).toEqual([ids[4]]);
    expect(rebuilt.search('print').items.map((j) => j.id)).toEqual([ids[0]]);
    expect(rebuilt.stats()).toEqual(statsBefore);
    expect(rebuilt.unfinishedJobs().map((j) => j.id)).toEqual([ids[6]]);
  });

  it('never writes a credential and leaves no temporary files', () => {
    const { lib, dir } = temp.fresh();
    const ids = populate(lib);
    lib.updateJob(ids[1]!, { request: { op: 'upscale', body: { jobId: 'rem-root', 'x-api-key': API_KEY } } });
    for (const id of ids) lib.writeSidecar(id);
    lib.writeSidecar(ids[0]!);
    const jobDir = path.join(dir, mediaDirFor(lib.getJob(ids[0]!)!));
    expect(readdirSync(jobDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    for (const id of ids) {
      const text = readFileSync(path.join(dir, mediaDirFor(lib.getJob(id)!), 'job.json'), 'utf8');
      expect(text).not.toContain(API_KEY);
      expect(JSON.parse(text)).toMatchObject({ format: 'genvault-job', version: 1, id });
    }
    const raw = JSON.parse(readFileSync(path.join(jobDir, 'job.json'), 'utf8')).raw;
    expect(raw.config.webhook_config).toEqual({ endpoint: '', secret: '[redacted]' });
    expect(JSON.stringify(lib.getJob(ids[1]!)!.request)).not.toContain(API_KEY);
  });

  it('puts a missing archived file back to remote, or expired once the CDN copy is gone', () => {
    const clk = clock();
    const { lib, dir } = temp.fresh(clk);
    const ids = populate(lib);
    for (const id of ids) lib.writeSidecar(id);
    const root = lib.getJob(ids[0]!)!;
    const video = lib.getJob(ids[5]!)!;
    rmSync(lib.absolute(lib.getOutput(root.id, 'image', 0)!.path!));
    writeFileSync(lib.absolute(lib.getOutput(root.id, 'grid', 0)!.path!), 'truncated');
    rmSync(lib.absolute(lib.getOutput(root.id, 'image', 0)!.thumbPath!));
    rmSync(lib.absolute(lib.getOutput(video.id, 'video', 0)!.path!));
    lib.close();
    removeDb(dir);

    // 31 days after the video's creation but 29 days after the root's.
    clk.set(video.createdAt + 31 * DAY_MS);
    expect(clk.now()).toBeLessThan(root.cdnExpiresAt);
    const rebuilt = temp.open(dir, { now: clk.now });
    expect(rebuilt.rebuildFromFolder()).toMatchObject({ jobs: ids.length, missingFiles: 3 });
    expect(rebuilt.getOutput(root.id, 'image', 0)).toMatchObject({
      state: 'remote',
      path: null,
      thumbPath: null,
      bytes: null,
    });
    expect(rebuilt.getOutput(root.id, 'grid', 0)).toMatchObject({ state: 'remote', path: null });
    expect(rebuilt.getOutput(root.id, 'image', 1)).toMatchObject({ state: 'archived' });
    expect(rebuilt.getOutput(video.id, 'video', 0)).toMatchObject({ state: 'expired', path: null });
    expect(rebuilt.getJob(video.id)!.archiveState).toBe('expired');
    expect(rebuilt.outputsToArchive(clk.now(), 50).some((o) => o.jobId === root.id && o.index === 0)).toBe(
      true,
    );
  });

  it('links a job to a parent whose sidecar is read after its own', () => {
    const clk = clock();
    const { lib, dir } = temp.fresh(clk);
    const parent = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      createdAt: Date.UTC(2025, 1, 3),
    });
    // The child's folder (January) sorts before the parent's (February).
    const child = lib.createJob({
      provider: 'legnext',
      taskType: 'blend',
      createdAt: Date.UTC(2025, 0, 20),
      parent: { id: parent.id, index: 2, relation: 'blend' },
      extraParents: [{ id: parent.id, index: 3 }],
    });
    for (const id of [parent.id, child.id]) lib.writeSidecar(id);
    const before = [lib.jobView(child.id), lib.parents(child.id)];
    lib.close();
    removeDb(dir);

    const rebuilt = temp.open(dir, { now: clk.now });
    expect(rebuilt.rebuildFromFolder()).toMatchObject({ jobs: 2, skipped: [] });
    expect([rebuilt.jobView(child.id), rebuilt.parents(child.id)]).toEqual(before);
    expect(rebuilt.getJob(child.id)).toMatchObject({
      parentId: parent.id,
      parentIndex: 2,
      rootId: parent.id,
    });
  });

  it('skips unreadable sidecars, drops links to jobs that are gone, and keeps newer rows', () => {
    const clk = clock();
    const { lib, dir } = temp.fresh(clk);
    const ids = populate(lib);
    for (const id of ids) lib.writeSidecar(id);
    const rootSidecar = path.join(dir, mediaDirFor(lib.getJob(ids[0]!)!), 'job.json');
    const koiSidecar = path.join(dir, mediaDirFor(lib.getJob(ids[2]!)!), 'job.json');
    writeFileSync(rootSidecar, '{ "format": "genvault-job", "version": 1, "id": ');
    rmSync(koiSidecar);
    lib.close();
    removeDb(dir);

    const rebuilt = temp.open(dir, { now: clk.now });
    const result = rebuilt.rebuildFromFolder();
    expect(result.skipped).toEqual([path.relative(dir, rootSidecar).split(path.sep).join('/')]);
    expect(result.jobs).toBe(ids.length - 2);
    expect(rebuilt.getJob(ids[0]!)).toBeUndefined();
    const upscale = rebuilt.getJob(ids[1]!)!;
    expect(upscale.parentId).toBeNull();
    expect(rebuilt.parents(ids[3]!).map((e) => e.parentId)).toEqual([ids[1]]);

    // A second rebuild over the live library re-applies the sidecars but does not undo a newer change.
    clk.advance(10_000);
    rebuilt.setTags(ids[1]!, ['kept']);
    expect(rebuilt.rebuildFromFolder()).toMatchObject({ jobs: ids.length - 3 });
    expect(rebuilt.jobView(ids[1]!).tags).toEqual(['kept']);
    expect(existsSync(path.join(dir, 'genvault.db'))).toBe(true);
  });
});

describe('writeFileAtomic', () => {
  it('clears temp files a killed writer left, and keeps a live writer’s', async () => {
    const { mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const pathMod = await import('node:path');
    const { writeFileAtomic } = await import('../../src/main/core/library/sidecar');
    const dir = mkdtempSync(pathMod.join(tmpdir(), 'genvault-atomic-'));
    try {
      const target = pathMod.join(dir, 'job.json');
      // A pid far above any kernel's pid_max belongs to no live process.
      writeFileSync(`${target}.${2 ** 30}-aaaaaaaaaaaa.tmp`, '{"half":');
      writeFileSync(`${target}.${process.pid}-bbbbbbbbbbbb.tmp`, '{"in progress":');
      writeFileAtomic(target, '{"ok":true}\n');
      expect(readFileSync(target, 'utf8')).toBe('{"ok":true}\n');
      expect(readdirSync(dir).sort()).toEqual(['job.json', `job.json.${process.pid}-bbbbbbbbbbbb.tmp`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
