/**
 * The `genvault://` protocol handler on real files: the built renderer under `genvault://app/`, library
 * media under `genvault://media/`, and every way out refused. It is a plain Request → Response function,
 * so it runs here without Electron; Electron's URL handling is played by the WHATWG URL parser, which
 * Chromium applies to standard schemes the same way.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../src/shared/media';
import { APP_CSP, createProtocolHandler } from '../../src/main/shell/protocol';

let dir: string;
let handler: (request: Request) => Promise<Response>;
const VIDEO = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-protocol-'));
  const appDir = path.join(dir, 'renderer');
  const library = path.join(dir, 'library');
  await mkdir(path.join(appDir, 'assets'), { recursive: true });
  await writeFile(path.join(appDir, 'index.html'), '<!doctype html><title>GenVault</title>');
  await writeFile(path.join(appDir, 'assets', 'index.js'), 'export {};');
  await mkdir(path.join(library, 'media', '2026', '01', 'job one'), { recursive: true });
  await mkdir(path.join(library, 'thumbs'), { recursive: true });
  await writeFile(path.join(library, 'media', '2026', '01', 'job one', '0.mp4'), VIDEO);
  await writeFile(path.join(library, 'media', '2026', '01', 'job one', 'job.json'), '{}');
  await writeFile(path.join(library, 'genvault.db'), 'SQLite format 3\0');
  await writeFile(path.join(dir, 'secret.png'), 'outside');
  await symlink(path.join(dir, 'secret.png'), path.join(library, 'media', 'link.png'));
  await symlink(path.join(dir, 'secret.png'), path.join(appDir, 'assets', 'leak.png'));
  handler = createProtocolHandler({ appDir, libraryRoot: library });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => handler(new Request(url, { headers }));

describe('genvault:// protocol', () => {
  it('serves the renderer with the window CSP', async () => {
    const page = await get('genvault://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(APP_CSP).toContain("img-src 'self' genvault://media blob: data:");
    expect(APP_CSP).toContain("media-src 'self' genvault://media blob:");
    expect(APP_CSP).toContain("script-src 'self';");
    expect(APP_CSP).toContain("connect-src 'self';");
    expect(await page.text()).toContain('<title>GenVault</title>');
    const script = await get('genvault://app/assets/index.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('genvault://app/')).status).toBe(200);
    expect(
      (await handler(new Request('genvault://app/index.html', { method: 'POST', body: 'x' }))).status,
    ).toBe(405);
  });

  it('serves library media with ranges, so videos can seek', async () => {
    const url = mediaUrl('media/2026/01/job one/0.mp4', 'electron');
    expect(url).toBe('genvault://media/media/2026/01/job%20one/0.mp4');
    const whole = await get(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(Buffer.from(await whole.arrayBuffer()).equals(VIDEO)).toBe(true);
    const part = await get(url, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${VIDEO.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(VIDEO.subarray(1000, 2000))).toBe(true);
    expect((await get(url, { range: 'bytes=5000-' })).status).toBe(416);
  });

  it('refuses anything outside the library media folders', async () => {
    const refused: Array<[string, number]> = [
      ['genvault://media/genvault.db', 404],
      ['genvault://media/../genvault.db', 404],
      ['genvault://media/media/..%2f..%2fgenvault.db', 403],
      ['genvault://media/media%2f..%2fgenvault.db', 403],
      ['genvault://media/%2fetc%2fpasswd', 403],
      ['genvault://media/media/%5c..%5cgenvault.db', 400],
      ['genvault://media/media/%00.png', 400],
      ['genvault://media/media/link.png', 403],
      ['genvault://media/media/2026/01/job%20one/job.json', 404],
      ['genvault://app/../library/genvault.db', 404],
      ['genvault://app/..%2flibrary%2fgenvault.db', 403],
      ['genvault://app/assets/leak.png', 403],
      ['genvault://elsewhere/index.html', 404],
    ];
    for (const [url, status] of refused) {
      const response = await get(url);
      expect({ url, status: response.status }).toEqual({ url, status });
    }
  });
});
