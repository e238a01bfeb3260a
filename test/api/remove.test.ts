/**
 * Removing jobs through the contract (`dispatch`, as IPC and the bridge do), on the web bridge's
 * terms (no Trash: files are deleted): a real Vault on a temp library, real archived files from the
 * Legnext simulator, real folders on disk, and a rebuild from the folder afterwards.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallRequest, CallResponse, CallResult } from '../../src/shared/contract';
import type { JobView } from '../../src/shared/domain';
import { createHandlers, dispatch } from '../../src/main/core/api/handlers';
import { mediaDirFor, sidecarPathFor, thumbPathFor, toAbsolute } from '../../src/main/core/library/paths';
import { openTestVault, type TestVault } from './support';

let vaults: TestVault[] = [];

afterEach(async () => {
  await Promise.all(vaults.map((t) => t.close()));
  vaults = [];
});

async function setup() {
  const t = await openTestVault();
  vaults.push(t);
  await t.vault.start();
  const handlers = createHandlers({ vault: t.vault });
  const raw = (name: CallName, req: unknown): Promise<CallResult<unknown>> => dispatch(handlers, name, req);
  const call = async <K extends CallName>(name: K, req: CallRequest<K>): Promise<CallResponse<K>> => {
    const result = await dispatch(handlers, name, req);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
    return result.value as CallResponse<K>;
  };
  const settled = (job: JobView) => t.vault.waitFor(job.id, { giveUpAfterAttempts: 20 });
  const folders = (job: JobView) => {
    const at = { id: job.id, createdAt: Date.parse(job.createdAt) };
    return [mediaDirFor(at), thumbPathFor(at, 'image', 0).replace(/\/[^/]+$/, '')].map((rel) =>
      toAbsolute(t.dir, rel),
    );
  };
  return { t, call, raw, settled, folders };
}

describe('jobs.remove', () => {
  it('deletes a job’s files, thumbnails and rows; its follow-up stays, unlinked, and a rebuild agrees', async () => {
    const { t, call, settled, folders } = await setup();
    expect((await call('library.info', {})).removeFilesTo).toBe('deleted');
    const grid = await settled(t.vault.imagine('a greenhouse full of glowing mushrooms'));
    const keep = await settled(t.vault.imagine('a red fox sleeping in fresh snow'));
    const upscale = await settled(
      t.vault.followUp('upscale', { ref: grid.id, index: 2 }, { type: 'subtle' }),
    );
    expect(upscale.parent).toEqual({ id: grid.id, index: 2 });
    for (const folder of folders(grid)) expect(existsSync(folder)).toBe(true);
    const bytes = grid.outputs.reduce((sum, o) => sum + (o.bytes ?? 0), 0);
    expect(bytes).toBeGreaterThan(0);

    const result = await call('jobs.remove', { ids: [grid.id, grid.id.slice(0, 12)] });
    expect(result).toEqual({ removed: [grid.id], bytes, filesTo: 'deleted', problem: null });

    for (const folder of folders(grid)) expect(existsSync(folder)).toBe(false);
    expect(t.vault.library.getJob(grid.id)).toBeUndefined();
    // Search finds the upscale (same prompt), no longer the grid.
    const found = await call('jobs.search', { text: 'mushrooms', query: {} });
    expect(found.items.map((j) => j.id)).toEqual([upscale.id]);
    expect((await call('jobs.list', {})).items.map((j) => j.id).sort()).toEqual([keep.id, upscale.id].sort());
    // The follow-up and its files stay; it no longer points at a job that is gone, on disk either.
    const child = await call('jobs.get', { id: upscale.id });
    expect(child.parent).toBeNull();
    expect(child.outputs.every((o) => o.state === 'archived')).toBe(true);
    const sidecar = JSON.parse(
      readFileSync(
        toAbsolute(t.dir, sidecarPathFor({ id: upscale.id, createdAt: Date.parse(upscale.createdAt) })),
        'utf8',
      ),
    ) as {
      lineage: unknown[];
    };
    expect(sidecar.lineage).toEqual([]);

    const before = (await call('jobs.list', {})).items;
    t.vault.rebuild();
    expect((await call('jobs.list', {})).items).toEqual(before);
  });

  it('refuses the whole removal while one of the jobs is still being made, and removes nothing', async () => {
    const { t, raw, settled, folders } = await setup();
    const done = await settled(t.vault.imagine('a lighthouse on a cliff at dawn'));
    await t.vault.queue.stop();
    const waiting = t.vault.imagine('a paper boat on a rainy street');
    expect(waiting.status).toBe('submitting');

    const refused = await raw('jobs.remove', { ids: [done.id, waiting.id] });
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: '"a paper boat on a rainy street" is still being made: remove it once it has finished.',
        field: 'ids',
      },
    });
    expect(t.vault.library.getJob(done.id)).toBeDefined();
    expect(t.vault.library.getJob(waiting.id)).toBeDefined();
    for (const folder of folders(done)) expect(existsSync(folder)).toBe(true);

    const unknown = await raw('jobs.remove', { ids: ['ffffffffffff'] });
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(await raw('jobs.remove', { ids: [] })).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  });

  it('refuses a job being downloaded; a removal that races a download leaves nothing of the job on disk', async () => {
    const { t, raw, folders } = await setup();
    t.sim.faults.add({ target: 'cdn', kind: 'slow', times: 5, slowBytesPerSec: 400_000 });
    const job = t.vault.imagine('a slow harbour at night');
    await expect
      .poll(() => t.vault.library.outputsOf(job.id).some((o) => o.state === 'downloading'), {
        timeout: 15_000,
      })
      .toBe(true);
    const refused = await raw('jobs.remove', { ids: [job.id] });
    expect(refused).toMatchObject({
      ok: false,
      error: { message: '"a slow harbour at night" is being downloaded right now: try again in a moment.' },
    });

    // Another process removes it anyway (its check ran before this download began).
    const view = t.vault.library.jobView(job.id);
    t.vault.library.deleteJob(job.id);
    await expect.poll(() => folders(view).some((f) => existsSync(f)), { timeout: 15_000 }).toBe(false);
    await t.vault.queue.stop();
    for (const folder of folders(view)) expect(existsSync(folder)).toBe(false);
    expect(t.vault.library.getJob(job.id)).toBeUndefined();
  });

  it('stops at a job whose files cannot go: the jobs before it are removed, it and the rest stay whole', async () => {
    const t = await openTestVault();
    vaults.push(t);
    await t.vault.start();
    const trashed: string[] = [];
    // A Trash that takes the first job's folders, then refuses the second job's media folder.
    const handlers = createHandlers({
      vault: t.vault,
      trash: async (paths) => {
        if (trashed.length === 2) throw new Error(`${paths[0]} is busy`);
        trashed.push(...paths);
        for (const p of paths) await rm(p, { recursive: true, force: true });
      },
    });
    const jobs = [];
    for (const prompt of ['a', 'b', 'c'].map((x) => `a lantern festival, take ${x}`)) {
      jobs.push(await t.vault.waitFor(t.vault.imagine(prompt).id, { giveUpAfterAttempts: 20 }));
    }
    const [first, second, third] = jobs as [JobView, JobView, JobView];
    const result = await dispatch(handlers, 'jobs.remove', { ids: jobs.map((j) => j.id) });
    expect(result).toMatchObject({ ok: true, value: { removed: [first.id], filesTo: 'trash' } });
    const problem = (result as { value: { problem: string } }).value.problem;
    expect(problem).toMatch(
      /^Removed 1 of 3 jobs; "a lantern festival, take b" and the rest stay: .* is busy$/,
    );
    expect(t.vault.library.getJob(first.id)).toBeUndefined();
    for (const job of [second, third]) {
      expect(t.vault.library.getJob(job.id)).toBeDefined();
      expect(t.vault.library.outputsOf(job.id).every((o) => o.state === 'archived')).toBe(true);
      const media = toAbsolute(t.dir, mediaDirFor({ id: job.id, createdAt: Date.parse(job.createdAt) }));
      expect(existsSync(media)).toBe(true);
    }

    // Refused at the first job: nothing removed, and the error says so.
    const refused = await dispatch(handlers, 'jobs.remove', { ids: [second.id] });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'failed' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(
      /is busy Nothing was removed\.$/,
    );
    expect(t.vault.library.getJob(second.id)).toBeDefined();
  });

  it('a job.json that names another folder is not rebuilt, so its id cannot aim a removal elsewhere', async () => {
    const { t, settled } = await setup();
    const job = await settled(t.vault.imagine('a kite over the dunes'));
    const row = t.vault.library.getJob(job.id)!;
    const sidecarFile = toAbsolute(t.dir, sidecarPathFor(row));
    const doc = JSON.parse(readFileSync(sidecarFile, 'utf8')) as { id: string };
    for (const id of ['../..', 'not-this-folder']) {
      writeFileSync(sidecarFile, JSON.stringify({ ...doc, id }));
      const rebuilt = t.vault.library.rebuildFromFolder();
      expect(rebuilt.jobs).toBe(0);
      expect(rebuilt.skipped).toEqual([sidecarPathFor(row)]);
      expect(t.vault.library.getJob(id)).toBeUndefined();
    }
    expect(existsSync(toAbsolute(t.dir, 'media'))).toBe(true);
  });
});
