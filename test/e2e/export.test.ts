/**
 * The library's provider filter and badges, and export of a selection to a folder, through the real
 * renderer, web bridge and core: jobs made by the Legnext simulator sit next to Leonardo and Vidu
 * videos; the filter narrows the grid to one provider; exporting two selected jobs writes their
 * archived images into a temp folder (on the bridge the folder is typed in the export dialog), under
 * readable names, and never over an existing file.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import {
  makeImageJobs,
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForCount,
  waitForDecoded,
} from './harness';

const apps = useApp();

const cards = (page: Page) => page.locator('.card[data-job-id]');

describe('provider filter and export', { timeout: 120_000 }, () => {
  test('badges and the provider filter; a selection exported into a folder', async () => {
    let made: JobView[] = [];
    const others: Record<string, string> = {};
    const app = await apps.open({
      prepare: async (t) => {
        made = await makeImageJobs(t, [
          'a tin robot watering plants --ar 1:1',
          'a koi pond in autumn --ar 1:1',
        ]);
        const lib = t.vault.library;
        others.leonardo = lib.createJob({
          provider: 'leonardo',
          taskType: 'image_to_video',
          status: 'completed',
          prompt: 'the robot waves slowly',
          params: { model: 'MOTION2' },
          parent: { id: made[0]!.id, index: 0, relation: 'animate' },
        }).id;
        others.vidu = lib.createJob({
          provider: 'vidu',
          taskType: 'text_to_video',
          status: 'completed',
          prompt: 'koi circling under falling leaves',
          params: { model: 'viduq3p-720p' },
        }).id;
      },
    });
    const { page } = app;
    const [robot, koi] = made as [JobView, JobView];
    await waitForCount(page, '.card[data-job-id]', 4);
    await waitForDecoded(page, '.card img', 2);

    // Each card names its provider (and the video model for Leonardo and Vidu).
    const badge = (id: string) => page.locator(`.card[data-job-id="${id}"] .provider-chip`).textContent();
    expect(await badge(robot.id)).toBe('Midjourney');
    expect(await badge(others.leonardo!)).toBe('Leonardo · MOTION2');
    expect(await badge(others.vidu!)).toBe('Vidu · viduq3p-720p');
    await screenshot(page, 'library-providers');

    await page.getByRole('button', { name: 'Filters' }).click();
    const provider = page.getByLabel('Provider');
    await provider.selectOption('leonardo');
    await waitForCount(page, '.card[data-job-id]', 1);
    expect(await cards(page).first().getAttribute('data-job-id')).toBe(others.leonardo);
    await provider.selectOption('vidu');
    // The Leonardo card alone is also one card: wait for the Vidu listing itself.
    await page.locator(`.card[data-job-id="${others.vidu}"]`).waitFor();
    await waitForCount(page, '.card[data-job-id]', 1);
    expect(await cards(page).first().getAttribute('data-job-id')).toBe(others.vidu);
    await provider.selectOption('legnext');
    await waitForCount(page, '.card[data-job-id]', 2);
    await waitForDecoded(page, '.card img', 2);
    await screenshot(page, 'library-provider-filter');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Select both Midjourney jobs and export them: the bridge asks for the folder in a dialog.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-e2e-export-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await page.locator(`.card[data-job-id="${robot.id}"]`).click();
    await page.locator(`.card[data-job-id="${koi.id}"]`).click({ modifiers: ['Control'] });
    const selectionBar = page.getByRole('region', { name: 'Selection' });
    await selectionBar.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: /Export 2 jobs/ });
    await dialog.waitFor();
    await dialog.getByText('8 files will be copied').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A folder that is not a full path is refused in the dialog, with the core's reason.
    await dialog.getByLabel('Folder on this computer').fill('exports');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await dialog.getByRole('alert').getByText('Give the full path of the folder to export to.').waitFor();

    // A file already there keeps its content; the export writes beside it.
    const first = `${robot.createdAt.slice(0, 10)}_a-tin-robot-watering-plants_${robot.id.slice(0, 8)}_1.png`;
    await writeFile(path.join(dir, first), 'already here');
    await dialog.getByLabel('Folder on this computer').fill(dir);
    await screenshot(page, 'export-dialog');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await page.getByText(`Exported 8 files to ${dir}.`).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(9);
    expect(await readFile(path.join(dir, first), 'utf8')).toBe('already here');
    expect(names).toContain(first.replace(/_1\.png$/, '_1-2.png'));
    const koiStem = `${koi.createdAt.slice(0, 10)}_a-koi-pond-in-autumn_${koi.id.slice(0, 8)}`;
    expect(names.filter((n) => n.startsWith(koiStem))).toEqual(
      [1, 2, 3, 4].map((n) => `${koiStem}_${n}.png`),
    );
    const archived = app.t.vault.library.getOutput(koi.id, 'image', 2)!;
    expect(await readFile(path.join(dir, `${koiStem}_3.png`))).toEqual(
      await readFile(app.t.vault.library.absolute(archived.path!)),
    );

    // The dialog offers the last folder again, also after a reload, selected so typing replaces it.
    await selectionBar.getByRole('button', { name: 'Export…' }).click();
    expect(await page.getByLabel('Folder on this computer').inputValue()).toBe(dir);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.reload();
    await page.locator(`.card[data-job-id="${robot.id}"]`).click();
    await selectionBar.getByRole('button', { name: 'Export…' }).click();
    const folder = page.getByLabel('Folder on this computer');
    await expect.poll(() => folder.inputValue()).toBe(dir);
    const selected = await folder.evaluate((input) => {
      const field = input as unknown as { selectionStart: number; selectionEnd: number; value: string };
      return [field.selectionStart, field.selectionEnd, field.value.length];
    });
    expect(selected).toEqual([0, dir.length, dir.length]);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(app.errors).toEqual([]);
  });
});
