/**
 * The web bridge previews imported images: `mediaUrl(ImportedFileView.path)` is served from the
 * library's `inputs/` folder like archived media, and nothing else in the library opens that way.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { mediaUrl } from '../../src/shared/media';
import { startBridge } from '../../src/main/bridge/server';
import { importImage } from '../../src/main/core/images';
import { noiseImage } from '../archive/fixtures';
import { openTestVault } from '../api/support';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function get(
  port: number,
  rawPath: string,
  cookie: string,
): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: rawPath, headers: { host: `127.0.0.1:${port}`, cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('serves an imported image under /media/inputs/… and still refuses the rest of the library', async () => {
  const t = await openTestVault();
  cleanups.push(() => t.close());
  const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'genvault-renderer-'));
  cleanups.push(() => rm(rendererDir, { recursive: true, force: true }));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>GenVault</title>');
  const bridge = await startBridge({ vault: t.vault, rendererDir });
  cleanups.push(() => bridge.close());
  const port = Number(new URL(bridge.origin).port);
  const cookie = `genvault_token_${port}=${bridge.token}`;

  const webp = await noiseImage(24, 24, 'webp');
  const view = await importImage(t.dir, 'dropped.webp', webp.toString('base64'));
  const served = await get(port, mediaUrl(view.path, 'bridge'), cookie);
  expect(served.status).toBe(200);
  expect(served.type).toBe('image/webp');
  expect(served.body).toEqual(webp);

  await mkdir(path.join(t.dir, 'backups'), { recursive: true });
  await writeFile(path.join(t.dir, 'backups', 'old.png'), webp);
  await writeFile(path.join(t.dir, 'inputs', 'notes.txt'), 'not an image');
  expect((await get(port, '/media/backups/old.png', cookie)).status).toBe(404);
  expect((await get(port, '/media/inputs/notes.txt', cookie)).status).toBe(404);
  expect((await get(port, '/media/inputs/../genvault.db', cookie)).status).toBe(403);
  expect((await get(port, mediaUrl(view.path, 'bridge'), '')).status).toBe(401);
});
