/**
 * Every other follow-up panel submitted from the UI, through the real renderer, web bridge, core and
 * Legnext simulator: each produces the documented request body (read from the simulator's record)
 * and a child linked to its parent.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { sha256Hex } from '../../src/main/core/images';
import { noiseImage } from '../archive/fixtures';
import { S3_SECRET, startS3Gate } from '../images/s3-gate';
import { at, familyChildDone, openJob, openPanel, postTo, scrollToTop } from './followups-support';
import { dropFile, screenshot, seriousAxeViolations, setHash, useApp, waitForCount } from './harness';

const apps = useApp();

describe('follow-up panel requests', { timeout: 120_000 }, () => {
  test('vary, remix, zoom out, edit and Topaz send their documented requests', async () => {
    const app = await apps.openWithImageJob('a lantern on a jetty --ar 1:1');
    const { page, t, job: parent } = app;
    const parentId = parent.id;
    const remoteId = parent.remoteId;
    const image = parent.outputs.find((o) => o.kind === 'image' && o.index === 0)!;
    await openJob(page, parentId);
    const before = t.sim.requests.length;

    await openPanel(page, 'Vary');
    await page.getByRole('radio', { name: 'Strong' }).click();
    await page.getByLabel('Remix prompt (optional)').fill('a lantern on a jetty in snow');
    await page.getByRole('button', { name: 'Vary image 1' }).click();
    await page.getByText('Vary (strong) started.').waitFor();

    await openPanel(page, 'Remix');
    // A prompt the core refuses is named before anything is sent.
    await page.getByLabel('New prompt').fill('a lantern --v 8.1 --q 2');
    await page.locator('#fu-remixPrompt-error').waitFor();
    await page.getByLabel('New prompt').fill('a paper lantern over water');
    await page.getByRole('radio', { name: 'Subtle' }).click();
    await page.getByRole('button', { name: 'Remix image 1' }).click();
    await page.getByText('Remix (subtle) started.').waitFor();

    await openPanel(page, 'Zoom out');
    await page.getByRole('button', { name: '2×', exact: true }).click();
    await page.getByRole('button', { name: 'Zoom out 2×' }).click();
    await page.getByText('Zoom out 2× started.').waitFor();

    // Edit: a 16:9 canvas, the image dragged right by a quarter of the stage.
    await openPanel(page, 'Edit');
    await page.getByRole('button', { name: '16:9', exact: true }).click();
    const stage = page.locator('.canvas-stage');
    await scrollToTop(page, '.canvas-editor');
    const canvasWidth = Math.round((image.width! * 16) / 9);
    const stageBox = (await stage.boundingBox())!;
    const imageBox = (await page.locator('.canvas-image').boundingBox())!;
    const from = { x: imageBox.x + imageBox.width / 2, y: imageBox.y + imageBox.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + stageBox.width * 0.1, from.y, { steps: 4 });
    await page.mouse.move(from.x + stageBox.width * 0.2, from.y, { steps: 4 });
    await page.mouse.up();
    await page.getByLabel('Prompt', { exact: true }).fill('a lantern on a long jetty');
    await screenshot(page, 'followups-edit-canvas');
    await page.getByRole('button', { name: 'Edit image 1' }).click();
    await page.getByText('Edit started.').waitFor();

    await openPanel(page, 'Topaz upscale');
    await page.getByText('540 points').waitFor();
    await page.getByRole('radio', { name: /^4K/ }).check();
    await page.getByLabel('Content').selectOption('photo');
    await page.getByLabel('File format').selectOption('png');
    await page.getByLabel('Face enhancement').selectOption('off');
    await page.locator('.fu-form-foot', { hasText: 'About 160 points' }).waitFor();
    await page.getByRole('button', { name: 'Upscale to 4K' }).click();
    await page.getByText('Topaz upscale (4K) started.').waitFor();

    for (const note of [
      'Varied from image 1',
      'Remixed from image 1',
      'Zoomed out from image 1',
      'Edited from image 1',
      'Upscaled with Topaz from image 1',
    ]) {
      await familyChildDone(page, note);
    }
    expect(postTo(app, '/api/v1/variation', before).body).toEqual({
      jobId: remoteId,
      imageNo: 0,
      type: 1,
      remixPrompt: 'a lantern on a jetty in snow',
    });
    expect(postTo(app, '/api/v1/remix', before).body).toEqual({
      jobId: remoteId,
      imageNo: 0,
      remixPrompt: 'a paper lantern over water',
      mode: 1,
    });
    expect(postTo(app, '/api/v1/outpaint', before).body).toEqual({ jobId: remoteId, imageNo: 0, scale: 2 });
    const edit = postTo(app, '/api/v1/edit', before).body as {
      canvas: { width: number; height: number };
      imgPos: { x: number; y: number; width: number; height: number };
      remixPrompt: string;
    };
    expect(edit).toMatchObject({
      jobId: remoteId,
      imageNo: 0,
      canvas: { width: canvasWidth, height: image.height },
      imgPos: { y: 0, width: image.width, height: image.height },
      remixPrompt: 'a lantern on a long jetty',
    });
    const centred = (canvasWidth - image.width!) / 2;
    expect(Math.abs(edit.imgPos.x - (centred + canvasWidth * 0.2))).toBeLessThanOrEqual(3);
    expect(postTo(app, '/api/v1/enhance-upscale', before).body).toEqual({
      jobId: remoteId,
      imageNo: 0,
      target_resolution: '4K',
      content_type: 'photo',
      face_enhancement_level: 'off',
      output_format: 'png',
      aspect_ratio: 'keep',
    });
    expect(app.errors).toEqual([]);
  });

  test('retexture, remove background and paint on a canvas send the image by its URL', async () => {
    const app = await apps.openWithImageJob('a teapot on a table --ar 1:1');
    const { page, t, job: parent } = app;
    const parentId = parent.id;
    const third = parent.outputs.find((o) => o.kind === 'image' && o.index === 2)!;
    await openJob(page, parentId);
    await page.getByRole('radio', { name: 'Image 3' }).click();
    const before = t.sim.requests.length;

    await openPanel(page, 'Retexture');
    await page.getByRole('button', { name: 'Retexture', exact: true }).click();
    // Required, and said so before anything is sent.
    await page.locator('#fu-remixPrompt-error', { hasText: 'remixPrompt is required' }).waitFor();
    await page.getByLabel('New materials').fill('carved from pale marble');
    await page.getByRole('button', { name: 'Retexture', exact: true }).click();
    await page.getByText('Retexture started.').waitFor();

    await openPanel(page, 'Remove background');
    await page.getByRole('button', { name: 'Remove background', exact: true }).click();
    await page.getByText('Remove background started.').waitFor();

    await openPanel(page, 'Paint on a canvas');
    await page.getByRole('button', { name: 'Paint', exact: true }).click();
    await page.locator('#fu-mask-error', { hasText: 'mask.areas needs at least one region' }).waitFor();
    const surface = page.locator('.mask-surface');
    await scrollToTop(page, '.mask-editor');
    const box = (await surface.boundingBox())!;
    for (const [fx, fy] of [
      [0.3, 0.3],
      [0.7, 0.3],
      [0.7, 0.7],
      [0.3, 0.7],
    ] as const) {
      const p = at(box, fx, fy);
      await page.mouse.click(p.x, p.y);
    }
    await surface.press('Enter');
    await waitForCount(page, '.mask-regions li', 1);
    await page.getByLabel('Prompt', { exact: true }).fill('a teapot with steam');
    await page.getByRole('button', { name: 'Paint', exact: true }).click();
    await page.getByText('Paint on a canvas started.').waitFor();

    for (const note of [
      'Retextured from image 3',
      'Background removed from image 3',
      'Painted from image 3',
    ]) {
      await familyChildDone(page, note);
    }
    expect(postTo(app, '/api/v1/retexture', before).body).toEqual({
      imgUrl: third.url,
      remixPrompt: 'carved from pale marble',
    });
    expect(postTo(app, '/api/v1/remove-background', before).body).toEqual({ imgUrl: third.url });
    const side = third.width!;
    expect(postTo(app, '/api/v1/upload-paint', before).body).toEqual({
      imgUrl: third.url,
      canvas: { width: side, height: third.height },
      imgPos: { x: 0, y: 0, width: side, height: third.height },
      remixPrompt: 'a teapot with steam',
      mask: {
        areas: [
          {
            width: side,
            height: third.height,
            points: expect.any(Array) as unknown as number[],
          },
        ],
      },
    });
    expect(app.errors).toEqual([]);
  });

  test('an end frame dropped from the computer is uploaded to the image host and sent as --end', async () => {
    const gate = await startS3Gate();
    onTestFinished(() => gate.close());
    const app = await apps.openWithImageJob('a kite over the dunes --ar 1:1');
    const { page, t, job: parent } = app;
    await t.vault.images.set(gate.config(), S3_SECRET);
    await openJob(page, parent.id);
    const before = t.sim.requests.length;

    await openPanel(page, 'Animate');
    await page.getByLabel('Prompt (optional)').fill('the kite climbs');
    const png = await noiseImage(40, 40, 'png');
    await dropFile(page, '.end-drop', 'sunset.png', png);
    await page.getByRole('status').filter({ hasText: 'sunset.png is the end frame' }).waitFor();
    await page.getByRole('button', { name: 'Animate 4 videos' }).click();
    await page.getByText('Animate (480p) started.').waitFor();
    await familyChildDone(page, 'Animated from image 1');

    const body = postTo(app, '/api/v1/video-diffusion', before).body as { prompt: string };
    const [, text, url] = /^(.*) --end (\S+)$/.exec(body.prompt)!;
    expect(text).toBe('the kite climbs');
    expect(url).toContain(`/genvault/${sha256Hex(png)}.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&`);
    const fetched = await fetch(url!);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(png);
    expect(app.errors).toEqual([]);
  });

  test('animate with its controls, then extend (1 of 4, 2 of 4) and upscale the video', async () => {
    const app = await apps.openWithImageJob('a paper boat on a pond --ar 1:1');
    const { page, t, job: parent } = app;
    const parentId = parent.id;
    const endUrl = parent.outputs.find((o) => o.kind === 'image' && o.index === 1)!.url!;
    await openJob(page, parentId);
    const before = t.sim.requests.length;

    await openPanel(page, 'Animate');
    await page.getByLabel('Prompt (optional)').fill('the boat drifts');
    await page.getByRole('radio', { name: 'High' }).click();
    await page.getByRole('radio', { name: '2', exact: true }).click();
    await page.getByRole('radio', { name: '720p' }).click();
    await page.getByRole('button', { name: 'Image 2 of this job as the end frame' }).click();
    await page.locator('.fu-form-foot', { hasText: 'About 240 points' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Animate 2 videos' }).click();
    await page.getByText('Animate (720p) started.').waitFor();
    await familyChildDone(page, 'Animated from image 1');
    expect(postTo(app, '/api/v1/video-diffusion', before).body).toEqual({
      jobId: parent.remoteId,
      imageNo: 0,
      prompt: `the boat drifts --motion high --end ${endUrl} --bs 2`,
      videoType: 1,
    });

    // The video: Extend says which extension this is.
    const video = t.vault.library.children(parentId).find((e) => e.relation === 'animate')!.childId;
    await setHash(page, `#/job/${encodeURIComponent(video)}`);
    await waitForCount(page, '.outputs video', 2);
    await page.getByRole('radio', { name: 'Video 2' }).click();
    await openPanel(page, 'Extend');
    await page.getByText('This will be extension 1 of 4.').waitFor();
    await page.getByLabel('Prompt (optional)').fill('the rain stops');
    const beforeExtend = t.sim.requests.length;
    await page.getByRole('button', { name: 'Extend video 2' }).click();
    await familyChildDone(page, 'Extended from video 2');
    const videoRemote = t.vault.show(video).remoteId;
    expect(postTo(app, '/api/v1/extend-video', beforeExtend).body).toEqual({
      jobId: videoRemote,
      videoNo: 1,
      prompt: 'the rain stops',
    });

    const extension = t.vault.library.children(video)[0]!.childId;
    await setHash(page, `#/job/${encodeURIComponent(extension)}`);
    await waitForCount(page, '.outputs video', 1);
    await openPanel(page, 'Extend');
    await page.getByText('This will be extension 2 of 4.').waitFor();
    await openPanel(page, 'Upscale video');
    const beforeUpscale = t.sim.requests.length;
    await page.getByRole('button', { name: 'Upscale video 1' }).click();
    await familyChildDone(page, 'Upscaled from video 1');
    expect(postTo(app, '/api/v1/video-upscale', beforeUpscale).body).toEqual({
      jobId: t.vault.show(extension).remoteId,
      videoNo: 0,
    });
    expect(app.errors).toEqual([]);
  });
});
