/**
 * "Stack families" through the real renderer, bridge, core and Legnext simulator: a grid with two
 * upscales and another job. Stacked, the library shows one card per family with "N in family" on the
 * grid's; that button (by mouse or keyboard) lists the family whole under the family chip, and removing
 * the chip stacks again. The toggle is remembered across a reload. Screenshots light and dark, axe-core.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import {
  makeImageJob,
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForCount,
  waitForDecoded,
  waitForHash,
  waitForText,
} from './harness';

const apps = useApp();

const CARDS = '.card[data-job-id]';

/** Job ids of the cards on screen, in grid order. */
async function cardIds(page: Page): Promise<string[]> {
  return page.$$eval(CARDS, (cards) =>
    cards
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((card) => card.getAttribute('data-job-id') ?? ''),
  );
}

describe('stack families', { timeout: 120_000 }, () => {
  test('one card per family, "3 in family" opens it, the chip stacks again; remembered across a reload', async () => {
    const made: JobView[] = [];
    const app = await apps.open({
      prepare: async (t) => {
        const grid = await makeImageJob(t, 'an old lighthouse in the fog --ar 1:1');
        const upscales = [0, 2].map((index) =>
          t.vault.followUp('upscale', { ref: grid.id, index }, { type: 'subtle' }),
        );
        const done = await Promise.all(
          upscales.map((u) => t.vault.waitFor(u.id, { giveUpAfterAttempts: 20 })),
        );
        const other = await makeImageJob(t, 'a red fox sleeping in fresh snow --ar 1:1');
        made.push(grid, ...done, other);
      },
    });
    const { page } = app;
    const [grid, up1, up2, other] = made as [JobView, JobView, JobView, JobView];
    const toggle = page.getByRole('button', { name: 'Stack families' });
    const count = page.locator('.view-header .muted');

    await waitForCount(page, CARDS, 4);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('.card-stack').count()).toBe(0);

    // Stacked: the other job and the grid, newest first; only the grid's family is larger than itself.
    await toggle.click();
    await waitForCount(page, CARDS, 2);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await cardIds(page)).toEqual([other.id, grid.id]);
    await waitForText(page, '.view-header .muted', '2 families');
    const gridCard = page.locator(`.card[data-job-id="${grid.id}"]`);
    const badge = gridCard.getByRole('button', { name: '3 in family' });
    await badge.waitFor();
    expect(await page.locator('.card-stack').count()).toBe(1);
    expect(await gridCard.getAttribute('class')).toContain('stacked');
    expect(await page.locator(`.card[data-job-id="${other.id}"]`).getAttribute('class')).not.toContain(
      'stacked',
    );
    await waitForDecoded(page, '.card img', 2);
    await screenshot(page, 'library-stacked');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A search while stacked says what it matches; the upscales' prompt is the grid's, so one card.
    expect(await page.locator('.stack-hint').count()).toBe(0);
    const search = page.getByRole('searchbox', { name: 'Search the library' });
    await search.fill('lighthouse');
    await page.getByText("Stacked: filters and search match each family's first job.").waitFor();
    await waitForCount(page, CARDS, 1);
    await search.fill('');
    await waitForCount(page, CARDS, 2);
    await page.locator('.stack-hint').waitFor({ state: 'detached' });

    // The badge lists the family whole, under the family chip.
    await badge.click();
    const chip = page.getByRole('group', { name: 'Active family filter' });
    await chip.getByText(/Family of/).waitFor();
    await waitForCount(page, CARDS, 3);
    expect(new Set(await cardIds(page))).toEqual(new Set([grid.id, up1.id, up2.id]));
    expect(await page.locator('.card-stack').count()).toBe(0);
    expect(await count.textContent()).toBe('3 jobs found');
    expect(await page.locator('.stack-hint').count()).toBe(0);

    // Removing the chip stacks the library again.
    await page.getByRole('button', { name: /remove the family filter/ }).click();
    await chip.waitFor({ state: 'detached' });
    await waitForCount(page, CARDS, 2);
    await badge.waitFor();

    // Keyboard: the card keeps its keys; Tab from it reaches the badge, whose Enter opens the family.
    await gridCard.click();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('3 in family');
    await page.keyboard.press('Enter');
    await chip.getByText(/Family of/).waitFor();
    await waitForCount(page, CARDS, 3);
    expect(await page.evaluate('window.location.hash')).toBe('#/library');
    await page.getByRole('button', { name: /remove the family filter/ }).click();
    await waitForCount(page, CARDS, 2);
    await gridCard.focus();
    await page.keyboard.press('Enter');
    await waitForHash(page, `#/job/${grid.id}`);
    await page.keyboard.press('Escape');
    await waitForCount(page, CARDS, 2);

    // Removing a stacked card removes the job it shows, and the dialog says the family stays.
    await gridCard.click();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog');
    await confirm.getByText('Only the job shown is removed: the other 2 jobs of its family stay.').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // Off: every job again. On, then a reload: still stacked.
    await toggle.click();
    await waitForCount(page, CARDS, 4);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    await waitForCount(page, CARDS, 2);
    await page.reload();
    await waitForCount(page, CARDS, 2);
    expect(await page.getByRole('button', { name: 'Stack families' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.getByRole('button', { name: '3 in family' }).waitFor();

    await page.emulateMedia({ colorScheme: 'dark' });
    await waitForDecoded(page, '.card img', 2);
    await screenshot(page, 'library-stacked-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
