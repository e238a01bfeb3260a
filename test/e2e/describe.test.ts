/**
 * Describe and Shorten through the real renderer, bridge, core and Legnext simulator: a library image
 * dragged onto the sidebar's Describe entry is described; the four suggestions each offer "Use this
 * prompt" (which fills Compose) and copy; a long prompt is shortened; past describes and shortens are
 * listed and found by searching their prompts.
 */
import { describe, expect, test } from 'vitest';
import {
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForCount,
  waitForDecoded,
  waitForValue,
} from './harness';

const apps = useApp();

describe('describe and shorten', { timeout: 120_000 }, () => {
  test('describe a dragged library image, use a suggestion in Compose, shorten a prompt, search the history', async () => {
    const app = await apps.openWithImageJob('an old brass telescope on a ship deck --ar 1:1');
    const { page, t, job } = app;
    await waitForDecoded(page, '.card img', 1);

    await page
      .locator(`.card[data-job-id="${job.id}"]`)
      .dragTo(page.getByRole('link', { name: 'Describe', exact: true }));
    await page.getByRole('heading', { level: 1, name: 'Describe' }).waitFor();
    await page.locator('.describe-slot .slot-caption', { hasText: 'image 1' }).waitFor();
    await page.getByRole('button', { name: 'Describe image' }).click();
    await page.getByText('Describe started.').waitFor();

    // The simulator describes the image it was sent: the library image's CDN URL.
    await waitForCount(page, '.tool-side .suggestion', 4);
    const describeCall = t.sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/describe'));
    const cdnUrl = job.outputs.find((o) => o.kind === 'image' && o.index === 0)!.url;
    expect((describeCall?.body as { imgUrl?: string }).imgUrl).toBe(cdnUrl);
    const suggestions = await page.locator('.tool-side .suggestion-text').allTextContents();
    expect(suggestions).toHaveLength(4);
    await screenshot(page, 'describe-suggestions');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // "Use this prompt" opens Compose with that suggestion.
    await page
      .locator('.tool-side .suggestion')
      .nth(1)
      .getByRole('button', { name: /Use this prompt/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Compose' }).waitFor();
    await waitForValue(page, '#compose-prompt', suggestions[1]!);

    // Shorten a long prompt; its suggestions come back the same way.
    await page.getByRole('link', { name: 'Describe', exact: true }).click();
    await page.getByRole('tab', { name: 'Shorten a prompt' }).click();
    const long =
      'a very detailed and intricate and ornate illustration of a lighthouse on a rocky cliff at dusk, ' +
      'dramatic crashing waves, seagulls, warm glowing windows, moody clouds --ar 3:2';
    await page.getByLabel('Prompt to shorten').fill(long);
    await page.getByRole('button', { name: 'Shorten prompt' }).click();
    await waitForCount(page, '.tool-side .suggestion', 4);
    const shortened = await page.locator('.tool-side .suggestion-text').allTextContents();
    expect(shortened.every((s) => s.length < long.length && s.endsWith('--ar 3:2'))).toBe(true);
    const shortenCall = t.sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/shorten'));
    expect((shortenCall?.body as { prompt?: string }).prompt).toBe(long);

    // Both are in the history; a search over their prompts finds the describe.
    const history = page.locator('.history-list > li');
    await waitForCount(page, '.history-list > li', 2);
    const word = /cinematic/;
    await page.getByRole('searchbox', { name: 'Search past describes and shortens' }).fill('cinematic');
    await waitForCount(page, '.history-list > li', 1);
    await history.first().locator('summary').click();
    await history.first().locator('.suggestion-text', { hasText: word }).waitFor();
    await history.first().getByText('Described image 1 of this job').waitFor();
    await screenshot(page, 'describe-history');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
