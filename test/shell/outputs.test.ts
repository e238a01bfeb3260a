/**
 * Moving outputs out of the desktop app: the shell gives the core a folder picker (Electron's dialog,
 * parented to the window), a clipboard (an image written as PNG), a file manager that shows one file
 * selected, and the system Trash for removed jobs. Electron is played by test/shell/fake-electron.ts; the Vault, library, archived files and
 * the Legnext simulator are real.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallResult } from '../../src/shared/contract';
import type { JobView } from '../../src/shared/domain';
import { CALL_CHANNEL } from '../../src/shared/ipc';
import type { Vault } from '../../src/main/core/vault';
import { FAST_POLL_POLICY, MemoryBackend } from '../api/support';
import { startLegnextSim, type LegnextSim } from '../sim/legnext/index';
import * as fake from './fake-electron';

vi.mock('electron', async () => await import('./fake-electron'));

const { startApp } = await import('../../src/main/shell/app');

let sim: LegnextSim;
let dir: string;
let vaults: Vault[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-shell-out-'));
  fake.resetFakeElectron(path.join(dir, 'userData'));
  sim = await startLegnextSim();
});

afterEach(async () => {
  for (const v of vaults) if (!v.queue.isStopped) await v.close();
  vaults = [];
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function launchWithJob(): Promise<{
  vault: Vault;
  win: fake.FakeBrowserWindow;
  job: JobView;
  call(name: string, request: unknown): Promise<CallResult<unknown>>;
}> {
  const keychain = new MemoryBackend();
  keychain.values.set('legnext', sim.apiKey);
  const shell = await startApp({
    preload: '/app/out/preload/index.cjs',
    rendererDir: path.join(dir, 'renderer'),
    env: { GENVAULT_LIBRARY: path.join(dir, 'library'), LEGNEXT_BASE_URL: sim.url },
    keychain,
    queue: { pollPolicy: FAST_POLL_POLICY },
  });
  if (!shell) throw new Error('the shell did not start');
  vaults.push(shell.vault);
  const win = fake.FakeBrowserWindow.all[0]!;
  const submitted = shell.vault.imagine('a glass greenhouse in winter --ar 1:1');
  const job = await shell.vault.waitFor(submitted.id, { giveUpAfterAttempts: 20 });
  const handler = fake.ipcMain.handlers.get(CALL_CHANNEL)!;
  const from = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  const call = async (name: string, request: unknown) =>
    (await handler(from, name, request)) as CallResult<unknown>;
  return { vault: shell.vault, win, job, call };
}

describe('shell: outputs out of the app', () => {
  it('exports through a folder picker parented to the window, and stops when it is cancelled', async () => {
    const { win, job, call } = await launchWithJob();
    const items = [0, 1].map((index) => ({ id: job.id, kind: 'image', index }));

    expect(await call('outputs.export', { items, dir: null })).toEqual({ ok: true, value: null });
    const target = path.join(dir, 'exports');
    fake.dialogAnswer.canceled = false;
    fake.dialogAnswer.filePaths = [target];
    expect(await call('outputs.export', { items, dir: null })).toEqual({
      ok: true,
      value: { dir: target, written: 2, skipped: [] },
    });
    expect(await readdir(target)).toHaveLength(2);

    expect(fake.dialog.showOpenDialog).toHaveBeenCalledTimes(2);
    const [parent, options] = fake.dialog.showOpenDialog.mock.calls[1]!;
    expect(parent).toBe(win);
    expect(options).toMatchObject({
      title: 'Export to folder',
      properties: ['openDirectory', 'createDirectory'],
    });
    expect((await call('library.info', {})) as { value: { canReveal: boolean } }).toMatchObject({
      value: { canReveal: true },
    });
  });

  it('copies an image to the clipboard as PNG and refuses a file that cannot be decoded', async () => {
    const { vault, job, call } = await launchWithJob();
    expect(await call('outputs.copy', { id: job.id, kind: 'image', index: 1 })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(fake.clipboard.write).toHaveBeenCalledTimes(1);
    const [items] = fake.clipboard.write.mock.calls[0]!;
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.types).toEqual(['image/png']);
    const blob = item.items['image/png'] as Blob;
    expect(blob.type).toBe('image/png');
    const file = vault.library.absolute(vault.library.getOutput(job.id, 'image', 1)!.path!);
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(await readFile(file));

    // The fake decodes by reading the file: an empty file is an image Electron cannot decode.
    await writeFile(file, '');
    const refused = await call('outputs.copy', { id: job.id, kind: 'image', index: 1 });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'failed' } });
    expect(fake.clipboard.write).toHaveBeenCalledTimes(1);
  });

  it('removes a job to the Trash: its folders move there and its rows go; a refused trash removes nothing', async () => {
    const { vault, job, call } = await launchWithJob();
    expect((await call('library.info', {})) as { value: { removeFilesTo: string } }).toMatchObject({
      value: { removeFilesTo: 'trash' },
    });
    const file = vault.library.absolute(vault.library.getOutput(job.id, 'image', 0)!.path!);
    const other = await vault.waitFor(vault.imagine('a second greenhouse').id, { giveUpAfterAttempts: 20 });

    fake.trashBin.refuse = true;
    const refused = await call('jobs.remove', { ids: [job.id] });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'failed' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(
      /could not be moved to the Trash \(Operation not supported\)\. Nothing was removed\.$/,
    );
    expect(vault.library.getJob(job.id)).toBeDefined();
    expect(await readFile(file)).not.toHaveLength(0);

    fake.trashBin.refuse = false;
    const removed = await call('jobs.remove', { ids: [job.id] });
    expect(removed).toMatchObject({ ok: true, value: { removed: [job.id], filesTo: 'trash' } });
    expect((removed as { value: { bytes: number } }).value.bytes).toBeGreaterThan(0);
    expect(vault.library.getJob(job.id)).toBeUndefined();
    expect(vault.library.getJob(other.id)).toBeDefined();
    // Both the media folder and the thumbnails folder went to the Trash, whole.
    const trashed = fake.shell.trashItem.mock.calls.map(([p]) => p);
    expect(trashed).toContain(path.dirname(file));
    expect(trashed).toHaveLength(3);
    const inTrash = await readdir(fake.trashBin.dir);
    expect(inTrash.filter((name) => name.endsWith(job.id))).toHaveLength(2);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('shows a file selected in its folder, and opens folders', async () => {
    const { vault, job, call } = await launchWithJob();
    expect(await call('library.reveal', { id: job.id, kind: 'image', index: 2 })).toEqual({
      ok: true,
      value: { ok: true },
    });
    const file = vault.library.absolute(vault.library.getOutput(job.id, 'image', 2)!.path!);
    expect(fake.shell.showItemInFolder).toHaveBeenCalledWith(file);
    expect(fake.shell.openPath).not.toHaveBeenCalled();

    await call('library.reveal', { id: job.id });
    expect(fake.shell.openPath).toHaveBeenCalledWith(path.dirname(file));
    await call('library.reveal', {});
    expect(fake.shell.openPath).toHaveBeenLastCalledWith(vault.library.root);
    expect(fake.shell.showItemInFolder).toHaveBeenCalledTimes(1);
  });
});
