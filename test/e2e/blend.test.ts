/**
 * Blend by drag and drop, through the real renderer, web bridge, core and Legnext simulator: a card
 * dragged from the library grid onto the sidebar's Blend entry, an image dragged from the Blend view's
 * library picker, and a PNG file dropped from "the OS" (a DataTransfer built in the page with real PNG
 * bytes). Without an image host the dropped file gets the clear "set up an image host" message and
 * nothing is sent; with one (a real S3-compatible server on loopback) the simulator receives the
 * library images' CDN URLs and a presigned URL of the uploaded file, in slot order.
 */
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import { S3_SECRET, startS3Gate } from '../images/s3-gate';
import {
  dropFile,
  makeImageJobs,
  screenshot,
  seriousAxeViolations,
  useApp,
  waitForCount,
  waitForDecoded,
  type AppSession,
} from './harness';

const apps = useApp();

/** A paste with an image (as a file, the way a screenshot arrives) or text, on the focused element. */
async function pasteInto(page: Page, what: { png?: Buffer; text?: string }): Promise<void> {
  await page.evaluate(`(() => {
    const transfer = new DataTransfer();
    const b64 = ${JSON.stringify(what.png?.toString('base64') ?? null)};
    if (b64) {
      const binary = atob(b64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      transfer.items.add(new File([data], 'image.png', { type: 'image/png' }));
    }
    const text = ${JSON.stringify(what.text ?? null)};
    if (text) transfer.setData('text/plain', text);
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer }),
    );
  })()`);
}

function blendRequests(app: AppSession) {
  return app.t.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/blend'));
}

const slot = (n: number) => `.slot-grid > li:nth-child(${n}) .slot`;

describe('blend', { timeout: 120_000 }, () => {
  test('library items by drag and drop, a dropped file, the image host message, then the sent URLs', async () => {
    let jobs: JobView[] = [];
    const app = await apps.open({
      prepare: async (t) => {
        jobs = await makeImageJobs(t, [
          'a copper teapot on a windowsill --ar 1:1',
          'a field of lavender under storm clouds --ar 1:1',
        ]);
      },
    });
    const { page, t } = app;
    const [teapot, lavender] = jobs as [JobView, JobView];
    await waitForDecoded(page, '.card img', 2);

    // A card from the grid, dropped on the sidebar's Blend entry, opens Blend with it in slot 1.
    await page
      .locator(`.card[data-job-id="${teapot.id}"]`)
      .dragTo(page.getByRole('link', { name: 'Blend', exact: true }));
    await page.getByRole('heading', { level: 1, name: 'Blend' }).waitFor();
    await page.locator(slot(1)).locator('.slot-caption', { hasText: 'image 1' }).waitFor();

    // Image 3 of the other job, dragged from the picker beside the slots into slot 2.
    await page
      .locator(`.picker-tile[data-job-id="${lavender.id}"][data-index="2"]`)
      .dragTo(page.locator(slot(2)));
    await page.locator(slot(2)).locator('.slot-caption', { hasText: 'image 3' }).waitFor();

    // A real PNG from "the OS", dropped into a third slot: imported into the library's inputs/.
    const png = await sharp({
      create: { width: 96, height: 64, channels: 3, background: { r: 40, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    await page.getByRole('button', { name: /Add an image/ }).click();
    await dropFile(page, slot(3), 'holiday photo.png', png);
    await page.locator(slot(3)).locator('.slot-caption', { hasText: 'holiday photo.png' }).waitFor();
    await waitForDecoded(page, '.slot-picture img, .slot-picture .media-box img', 3);
    expect(await page.locator(slot(3)).locator('.slot-caption').textContent()).toContain('96×64');
    await screenshot(page, 'blend-filled');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Order by keyboard: the file moves to the front, then back to the end.
    await page.getByRole('button', { name: 'Move image 3 earlier' }).click();
    await page.getByRole('button', { name: 'Move image 2 earlier' }).click();
    await page.locator(slot(1)).locator('.slot-caption', { hasText: 'holiday photo.png' }).waitFor();
    await page.getByRole('button', { name: 'Move image 1 later' }).click();
    await page.getByRole('button', { name: 'Move image 2 later' }).click();
    await page.locator(slot(3)).locator('.slot-caption', { hasText: 'holiday photo.png' }).waitFor();

    // No image host yet: the file cannot be sent; the message says what to set up, nothing is spent.
    await page.getByRole('radio', { name: /3:2/ }).check();
    await page.getByRole('button', { name: 'Blend 3 images' }).click();
    const alert = page.locator('.tool-error');
    await alert.getByText(/Set up an image host in Settings/).waitFor();
    await alert.getByRole('button', { name: 'Set up an image host' }).waitFor();
    await screenshot(page, 'blend-needs-host');
    expect(blendRequests(app)).toHaveLength(0);

    // With an image host (a real S3-compatible server on loopback), the same blend goes out.
    const gate = await startS3Gate();
    onTestFinished(() => gate.close());
    await t.vault.images.set(gate.config(), S3_SECRET);
    await page.getByRole('button', { name: 'Blend 3 images' }).click();
    await page.getByText('Blend started.').waitFor();
    const href = await page.locator('.sent-list .sent-row').first().getAttribute('href');
    const blendId = decodeURIComponent(href!.split('/').pop()!);
    await t.vault.waitUntilSent(blendId, { giveUpAfterAttempts: 20 });
    expect(blendRequests(app)).toHaveLength(1);
    const body = blendRequests(app)[0]!.body as { imgUrls: string[]; aspect_ratio: string };
    const cdn = (job: JobView, index: number) =>
      job.outputs.find((o) => o.kind === 'image' && o.index === index)!.url;
    expect(body.aspect_ratio).toBe('3:2');
    expect(body.imgUrls).toHaveLength(3);
    expect(body.imgUrls[0]).toBe(cdn(teapot, 0));
    expect(body.imgUrls[1]).toBe(cdn(lavender, 2));
    expect(body.imgUrls[2]!.startsWith(`${gate.endpoint}/`)).toBe(true);
    expect(body.imgUrls[2]).toContain('X-Amz-Signature=');
    // The presigned URL serves exactly the dropped file.
    const fetched = Buffer.from(await (await fetch(body.imgUrls[2]!)).arrayBuffer());
    expect(fetched.equals(png)).toBe(true);

    // The blend is a child of both library images in the lineage.
    const parents = t.vault.library.parents(blendId);
    expect(parents.map((p) => [p.parentId, p.parentIndex, p.relation])).toEqual([
      [teapot.id, 0, 'blend'],
      [lavender.id, 2, 'blend'],
    ]);
    await waitForCount(page, '.sent-list .sent-row', 1);
    expect(app.errors).toEqual([]);
  });

  test('a library selection goes to Blend in order; a non-image drop is refused; paste and choose a file', async () => {
    let jobs: JobView[] = [];
    const app = await apps.open({
      prepare: async (t) => {
        jobs = await makeImageJobs(t, [
          'a paper boat --ar 1:1',
          'a glass whale --ar 1:1',
          'a neon koi --ar 1:1',
        ]);
      },
    });
    const { page } = app;
    await waitForDecoded(page, '.card img', 3);
    const [boat, whale] = jobs as [JobView, JobView];
    await page.locator(`.card[data-job-id="${whale.id}"]`).click();
    await page.locator(`.card[data-job-id="${boat.id}"]`).click({ modifiers: ['Control'] });
    await page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Blend' }).click();
    await page.getByRole('heading', { level: 1, name: 'Blend' }).waitFor();
    await page
      .locator(slot(1))
      .getByRole('img', { name: /a glass whale/ })
      .waitFor();
    await page
      .locator(slot(2))
      .getByRole('img', { name: /a paper boat/ })
      .waitFor();

    await page.getByRole('button', { name: /Add an image/ }).click();
    await dropFile(page, slot(3), 'notes.txt', Buffer.from('just text'), 'text/plain');
    await page.locator(slot(3)).locator('..').getByRole('alert').waitFor();
    expect(await page.locator(slot(3)).locator('..').getByRole('alert').textContent()).toMatch(
      /not an image GenVault can use/,
    );

    // A pasted image link lands in the first empty slot; a pasted screenshot in the next one.
    await pasteInto(page, { text: 'https://images.example.org/photos/harbour.jpg' });
    await page.locator(slot(3)).locator('.slot-caption', { hasText: 'harbour.jpg' }).waitFor();
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    await page.getByRole('button', { name: /Add an image/ }).click();
    await pasteInto(page, { png });
    await page.locator(slot(4)).locator('.slot-caption', { hasText: '40×30' }).waitFor();

    // "Replace…" on slot 1 takes a chosen file instead of the library image.
    await page
      .locator(slot(1))
      .locator('input[type="file"]')
      .setInputFiles({ name: 'chosen.png', mimeType: 'image/png', buffer: png });
    await page.locator(slot(1)).locator('.slot-caption', { hasText: 'chosen.png' }).waitFor();
    expect(await page.locator('.slot-grid .slot.filled').count()).toBe(4);
    expect(app.errors).toEqual([]);
  });
});
