/**
 * The archive is the user's, not the API's: with the Legnext simulator stopped the library still
 * browses and every picture still loads from local files, a reload keeps favorites and settings, and
 * sending is disabled with the reason once the queue finds the network gone.
 */
import { describe, expect, test } from 'vitest';
import { readSettings } from '../../src/main/core/api/settings';
import {
  imageSources,
  makeImageJobs,
  screenshot,
  useApp,
  waitForCount,
  waitForDecoded,
  waitForTextPart,
  waitForTheme,
} from './harness';

const apps = useApp();

describe('offline and reload', { timeout: 90_000 }, () => {
  test('stop the simulator → the library still browses and images load; reload keeps state', async () => {
    const app = await apps.open({
      prepare: (t) =>
        makeImageJobs(t, ['a tide pool full of starfish', 'a snowy mountain hut at night']).then(
          () => undefined,
        ),
    });
    const { page, t } = app;
    await waitForDecoded(page, '.card img', 2);

    // State worth keeping: a favorite and the dark theme.
    const first = page.locator('.card[data-index="0"]');
    const firstId = await first.getAttribute('data-job-id');
    await first.hover();
    await first.getByRole('button', { name: 'Favorite' }).click();
    await first.locator('.card-fav[aria-pressed="true"]').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Dark' }).click();
    await waitForTheme(page, 'dark');
    await expect.poll(() => readSettings(t.vault.library).theme).toBe('dark');

    await t.sim.close();

    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.getByRole('navigation').getByRole('link', { name: 'Library' }).click();
    await waitForDecoded(page, '.card img', 2);
    expect(await page.locator(`.card[data-job-id="${firstId}"] .card-fav.on`).count()).toBe(1);
    await page.getByRole('button', { name: 'Favorites', exact: true }).click();
    await waitForCount(page, '.card[data-job-id]', 1);
    await page.getByRole('button', { name: 'Favorites', exact: true }).click();
    await waitForCount(page, '.card[data-job-id]', 2);

    await page.locator(`.card[data-job-id="${firstId}"]`).dblclick();
    await waitForDecoded(page, '.outputs img', 4);
    for (const image of await imageSources(page, '.outputs')) {
      expect(image.src).toMatch(/^\/media\/media\//);
    }

    // Sending with Legnext unreachable: the queue goes offline, the banner says so, Compose says why.
    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('a lighthouse seen from a rowing boat');
    await page.getByRole('button', { name: 'Imagine' }).click();
    await page.locator('.banner', { hasText: 'Offline.' }).waitFor();
    const reason = page.locator('#submit-reason');
    await waitForTextPart(page, '#submit-reason', 'offline');
    expect(await reason.textContent()).toContain('GenVault is offline');
    expect(await page.getByRole('button', { name: 'Imagine' }).isDisabled()).toBe(true);
    await screenshot(page, 'compose-offline');

    // The library keeps browsing meanwhile.
    await page.getByRole('navigation').getByRole('link', { name: 'Library' }).click();
    await waitForCount(page, '.card[data-job-id]', 3);
    await waitForDecoded(page, '.card img', 2);
    await screenshot(page, 'library-offline');
    expect(app.errors).toEqual([]);
  });
});
