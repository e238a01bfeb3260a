/**
 * The real app in the real Electron binary, driven by playwright-core's `_electron.launch`: the built
 * main process, sandboxed preload and renderer, over the Legnext simulator and a temp library.
 *
 * The Electron binary cannot be downloaded on this project's build machine (DESIGN.md §5), so where it
 * is not installed these tests report themselves skipped with that reason; everywhere else they run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright-core';
import type { GenVaultApi } from '../../src/shared/contract';
import type { JobView } from '../../src/shared/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLegnextSim, type LegnextSim } from '../sim/legnext/index';

/** What the tests read from the page; page functions run in the browser, typed here without the DOM lib. */
interface PageImage {
  src: string;
  naturalWidth: number;
  decode(): Promise<void>;
}
interface PageGlobals {
  genvault?: GenVaultApi;
  require?: unknown;
  process?: unknown;
  document: { createElement(tag: 'img'): PageImage; body: { append(node: PageImage): void } };
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The binary `require('electron')` would return, found without requiring it (that would try to download it). */
function installedElectron(): string | null {
  const pkg = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist');
  const binary = path.join(dist, relative);
  return existsSync(binary) ? binary : null;
}

const electronBinary = installedElectron();
const describeWithElectron = electronBinary ? describe : describe.skip;
const title = electronBinary
  ? 'the Electron app (real binary)'
  : 'the Electron app — skipped: Electron binary not installed on this machine';

describeWithElectron(title, () => {
  let sim: LegnextSim;
  let dir: string;
  let electronApp: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const { build } = await import('electron-vite');
    await build({ root: ROOT, logLevel: 'warn' });
    sim = await startLegnextSim();
    dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-electron-'));
    const { _electron } = await import('playwright-core');
    electronApp = await _electron.launch({
      executablePath: electronBinary!,
      args: [ROOT, `--user-data-dir=${path.join(dir, 'userData')}`],
      cwd: ROOT,
      env: {
        ...process.env,
        GENVAULT_LIBRARY: path.join(dir, 'library'),
        LEGNEXT_BASE_URL: sim.url,
        LEGNEXT_API_KEY: sim.apiKey,
      },
    });
    page = await electronApp.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await electronApp?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads the renderer from genvault://app in an isolated window without Node', async () => {
    expect(page.url()).toBe('genvault://app/index.html');
    const globals = await page.evaluate(() => {
      const scope = globalThis as unknown as PageGlobals;
      return {
        transport: scope.genvault?.transport,
        require: typeof scope.require,
        process: typeof scope.process,
      };
    });
    expect(globals).toEqual({ transport: 'electron', require: 'undefined', process: 'undefined' });
  });

  it('makes a job through the preload and shows its images from the library', async () => {
    const loaded = await page.evaluate(async () => {
      const scope = globalThis as unknown as PageGlobals;
      const api = scope.genvault!;
      const job = await api.call('jobs.imagine', { prompt: 'a teapot in the rain' });
      const done = await new Promise<JobView>((resolve) => {
        const off = api.on('job', (j) => {
          if (j.id === job.id && j.status === 'completed' && j.outputs.every((o) => o.state === 'archived')) {
            off();
            resolve(j);
          }
        });
      });
      const image = done.outputs.find((o) => o.kind === 'image')!;
      const img = scope.document.createElement('img');
      img.src = `genvault://media/${image.path}`;
      scope.document.body.append(img);
      await img.decode();
      return img.naturalWidth;
    });
    expect(loaded).toBeGreaterThan(0);
  });
});
