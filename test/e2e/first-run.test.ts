/**
 * A new user's first session through the real renderer, web bridge, core and Legnext simulator: the
 * welcome screen refuses a wrong key with a clear message, accepts the right one, and a prompt sent
 * from Compose comes back as four images served from the local library. Also: running out of credits
 * is explained in words.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';
import { imageSources, screenshot, useApp, waitForDecoded } from './harness';

const apps = useApp();

describe('first run', { timeout: 90_000 }, () => {
  test('set key → compose → the job completes → four images shown from local files', async () => {
    const app = await apps.open({ key: null });
    const { page, t } = app;

    await page.getByRole('heading', { name: 'Keep everything you make with Midjourney' }).waitFor();
    await screenshot(page, 'welcome');

    const keyField = page.getByLabel('Legnext API key');
    await keyField.fill('not-the-right-key');
    await page.getByRole('button', { name: 'Check and save' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Legnext did not accept this API key');
    expect(t.backend.values.has('legnext')).toBe(false);
    await screenshot(page, 'welcome-invalid-key');

    await keyField.fill(t.sim.apiKey);
    await page.getByRole('button', { name: 'Check and save' }).click();
    await page.getByRole('heading', { name: 'No generations yet — Compose your first' }).waitFor();
    expect(t.backend.values.get('legnext')).toBe(t.sim.apiKey);
    await screenshot(page, 'library-empty');

    await page.getByRole('main').getByRole('button', { name: 'Compose' }).click();
    const prompt = page.getByLabel('Prompt', { exact: true });
    await prompt.fill('a lighthouse in a storm, oil painting');
    await page.getByLabel('Aspect ratio').selectOption('16:9');
    expect(await prompt.inputValue()).toBe('a lighthouse in a storm, oil painting --ar 16:9');

    // Playwright clicks only once the button is enabled, i.e. once the core has checked the prompt.
    await page.getByRole('button', { name: 'Imagine' }).click();

    const sent = page.locator('.sent-link').first();
    await sent.getByText('Done').waitFor();
    const jobs = t.vault.list().items;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.prompt).toBe('a lighthouse in a storm, oil painting --ar 16:9');
    await screenshot(page, 'compose-done');

    await sent.click();
    await waitForDecoded(page, '.outputs img', 4);
    const images = await imageSources(page, '.outputs');
    expect(images).toHaveLength(4);
    for (const image of images) {
      expect(image.src).toMatch(/^\/media\/media\//);
      expect(image.width).toBeGreaterThan(0);
      // The URL names a file inside this test's library folder: the picture is the archived copy.
      const relative = decodeURIComponent(image.src.slice('/media/'.length));
      expect(existsSync(path.join(t.dir, relative))).toBe(true);
    }
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Imagine');
    await screenshot(page, 'detail-first-job');

    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await page.locator('.card[data-job-id]').first().waitFor();
    expect(await page.locator('.card[data-job-id]').count()).toBe(1);
    expect(app.errors).toEqual([]);
  });

  test('out of credits: the balance check and the API refusal are both explained in words', async () => {
    const app = await apps.open();
    const { page, t } = app;
    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('a quiet harbour at dawn');
    await page.locator('.compose-cost strong', { hasText: '80 points' }).waitFor();

    // The account empties after the page read its balance: Legnext refuses the job with 402.
    t.sim.setCredits(0);
    await page.getByRole('button', { name: 'Imagine' }).click();
    const banner = page.locator('.banner', { hasText: 'out of credits' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Your Legnext account is out of credits');

    // The balance is read again after the refusal; the button says why it cannot send.
    const reason = page.locator('#submit-reason');
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/out of credits|your balance is 0 points/);
    expect(await page.getByRole('button', { name: 'Imagine' }).isDisabled()).toBe(true);
    await screenshot(page, 'compose-out-of-credits');
    expect(app.errors).toEqual([]);
  });

  test('where no keychain answers, the welcome and Settings say where the key is kept instead', async () => {
    const note = 'No system keychain answered, so keys are kept in a file encrypted for this user account.';
    const app = await apps.open({ key: null, keyNote: note });
    const { page, t } = app;

    await page.getByLabel('Legnext API key').fill(t.sim.apiKey);
    await page.getByRole('button', { name: 'Check and save' }).click();
    // The welcome stays open until the person has read where the key went.
    const shown = page.getByRole('note');
    await shown.waitFor();
    expect(await shown.textContent()).toContain(note);
    await screenshot(page, 'welcome-key-note');
    await page.getByRole('button', { name: 'Open my library' }).click();
    await page.getByRole('heading', { name: 'No generations yet — Compose your first' }).waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    const legnext = page.getByRole('region', { name: 'Legnext (Midjourney)' });
    await legnext.getByRole('note').filter({ hasText: note }).waitFor();
    expect(app.errors).toEqual([]);
  });
});
