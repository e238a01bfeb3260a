/**
 * Removing jobs from the library through the real renderer, web bridge and core: two of three finished
 * jobs selected in the grid, the confirmation opened with Delete (Cancel and Escape leave everything as
 * it was, focus stays inside the dialog and comes back to the grid), then with "Remove…": their cards,
 * rows and media folders go, and the toast says how much was deleted (the web bridge deletes for good).
 * The last job is removed from its detail view, which returns to the now empty library. A job still
 * being made is refused with the core's reason and nothing changes; a parent's follow-up stays,
 * without the link to it.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import { mediaDirFor, toAbsolute } from '../../src/main/core/library/paths';
import { formatBytes } from '../../src/renderer/src/lib/format';
import type { TestVault } from '../api/support';
import {
  makeImageJob,
  makeImageJobs,
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForCount,
  waitForDecoded,
  waitForHash,
} from './harness';

const apps = useApp();

const PROMPTS = [
  'a paper crane on a windowsill',
  'a teapot shaped like a snail',
  'a lighthouse made of glass',
];

const card = (page: Page, id: string) => page.locator(`.card[data-job-id="${id}"]`);

function mediaFolder(t: TestVault, job: JobView): string {
  return toAbsolute(t.dir, mediaDirFor({ id: job.id, createdAt: Date.parse(job.createdAt) }));
}

/** Archived files of jobs as the core sees them: what the dialog must announce. */
function archivedFiles(t: TestVault, jobs: readonly JobView[]): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const job of jobs) {
    for (const output of t.vault.show(job.id).outputs) {
      if (output.state !== 'archived') continue;
      files++;
      bytes += output.bytes ?? 0;
    }
  }
  return { files, bytes };
}

/** The text of the focused element, or null. */
function focusedText(page: Page): Promise<string | null> {
  return page.evaluate('document.activeElement?.textContent ?? null') as Promise<string | null>;
}

describe('remove from library', { timeout: 120_000 }, () => {
  test('a selection removed after a confirmation, then the last job from its detail', async () => {
    let made: JobView[] = [];
    const { page, t, errors } = await apps.open({
      prepare: async (t) => {
        made = await makeImageJobs(t, PROMPTS);
      },
    });
    const [crane, teapot, lighthouse] = made as [JobView, JobView, JobView];
    await waitForCount(page, '.card[data-job-id]', 3);
    await waitForDecoded(page, '.card img', 3);

    await card(page, crane.id).click();
    await card(page, teapot.id).click({ modifiers: ['Control'] });
    await page.getByText('2 selected').waitFor();

    // Delete asks first; Cancel, focused first, leaves everything as it was.
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Remove 2 jobs from the library?' });
    await dialog.waitFor();
    const { files, bytes } = archivedFiles(t, [crane, teapot]);
    expect(files).toBeGreaterThan(0);
    await dialog.getByText(`Their ${files} files (${formatBytes(bytes)}) are deleted for good.`).waitFor();
    await dialog.getByRole('listitem').filter({ hasText: PROMPTS[0] }).waitFor();
    await dialog.getByRole('listitem').filter({ hasText: PROMPTS[1] }).waitFor();
    expect(await dialog.getByRole('listitem').count()).toBe(2);
    expect(await focusedText(page)).toBe('Cancel');
    // Tab stays inside: Cancel → Remove → Cancel.
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Remove');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Cancel');
    await screenshot(page, 'remove-dialog');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(t.vault.list().items).toHaveLength(3);
    await page.getByText('2 selected').waitFor();
    // Focus went back to the card it came from, so the keyboard carries on in the grid.
    expect(await page.evaluate('document.activeElement?.dataset.jobId')).toBe(teapot.id);

    // Escape closes it too, removing nothing.
    await page.keyboard.press('Backspace');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('2 selected').waitFor();
    expect(t.vault.list().items).toHaveLength(3);

    // "Remove…" in the selection bar, then Remove: cards, rows and folders go.
    const folders = [crane, teapot].map((job) => mediaFolder(t, job));
    expect(folders.every((folder) => existsSync(folder))).toBe(true);
    await page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Remove…' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText(`Removed 2 jobs · ${formatBytes(bytes)} deleted`).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await waitForCount(page, '.card[data-job-id]', 1);
    expect(await card(page, lighthouse.id).count()).toBe(1);
    await page.getByText('2 selected').waitFor({ state: 'hidden' });
    expect(t.vault.list().items.map((job) => job.id)).toEqual([lighthouse.id]);
    expect(t.vault.library.stats().jobs).toBe(1);
    expect(folders.filter((folder) => existsSync(folder))).toEqual([]);
    expect(existsSync(mediaFolder(t, lighthouse))).toBe(true);

    // The last job, from its detail: back in the library, which is empty now.
    await card(page, lighthouse.id).dblclick();
    await waitForHash(page, `#/job/${lighthouse.id}`);
    await page.getByRole('button', { name: 'Remove…' }).click();
    const single = page.getByRole('dialog', { name: 'Remove this job from the library?' });
    await single.waitFor();
    await single.getByText(/^Its \d+ files \(.+\) are deleted for good\.$/).waitFor();
    await single.getByRole('button', { name: 'Remove', exact: true }).click();
    await waitForHash(page, '#/library');
    await page.getByRole('heading', { name: 'No generations yet — Compose your first' }).waitFor();
    await page.getByText(/^Removed 1 job · .+ deleted$/).waitFor();
    expect(t.vault.library.stats().jobs).toBe(0);
    expect(existsSync(mediaFolder(t, lighthouse))).toBe(false);
    // Going back to it finds it gone, not a view kept from before.
    await page.goBack();
    await waitForHash(page, `#/job/${lighthouse.id}`);
    await page.getByRole('heading', { name: 'This job could not be opened' }).waitFor();
    expect(errors).toEqual([]);
  });

  test('a job still being made is refused with the reason; a follow-up outlives its parent', async () => {
    let parent: JobView | undefined;
    let childId = '';
    let runningId = '';
    const { page, t, errors } = await apps.open({
      // Shortening stays in "processing" for the whole test.
      sim: { durationsByTask: { shorten: { processing: 10 * 60_000 } } },
      prepare: async (t) => {
        parent = await makeImageJob(t, 'a paper boat on a puddle');
        childId = t.vault.library.createJob({
          provider: 'legnext',
          taskType: 'upscale',
          status: 'completed',
          prompt: 'a paper boat on a puddle',
          parent: { id: parent.id, index: 1, relation: 'upscale' },
        }).id;
        const running = t.vault.shorten('a long and winding prompt about a paper boat');
        runningId = (await t.vault.waitUntilSent(running.id)).id;
      },
    });
    await waitForCount(page, '.card[data-job-id]', 3);

    // Refused as a whole, with the core's sentence; the job, its card and the selection stay.
    await card(page, runningId).click();
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Remove this job from the library?' });
    await dialog.getByText('This job is still being made or downloaded').waitFor();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText('"a long and winding prompt about a paper boat" is still being made', { exact: false })
      .waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('1 selected').waitFor();
    expect(t.vault.library.stats().jobs).toBe(3);
    expect(await card(page, runningId).count()).toBe(1);

    // The parent, from its detail: the dialog says its follow-up stays, and it does, unlinked.
    await page.locator(`.card[data-job-id="${parent!.id}"]`).dblclick();
    await waitForHash(page, `#/job/${parent!.id}`);
    await page.getByRole('button', { name: 'Remove…' }).click();
    await dialog.getByText('Follow-ups made from it stay in the library.').waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'remove-dialog-detail-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await waitForHash(page, '#/library');
    await waitForCount(page, '.card[data-job-id]', 2);
    expect(await card(page, childId).count()).toBe(1);
    expect(t.vault.show(childId).parent).toBeNull();
    expect(existsSync(mediaFolder(t, parent!))).toBe(false);
    expect(errors).toEqual([]);
  });
});
