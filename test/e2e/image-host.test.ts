/**
 * Settings → Image host through the real renderer, web bridge and core, against a real S3-compatible
 * server on loopback (s3rver behind a gate that checks Signature V4 as S3 does). The form refuses what
 * it can before asking, shows the core's refusal at the field it names, saves, passes Test connection,
 * comes back after a reload with everything but the secret, reports a wrong secret in plain words and
 * is removed. Blend's "set up an image host" error leads to Settings, and `#/settings/image-host` opens
 * Settings scrolled to the panel.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, onTestFinished, test } from 'vitest';
import { S3_ACCESS_KEY_ID, S3_BUCKET, S3_REGION, S3_SECRET, startS3Gate } from '../images/s3-gate';
import { SCREENSHOT_DIR, seriousAxeViolations, setHash, useApp, waitForHash } from './harness';

const apps = useApp();

const LIGHT_BG = 'rgb(246, 246, 248)';
const DARK_BG = 'rgb(17, 17, 21)';

function panelOf(page: Page): Locator {
  return page.getByRole('region', { name: 'Image host' });
}

async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  const panel = panelOf(page);
  await panel.getByRole('textbox', { name: 'Endpoint' }).waitFor();
  return panel;
}

/** The whole panel, however tall: the window grows for the picture and shrinks back. */
async function panelShot(page: Page, panel: Locator, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: 2400 });
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
  );
  await panel.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewportSize(viewport);
}

/** The alert shown at the field (the nearest `.field` around it) whose control is `control`. */
function fieldAlert(control: Locator): Locator {
  return control
    .locator(`xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' field ')][1]`)
    .getByRole('alert');
}

/** What the OS does when a file is dropped on `selector`: dragenter, dragover and drop with a real File. */
async function dropFile(page: Page, selector: string, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(`(() => {
    const binary = atob(${JSON.stringify(bytes.toString('base64'))});
    const data = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], ${JSON.stringify(name)}, { type: 'image/png' }));
    const target = document.querySelector(${JSON.stringify(selector)});
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }
  })()`);
}

/** The panel's top edge relative to the top of the scrolling Settings body (0 when scrolled to it). */
async function offsetInView(page: Page): Promise<number> {
  return (await page.evaluate(`(() => {
    const body = document.querySelector('.view-body.settings').getBoundingClientRect();
    return Math.round(document.getElementById('image-host').getBoundingClientRect().top - body.top);
  })()`)) as number;
}

describe('image host settings', { timeout: 120_000 }, () => {
  test('save against a real S3 server, test, reload without the secret, a wrong secret, remove', async () => {
    const s3 = await startS3Gate();
    onTestFinished(() => s3.close());
    const app = await apps.open();
    const { page, t } = app;
    const panel = await openSettings(page);
    await panel.getByText('Not set up').waitFor();

    const endpoint = panel.getByRole('textbox', { name: 'Endpoint' });
    const region = panel.getByRole('textbox', { name: 'Region' });
    const bucket = panel.getByRole('textbox', { name: 'Bucket' });
    const accessKeyId = panel.getByRole('textbox', { name: 'Access key ID' });
    const secret = panel.getByLabel('Secret access key');
    const pathStyle = panel.getByRole('checkbox', { name: 'Path-style URLs' });
    const prefix = panel.getByRole('textbox', { name: 'Key prefix' });
    const minutes = panel.getByRole('spinbutton', { name: 'Link lifetime (minutes)' });
    const save = panel.getByRole('button', { name: 'Save', exact: true });
    const testButton = panel.getByRole('button', { name: 'Test connection' });

    // Defaults, and nothing to test before anything is stored.
    expect(await prefix.inputValue()).toBe('genvault/');
    expect(await minutes.inputValue()).toBe('60');
    expect(await testButton.count()).toBe(0);

    // An empty form is refused field by field before anything is sent; the first field gets focus.
    await save.click();
    await fieldAlert(endpoint).getByText('Enter the address of the service’s S3 API.').waitFor();
    await fieldAlert(bucket).getByText('Enter the name of the bucket.').waitFor();
    await fieldAlert(secret)
      .getByText(/Enter the secret access key/)
      .waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe(await endpoint.getAttribute('id'));

    // The gate is reached by IP address, which needs path-style: the core says so, at that field.
    await endpoint.fill(s3.endpoint);
    await region.fill(S3_REGION);
    await bucket.fill(S3_BUCKET);
    await accessKeyId.fill(S3_ACCESS_KEY_ID);
    await secret.fill(S3_SECRET);
    expect(await pathStyle.isChecked()).toBe(false);
    await panel
      .getByRole('note')
      .getByText(/127\.0\.0\.1 is this computer or a private network/)
      .waitFor();
    await save.click();
    await fieldAlert(pathStyle)
      .getByText('An image host reached by IP address needs path-style URLs: turn on path-style.')
      .waitFor();
    expect(t.vault.images.config()).toBeNull();
    expect(t.backend.values.has('image-host')).toBe(false);
    await panelShot(page, panel, 'image-host-field-error');

    // The MinIO / self-hosted preset turns path-style on; now it saves.
    await panel.getByRole('radio', { name: 'MinIO / self-hosted' }).click();
    expect(await pathStyle.isChecked()).toBe(true);
    expect(await fieldAlert(pathStyle).count()).toBe(0);
    await save.click();
    await page.getByText('The image host is saved. Test the connection to check that it works.').waitFor();
    await panel.getByText('Set up', { exact: true }).waitFor();
    await panel.getByText('Secret stored in your keychain; leave this blank to keep it.').waitFor();
    expect(await secret.inputValue()).toBe('');
    expect(t.vault.images.config()).toEqual(s3.config());
    expect(t.backend.values.get('image-host')).toBe(S3_SECRET);

    // Test connection: a real upload, a read back through a presigned link, a delete.
    await testButton.click();
    const ok = panel.getByRole('status').filter({ hasText: 'The image host works' });
    await ok.waitFor();
    expect(await ok.textContent()).toContain(`the bucket "${S3_BUCKET}"`);
    expect(await ok.textContent()).toContain("Legnext's servers cannot fetch images from it");
    const forwarded = s3.requests.filter((r) => r.verdict === 'forwarded').map((r) => r.method);
    expect(forwarded).toEqual(expect.arrayContaining(['PUT', 'GET', 'DELETE']));
    expect(s3.requests.find((r) => r.method === 'GET')!.url).toContain('X-Amz-Signature=');
    await panelShot(page, panel, 'image-host-light');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // After a reload the form shows what is stored, and that a secret is stored, never the secret.
    await page.reload();
    const again = await openSettings(page);
    await again.getByText('Secret stored in your keychain; leave this blank to keep it.').waitFor();
    expect(await endpoint.inputValue()).toBe(s3.endpoint);
    expect(await region.inputValue()).toBe(S3_REGION);
    expect(await bucket.inputValue()).toBe(S3_BUCKET);
    expect(await accessKeyId.inputValue()).toBe(S3_ACCESS_KEY_ID);
    expect(await pathStyle.isChecked()).toBe(true);
    expect(await prefix.inputValue()).toBe('genvault/');
    expect(await minutes.inputValue()).toBe('60');
    expect(await secret.inputValue()).toBe('');
    expect(await again.getByRole('radio', { name: 'MinIO / self-hosted' }).getAttribute('aria-checked')).toBe(
      'true',
    );
    expect(await save.isDisabled()).toBe(true);
    expect(await page.content()).not.toContain(S3_SECRET);

    // Dark: the same panel in the dark palette (the app follows the system theme by default).
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(DARK_BG);
    await panelShot(page, again, 'image-host-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(LIGHT_BG);

    // A wrong secret: Test waits for the change to be saved, then says plainly what is wrong.
    await secret.fill('not-the-secret-at-all');
    expect(await testButton.isDisabled()).toBe(true);
    await again.getByText('Save your changes to test them.').waitFor();
    await save.click();
    await page.getByText('The image host settings are saved.').waitFor();
    expect(t.backend.values.get('image-host')).toBe('not-the-secret-at-all');
    await testButton.click();
    await again
      .getByRole('alert')
      .getByText(
        'The image host did not accept the secret access key; check that it was copied whole and belongs to this access key ID.',
      )
      .waitFor();
    expect(s3.requests.at(-1)!.verdict).toBe('SignatureDoesNotMatch');

    // Remove asks first, then forgets the settings and deletes the secret.
    await again.getByRole('button', { name: 'Remove image host…' }).click();
    await again.getByText('Remove the image host and delete its secret from your keychain?').waitFor();
    await again.getByRole('button', { name: 'Keep it' }).click();
    expect(t.vault.images.config()).not.toBeNull();
    await again.getByRole('button', { name: 'Remove image host…' }).click();
    await again.getByRole('button', { name: 'Remove image host', exact: true }).click();
    await page.getByText('The image host was removed and its secret deleted from your keychain.').waitFor();
    await again.getByText('Not set up').waitFor();
    expect(await endpoint.inputValue()).toBe('');
    expect(await again.getByText('Secret stored in your keychain').count()).toBe(0);
    expect(await testButton.count()).toBe(0);
    expect(t.vault.images.config()).toBeNull();
    expect(t.backend.values.has('image-host')).toBe(false);
    expect(app.errors).toEqual([]);
  });

  test("Blend's missing-host error leads to Settings; #/settings/image-host scrolls to the panel", async () => {
    const app = await apps.open({ viewport: { width: 1280, height: 720 } });
    const { page } = app;
    const png = (color: string) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: color } })
        .png()
        .toBuffer();

    // Two files from "the OS" in Blend, with no image host: the send is refused with a way to Settings.
    await page.getByRole('navigation').getByRole('link', { name: 'Blend', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Blend' }).waitFor();
    const slot = (n: number) => `.slot-grid > li:nth-child(${n}) .slot`;
    await dropFile(page, slot(1), 'left.png', await png('#2a6'));
    await page.locator(slot(1)).locator('.slot-caption', { hasText: 'left.png' }).waitFor();
    await dropFile(page, slot(2), 'right.png', await png('#a26'));
    await page.locator(slot(2)).locator('.slot-caption', { hasText: 'right.png' }).waitFor();
    await page.getByRole('button', { name: 'Blend 2 images' }).click();
    const alert = page.locator('.tool-error');
    await alert.getByText(/Set up an image host in Settings/).waitFor();
    await alert.getByRole('button', { name: 'Set up an image host' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const panel = panelOf(page);
    await panel.getByText('Not set up').waitFor();

    // The button opens Settings at the panel's own address, which scrolls it to the top.
    await waitForHash(page, '#/settings/image-host');
    await expect.poll(() => offsetInView(page)).toBe(0);
    // So does that address typed in, whether Settings is open or just opening.
    await setHash(page, '#/settings');
    await page.evaluate('document.querySelector(".view-body.settings").scrollTo(0, 0)');
    expect(await offsetInView(page)).toBeGreaterThan(720);
    await setHash(page, '#/settings/image-host');
    await expect.poll(() => offsetInView(page)).toBe(0);
    await page.reload();
    await panel.getByText('Not set up').waitFor();
    await expect.poll(() => offsetInView(page)).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
