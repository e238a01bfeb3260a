/**
 * Moving outputs out of the app through the contract (`dispatch`, as IPC and the bridge do): export to a
 * folder with readable names and without overwriting, the reasons an output is skipped, the folder
 * picker the desktop app offers and the bridge does not, copy to the clipboard, and reveal of one file.
 * A real Vault on a temp library, real archived files from the Legnext simulator, a real target folder.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallRequest, CallResponse, CallResult } from '../../src/shared/contract';
import type { JobView } from '../../src/shared/domain';
import { createHandlers, dispatch, type HandlerContext } from '../../src/main/core/api/handlers';
import { exportFileName, promptSlug } from '../../src/main/core/api/outputs';
import { openTestVault, type TestVault } from './support';

let vaults: TestVault[] = [];
let dirs: string[] = [];

afterEach(async () => {
  await Promise.all(vaults.map((t) => t.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  vaults = [];
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-export-'));
  dirs.push(dir);
  return dir;
}

async function setup(extra: Omit<HandlerContext, 'vault'> = {}) {
  const t = await openTestVault();
  vaults.push(t);
  await t.vault.start();
  const handlers = createHandlers({ vault: t.vault, ...extra });
  const raw = (name: CallName, req: unknown): Promise<CallResult<unknown>> => dispatch(handlers, name, req);
  const call = async <K extends CallName>(name: K, req: CallRequest<K>): Promise<CallResponse<K>> => {
    const result = await dispatch(handlers, name, req);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
    return result.value as CallResponse<K>;
  };
  const archivedJob = async (prompt: string): Promise<JobView> => {
    const job = t.vault.imagine(prompt);
    return t.vault.waitFor(job.id, { giveUpAfterAttempts: 20 });
  };
  return { t, call, raw, archivedJob };
}

const imageRefs = (job: JobView) =>
  job.outputs.filter((o) => o.kind === 'image').map((o) => ({ id: job.id, kind: o.kind, index: o.index }));

describe('export names', () => {
  it('reads as date, prompt words, short job id and the number the app shows', () => {
    const job = {
      id: '0190f3a2b4c5d6e7f8a9b0c1d2e3f4a5',
      createdAt: Date.UTC(2025, 0, 31, 23, 30),
      prompt: '<https://cdn.example/a.png> A Café at Dusk, in the rain! --ar 3:2 --v 7',
      taskType: 'diffusion',
    };
    expect(exportFileName(job, { kind: 'image', index: 1 }, '.PNG')).toBe(
      '2025-01-31_a-cafe-at-dusk-in-the-rain_0190f3a2_2.png',
    );
    expect(exportFileName(job, { kind: 'grid', index: 0 }, 'webp')).toBe(
      '2025-01-31_a-cafe-at-dusk-in-the-rain_0190f3a2_grid.webp',
    );
    expect(
      exportFileName(
        { ...job, prompt: null, taskType: 'video_diffusion' },
        { kind: 'video', index: 0 },
        'mp4',
      ),
    ).toBe('2025-01-31_video-diffusion_0190f3a2_1.mp4');
  });

  it('keeps long prompts to whole words and never leaves an empty slug', () => {
    const slug = promptSlug(
      'an extraordinarily detailed illustration of a sprawling mountain monastery at sunrise',
      'diffusion',
    );
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug).toBe('an-extraordinarily-detailed-illustration-of-a');
    expect(promptSlug('  --ar 1:1', 'blend')).toBe('blend');
    expect(promptSlug('日本の庭', 'describe')).toBe('describe');
  });
});

describe('outputs.export', () => {
  it('copies the archived files under readable names and never overwrites', async () => {
    const { t, call, archivedJob } = await setup();
    const job = await archivedJob('a paper lantern festival at night --ar 1:1');
    const dir = await tempDir();
    // A file already there with the name the first image will get must survive untouched.
    const first = exportFileName(t.vault.library.getJob(job.id)!, { kind: 'image', index: 0 }, 'png');
    await writeFile(path.join(dir, first), 'mine');

    const result = await call('outputs.export', { items: imageRefs(job), dir });
    expect(result).toEqual({ dir, written: 4, skipped: [] });
    const names = (await readdir(dir)).sort();
    const stem = first.replace(/_1\.png$/, '');
    expect(names).toEqual(
      [first, `${stem}_1-2.png`, `${stem}_2.png`, `${stem}_3.png`, `${stem}_4.png`].sort(),
    );
    expect(stem).toMatch(/^\d{4}-\d{2}-\d{2}_a-paper-lantern-festival-at-night_[0-9a-f]{8}$/);
    expect(await readFile(path.join(dir, first), 'utf8')).toBe('mine');
    const archived = t.vault.library.getOutput(job.id, 'image', 0)!;
    expect(await readFile(path.join(dir, `${stem}_1-2.png`))).toEqual(
      await readFile(t.vault.library.absolute(archived.path!)),
    );

    // The same export again adds a third copy of each, still replacing nothing.
    const again = await call('outputs.export', { items: imageRefs(job).slice(1, 2), dir });
    expect(again?.written).toBe(1);
    expect(await readdir(dir)).toContain(`${stem}_2-2.png`);
  });

  it('skips what is not on disk, with a reason for each, and exports the rest', async () => {
    const { t, call, archivedJob } = await setup();
    const job = await archivedJob('a tide pool full of starfish --ar 1:1');
    const lib = t.vault.library;
    lib.updateOutput(job.id, 'image', 1, { state: 'expired', path: null });
    lib.updateOutput(job.id, 'image', 2, { state: 'error', error: 'connection reset', nextAttemptAt: null });
    await rm(lib.absolute(lib.getOutput(job.id, 'image', 3)!.path!));
    const dir = await tempDir();

    const result = await call('outputs.export', {
      items: [
        ...imageRefs(job),
        { id: job.id, kind: 'image', index: 0 },
        { id: job.id, kind: 'video', index: 0 },
        { id: 'ffffffffffffffffffffffffffffffff', kind: 'image', index: 0 },
      ],
      dir,
    });
    expect(result!.written).toBe(1);
    expect(result!.skipped).toEqual([
      {
        ref: { id: job.id, kind: 'image', index: 1 },
        reason: 'It left the CDN before GenVault could save it, so there is no file to export.',
      },
      {
        ref: { id: job.id, kind: 'image', index: 2 },
        reason: 'Its download failed; retry the download from the job first.',
      },
      {
        ref: { id: job.id, kind: 'image', index: 3 },
        reason: 'The file is missing from the library folder.',
      },
      { ref: { id: job.id, kind: 'video', index: 0 }, reason: 'This job has no video 1.' },
      {
        ref: { id: 'ffffffffffffffffffffffffffffffff', kind: 'image', index: 0 },
        reason: 'This job is not in the library.',
      },
    ]);
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('needs a folder on the bridge, asks with the picker in the app, and stops when the picker is cancelled', async () => {
    const bridge = await setup();
    const job = await bridge.archivedJob('a snowy owl on a fence post --ar 1:1');
    const items = imageRefs(job).slice(0, 1);
    expect(await bridge.raw('outputs.export', { items, dir: null })).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: 'Give the folder to export to: a folder picker is only available in the desktop app.',
        field: 'dir',
      },
    });
    expect(await bridge.raw('outputs.export', { items, dir: 'relative/folder' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', field: 'dir' },
    });

    const picked = path.join(await tempDir(), 'new folder');
    const titles: string[] = [];
    let answer: string | null = picked;
    const app = await setup({
      chooseFolder: async (title) => {
        titles.push(title);
        return answer;
      },
    });
    const appJob = await app.archivedJob('a snowy owl on a fence post --ar 1:1');
    const appItems = imageRefs(appJob).slice(0, 2);
    expect(await app.call('outputs.export', { items: appItems, dir: null })).toEqual({
      dir: picked,
      written: 2,
      skipped: [],
    });
    expect(titles).toEqual(['Export to folder']);
    expect(await readdir(picked)).toHaveLength(2);

    answer = null;
    expect(await app.call('outputs.export', { items: appItems, dir: null })).toBeNull();
    expect(await readdir(picked)).toHaveLength(2);
  });
});

describe('outputs.copy', () => {
  it('hands the archived file to the clipboard where there is one, and says ok: false where there is not', async () => {
    const copied: string[] = [];
    const app = await setup({ copyImage: async (file) => void copied.push(file) });
    const job = await app.archivedJob('a red fox in fresh snow --ar 1:1');
    expect(await app.call('outputs.copy', { id: job.id, kind: 'image', index: 2 })).toEqual({ ok: true });
    expect(copied).toEqual([
      app.t.vault.library.absolute(app.t.vault.library.getOutput(job.id, 'image', 2)!.path!),
    ]);

    app.t.vault.library.updateOutput(job.id, 'image', 3, { state: 'expired', path: null });
    expect(await app.raw('outputs.copy', { id: job.id, kind: 'image', index: 3 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: expect.stringContaining('left the CDN') },
    });
    expect(await app.raw('outputs.copy', { id: job.id, kind: 'video', index: 0 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', field: 'kind' },
    });
    expect(copied).toHaveLength(1);

    const bridge = await setup();
    const bridgeJob = await bridge.archivedJob('a red fox in fresh snow --ar 1:1');
    expect(await bridge.call('outputs.copy', { id: bridgeJob.id, kind: 'image', index: 0 })).toEqual({
      ok: false,
    });
  });
});

describe('library.reveal', () => {
  it('shows the one file asked for, the job folder when no file is named, and the library otherwise', async () => {
    const revealed: string[] = [];
    const app = await setup({ reveal: async (target) => void revealed.push(target) });
    const job = await app.archivedJob('a lighthouse in fog --ar 3:2');
    const lib = app.t.vault.library;

    await app.call('library.reveal', { id: job.id, kind: 'image', index: 1 });
    await app.call('library.reveal', { id: job.id });
    await app.call('library.reveal', {});
    lib.updateOutput(job.id, 'image', 3, { state: 'expired', path: null });
    await app.call('library.reveal', { id: job.id, kind: 'image', index: 3 });
    const folder = path.dirname(lib.absolute(lib.getOutput(job.id, 'image', 1)!.path!));
    expect(revealed).toEqual([
      lib.absolute(lib.getOutput(job.id, 'image', 1)!.path!),
      folder,
      lib.root,
      folder,
    ]);

    expect(await app.raw('library.reveal', { id: job.id, kind: 'image' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', field: 'index' },
    });

    const bridge = await setup();
    expect(await bridge.call('library.reveal', { id: job.id, kind: 'image', index: 0 })).toEqual({
      ok: false,
    });
  });
});
