/**
 * Mask images in Vary region and Edit, through the real renderer, web bridge, core, Legnext simulator
 * and a real S3-compatible image host on loopback: a black-and-white PNG made here (a white rectangle
 * of known size on black) is dropped, pasted or chosen; the panel shows the share it repaints, as the
 * core measured it; the request carries `mask.url` (a presigned URL of the uploaded mask) and no
 * drawn areas; a mask of the wrong shape shows the core's sentence and nothing is sent.
 */
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, onTestFinished, test } from 'vitest';
import { sha256Hex } from '../../src/main/core/images';
import type { JobView } from '../../src/shared/domain';
import { S3_SECRET, startS3Gate, type S3Gate } from '../images/s3-gate';
import { familyChildDone, openJob, openPanel, postTo, scrollToTop } from './followups-support';
import {
  dropFile,
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForDecoded,
  waitForTextPart,
  type AppSession,
} from './harness';

const apps = useApp();

/** A PNG mask: black, with a white rectangle over the given fractions of each side (centred). */
async function maskPng(width: number, height: number, fx: number, fy: number): Promise<Buffer> {
  const w = Math.round(width * fx);
  const h = Math.round(height * fy);
  const white = await sharp({ create: { width: w, height: h, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite([{ input: white, left: Math.round((width - w) / 2), top: Math.round((height - h) / 2) }])
    .png()
    .toBuffer();
}

/** A paste of a PNG file on the focused element, as Ctrl+V with a copied picture delivers it. */
async function pastePng(page: Page, png: Buffer): Promise<void> {
  await page.evaluate(`(() => {
    const binary = atob(${JSON.stringify(png.toString('base64'))});
    const data = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'pasted-mask.png', { type: 'image/png' }));
    document.activeElement.dispatchEvent(
      new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer }),
    );
  })()`);
}

function imageOf(job: JobView, index: number) {
  return job.outputs.find((o) => o.kind === 'image' && o.index === index)!;
}

/** Opens the app on a 2:3 image job with the image host set to a fresh S3 gate. */
async function openWithHost(
  prompt: string,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<AppSession & { job: JobView; gate: S3Gate }> {
  const gate = await startS3Gate();
  onTestFinished(() => gate.close());
  const app = await apps.openWithImageJob(prompt, { colorScheme });
  await app.t.vault.images.set(gate.config(), S3_SECRET);
  await openJob(app.page, app.job.id);
  return Object.assign(app, { gate });
}

/** The sent `mask.url` is a presigned URL of the gate that serves exactly `png`, stored in the bucket. */
async function expectUploadedMask(gate: S3Gate, url: string, png: Buffer): Promise<void> {
  const key = `genvault/${sha256Hex(png)}.png`;
  expect(url.startsWith(`${gate.endpoint}/`)).toBe(true);
  expect(url).toContain(`/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&`);
  expect((await gate.object(key))?.equals(png)).toBe(true);
  const fetched = Buffer.from(await (await fetch(url)).arrayBuffer());
  expect(fetched.equals(png)).toBe(true);
}

describe('mask images', { timeout: 120_000 }, () => {
  test('vary region with a dropped mask image sends mask.url of the uploaded mask', async () => {
    const app = await openWithHost('a lighthouse on a cliff at dawn --ar 2:3');
    const { page, t, job: parent, gate } = app;
    const image = imageOf(parent, 0);
    await openPanel(page, 'Vary region');
    await page.getByRole('radio', { name: 'Mask image' }).click();
    await page.getByRole('button', { name: 'Choose file…' }).waitFor();

    // Half of each side: a quarter of the image.
    const png = await maskPng(image.width!, image.height!, 0.5, 0.5);
    await dropFile(page, '.mask-image-zone', 'lighthouse-mask.png', png);
    await waitForTextPart(page, '.mask-image-summary', 'Repaints 25 % of the image');
    await waitForTextPart(page, '.mask-image-info', `lighthouse-mask.png · ${image.width}×${image.height}`);
    await page.getByLabel('What to paint there (optional)').fill('a red lighthouse');
    await waitForDecoded(page, '.mask-image-stage img, .mask-image-thumb');
    await scrollToTop(page, '#fu-maskMode-label');
    await screenshot(page, 'followups-mask-image');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const before = t.sim.requests.length;
    await page.getByRole('button', { name: 'Repaint masked areas' }).click();
    await page.getByText('Vary region started.').waitFor();
    await familyChildDone(page, 'Repainted from image 1');
    const body = postTo(app, '/api/v1/inpaint', before).body as {
      jobId: string;
      imageNo: number;
      remixPrompt: string;
      mask: { url: string; areas?: unknown };
    };
    expect(body).toMatchObject({ jobId: parent.remoteId, imageNo: 0, remixPrompt: 'a red lighthouse' });
    expect(Object.keys(body.mask)).toEqual(['url']);
    await expectUploadedMask(gate, body.mask.url, png);
    expect(t.vault.library.children(parent.id)).toMatchObject([
      { parentId: parent.id, parentIndex: 0, relation: 'inpaint' },
    ]);
    expect(app.errors).toEqual([]);
  });

  test('a mask of the wrong shape shows why and nothing is sent; a chosen file replaces it', async () => {
    const app = await openWithHost('a tall cactus in the desert --ar 2:3', 'dark');
    const { page, t, job: parent } = app;
    const image = imageOf(parent, 0);
    await openPanel(page, 'Vary region');
    await page.getByRole('radio', { name: 'Mask image' }).click();

    // Nothing chosen: sending names the missing mask and focuses the field.
    const before = t.sim.requests.length;
    await page.getByRole('button', { name: 'Repaint masked areas' }).click();
    await page.locator('#fu-mask-error', { hasText: 'Choose a mask image' }).waitFor();
    await page.locator('#fu-mask:focus').waitFor();

    const square = await maskPng(image.width!, image.width!, 0.5, 0.5);
    await dropFile(page, '.mask-image-zone', 'square.png', square);
    await page.locator('#fu-mask-error', { hasText: "a mask must have the image's shape" }).waitFor();
    expect(await page.locator('#fu-mask-error').textContent()).toBe(
      `The mask is ${image.width} × ${image.width} and the image is ${image.width} × ${image.height}: a mask must have the image's shape.`,
    );
    await page.getByRole('button', { name: 'Repaint masked areas' }).click();
    await page.locator('#fu-mask:focus').waitFor();
    expect(t.sim.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);

    // Remove clears it (so the mask is missing again); "Choose file…" takes one of the right shape.
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.locator('#fu-mask-error', { hasText: 'Choose a mask image' }).waitFor();
    await page.locator('.mask-image-info').waitFor({ state: 'detached' });
    const fitting = await maskPng(image.width!, image.height!, 1 / 3, 1);
    await page
      .locator('.mask-image-zone input[type="file"]')
      .setInputFiles({ name: 'stripe.png', mimeType: 'image/png', buffer: fitting });
    await waitForTextPart(page, '.mask-image-summary', 'Repaints 33 % of the image');
    expect(await page.locator('#fu-mask-error').count()).toBe(0);
    await waitForDecoded(page, '.mask-image-stage img, .mask-image-thumb');
    await scrollToTop(page, '.mask-image');
    await screenshot(page, 'followups-mask-image-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  test('edit with a pasted mask image sends the canvas, the placement and mask.url', async () => {
    const app = await openWithHost('a red door in a white wall --ar 2:3');
    const { page, t, job: parent, gate } = app;
    const image = imageOf(parent, 0);
    await openPanel(page, 'Edit');
    await page.getByLabel('Also repaint parts of the image').check();
    await page.getByRole('radio', { name: 'Mask image' }).click();

    const png = await maskPng(image.width!, image.height!, 0.5, 1);
    await page.locator('.mask-image-zone').focus();
    await pastePng(page, png);
    await waitForTextPart(page, '.mask-image-summary', 'Repaints 50 % of the image');
    await page.getByLabel('Prompt', { exact: true }).fill('a blue door in a white wall');

    const before = t.sim.requests.length;
    await page.getByRole('button', { name: 'Edit image 1' }).click();
    await page.getByText('Edit started.').waitFor();
    await familyChildDone(page, 'Edited from image 1');
    const body = postTo(app, '/api/v1/edit', before).body as { mask: { url: string } };
    expect(body).toMatchObject({
      jobId: parent.remoteId,
      imageNo: 0,
      canvas: { width: image.width, height: image.height },
      imgPos: { x: 0, y: 0, width: image.width, height: image.height },
      remixPrompt: 'a blue door in a white wall',
    });
    expect(Object.keys(body.mask)).toEqual(['url']);
    await expectUploadedMask(gate, body.mask.url, png);
    expect(app.errors).toEqual([]);
  });
});
