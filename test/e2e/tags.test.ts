/**
 * Tags through the real renderer, web bridge, core and library: added in the detail view by typing
 * and by a comma-separated paste, saved in the library (and its job.json), removed with a chip's
 * button, refused when too long, and a tag chip opens the library searching for it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { sidecarPathFor, toAbsolute } from '../../src/main/core/library/paths';
import { openJob } from './followups-support';
import { makeImageJob, screenshot, seriousAxeViolations, useApp, waitForCount, waitForHash } from './harness';

const apps = useApp();

describe('tags', { timeout: 120_000 }, () => {
  test('add, remove and search by tag from the detail view', async () => {
    // A second job, so the search has something to leave out.
    const app = await apps.openWithImageJob('a lighthouse on a cliff at dawn', {
      prepare: async (t) => void (await makeImageJob(t, 'a red fox sleeping in fresh snow')),
    });
    const { page, t, job } = app;
    await openJob(page, job.id);

    const input = page.getByLabel('Add a tag');
    await input.fill('Golden hour');
    await input.press('Enter');
    await input.fill('coast, harbour,coast');
    await input.press('Enter');
    const chips = page.locator('.tag-list .tag-chip-text');
    await expect.poll(() => chips.allTextContents()).toEqual(['coast', 'Golden hour', 'harbour']);
    await expect
      .poll(() => t.vault.library.jobView(job.id).tags)
      .toEqual(['coast', 'Golden hour', 'harbour']);
    // The library folder keeps them too, so a rebuild brings them back.
    const sidecar = toAbsolute(t.dir, sidecarPathFor(t.vault.library.getJob(job.id)!));
    expect((JSON.parse(readFileSync(sidecar, 'utf8')) as { tags: string[] }).tags).toEqual([
      'coast',
      'Golden hour',
      'harbour',
    ]);

    // Adding one that is there in another case changes nothing; a tag too long says why.
    await input.fill('COAST');
    await input.press('Enter');
    await input.fill('x'.repeat(101));
    await input.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'A tag can be at most 100 characters long.' }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.press('Escape');
    expect(await input.inputValue()).toBe('');

    await page.getByRole('button', { name: 'Remove tag harbour' }).click();
    await expect.poll(() => chips.allTextContents()).toEqual(['coast', 'Golden hour']);
    // Focus stays in the tags, on the chip that took the removed one's place (here the last one).
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { textContent: string } | null } })
              .document.activeElement?.textContent,
        ),
      )
      .toBe('Golden hour');
    await expect.poll(() => t.vault.library.jobView(job.id).tags).toEqual(['coast', 'Golden hour']);
    await screenshot(page, 'detail-tags');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A chip opens the library searching for its tag: only the tagged job is listed.
    await chips.filter({ hasText: 'Golden hour' }).click();
    await waitForHash(page, '#/library');
    expect(await page.getByPlaceholder('Search prompts, descriptions and tags').inputValue()).toBe(
      'Golden hour',
    );
    await waitForCount(page, '.card[data-job-id]', 1);
    expect(await page.locator('.card[data-job-id]').getAttribute('data-job-id')).toBe(job.id);
    expect(app.errors).toEqual([]);
  });
});
