/**
 * One-click follow-ups from a job's detail view, through the real core and simulator: an upscale
 * becomes a child linked to its parent (in the view, the library and the database); an image is
 * animated and the video extended; after four extensions Extend is disabled with its reason shown.
 */
import { describe, expect, test } from 'vitest';
import { familyChildDone, showJob } from './followups-support';
import {
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForCount,
  waitForDecoded,
  waitForTextPart,
} from './harness';

const apps = useApp();

describe('follow-ups', { timeout: 120_000 }, () => {
  test('upscale creates a linked child; animate then extend a video; Extend stops after four', async () => {
    const app = await apps.openWithImageJob('a paper boat on a rainy street at dusk --ar 1:1');
    const { page, t, job: parent } = app;
    const parentId = parent.id;

    await page.locator(`.card[data-job-id="${parentId}"]`).dblclick();
    await waitForCount(page, '.outputs img', 4);
    await page.getByRole('button', { name: 'Upscale Subtle 120 points' }).first().waitFor();
    await screenshot(page, 'detail');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Upscale image 1: the child shows in the family, then opens with a link back to the parent.
    await page.getByRole('button', { name: 'Upscale Subtle 120 points' }).first().click();
    await page.getByText('Upscale (subtle) started.').waitFor();
    const upscale = await familyChildDone(page, 'Upscaled from image 1');
    const edges = t.vault.library.children(parentId);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ parentId, parentIndex: 0, relation: 'upscale' });
    const upscaleId = edges[0]!.childId;
    expect(t.vault.show(upscaleId).taskType).toBe('upscale');

    await upscale.click();
    await page.getByRole('heading', { level: 1, name: 'Upscale of image 1' }).waitFor();
    await waitForDecoded(page, '.outputs img', 1);
    await page.locator('.family-link', { hasText: 'Upscaled from image 1' }).click();
    await page.getByRole('heading', { level: 1, name: 'Imagine' }).waitFor();

    // The library lists the child too.
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await page.locator(`.card[data-job-id="${upscaleId}"]`).waitFor();
    expect(await page.locator('.card[data-job-id]').count()).toBe(2);

    // Animate image 2, then extend the first video of the result.
    await showJob(page, parentId);
    await page.getByRole('button', { name: 'Animate 480p 480 points' }).nth(1).click();
    const animation = await familyChildDone(page, 'Animated from image 2');
    await animation.click();
    await page.getByRole('heading', { level: 1, name: 'Video of image 2' }).waitFor();
    await waitForCount(page, '.outputs video[src^="/media/media/"]', 4);
    const animationId = t.vault.library.children(parentId).find((e) => e.relation === 'animate')!.childId;
    await screenshot(page, 'detail-video');

    await page.getByRole('button', { name: 'Extend video 480 points' }).first().click();
    const extension = await familyChildDone(page, 'Extended from video 1');
    await extension.click();
    await page.getByRole('heading', { level: 1, name: 'Extended video of video 1' }).waitFor();
    const extendEdges = t.vault.library.children(animationId);
    expect(extendEdges).toMatchObject([{ parentId: animationId, parentIndex: 0, relation: 'extend' }]);

    // Three more extensions through the core: the fourth extension cannot be extended again.
    let last = extendEdges[0]!.childId;
    for (let i = 0; i < 3; i++) {
      const next = t.vault.followUp('extend-video', { ref: last, index: 0 });
      await t.vault.waitFor(next.id, { giveUpAfterAttempts: 20 });
      last = next.id;
    }
    await showJob(page, last);
    const extend = page.getByRole('button', { name: 'Extend video 480 points' }).first();
    await waitForTextPart(page, '.followup-reason', 'extended 4 times');
    expect(await extend.isDisabled()).toBe(true);
    expect(await extend.getAttribute('title')).toContain('already been extended 4 times');
    expect(app.errors).toEqual([]);
  });
});
