/**
 * Activity and Settings: jobs in flight with their status, failures with the reason and Retry, the
 * queue paused and resumed from the UI; the key shown only by its last characters, replaced with a
 * wrong one (refused in words) and removed (Compose then says a key is needed).
 */
import { describe, expect, test } from 'vitest';
import { FAIL_MARKER } from '../sim/legnext/index';
import { screenshot, seriousAxeViolations, useApp, waitForTheme } from './harness';

const apps = useApp();

describe('activity and settings', { timeout: 90_000 }, () => {
  test('in flight, failed with Retry, saved; pause and resume the queue', async () => {
    // Long enough processing that the job is seen running; the test waits on the page, not the clock.
    const app = await apps.open({ sim: { durationsByTask: { diffusion: { processing: 2500 } } } });
    const { page, t } = app;
    await page.getByRole('navigation').getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Nothing in flight' }).waitFor();

    const running = t.vault.imagine('a glasshouse in the rain at night');
    const failing = t.vault.imagine(`a clock tower ${FAIL_MARKER}`);
    const inProgress = page.getByRole('region', { name: 'In progress' });
    await inProgress.getByText('Running').first().waitFor();
    expect(await page.getByRole('navigation').locator('.count').textContent()).toMatch(/^[12] in flight$/);

    // The failing job lands under Failed with the reason in words and a Retry button.
    const failed = page.getByRole('region', { name: 'Failed' });
    await failed.waitFor();
    const failure = await t.vault.waitFor(failing.id).catch(() => t.vault.show(failing.id));
    expect(failure.status).toBe('failed');
    expect(await failed.textContent()).toContain(failure.error!.message);
    await screenshot(page, 'activity');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Sent again.').waitFor();
    await expect.poll(() => t.vault.list().items.length).toBe(3);

    // The running job finishes and moves to Recently saved.
    const saved = page.getByRole('region', { name: 'Recently saved' });
    await saved.getByText('a glasshouse in the rain at night').waitFor({ timeout: 30_000 });
    expect(t.vault.show(running.id).status).toBe('completed');

    // Pause: a banner says so, Compose refuses with the same words; Resume clears both.
    await page.getByRole('button', { name: 'Pause queue' }).click();
    const banner = page.locator('.banner', { hasText: 'Paused: new jobs wait until you resume the queue.' });
    await banner.waitFor();
    expect(t.vault.queue.pausedProviders()).toHaveLength(1);
    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('a fishing village');
    await page.locator('#submit-reason', { hasText: 'Paused: new jobs wait' }).waitFor();
    await banner.getByRole('button', { name: 'Resume' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(t.vault.queue.pausedProviders()).toHaveLength(0);
    expect(app.errors).toEqual([]);
  });

  test('settings: key by its last characters, a wrong replacement refused, removal, theme', async () => {
    const app = await apps.open();
    const { page, t } = app;
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.getByText('Key ending in').waitFor();
    expect(await page.locator('.key-status').textContent()).toContain(`••••${t.sim.apiKey.slice(-4)}`);
    expect(await page.content()).not.toContain(t.sim.apiKey);
    await page.locator('.balance-line strong', { hasText: '100,000 points' }).waitFor();
    await page.locator('.stats dd').first().waitFor();
    await screenshot(page, 'settings');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Replace key' }).click();
    await page.getByRole('textbox', { name: 'Legnext API key' }).fill('a-wrong-key-entirely');
    await page.getByRole('button', { name: 'Check and replace' }).click();
    await page.getByRole('alert').getByText('Legnext did not accept this API key').waitFor();
    expect(t.backend.values.get('legnext')).toBe(t.sim.apiKey);

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Remove key' }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText('No key is set').waitFor();
    expect(t.backend.values.has('legnext')).toBe(false);

    // The palette really switches: the page background is the light or the dark token's value.
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    const LIGHT_BG = 'rgb(246, 246, 248)';
    const DARK_BG = 'rgb(17, 17, 21)';
    await page.getByRole('radio', { name: 'Light' }).click();
    await waitForTheme(page, 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe(LIGHT_BG);
    await page.getByRole('radio', { name: 'System' }).click();
    await waitForTheme(page, 'system');
    await expect.poll(background).toBe(DARK_BG);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(background).toBe(LIGHT_BG);

    await page.getByRole('radio', { name: 'Dark' }).click();
    await waitForTheme(page, 'dark');
    await expect.poll(background).toBe(DARK_BG);
    await screenshot(page, 'settings-dark-no-key');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('a fishing village');
    await page
      .locator('#submit-reason', { hasText: 'Add your Legnext API key in Settings first.' })
      .waitFor();
    expect(app.errors).toEqual([]);
  });
});
