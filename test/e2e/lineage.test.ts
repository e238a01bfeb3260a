/**
 * The lineage graph through the real renderer, bridge, core and Legnext simulator: a four-generation
 * chain made by real follow-ups (grid → upscale → video → extend) shows four nodes left to right, joined
 * by three curves; a node opens its job; the keyboard walks the family. A 50-job family with a blend of
 * several parents lays out without two nodes overlapping. The library's "Show family" filter and chip.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import {
  makeImageJob,
  screenshot,
  seriousAxeViolations,
  setHash,
  useApp,
  waitForCount,
  waitForDecoded,
  waitForHash,
} from './harness';

const apps = useApp();

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

async function nodeBoxes(page: Page): Promise<Box[]> {
  return (await page.evaluate(`[...document.querySelectorAll('.lineage-node')].map((el) => ({
    id: el.getAttribute('data-node-id'),
    x: el.offsetLeft, y: el.offsetTop, width: el.offsetWidth, height: el.offsetHeight,
  }))`)) as Box[];
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function focusedNode(page: Page): Promise<string | null> {
  return (await page.evaluate("document.activeElement?.getAttribute('data-node-id') ?? null")) as
    string | null;
}

describe('lineage', { timeout: 120_000 }, () => {
  test('grid → upscale → video → extend: four nodes in four generations; a node opens its job', async () => {
    const chain: JobView[] = [];
    const app = await apps.open({
      prepare: async (t) => {
        const grid = await makeImageJob(t, 'a lone cabin in a snowy forest at night --ar 1:1');
        const upscale = t.vault.followUp('upscale', { ref: grid.id, index: 1 }, { type: 'subtle' });
        await t.vault.waitFor(upscale.id, { giveUpAfterAttempts: 20 });
        const video = t.vault.followUp('video-diffusion', { ref: upscale.id, index: 0 });
        await t.vault.waitFor(video.id, { giveUpAfterAttempts: 20 });
        const extend = t.vault.followUp('extend-video', { ref: video.id, index: 0 });
        await t.vault.waitFor(extend.id, { giveUpAfterAttempts: 20 });
        chain.push(grid, upscale, video, extend);
      },
    });
    const { page } = app;
    const [grid, upscale, video, extend] = chain as [JobView, JobView, JobView, JobView];

    await setHash(page, `#/lineage/${encodeURIComponent(video.id)}`);
    await waitForCount(page, '.lineage-node', 4);
    await waitForCount(page, '.lineage-edges path', 3);
    await waitForDecoded(page, '.lineage-node img', 4);
    await page.getByRole('heading', { level: 1, name: /Family of video of image 1/ }).waitFor();

    // One generation per column, left to right, on one line.
    const boxes = await nodeBoxes(page);
    const byId = new Map(boxes.map((b) => [b.id, b]));
    const xs = [grid, upscale, video, extend].map((j) => byId.get(j.id)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set([grid, upscale, video, extend].map((j) => byId.get(j.id)!.y)).size).toBe(1);
    const labels = await page.locator('.lineage-node .lineage-label strong').allTextContents();
    expect(labels).toEqual(['Imagine', 'Upscale', 'Video', 'Extended video']);
    expect(await page.locator('.lineage-node', { hasText: 'Extended video' }).textContent()).toContain(
      'extend 1 of 4',
    );
    expect(await page.locator('.lineage-node', { hasText: 'Upscale' }).textContent()).toContain(
      'from image 2',
    );
    expect(await page.locator('.lineage-node[aria-current="true"]').getAttribute('data-node-id')).toBe(
      video.id,
    );
    expect(await page.locator('.lineage-node .lineage-provider').first().textContent()).toBe('Midjourney');
    await screenshot(page, 'lineage-chain');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Keyboard: one Tab stop on the asked job; ← to its parent, → back, → to its child.
    await page.locator(`.lineage-node[data-node-id="${video.id}"]`).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await focusedNode(page)).toBe(upscale.id);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focusedNode(page)).toBe(extend.id);
    expect(await page.locator('.lineage-node[tabindex="0"]').count()).toBe(1);

    // Enter (or a click) opens the job.
    await page.keyboard.press('Enter');
    await waitForHash(page, `#/job/${encodeURIComponent(extend.id)}`);
    await page.getByRole('heading', { level: 1, name: 'Extended video of video 1' }).waitFor();
    await setHash(page, `#/lineage/${encodeURIComponent(extend.id)}`);
    await page.locator(`.lineage-node[data-node-id="${grid.id}"]`).click();
    await waitForHash(page, `#/job/${encodeURIComponent(grid.id)}`);

    // The library's family filter: the chain only, with a chip that removes it.
    await setHash(page, '#/library');
    // A selected card shows its tools.
    const card = page.locator(`.card[data-job-id="${extend.id}"]`);
    await card.click();
    await card.getByRole('button', { name: 'Show its family' }).click();
    await page
      .getByRole('group', { name: 'Active family filter' })
      .getByText(/Family of/)
      .waitFor();
    await waitForCount(page, '.card[data-job-id]', 4);
    await screenshot(page, 'library-family');
    await page.getByRole('button', { name: /remove the family filter/ }).click();
    await page.getByRole('group', { name: 'Active family filter' }).waitFor({ state: 'detached' });
    expect(app.errors).toEqual([]);
  });

  test('a 50-job family with a three-parent blend lays out without overlapping nodes (dark theme)', async () => {
    const ids: string[] = [];
    let blendId = '';
    const app = await apps.open({
      colorScheme: 'dark',
      prepare: async (t) => {
        const lib = t.vault.library;
        const start = Date.now() - 60 * 60_000;
        let clock = 0;
        const make = (
          taskType: string,
          parent?: { id: string; index: number | null; relation: string },
          extra?: Array<{ id: string; index: number | null }>,
        ) => {
          const job = lib.createJob({
            provider: 'legnext',
            taskType,
            status: 'completed',
            prompt: `${taskType} ${ids.length}`,
            createdAt: start + clock++ * 1000,
            ...(parent ? { parent } : {}),
            ...(extra ? { extraParents: extra } : {}),
          });
          ids.push(job.id);
          return job.id;
        };
        const root = make('diffusion');
        // Four variations, each with three upscales, each upscale animated once; plus rerolls.
        const upscales: string[] = [];
        for (let v = 0; v < 4; v++) {
          const variation = make('variation', { id: root, index: v, relation: 'variation' });
          for (let u = 0; u < 3; u++) {
            const up = make('upscale', { id: variation, index: u, relation: 'upscale' });
            upscales.push(up);
            make('video_diffusion', { id: up, index: 0, relation: 'animate' });
          }
        }
        while (ids.length < 49) make('reroll', { id: root, index: null, relation: 'reroll' });
        blendId = make('blend', { id: upscales[0]!, index: 0, relation: 'blend' }, [
          { id: upscales[5]!, index: 0 },
          { id: upscales[10]!, index: 0 },
        ]);
      },
    });
    const { page } = app;
    // The root's family is everything descended from it, the blend included.
    await setHash(page, `#/lineage/${encodeURIComponent(ids[0]!)}`);
    await waitForCount(page, '.lineage-node', 50);
    const boxes = await nodeBoxes(page);
    expect(new Set(boxes.map((b) => b.id))).toEqual(new Set(ids));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        expect(overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.id} overlaps ${boxes[j]!.id}`).toBe(false);
      }
    }
    // The blend sits right of all three of its parents, with an edge from each.
    const blend = boxes.find((b) => b.id === blendId)!;
    expect(await page.locator('.lineage-node', { hasText: 'blend of 3' }).count()).toBe(1);
    const parentXs = boxes.filter((b) => b.x < blend.x).length;
    expect(parentXs).toBeGreaterThan(3);
    await waitForCount(page, '.lineage-edges path', 49 + 2);
    await screenshot(page, 'lineage-large-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
