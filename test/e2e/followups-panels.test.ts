/**
 * The follow-up panels of the detail view, through the real renderer, web bridge, core and Legnext
 * simulator: a mask drawn with real mouse events becomes `mask.areas` in the image's pixels and the
 * repainted child appears linked; a pan sends its direction and scale after showing the new canvas;
 * a job past its 3-day window shows why a follow-up is closed, when it closed, and what to do instead.
 */
import { describe, expect, test } from 'vitest';
import { DAY_MS, type JobView } from '../../src/shared/domain';
import { at, familyChildDone, openJob, openPanel, opButton, postTo, scrollToTop } from './followups-support';
import { screenshot, seriousAxeViolations, useApp, waitForCount, waitForHash } from './harness';

const apps = useApp();

describe('follow-up panels', { timeout: 120_000 }, () => {
  test('vary region from a drawn mask, then pan with a live preview', async () => {
    const app = await apps.openWithImageJob('a paper boat on a rainy street at dusk --ar 1:1');
    const { page, t, job: parent } = app;
    const parentId = parent.id;
    const image = parent.outputs.find((o) => o.kind === 'image' && o.index === 1)!;
    expect(image.width).toBeGreaterThanOrEqual(500);
    await openJob(page, parentId);

    // Image 2, Vary region.
    await page.getByRole('radio', { name: 'Image 2' }).click();
    await openPanel(page, 'Vary region');
    const surface = page.locator('.mask-surface');
    await page
      .locator('.mask-stage img')
      .evaluate(
        (img) =>
          new Promise((resolve) =>
            (img as { complete: boolean }).complete ? resolve(null) : img.addEventListener('load', resolve),
          ),
      );
    await scrollToTop(page, '.mask-editor');
    const box = (await surface.boundingBox())!;

    // A polygon: four corners, closed by clicking the first one again.
    const corners: Array<[number, number]> = [
      [0.2, 0.2],
      [0.6, 0.25],
      [0.55, 0.7],
      [0.25, 0.6],
    ];
    for (const [fx, fy] of corners) {
      const p = at(box, fx, fy);
      await page.mouse.click(p.x, p.y);
    }
    await page.locator('.mask-draft circle').nth(3).waitFor();
    const first = at(box, 0.2, 0.2);
    await page.mouse.click(first.x + 2, first.y + 1);
    await waitForCount(page, '.mask-regions li', 1);

    // A freehand lasso around the lower right.
    await page.getByRole('radio', { name: 'Lasso' }).click();
    const centre = at(box, 0.75, 0.8);
    await page.mouse.move(centre.x + box.width * 0.12, centre.y);
    await page.mouse.down();
    for (let i = 1; i <= 48; i++) {
      const a = (i / 48) * Math.PI * 2;
      await page.mouse.move(
        centre.x + Math.cos(a) * box.width * 0.12,
        centre.y + Math.sin(a) * box.height * 0.1,
      );
    }
    await page.mouse.up();
    await waitForCount(page, '.mask-regions li', 2);

    // Undo and redo, from the keyboard.
    await surface.focus();
    await page.keyboard.press('Control+z');
    await waitForCount(page, '.mask-regions li', 1);
    await page.keyboard.press('Control+Shift+z');
    await waitForCount(page, '.mask-regions li', 2);
    // Escape cancels a polygon in progress and stays on the job.
    await page.getByRole('radio', { name: 'Polygon' }).click();
    const stray = at(box, 0.1, 0.9);
    await page.mouse.click(stray.x, stray.y);
    await page.locator('.mask-draft circle').first().waitFor();
    await page.keyboard.press('Escape');
    await waitForCount(page, '.mask-draft circle', 0);
    expect(await page.evaluate('location.hash')).toBe(`#/job/${encodeURIComponent(parentId)}`);

    await page.getByLabel('What to paint there (optional)').fill('a red paper boat');
    await scrollToTop(page, '.mask-editor');
    await screenshot(page, 'followups-mask-editor');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const before = t.sim.requests.length;
    await page.getByRole('button', { name: 'Repaint 2 regions' }).click();
    await page.getByText('Vary region started.').waitFor();
    await familyChildDone(page, 'Repainted from image 2');
    const inpaint = postTo(app, '/api/v1/inpaint', before);
    const body = inpaint.body as {
      jobId: string;
      imageNo: number;
      remixPrompt: string;
      mask: { areas: Array<{ width: number; height: number; points: number[] }> };
    };
    expect(body.jobId).toBe(parent.remoteId);
    expect(body.imageNo).toBe(1);
    expect(body.remixPrompt).toBe('a red paper boat');
    expect(body.mask.areas).toHaveLength(2);
    for (const area of body.mask.areas) {
      expect(area).toMatchObject({ width: image.width, height: image.height });
      for (let i = 0; i < area.points.length; i += 2) {
        expect(area.points[i]).toBeGreaterThanOrEqual(0);
        expect(area.points[i]).toBeLessThanOrEqual(area.width);
        expect(area.points[i + 1]).toBeGreaterThanOrEqual(0);
        expect(area.points[i + 1]).toBeLessThanOrEqual(area.height);
      }
    }
    // The polygon arrives where it was drawn, clockwise from its top-left corner.
    const expected = corners.flatMap(([fx, fy]) => [fx * image.width!, fy * image.height!]);
    const polygon = body.mask.areas[0]!.points;
    expect(polygon).toHaveLength(8);
    polygon.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(3));
    expect(body.mask.areas[1]!.points.length).toBeGreaterThanOrEqual(8);

    // The repainted child is linked to image 2.
    expect(t.vault.library.children(parentId)).toMatchObject([
      { parentId, parentIndex: 1, relation: 'inpaint' },
    ]);

    // Pan image 4 left by 2×: the preview shows the wider canvas before anything is sent.
    await page.getByRole('radio', { name: 'Image 4' }).click();
    await openPanel(page, 'Pan');
    await page.getByRole('radio', { name: 'Left' }).click();
    await page.getByLabel('Scale', { exact: true }).fill('2');
    const stage = page.locator('.frame-stage');
    await page.waitForFunction(
      (expected) =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
          }
        ).document
          .querySelector('.frame-stage')
          ?.getAttribute('data-canvas') === expected,
      `${image.width! * 2}x${image.height}`,
    );
    // The stage takes its new shape in the same frame as the attribute (no transition, even with
    // reduced motion); polled anyway so a slow layout cannot fail the check, only a wrong shape.
    await expect
      .poll(async () => {
        const b = (await stage.boundingBox())!;
        return Math.round((b.width / b.height) * 100) / 100;
      })
      .toBeCloseTo(2, 1);
    const frameBox = (await stage.boundingBox())!;
    const imageBox = (await page.locator('.frame-image').boundingBox())!;
    // Panning left adds room on the left: the image sits at the right edge.
    expect(Math.abs(imageBox.x + imageBox.width - (frameBox.x + frameBox.width))).toBeLessThan(3);
    await scrollToTop(page, '#fu-open-panel');
    await screenshot(page, 'followups-pan-preview');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // An out-of-range scale is refused before sending, naming the field.
    await page.getByLabel('Scale', { exact: true }).fill('3.5');
    const count = t.sim.requests.length;
    await page.getByRole('button', { name: 'Pan left' }).click();
    await page.locator('#fu-scale-error', { hasText: 'scale must be a number from 1.1 to 3.0.' }).waitFor();
    expect(t.sim.requests.slice(count).some((r) => r.path === '/api/v1/pan')).toBe(false);

    await page.getByLabel('Scale', { exact: true }).fill('2');
    const beforePan = t.sim.requests.length;
    await page.getByRole('button', { name: 'Pan left' }).click();
    await page.getByText('Pan left started.').waitFor();
    await familyChildDone(page, 'Panned from image 4');
    const pan = postTo(app, '/api/v1/pan', beforePan);
    expect(pan.body).toEqual({ jobId: parent.remoteId, imageNo: 3, direction: 3, scale: 2 });
    expect(app.errors).toEqual([]);
  });

  test('after the 3-day window a follow-up says when it closed and offers the image as a prompt', async () => {
    let old: JobView | undefined;
    const app = await apps.open({
      prepare: async (t) => {
        const remoteId = t.sim.seedJob({
          taskType: 'diffusion',
          prompt: 'an old harbour at dawn',
          createdAt: Date.now() - 4 * DAY_MS,
        });
        const [imported] = await t.vault.importJobs([remoteId]);
        old = await t.vault.waitFor(imported!.id, { giveUpAfterAttempts: 20 });
      },
    });
    const { page } = app;
    await openJob(page, old!.id);

    const pan = opButton(page, 'Pan');
    await expect(pan.textContent()).resolves.toContain('Unavailable');
    await openPanel(page, 'Pan');
    const notice = page.locator('.fu-unavailable');
    const ended = new Date(Date.parse(old!.createdAt) + 3 * DAY_MS)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    await notice.getByText(`Follow-ups for this job ended on ${ended} UTC`, { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Pan right' }).isDisabled()).toBe(true);
    await scrollToTop(page, '#fu-open-panel');
    await screenshot(page, 'followups-closed');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Image operations take the image itself, so they stay open after the window.
    const retexture = opButton(page, 'Retexture');
    expect(await retexture.textContent()).not.toContain('Unavailable');

    // Topaz takes the image itself once the window has closed.
    await openPanel(page, 'Topaz upscale');
    await page.getByText('The 3-day window has ended, so the image itself is sent to Topaz.').waitFor();
    const before = app.t.sim.requests.length;
    await page.getByRole('button', { name: 'Upscale to 2K' }).click();
    await familyChildDone(page, 'Upscaled with Topaz from image 1');
    expect(postTo(app, '/api/v1/enhance-upscale', before).body).toMatchObject({
      image_url: old!.outputs.find((o) => o.kind === 'image' && o.index === 0)!.url,
      target_resolution: '2K',
    });

    // An imported job carries no prompt, so the new prompt is the image URL alone.
    await openPanel(page, 'Pan');
    await notice.getByRole('button', { name: 'Use as image prompt' }).click();
    await waitForHash(page, '#/compose');
    const url = old!.outputs.find((o) => o.kind === 'image' && o.index === 0)!.url!;
    await page.waitForFunction(
      (prefix) =>
        (
          (
            globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }
          ).document.querySelector('textarea')?.value ?? ''
        ).startsWith(prefix),
      url,
    );
    expect(app.errors).toEqual([]);
  });
});
