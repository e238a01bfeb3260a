import { describe, expect, it } from 'vitest';
import { ACTIONS_WINDOW_MS, CDN_RETENTION_MS, DAY_MS, jobViewSchema } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import { z } from 'zod';
import { T0, imageOutputs, snapshot, useTempLibraries } from './helpers';

const temp = useTempLibraries();
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createJob', () => {
  it('writes a submitting job with its windows, and ids that sort by creation', () => {
    const { lib, clk } = temp.fresh();
    const first = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      prompt: 'a red fox --ar 16:9 --v 7',
      params: { ar: '16:9', v: '7' },
      request: { op: 'diffusion', body: { text: 'a red fox --ar 16:9 --v 7' } },
      modelVersion: '7',
      aspectRatio: '16:9',
    });
    const second = lib.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'same millisecond' });
    clk.advance(1);
    const third = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });

    expect(first.id).toMatch(UUID_V7);
    expect([first.id, second.id, third.id]).toEqual([first.id, second.id, third.id].sort());
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    expect(first).toMatchObject({
      status: 'submitting',
      createdAt: T0,
      cdnExpiresAt: T0 + CDN_RETENTION_MS,
      actionsExpireAt: T0 + ACTIONS_WINDOW_MS,
      rootId: first.id,
      parentId: null,
      archiveState: 'none',
      nextPollAt: null,
      request: { op: 'diffusion', body: { text: 'a red fox --ar 16:9 --v 7' } },
    });
    const view = jobViewSchema.parse(lib.jobView(first.id));
    expect(view).toMatchObject({
      createdAt: '2025-01-15T12:00:00.000Z',
      cdnExpiresAt: '2025-02-14T12:00:00.000Z',
      actionsExpireAt: '2025-01-18T12:00:00.000Z',
      params: { ar: '16:9', v: '7' },
      outputs: [],
      tags: [],
      text: null,
      cost: { frozen: 0, consumed: 0 },
    });
  });

  it('makes a job the API already holds due for a poll at once', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      status: 'queued',
      remoteId: 'r-1',
    });
    expect(job.nextPollAt).toBe(T0);
  });

  it('links a follow-up to its parent and inherits the family root', () => {
    const { lib } = temp.fresh();
    const root = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });
    const child = lib.createJob({
      provider: 'legnext',
      taskType: 'upscale',
      parent: { id: root.id, index: 2, relation: 'upscale' },
    });
    expect(child).toMatchObject({ parentId: root.id, parentIndex: 2, rootId: root.id });
    expect(lib.jobView(child.id).parent).toEqual({ id: root.id, index: 2 });
    expect(lib.parents(child.id)).toEqual([
      { parentId: root.id, parentIndex: 2, childId: child.id, relation: 'upscale', position: 0 },
    ]);
  });

  it('refuses unknown parents, extra parents without a first one, and a remote id already taken', () => {
    const { lib } = temp.fresh();
    expect(() =>
      lib.createJob({
        provider: 'legnext',
        taskType: 'upscale',
        parent: { id: 'nope', index: 0, relation: 'upscale' },
      }),
    ).toThrow(/The parent job nope is not in the library/);
    const a = lib.createJob({ provider: 'legnext', taskType: 'diffusion', remoteId: 'remote-a' });
    expect(() =>
      lib.createJob({ provider: 'legnext', taskType: 'blend', extraParents: [{ id: a.id, index: 0 }] }),
    ).toThrow(InvalidInputError);
    expect(() => lib.createJob({ provider: 'legnext', taskType: 'diffusion', remoteId: 'remote-a' })).toThrow(
      `The legnext job remote-a is already in the library as ${a.id}.`,
    );
    // The same remote id at another provider is a different job.
    expect(lib.createJob({ provider: 'vidu', taskType: 'video', remoteId: 'remote-a' }).remoteId).toBe(
      'remote-a',
    );
    expect(() => lib.createJob({ provider: 'legnext', taskType: 'diffusion', createdAt: -5 })).toThrow(
      InvalidInputError,
    );
  });
});

describe('updateJob', () => {
  it('changes only the given fields, clears with null, and moves the windows with createdAt', () => {
    const { lib, clk } = temp.fresh();
    const job = lib.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'p' });
    clk.advance(5000);
    const updated = lib.updateJob(job.id, {
      remoteId: 'remote-1',
      status: 'queued',
      submittedAt: T0 + 100,
      errorCode: 'net',
      errorMessage: 'Legnext could not be reached.',
      attempts: 2,
      nextPollAt: T0 + 9000,
      prompt: undefined,
    });
    expect(updated).toMatchObject({
      remoteId: 'remote-1',
      status: 'queued',
      submittedAt: T0 + 100,
      prompt: 'p',
      attempts: 2,
      nextPollAt: T0 + 9000,
      updatedAt: T0 + 5000,
    });
    expect(lib.jobView(job.id).error).toEqual({ code: 'net', message: 'Legnext could not be reached.' });

    const cleared = lib.updateJob(job.id, { errorCode: null, errorMessage: null, createdAt: T0 - DAY_MS });
    expect(cleared.errorMessage).toBeNull();
    expect(cleared.cdnExpiresAt).toBe(T0 - DAY_MS + CDN_RETENTION_MS);
    expect(cleared.actionsExpireAt).toBe(T0 - DAY_MS + ACTIONS_WINDOW_MS);
    expect(() => lib.updateJob('missing', { status: 'failed' })).toThrow(
      'No job with id missing is in the library.',
    );
  });
});

describe('applySnapshot', () => {
  it('folds a poll result in: status, times from the API, cost, seed, actions, outputs as remote', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'harbor at dusk' });
    const apiCreated = '2025-01-15T11:59:58.250Z';
    const row = lib.applySnapshot(
      job.id,
      snapshot({
        remoteId: 'r-42',
        createdAt: apiCreated,
        startedAt: '2025-01-15T12:00:05Z',
        endedAt: '2025-01-15T12:00:50Z',
        outputs: imageOutputs('r-42'),
        seed: '12345',
        cost: { frozen: 0, consumed: 8 },
        availableActions: { upscale: [0, 1, 2, 3], reroll: true },
        raw: { job_id: 'r-42', status: 'completed' },
      }),
    );
    const created = Date.parse(apiCreated);
    expect(row).toMatchObject({
      remoteId: 'r-42',
      status: 'completed',
      createdAt: created,
      cdnExpiresAt: created + CDN_RETENTION_MS,
      actionsExpireAt: created + ACTIONS_WINDOW_MS,
      startedAt: Date.parse('2025-01-15T12:00:05Z'),
      costConsumed: 8,
      seed: '12345',
      progress: 100,
      archiveState: 'pending',
      raw: { job_id: 'r-42', status: 'completed' },
    });
    const view = jobViewSchema.parse(lib.jobView(job.id));
    expect(view.outputs.map((o) => [o.kind, o.index, o.state])).toEqual([
      ['image', 0, 'remote'],
      ['image', 1, 'remote'],
      ['image', 2, 'remote'],
      ['image', 3, 'remote'],
      ['grid', 0, 'remote'],
    ]);
    expect(view.availableActions).toEqual({ upscale: [0, 1, 2, 3], reroll: true });
  });

  it('keeps a cost known from an earlier answer when a later one reports none', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({ provider: 'leonardo', taskType: 'image_to_video', prompt: 'waves' });
    lib.applySnapshot(
      job.id,
      snapshot({
        provider: 'leonardo',
        remoteId: 'g-1',
        status: 'queued',
        cost: { frozen: 25, consumed: 25 },
      }),
    );
    const row = lib.applySnapshot(
      job.id,
      snapshot({ provider: 'leonardo', remoteId: 'g-1', cost: { frozen: 0, consumed: 0 } }),
    );
    expect([row.costFrozen, row.costConsumed]).toEqual([25, 25]);
    const legnext = lib.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'dunes' });
    lib.applySnapshot(
      legnext.id,
      snapshot({ remoteId: 'r-9', status: 'queued', cost: { frozen: 80, consumed: 0 } }),
    );
    const done = lib.applySnapshot(
      legnext.id,
      snapshot({ remoteId: 'r-9', cost: { frozen: 80, consumed: 80 } }),
    );
    expect([done.costFrozen, done.costConsumed]).toEqual([80, 80]);
  });

  it('is idempotent and never resets an archived output', () => {
    const { lib, dir } = temp.fresh();
    const job = lib.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'lanterns' });
    const snap = snapshot({
      remoteId: 'r-7',
      outputs: imageOutputs('r-7'),
      createdAt: '2025-01-15T11:00:00Z',
    });
    lib.applySnapshot(job.id, snap);
    lib.updateOutput(job.id, 'image', 1, { state: 'archived', path: `${dir}/media/2025/01/${job.id}/1.png` });
    const before = lib.jobView(job.id);
    const outputsBefore = lib.outputsOf(job.id);

    lib.applySnapshot(job.id, snap);
    lib.applySnapshot(job.id, snap);
    expect(lib.jobView(job.id)).toEqual(before);
    expect(lib.outputsOf(job.id)).toEqual(outputsBefore);
    expect(lib.search('lanterns').items.map((j) => j.id)).toEqual([job.id]);

    // A refreshed URL is taken, the state is kept.
    const moved = imageOutputs('r-7').map((o) => ({ ...o, url: `${o.url}?v=2` }));
    lib.applySnapshot(job.id, { ...snap, outputs: moved });
    const refreshed = moved.find((o) => o.kind === 'image' && o.index === 1)!;
    expect(lib.getOutput(job.id, 'image', 1)).toMatchObject({ state: 'archived', url: refreshed.url });
  });

  it('stores describe results as text and refuses a snapshot of another remote job', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({
      provider: 'legnext',
      taskType: 'describe',
      remoteId: 'd-1',
      status: 'queued',
    });
    lib.applySnapshot(
      job.id,
      snapshot({
        remoteId: 'd-1',
        taskType: 'describe',
        text: { prompts: ['a misty valley', 'a foggy glen'], description: 'A valley in fog.' },
      }),
    );
    expect(lib.jobView(job.id).text).toEqual({
      prompts: ['a misty valley', 'a foggy glen'],
      description: 'A valley in fog.',
    });
    expect(() => lib.applySnapshot(job.id, snapshot({ remoteId: 'd-2' }))).toThrow(
      `Job ${job.id} is remote job d-1, not d-2.`,
    );
  });

  it('keeps the error of a failed job and clears it when a later poll succeeds', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      remoteId: 'f-1',
      status: 'queued',
    });
    lib.applySnapshot(
      job.id,
      snapshot({ remoteId: 'f-1', status: 'failed', error: { code: '10003', message: 'Banned prompt.' } }),
    );
    expect(lib.jobView(job.id)).toMatchObject({
      status: 'failed',
      error: { code: '10003', message: 'Banned prompt.' },
    });
    lib.applySnapshot(job.id, snapshot({ remoteId: 'f-1', status: 'completed' }));
    expect(lib.jobView(job.id).error).toBeNull();
  });
});

describe('resolveJobRef', () => {
  function threeJobs() {
    // Ids begin with their creation time: jobs made years apart differ early, a second apart late.
    const { lib, clk } = temp.fresh();
    const times = [Date.UTC(2021, 0, 1), Date.UTC(2023, 0, 1), Date.UTC(2023, 0, 1, 0, 0, 1)];
    const [a, b, c] = times.map((t, i) => {
      clk.set(t);
      return lib.createJob({ provider: 'legnext', taskType: 'diffusion', remoteId: `rem${i}-abcdef-${i}` });
    });
    return { lib, a: a!, b: b!, c: c! };
  }

  it('finds a job by local id (any case), remote id, or an unambiguous prefix of either', () => {
    const { lib, a, b } = threeJobs();
    expect(lib.resolveJobRef(a.id).id).toBe(a.id);
    expect(lib.resolveJobRef(` ${a.id.toUpperCase()} `).id).toBe(a.id);
    expect(lib.resolveJobRef('rem1-abcdef-1').id).toBe(b.id);
    expect(lib.resolveJobRef(a.id.slice(0, 8)).id).toBe(a.id);
    expect(lib.resolveJobRef('rem0-a').id).toBe(a.id);
  });

  it('explains refs that match nothing, several jobs, or are too short', () => {
    const { lib, b, c } = threeJobs();
    const shared = b.id.slice(0, 6);
    expect(c.id.startsWith(shared)).toBe(true);
    expect(() => lib.resolveJobRef(shared)).toThrow(
      `"${shared}" matches 2 jobs; give more characters of the id.`,
    );
    expect(() => lib.resolveJobRef('zzzzzzzz')).toThrow('No job matches "zzzzzzzz".');
    expect(() => lib.resolveJobRef('rem0')).toThrow(/give at least 6 characters/);
    expect(() => lib.resolveJobRef('')).toThrow(InvalidInputError);
    // Wildcards are literal text, not patterns.
    expect(() => lib.resolveJobRef('rem*-abcdef')).toThrow('No job matches "rem*-abcdef".');
    expect(() => lib.resolveJobRef('rem?-a')).toThrow('No job matches "rem?-a".');
  });
});

describe('queue reads', () => {
  it('lists unfinished jobs by next poll and due jobs among queued/running only', () => {
    const { lib } = temp.fresh();
    const submitting = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });
    const late = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      status: 'queued',
      remoteId: 'q1',
    });
    const soon = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      status: 'running',
      remoteId: 'q2',
    });
    const done = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      status: 'completed',
      remoteId: 'q3',
    });
    lib.updateJob(late.id, { nextPollAt: T0 + 5000 });
    lib.updateJob(soon.id, { nextPollAt: T0 + 1000 });
    lib.updateJob(done.id, { nextPollAt: T0 });
    lib.updateJob(submitting.id, { nextPollAt: T0 });

    expect(lib.unfinishedJobs().map((j) => j.id)).toEqual([submitting.id, soon.id, late.id]);
    expect(lib.dueJobs(T0 + 1000, 10).map((j) => j.id)).toEqual([soon.id]);
    expect(lib.dueJobs(T0 + 9000, 10).map((j) => j.id)).toEqual([soon.id, late.id]);
    expect(lib.dueJobs(T0 + 9000, 1).map((j) => j.id)).toEqual([soon.id]);
    expect(lib.findByRemoteId('legnext', 'q2')?.id).toBe(soon.id);
    expect(lib.findByRemoteId('vidu', 'q2')).toBeUndefined();
  });
});

describe('favorites, tags, settings, delete', () => {
  it('stores favorites and normalised tags', () => {
    const { lib } = temp.fresh();
    const job = lib.createJob({ provider: 'legnext', taskType: 'diffusion' });
    lib.setFavorite(job.id, true);
    expect(lib.setTags(job.id, ['  Night  sky ', 'night sky', 'stars', '', 'Best'])).toEqual([
      'Best',
      'Night sky',
      'stars',
    ]);
    expect(lib.jobView(job.id)).toMatchObject({ favorite: true, tags: ['Best', 'Night sky', 'stars'] });
    lib.setTags(job.id, ['stars']);
    lib.setFavorite(job.id, false);
    expect(lib.jobView(job.id)).toMatchObject({ favorite: false, tags: ['stars'] });
    expect(() => lib.setFavorite('missing', true)).toThrow(InvalidInputError);
    expect(() => lib.setTags(job.id, ['x'.repeat(101)])).toThrow(/at most 100 characters/);
  });

  it('keeps settings as JSON, checks their shape on read, and refuses credentials', () => {
    const { lib } = temp.fresh();
    const schema = z.object({ concurrency: z.number().int() });
    expect(lib.getSetting('queue', schema)).toBeUndefined();
    lib.setSetting('queue', { concurrency: 4 });
    expect(lib.getSetting('queue', schema)).toEqual({ concurrency: 4 });
    lib.setSetting('queue', { concurrency: 'many' });
    expect(lib.getSetting('queue', schema)).toBeUndefined();
    lib.setSetting('queue', undefined);
    expect(lib.getSetting('queue', z.unknown())).toBeUndefined();
    expect(() => lib.setSetting('imageHost', { bucket: 'b', secretAccessKey: 'abc' })).toThrow(
      /system keychain/,
    );
    expect(() => lib.setSetting('apiKey', 'sk-123')).toThrow(/system keychain/);
  });

  it('deletes a job with its outputs, edges and tags; its children keep living without it', () => {
    const { lib } = temp.fresh();
    const parent = lib.createJob({ provider: 'legnext', taskType: 'diffusion', remoteId: 'p' });
    lib.applySnapshot(parent.id, snapshot({ remoteId: 'p', outputs: imageOutputs('p') }));
    lib.setTags(parent.id, ['gone']);
    const child = lib.createJob({
      provider: 'legnext',
      taskType: 'upscale',
      parent: { id: parent.id, index: 0, relation: 'upscale' },
    });
    lib.deleteJob(parent.id);
    expect(lib.getJob(parent.id)).toBeUndefined();
    expect(lib.outputsOf(parent.id)).toEqual([]);
    expect(lib.stats()).toMatchObject({ jobs: 1, outputs: 0 });
    expect(lib.parents(child.id)).toEqual([]);
    expect(lib.jobView(child.id).parent).toBeNull();
  });
});
