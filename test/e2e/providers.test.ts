/**
 * Leonardo and Vidu in the app, end to end: the real renderer through the web bridge over a real
 * Vault, with the Legnext, Leonardo and Vidu simulators on 127.0.0.1. Without a Leonardo key the
 * "Animate with…" panel of a job's detail sends the person to Settings, where a base URL and key are
 * set; a Midjourney image is animated with Leonardo Kling 2.1 and with Vidu towards a last frame
 * dropped as a file; Compose makes a Vidu text-to-video. Every video is archived, and the animations
 * are linked to their Midjourney parent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JSHandle, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, onTestFinished, test } from 'vitest';
import { applyBaseUrls, readSettings, writeSettings } from '../../src/main/core/api/settings';
import { startLeonardoSim, type LeonardoSim } from '../sim/leonardo';
import { startViduSim, type ViduSim } from '../sim/vidu';
import type { TestVault } from '../api/support';
import { familyChildDone, openJob } from './followups-support';
import { SCREENSHOT_DIR, screenshot, seriousAxeViolations, useApp } from './harness';

const apps = useApp();

let sims: { leonardo: LeonardoSim; vidu: ViduSim } | undefined;

/**
 * Starts the Leonardo and Vidu simulators (closed after the test, once its app has closed) and, unless
 * `connect` is false, points the library's Settings at them with their keys stored, as a person who
 * set both up earlier would have them.
 */
async function withProviders(
  t: TestVault,
  connect = true,
): Promise<{ leonardo: LeonardoSim; vidu: ViduSim }> {
  const [leonardo, vidu] = await Promise.all([startLeonardoSim(), startViduSim()]);
  sims = { leonardo, vidu };
  onTestFinished(async () => {
    await Promise.all([leonardo.close(), vidu.close()]);
    sims = undefined;
  });
  if (connect) {
    // As Settings → base URLs does it: stored, then applied to the running clients.
    const next = writeSettings(t.vault.library, {
      baseUrls: { legnext: '', leonardo: leonardo.baseUrl, vidu: vidu.url },
    });
    applyBaseUrls(t.vault, next.baseUrls);
    t.backend.values.set('leonardo', leonardo.apiKey);
    t.backend.values.set('vidu', vidu.apiKey);
  }
  return sims;
}

/** The "Animate with…" panel of image `n` (1-based) in the open job's detail. */
async function animatePanel(page: Page, n: number): Promise<Locator> {
  const panel = page.getByRole('region', { name: new RegExp(`^Animate image ${n} with`) });
  if ((await panel.count()) === 0) {
    // Where the detail keeps the panel folded away, its button opens it.
    await page
      .getByRole('button', { name: /Animate with/ })
      .nth(n - 1)
      .click();
  }
  await panel.waitFor();
  return panel;
}

/** The whole panel, however tall: the window grows for the picture and shrinks back. */
async function panelShot(page: Page, panel: Locator, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: 2000 });
  await panel.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewportSize(viewport);
}

async function png(color: string): Promise<Buffer> {
  return sharp({ create: { width: 160, height: 90, channels: 3, background: color } })
    .png()
    .toBuffer();
}

interface PageFiles {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  atob(text: string): string;
  Uint8Array: typeof Uint8Array;
}

/** A DataTransfer made in the page holding `bytes` as a PNG file, as the OS hands over a dropped file. */
function fileDrop(page: Page, bytes: Buffer, name: string): Promise<JSHandle> {
  return page.evaluateHandle(
    ([base64, fileName]) => {
      const g = globalThis as unknown as PageFiles;
      const binary = g.atob(base64);
      const data = g.Uint8Array.from(binary, (c) => c.charCodeAt(0));
      const transfer = new g.DataTransfer();
      transfer.items.add(new g.File([data], fileName, { type: 'image/png' }));
      return transfer;
    },
    [bytes.toString('base64'), name] as const,
  );
}

async function dropOn(target: Locator, transfer: JSHandle): Promise<void> {
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

describe('Leonardo and Vidu', { timeout: 120_000 }, () => {
  test('without a Leonardo key the panel sends the person to Settings, where base URL and key are set', async () => {
    const app = await apps.openWithImageJob('a glasshouse in the rain --ar 1:1', {
      prepare: async (t) => void (await withProviders(t, false)),
    });
    const { page, t, job: parent } = app;
    const { leonardo } = sims!;
    await openJob(page, parent.id);
    const panel = await animatePanel(page, 1);
    await panel.getByRole('radio', { name: 'Leonardo' }).click();
    await panel.getByRole('note').getByText('Add your Leonardo API key in Settings first.').waitFor();
    expect(await panel.getByRole('button', { name: 'Animate with Leonardo' }).isDisabled()).toBe(true);
    await panel.getByRole('link', { name: 'Open Settings' }).click();

    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const section = page.getByRole('region', { name: 'Leonardo' });
    await section.getByText('No Leonardo key yet.').waitFor();
    await section.getByText('(the public default)').waitFor();
    const uniall = page.getByRole('region', { name: 'UniAll (Vidu)' });
    await uniall.getByText('No gateway is set yet.').waitFor();

    const baseUrl = section.getByLabel('Leonardo API base URL');
    await baseUrl.fill(leonardo.baseUrl);
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    await section.getByText('(from this setting)').waitFor();
    expect(await section.locator('.endpoint-line .mono').textContent()).toBe(leonardo.baseUrl);
    expect(readSettings(t.vault.library).baseUrls.leonardo).toBe(leonardo.baseUrl);

    // A wrong key is refused by Leonardo itself (GET /me on the simulator) and not stored.
    const key = section.getByLabel('Leonardo API key');
    await key.fill('0f0f0f0f-0000-4000-8000-000000000000');
    await section.getByRole('button', { name: 'Check and save' }).click();
    await section.getByRole('alert').getByText('Leonardo did not accept this API key').waitFor();
    expect(t.backend.values.has('leonardo')).toBe(false);
    expect(leonardo.requests.filter((r) => r.path === '/api/rest/v1/me')).toHaveLength(1);

    await key.fill(leonardo.apiKey);
    await section.getByRole('button', { name: 'Check and save' }).click();
    await section.getByText(`••••${leonardo.apiKey.slice(-4)}`).waitFor();
    await section.getByText('Stored in your system keychain.').waitFor();
    expect(t.backend.values.get('leonardo')).toBe(leonardo.apiKey);
    expect(await page.content()).not.toContain(leonardo.apiKey);
    await screenshot(page, 'providers-settings');
    await panelShot(page, uniall, 'providers-settings-uniall');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Back on the image, the panel is ready to send.
    await page.goBack();
    const ready = await animatePanel(page, 1);
    await ready.getByLabel('What happens').fill('rain runs down the glass');
    await ready.getByRole('button', { name: 'Animate with Leonardo' }).waitFor({ state: 'visible' });
    expect(await ready.getByRole('note').count()).toBe(0);
    expect(await ready.getByRole('button', { name: 'Animate with Leonardo' }).isEnabled()).toBe(true);
    expect(app.errors).toEqual([]);
  });

  test('a Midjourney image animated with Leonardo Kling 2.1 is archived and linked to its parent', async () => {
    const app = await apps.openWithImageJob('a lighthouse on a cliff at dusk --ar 16:9', {
      prepare: async (t) => void (await withProviders(t)),
    });
    const { page, t, job: parent } = app;
    const { leonardo } = sims!;
    await openJob(page, parent.id);

    const panel = await animatePanel(page, 1);
    // Midjourney's own animation states its cost in points, from Legnext's follow-up rules.
    await panel.getByRole('radio', { name: 'Midjourney' }).click();
    await panel.getByText('≈ 480 points').waitFor();
    await panel.getByRole('radio', { name: 'Leonardo' }).click();
    // Exact: until the models arrive, their spinner ("Loading the models") is labelled "Model" too.
    await panel.getByLabel('Model', { exact: true }).selectOption('KLING2_1');
    // The controls follow the model: Kling 2.1 makes 5 or 10 s at 1080p and can land on an end frame.
    const lengths = panel.getByRole('radiogroup', { name: 'Length' }).getByRole('radio');
    expect(await lengths.allTextContents()).toEqual(['5 s', '10 s']);
    expect(
      await panel.getByRole('radiogroup', { name: 'Resolution' }).getByRole('radio').allTextContents(),
    ).toEqual(['1080p']);
    await panel.getByRole('group', { name: 'Drop the end frame' }).waitFor();
    await panel.getByRole('radio', { name: '10 s' }).click();
    await panel.getByLabel('What happens').fill('the beam sweeps across the waves');
    await panel.getByLabel('Avoid (negative prompt)').fill('text');
    await screenshot(page, 'providers-animate-leonardo');
    await panelShot(page, panel, 'providers-animate-leonardo-panel');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await panel.getByRole('button', { name: 'Animate with Leonardo' }).click();
    await page.getByText('Leonardo video started.').waitFor();
    const child = await familyChildDone(page, 'Animated from image 1');
    const edges = t.vault.library.children(parent.id);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ parentIndex: 0, relation: 'animate' });
    // "Done" is the job; its file may still be on its way to the library.
    const video = await t.vault.waitFor(edges[0]!.childId, { giveUpAfterAttempts: 20 });
    expect(video).toMatchObject({ provider: 'leonardo', status: 'completed' });
    expect(video.outputs[0]).toMatchObject({ kind: 'video', state: 'archived' });
    const sent = leonardo.requests.find((r) => r.path.endsWith('/generations-image-to-video'))!.body;
    expect(sent).toMatchObject({
      model: 'KLING2_1',
      duration: 10,
      negativePrompt: 'text',
      imageType: 'UPLOADED',
    });

    // The video's own page plays the archived file and links back to the Midjourney image.
    await child.click();
    await page.locator('.outputs video[src^="/media/media/"]').waitFor();
    await page.locator('.family-list[aria-label="Parent"] .family-link').waitFor();
    expect(app.errors).toEqual([]);
  });

  test('Vidu animates an image towards a last frame dropped from the computer', async () => {
    const app = await apps.openWithImageJob('a paper boat on a rainy street --ar 16:9', {
      prepare: async (t) => void (await withProviders(t)),
    });
    const { page, t, job: parent } = app;
    const { vidu } = sims!;
    await openJob(page, parent.id);

    const panel = await animatePanel(page, 2);
    await panel.getByRole('radio', { name: 'Vidu' }).click();
    await panel.getByLabel('Model', { exact: true }).selectOption('viduq3t-720p');
    // As a reference, the image is @Image1 of up to four, and the video takes an aspect ratio.
    await panel.getByRole('radio', { name: 'A reference' }).click();
    await panel.getByText('Reference images (1 of 4)').waitFor();
    await panel.getByRole('radiogroup', { name: 'Aspect ratio' }).waitFor();
    await panel.getByRole('radio', { name: 'The first frame' }).click();
    expect(await panel.getByRole('radiogroup', { name: 'Aspect ratio' }).count()).toBe(0);
    await panel.getByLabel('What happens').fill('the rain stops and the sun comes out');
    const length = panel.getByRole('slider', { name: 'Length' });
    await length.fill('4');
    await panel.getByRole('checkbox', { name: /^Sound/ }).check();

    const last = await png('#f0b040');
    const zone = panel.getByRole('group', { name: 'Drop the last frame' });
    await dropOn(zone, await fileDrop(page, last, 'sunny.png'));
    await panel.getByText('sunny.png').waitFor();
    await panel.locator('.picked-img[src^="blob:"]').waitFor();
    await screenshot(page, 'providers-animate-vidu');
    await panelShot(page, panel, 'providers-animate-vidu-panel');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await panel.getByRole('button', { name: 'Animate with Vidu' }).click();
    await page.getByText('Vidu video started.').waitFor();
    await familyChildDone(page, 'Animated from image 2');
    const childId = t.vault.library.children(parent.id)[0]!.childId;
    const job = await t.vault.waitFor(childId, { giveUpAfterAttempts: 20 });
    expect(job).toMatchObject({ provider: 'vidu', taskType: 'start_end_to_video', status: 'completed' });
    expect(job.outputs[0]).toMatchObject({ kind: 'video', state: 'archived' });

    const sent = vidu.requests.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'viduq3t-720p', duration: 4, extra_body: { audio: true } });
    const first = parent.outputs.find((o) => o.kind === 'image' && o.index === 1)!.path!;
    expect(sent.image).toBe(`data:image/png;base64,${readFileSync(first).toString('base64')}`);
    expect(sent.last_image).toBe(`data:image/png;base64,${last.toString('base64')}`);
    expect(app.errors).toEqual([]);
  });

  test('Compose makes a Vidu text-to-video', async () => {
    // In the dark theme, to see both themes of these views.
    const app = await apps.open({
      colorScheme: 'dark',
      prepare: async (t) => void (await withProviders(t)),
    });
    const { page, t } = app;
    const { vidu } = sims!;

    await page.getByRole('navigation').getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('radio', { name: 'Video' }).click();
    await page.getByRole('radiogroup', { name: 'Made by' }).getByRole('radio', { name: 'Vidu' }).click();
    const form = page.getByRole('form', { name: 'Vidu video' });
    await form.getByLabel('What happens').fill('a paper boat drifts down a rainy street at dusk');
    await form.getByLabel('Model', { exact: true }).selectOption('viduq3p-540p');
    await form.getByRole('radiogroup', { name: 'Aspect ratio' }).getByRole('radio', { name: '9:16' }).click();
    await form.getByRole('slider', { name: 'Length' }).fill('3');
    await form.getByRole('checkbox', { name: /^Music/ }).check();
    await form.getByLabel('Seed').fill('77');
    await screenshot(page, 'providers-compose-vidu');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await form.getByRole('button', { name: 'Make Vidu video' }).click();
    await page.getByText('Vidu video started.').waitFor();
    await page.locator('.sent-link').first().getByText('Done').waitFor({ timeout: 30_000 });
    const sent = vidu.requests.find((r) => r.method === 'POST')!.body;
    expect(sent).toEqual({
      model: 'viduq3p-540p',
      prompt: 'a paper boat drifts down a rainy street at dusk',
      aspect_ratio: '9:16',
      duration: 3,
      extra_body: { audio: false, bgm: true, seed: 77 },
    });
    const [listed] = t.vault.list({ provider: 'vidu' }).items;
    const job = await t.vault.waitFor(listed!.id, { giveUpAfterAttempts: 20 });
    expect(job).toMatchObject({ taskType: 'text_to_video', status: 'completed' });
    expect(job.outputs[0]).toMatchObject({ kind: 'video', state: 'archived' });
    expect(app.errors).toEqual([]);
  });
});
