/**
 * Browsing the library: full-text search, filters, sort, favorites, multi-select and the keyboard,
 * on a library filled through the real core and simulator. Also axe-core on the grid, light and dark.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  focusedIndex,
  launchBrowser,
  makeImageJobs,
  openApp,
  screenshot,
  seriousAxeViolations,
  waitForCount,
  waitForDecoded,
  waitForFocusedIndex,
  waitForHash,
  waitForText,
  type AppSession,
} from './harness';

let browser: Browser;
let app: AppSession | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

afterAll(async () => {
  await browser?.close();
});

const PROMPTS = [
  'a red fox sleeping in fresh snow --ar 2:3 --v 6.1',
  'a blue whale under the northern lights --ar 16:9',
  'a red lantern festival over a river --ar 16:9 --niji 6',
  'an old lighthouse keeper reading by candlelight --ar 1:1',
  'a fox and a crow sharing bread, woodcut print --ar 2:3',
  'a greenhouse full of glowing mushrooms --ar 1:1 --v 6.1',
];

/** Prompts of the cards on screen, in grid order. */
async function cardPrompts(page: Page): Promise<string[]> {
  return page.$$eval('.card[data-job-id]', (cards) =>
    cards
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((card) => card.querySelector('.card-prompt')?.textContent ?? ''),
  );
}

/** Waits until the grid shows exactly `n` cards. */
function waitForCards(page: Page, n: number): Promise<void> {
  return waitForCount(page, '.card[data-job-id]', n);
}

describe('library', { timeout: 90_000 }, () => {
  test('search, filters, sort, favorites, selection and keyboard', async () => {
    app = await openApp(browser, { prepare: (t) => makeImageJobs(t, PROMPTS).then(() => undefined) });
    const { page, t } = app;
    await waitForCards(page, PROMPTS.length);
    await waitForDecoded(page, '.card img', PROMPTS.length);
    const newestFirst = await cardPrompts(page);
    expect(newestFirst[0]).toBe('a greenhouse full of glowing mushrooms');
    await screenshot(page, 'library');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Full-text search over prompts.
    const search = page.getByRole('searchbox', { name: 'Search the library' });
    await search.fill('fox');
    await waitForCards(page, 2);
    expect((await cardPrompts(page)).every((p) => p.includes('fox'))).toBe(true);
    await search.fill('fox zebra');
    await page.getByRole('heading', { name: 'Nothing matches' }).waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await waitForCards(page, PROMPTS.length);

    // Filters: model version, aspect ratio, then both with a search.
    await page.getByRole('button', { name: 'Filters', exact: true }).click();
    await page.getByLabel('Model').selectOption('6.1');
    await waitForCards(page, 2);
    await page.getByLabel('Aspect ratio').selectOption('1:1');
    await waitForCards(page, 1);
    expect(await cardPrompts(page)).toEqual(['a greenhouse full of glowing mushrooms']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Aspect ratio').selectOption('16:9');
    await waitForCards(page, 2);
    await search.fill('red');
    await waitForCards(page, 1);
    await page.getByLabel('Model').selectOption('niji 6');
    // One card before and after: the count reads "Loading…" from the change on, so this is niji's listing.
    await waitForText(page, '.view-header .muted', '1 job found');
    expect(await cardPrompts(page)).toEqual(['a red lantern festival over a river']);
    await page.getByLabel('Type').selectOption('video');
    await page.getByRole('heading', { name: 'Nothing matches' }).waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await waitForCards(page, PROMPTS.length);

    // Sort oldest first reverses the order.
    await page.getByRole('radio', { name: 'Oldest' }).click();
    await waitForText(page, '.card[data-index="0"] .card-prompt', newestFirst.at(-1)!);
    expect(await cardPrompts(page)).toEqual([...newestFirst].reverse());
    await page.getByRole('radio', { name: 'Newest' }).click();
    await waitForText(page, '.card[data-index="0"] .card-prompt', newestFirst[0]!);

    // Keyboard: click focuses the first card, arrows move, F favorites, Space previews, Enter opens.
    await page.locator('.card[data-index="0"]').click();
    expect(await focusedIndex(page)).toBe(0);
    await page.keyboard.press('ArrowRight');
    await waitForFocusedIndex(page, 1);
    await page.keyboard.press('ArrowLeft');
    await waitForFocusedIndex(page, 0);
    await page.keyboard.press('ArrowDown');
    // The card below is focused once its row has rendered; its index depends on the column count.
    await expect.poll(() => focusedIndex(page)).toBeGreaterThan(1);
    await page.keyboard.press('ArrowUp');
    await waitForFocusedIndex(page, 0);

    await page.keyboard.press('f');
    const firstId = await page.locator('.card[data-index="0"]').getAttribute('data-job-id');
    await page.locator('.card[data-index="0"] .card-fav[aria-pressed="true"]').waitFor();
    await expect.poll(() => t.vault.show(firstId!).favorite).toBe(true);

    await page.keyboard.press(' ');
    const preview = page.getByRole('dialog', { name: 'Preview' });
    await preview.waitFor();
    await waitForDecoded(page, 'dialog[open] img', 1);
    await screenshot(page, 'library-preview');
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });

    await page.locator('.card[data-index="0"]').focus();
    await page.keyboard.press('Enter');
    await waitForHash(page, `#/job/${firstId}`);
    await page.getByRole('heading', { level: 1, name: 'Imagine' }).waitFor();
    await page.keyboard.press('Escape');
    await waitForCards(page, PROMPTS.length);

    // Favorites filter shows only the starred job.
    await page.getByRole('button', { name: 'Favorites', exact: true }).click();
    await waitForCards(page, 1);
    expect(await page.locator('.card[data-job-id]').getAttribute('data-job-id')).toBe(firstId);
    await page.getByRole('button', { name: 'Favorites', exact: true }).click();
    await waitForCards(page, PROMPTS.length);

    // Multi-select: click, shift-click a range, ctrl-click to add one more.
    await page.locator('.card[data-index="0"]').click();
    await page.locator('.card[data-index="2"]').click({ modifiers: ['Shift'] });
    await page.getByText('3 selected').waitFor();
    await page.locator('.card[data-index="4"]').click({ modifiers: ['Control'] });
    await page.getByText('4 selected').waitFor();
    expect(await page.locator('.card[aria-selected="true"]').count()).toBe(4);
    await page.locator('.card[data-index="1"]').click({ modifiers: ['Control'] });
    await page.getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Add to favorites' }).click();
    await expect.poll(() => t.vault.list({ favorite: true }).items.length).toBe(3);
    await page.keyboard.press('Escape');
    await page.getByText('3 selected').waitFor({ state: 'hidden' });

    // Expanding a card shows its four images in place of the grid image, in the same box.
    const card = page.locator('.card[data-index="1"]');
    const before = await card.boundingBox();
    await card.hover();
    await card.getByRole('button', { name: 'Show the four images' }).click();
    await waitForCount(page, '.card[data-index="1"] .card-quad img', 4);
    expect(await card.boundingBox()).toEqual(before);

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'library-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});

/** `total` finished jobs without files, a minute apart, the newest a minute ago: `archive entry <i>`. */
function addArchive(t: AppSession['t'], total: number): void {
  const start = Date.now() - total * 60_000;
  for (let i = 0; i < total; i++) {
    t.vault.library.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      status: 'completed',
      prompt: `archive entry ${i}`,
      createdAt: start + i * 60_000,
    });
  }
}

describe('library paging', { timeout: 90_000 }, () => {
  test('pages load as the grid nears the end, in keyset order, until every job is listed', async () => {
    // More than the first pages and the look-ahead load on their own: the rest needs scrolling.
    const total = 900;
    app = await openApp(browser, { prepare: async (t) => addArchive(t, total) });
    const { page } = app;
    const count = page.locator('.view-header .muted');
    await page.getByText(/^[\d,]+\+ jobs$/).waitFor();

    // Scroll the grid to its end until the header stops saying "+" (no further page).
    const grid = page.getByRole('grid', { name: 'Jobs' });
    for (let pass = 0; pass < 20 && (await count.textContent())?.includes('+'); pass++) {
      const before = await count.textContent();
      await grid.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForFunction(
        ([sel, text]) =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string | null } | null };
            }
          ).document.querySelector(sel)?.textContent !== text,
        ['.view-header .muted', before] as const,
      );
    }
    expect(await count.textContent()).toBe(`${total} jobs`);
    // The oldest job is the last card once the grid is scrolled to its new end.
    await grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.getByText('archive entry 0', { exact: true }).waitFor();
    const last = await page
      .locator('.card[data-job-id]')
      .evaluateAll((cards) => Math.max(...cards.map((c) => Number(c.getAttribute('data-index')))));
    expect(last).toBe(total - 1);
    expect(app.errors).toEqual([]);
  });
});

/**
 * Runs in the page: moves the grid by `step` pixels on each of up to `frames` animation frames and
 * reports whether any light card (the fling placeholder) was on screen at a frame. With `untilLight`
 * it stops at the first frame that shows one. Kept as source text: the page receives it as a string.
 */
const SCROLL_BY_FRAMES = `(step, frames, untilLight) => new Promise((resolve) => {
  const grid = document.querySelector('.grid-scroll');
  let sawLight = false;
  let n = 0;
  const frame = () => {
    sawLight = sawLight || document.querySelector('.card.light') !== null;
    if (n++ >= frames || (untilLight && sawLight)) return resolve(sawLight);
    grid.scrollTop += step;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

/** The page's globals the settled-cards check reads (the tests compile without the DOM library). */
interface CardElement {
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  querySelector(selector: string): { textContent: string | null } | null;
}

/**
 * Runs in the page: true once every card is a full card (none light or loading) and each shows the
 * prompt of the job at its index, `archive entry ${newest - index}` (the listing is newest first).
 */
function cardsSettledAndRight(newest: number): boolean {
  const { document } = globalThis as unknown as {
    document: { querySelectorAll(selector: string): Iterable<CardElement> };
  };
  const cards = [...document.querySelectorAll('.grid-scroll .card')];
  return (
    cards.length > 0 &&
    cards.every(
      (card) =>
        !card.classList.contains('light') &&
        !card.classList.contains('skeleton') &&
        card.querySelector('.card-prompt')?.textContent ===
          `archive entry ${newest - Number(card.getAttribute('data-index'))}`,
    )
  );
}

describe('library scrolling', { timeout: 90_000 }, () => {
  test('recycled cards show their own job, focus stays with its job, and a fling settles to full cards', async () => {
    const total = 900;
    app = await openApp(browser, { prepare: async (t) => addArchive(t, total) });
    const { page } = app;
    const newest = total - 1;
    const settled = () => page.waitForFunction(cardsSettledAndRight, newest);
    await settled();

    // Focus a card, then scroll its row far away: the element the grid reuses for another job must
    // not keep the focus (it would announce and act on the wrong job).
    const first = page.locator('.card[data-index="0"]');
    const firstId = await first.getAttribute('data-job-id');
    await first.focus();
    expect(await focusedIndex(page)).toBe(0);
    await page.evaluate(`(${SCROLL_BY_FRAMES})(100, 40, false)`);
    await settled();
    const focusedJob = await page.evaluate(
      `document.activeElement?.closest('.card')?.getAttribute('data-job-id') ?? null`,
    );
    expect([null, firstId]).toContain(focusedJob);

    // A slow scroll (well under a screen per frame) keeps full cards throughout.
    expect(await page.evaluate(`(${SCROLL_BY_FRAMES})(60, 30, false)`)).toBe(false);

    // A fling (two screens per frame) shows light cards; once it stops every card is full again and
    // shows the job at its index.
    const screen = (await page.evaluate(`document.querySelector('.grid-scroll').clientHeight`)) as number;
    expect(await page.evaluate(`(${SCROLL_BY_FRAMES})(${2 * screen}, 120, true)`)).toBe(true);
    await settled();

    // Back to the top: the first job is where it was, in a full card.
    await page.evaluate(`document.querySelector('.grid-scroll').scrollTop = 0`);
    await settled();
    expect(await first.getAttribute('data-job-id')).toBe(firstId);
    expect(app.errors).toEqual([]);
  });
});
