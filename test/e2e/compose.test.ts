/**
 * Compose: the parameter controls and the prompt text edit each other both ways, the core's live
 * check highlights a bad flag and blocks sending with the reason, and a video goes out with its
 * options and comes back as a video job.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { screenshot, seriousAxeViolations, useApp, waitForCount, waitForValue } from './harness';

const apps = useApp();

function promptIs(page: Page, expected: string): Promise<void> {
  return waitForValue(page, '#compose-prompt', expected);
}

describe('compose', { timeout: 90_000 }, () => {
  test('controls and --flags edit each other; a bad flag is highlighted and blocks sending', async () => {
    const app = await apps.open();
    const { page } = app;
    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    const prompt = page.getByLabel('Prompt', { exact: true });

    // Typed flags move the controls.
    await prompt.fill('a koi pond in autumn --ar 3:2 --s 500 --niji 6 --turbo --raw');
    expect(await page.getByLabel('Aspect ratio').inputValue()).toBe('3:2');
    expect(await page.getByLabel('Model').inputValue()).toBe('niji 6');
    expect(await page.getByRole('slider', { name: 'Stylize' }).inputValue()).toBe('500');
    expect(await page.getByRole('radio', { name: 'Turbo' }).getAttribute('aria-checked')).toBe('true');
    expect(await page.getByRole('checkbox', { name: /^Raw/ }).isChecked()).toBe(true);

    // Controls rewrite the flags in the text, leaving the rest as typed.
    await page.getByLabel('Model').selectOption('7');
    await promptIs(page, 'a koi pond in autumn --ar 3:2 --s 500 --turbo --raw --v 7');
    await page.getByRole('radio', { name: 'Fast' }).click();
    await promptIs(page, 'a koi pond in autumn --ar 3:2 --s 500 --raw --v 7 --fast');
    await page.getByRole('checkbox', { name: /^Raw/ }).uncheck();
    await promptIs(page, 'a koi pond in autumn --ar 3:2 --s 500 --v 7 --fast');
    await page.getByLabel('Seed').fill('1234');
    await promptIs(page, 'a koi pond in autumn --ar 3:2 --s 500 --v 7 --fast --seed 1234');
    await page.getByRole('button', { name: 'Reset stylize' }).click();
    await promptIs(page, 'a koi pond in autumn --ar 3:2 --v 7 --fast --seed 1234');
    await page.locator('.compose-cost strong', { hasText: '80 points' }).waitFor();

    // --q 3 is not a V7 quality: the issue names the flag, the flag is marked, the button says why.
    await prompt.fill('a koi pond in autumn --ar 3:2 --v 7 --q 3');
    const issue = page.locator('.issues li');
    await issue.waitFor();
    expect(await issue.locator('code.flag.bad').textContent()).toBe('--q');
    expect(await issue.textContent()).toContain('--q must be 1, 2 or 4');
    expect(await page.locator('.prompt-backdrop mark.bad').textContent()).toBe('--q 3');
    expect(await page.locator('#submit-reason').textContent()).toBe('Fix the issue above first.');
    expect(await page.getByRole('button', { name: 'Imagine' }).isDisabled()).toBe(true);
    await screenshot(page, 'compose');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Quality').selectOption('2');
    await promptIs(page, 'a koi pond in autumn --ar 3:2 --v 7 --q 2');
    // Once the core has checked the fixed prompt the issue and the reason are gone.
    await page.locator('#submit-reason').waitFor({ state: 'detached' });
    expect(await issue.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Imagine' }).isEnabled()).toBe(true);
    expect(app.errors).toEqual([]);
  });

  test('video compose: first frame, motion, loop, batch and resolution become a video job', async () => {
    const app = await apps.open();
    const { page, t } = app;
    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('radio', { name: 'Video' }).click();

    // The simulator, like the API reference's examples, wants a first-frame image URL for a new video.
    await page.getByLabel('First frame image URL').fill('https://images.example.com/boat.png');
    await page.getByLabel('What happens').fill('a paper boat drifting down a rainy street');
    await page.getByRole('radiogroup', { name: 'Motion' }).getByRole('radio', { name: 'High' }).click();
    await page.getByRole('checkbox', { name: /^Loop/ }).check();
    await page.getByRole('radiogroup', { name: 'Videos' }).getByRole('radio', { name: '2' }).click();
    await page.getByRole('radiogroup', { name: 'Resolution' }).getByRole('radio', { name: '720p' }).click();
    const sentPrompt =
      'https://images.example.com/boat.png a paper boat drifting down a rainy street --motion high --loop --bs 2';
    expect(await page.locator('.prompt-preview').textContent()).toBe(sentPrompt);
    await page.locator('#submit-reason').waitFor({ state: 'detached' });
    await screenshot(page, 'compose-video');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Make video' }).click();
    const sent = page.locator('.sent-link').first();
    await sent.getByText('Done').waitFor();
    const [job] = t.vault.list().items;
    expect(job).toMatchObject({ taskType: 'video_diffusion', prompt: sentPrompt });
    await sent.click();
    await page.getByRole('heading', { level: 1, name: 'Video' }).waitFor();
    await waitForCount(page, '.outputs video', 2);
    expect(app.errors).toEqual([]);
  });
});
