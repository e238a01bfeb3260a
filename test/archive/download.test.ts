import { readdirSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  downloadVerified,
  type ArchiveTarget,
  type DownloadOptions,
} from '../../src/main/core/archive/download';
import { removeStrayTempFiles } from '../../src/main/core/archive/atomic';
import { ArchiveContentError, CdnGoneError } from '../../src/main/core/archive/errors';
import { ApiError, InvalidInputError, NetworkError, ProtocolError } from '../../src/main/core/errors';
import { CdnServer, type Resource } from './cdn-server';
import { deferred, makeTempDir, noiseImage, sha256, testClip } from './fixtures';

let png: Buffer;
let jpeg: Buffer;
let mp4: Buffer;
let webm: Buffer;
let media: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  media = await makeTempDir('media');
  [png, jpeg, mp4, webm] = await Promise.all([
    noiseImage(256, 256, 'png'),
    noiseImage(200, 100, 'jpeg'),
    testClip(media.dir, 'mp4'),
    testClip(media.dir, 'webm'),
  ]);
});
afterAll(() => media.cleanup());

let cdn: CdnServer;
let agent: Agent;
let tmp: { dir: string; cleanup: () => Promise<void> };
let dir: string;

beforeEach(async () => {
  cdn = await CdnServer.start();
  agent = new Agent();
  tmp = await makeTempDir('archive');
  dir = path.join(tmp.dir, 'media', '2025', '01', 'job-1');
});
afterEach(async () => {
  await agent.destroy();
  await cdn.close();
  await tmp.cleanup();
});

function target(urlPath: string, expect: 'image' | 'video' = 'image', baseName = '0'): ArchiveTarget {
  return { url: cdn.url(urlPath), dir, baseName, expect };
}

function download(urlPath: string, expect: 'image' | 'video' = 'image', opts: DownloadOptions = {}) {
  return downloadVerified(target(urlPath, expect), { dispatcher: agent, ...opts });
}

function serveImage(extra: Partial<Resource> = {}): void {
  cdn.serve('/a.png', { body: png, contentType: 'image/png', ...extra });
}

async function listing(): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Resolves the fault's gate once the client has `bytes` on disk, so a reset never races the data. */
function gatedReset(bytes: number): {
  fault: { type: 'reset'; afterBytes: number; gate: Promise<void> };
  onProgress: (received: number) => void;
} {
  const gate = deferred();
  return {
    fault: { type: 'reset', afterBytes: bytes, gate: gate.promise },
    onProgress: (received) => {
      if (received >= bytes) gate.resolve();
    },
  };
}

describe('downloadVerified: complete transfers', () => {
  it('archives an image under the extension its bytes prove, with size, type and sha256', async () => {
    serveImage();
    const result = await download('/a.png');
    expect(result).toEqual({
      path: path.join(dir, '0.png'),
      bytes: png.length,
      sha256: sha256(png),
      mime: 'image/png',
      ext: 'png',
      width: 256,
      height: 256,
      durationMs: null,
    });
    expect(await readFile(result.path)).toEqual(png);
    expect(await listing()).toEqual(['0.png']);
  });

  it('names a file by its content, not by the Content-Type the CDN claims', async () => {
    cdn.serve('/x', { body: jpeg, contentType: 'application/octet-stream' });
    const result = await download('/x');
    expect(result).toMatchObject({
      path: path.join(dir, '0.jpg'),
      mime: 'image/jpeg',
      width: 200,
      height: 100,
    });
  });

  it('gives the final name only after the whole file is written and verified', async () => {
    serveImage();
    const seen: Array<{ received: number; total: number | null; names: string[] }> = [];
    await download('/a.png', 'image', {
      onProgress: (received, total) => seen.push({ received, total, names: readdirSync(dir) }),
    });
    expect(seen.length).toBeGreaterThan(1);
    for (const snapshot of seen) {
      expect(snapshot.names).toHaveLength(1);
      expect(snapshot.names[0]).toMatch(/^\.0\.[0-9a-f]{12}\.part$/);
      expect(snapshot.total).toBe(png.length);
    }
    const received = seen.map((s) => s.received);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received.at(-1)).toBe(png.length);
    expect(await listing()).toEqual(['0.png']);
  });

  it('archives an MP4 with its duration and frame size', async () => {
    cdn.serve('/v.mp4', { body: mp4, contentType: 'video/mp4' });
    const result = await download('/v.mp4', 'video');
    expect(result).toEqual({
      path: path.join(dir, '0.mp4'),
      bytes: mp4.length,
      sha256: sha256(mp4),
      mime: 'video/mp4',
      ext: 'mp4',
      width: 160,
      height: 120,
      durationMs: 1000,
    });
  });

  it('archives a WebM video', async () => {
    cdn.serve('/v.webm', { body: webm, contentType: 'video/webm' });
    const result = await download('/v.webm', 'video');
    expect(result).toMatchObject({
      ext: 'webm',
      mime: 'video/webm',
      width: 160,
      height: 120,
      durationMs: 1000,
    });
    expect(await readFile(result.path)).toEqual(webm);
  });

  it('accepts a body without Content-Length', async () => {
    serveImage({ chunked: true });
    const result = await download('/a.png');
    expect(result.sha256).toBe(sha256(png));
  });

  it('follows a redirect to the storage URL', async () => {
    serveImage();
    cdn.redirect('/r/0', '/a.png');
    const result = await download('/r/0');
    expect(result.sha256).toBe(sha256(png));
    expect(cdn.requests.map((r) => [r.path, r.status])).toEqual([
      ['/r/0', 302],
      ['/a.png', 200],
    ]);
  });

  it('reports a redirect loop as a ProtocolError without retrying it', async () => {
    cdn.redirect('/a', '/b');
    cdn.redirect('/b', '/a');
    const err = await download('/a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(cdn.requests.length).toBeLessThanOrEqual(6);
    expect(await listing()).toEqual([]);
  });

  it('keeps an identical file already at the final name (a re-run after a crash)', async () => {
    serveImage();
    const first = await download('/a.png');
    const before = await stat(first.path);
    const second = await download('/a.png');
    const after = await stat(second.path);
    expect(second).toEqual(first);
    expect(after.ino).toBe(before.ino);
    expect(await listing()).toEqual(['0.png']);
  });

  it('replaces a different file at the final name', async () => {
    serveImage();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, '0.png'), 'stale bytes from another run');
    const result = await download('/a.png');
    expect(await readFile(result.path)).toEqual(png);
    expect(await listing()).toEqual(['0.png']);
  });
});

describe('downloadVerified: broken transfers', () => {
  it('resumes a reset transfer with a Range request and ends byte-identical', async () => {
    const reset = gatedReset(64 * 1024);
    serveImage({ etag: '"v1"', faults: [reset.fault] });
    const result = await download('/a.png', 'image', { onProgress: reset.onProgress });
    expect(result.sha256).toBe(sha256(png));
    expect(await readFile(result.path)).toEqual(png);
    expect(cdn.requests.map((r) => [r.range, r.ifRange, r.status])).toEqual([
      [undefined, undefined, 200],
      [`bytes=${64 * 1024}-`, '"v1"', 206],
    ]);
  });

  it('resumes a body cut short of its Content-Length', async () => {
    serveImage({ faults: [{ type: 'truncate', afterBytes: 50_000 }] });
    const result = await download('/a.png');
    expect(result.sha256).toBe(sha256(png));
    expect(cdn.requests.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      ['bytes=50000-', 206],
    ]);
  });

  it('resumes a chunked body that ends without its final chunk', async () => {
    serveImage({ chunked: true, faults: [{ type: 'truncate', afterBytes: 50_000 }] });
    const result = await download('/a.png');
    expect(result.sha256).toBe(sha256(png));
    expect(cdn.requests.map((r) => r.range)).toEqual([undefined, 'bytes=50000-']);
  });

  it('treats an idle gap longer than idleTimeoutMs as a break and resumes', async () => {
    serveImage({ faults: [{ type: 'stall', afterBytes: 40_000, ms: 60_000 }] });
    const result = await download('/a.png', 'image', { idleTimeoutMs: 300 });
    expect(result.sha256).toBe(sha256(png));
    expect(cdn.requests.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      ['bytes=40000-', 206],
    ]);
  });

  it('starts over when the server does not support Range', async () => {
    const reset = gatedReset(64 * 1024);
    serveImage({ ranges: false, faults: [reset.fault] });
    const restarts: number[] = [];
    let last = 0;
    const result = await download('/a.png', 'image', {
      onProgress: (received) => {
        if (received < last) restarts.push(received);
        last = received;
        reset.onProgress(received);
      },
    });
    expect(result.sha256).toBe(sha256(png));
    expect(cdn.requests.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      [undefined, 200],
    ]);
    expect(restarts).toHaveLength(1);
  });

  it('starts over when a Range request is answered with 200', async () => {
    serveImage({ faults: [{ type: 'truncate', afterBytes: 50_000 }, { type: 'ignoreRange' }] });
    const result = await download('/a.png');
    expect(result.sha256).toBe(sha256(png));
    expect(await readFile(result.path)).toEqual(png);
    expect(cdn.requests.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      ['bytes=50000-', 200],
    ]);
  });

  it('starts over without Range when a 206 resumes at the wrong offset', async () => {
    serveImage({ faults: [{ type: 'truncate', afterBytes: 50_000 }, { type: 'wrongRangeStart' }] });
    const result = await download('/a.png');
    expect(result.sha256).toBe(sha256(png));
    expect(cdn.requests.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      ['bytes=50000-', 206],
      [undefined, 200],
    ]);
  });

  it('gives up with a NetworkError after maxResumes breaks and leaves nothing behind', async () => {
    const cut = { type: 'truncate', afterBytes: 10_000 } as const;
    serveImage({ faults: [cut, cut, cut, cut] });
    const err = await download('/a.png', 'image', { maxResumes: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(/broke off 3 times/);
    expect(cdn.requests).toHaveLength(3);
    expect(await listing()).toEqual([]);
  });

  it('reports a refused connection as a NetworkError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await downloadVerified(
      { url: `http://127.0.0.1:${port}/a.png`, dir, baseName: '0', expect: 'image' },
      { dispatcher: agent, maxResumes: 1 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(/connection refused/);
    expect(await listing()).toEqual([]);
  });

  it('stops at once when aborted and removes the temp file', async () => {
    serveImage({ faults: [{ type: 'stall', afterBytes: 40_000, ms: 60_000 }] });
    const controller = new AbortController();
    const err = await download('/a.png', 'image', {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('AbortError');
    expect(cdn.requests).toHaveLength(1);
    expect(await listing()).toEqual([]);
  });
});

describe('downloadVerified: refusals', () => {
  it('refuses a web page served with 200', async () => {
    const page = `<!DOCTYPE html><html><body>${'Sign in to continue. '.repeat(20_000)}</body></html>`;
    cdn.serve('/a.png', { body: Buffer.from(page), contentType: 'text/html; charset=utf-8' });
    const err = await download('/a.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveContentError);
    expect((err as ArchiveContentError).message).toBe(
      'The CDN sent a web page instead of the image (Content-Type text/html; charset=utf-8).',
    );
    expect((err as ArchiveContentError).exitCode).toBe(1);
    expect(await listing()).toEqual([]);
  });

  it('refuses a JSON error document served with 200', async () => {
    cdn.serve('/a.png', { body: Buffer.from('{"error":"expired"}'), contentType: 'application/json' });
    const err = await download('/a.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveContentError);
    expect((err as ArchiveContentError).received).toBe('a JSON document');
    expect(await listing()).toEqual([]);
  });

  it('refuses an image where a video was expected, and a video where an image was', async () => {
    cdn.serve('/a.png', { body: png });
    cdn.serve('/v.mp4', { body: mp4 });
    const asVideo = await download('/a.png', 'video').catch((e: unknown) => e);
    const asImage = await download('/v.mp4', 'image').catch((e: unknown) => e);
    expect((asVideo as ArchiveContentError).message).toBe(
      'The CDN sent an image (image/png) instead of the video (Content-Type application/octet-stream).',
    );
    expect((asImage as ArchiveContentError).received).toBe('a video (video/mp4)');
    expect(await listing()).toEqual([]);
  });

  it('refuses an image with the right magic and length that does not decode', async () => {
    const damaged = Buffer.from(png);
    const middle = Math.floor(damaged.length / 2);
    for (let i = middle; i < middle + 64; i++) damaged.writeUInt8(damaged.readUInt8(i) ^ 0x5a, i);
    cdn.serve('/a.png', { body: damaged, contentType: 'image/png' });
    const err = await download('/a.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveContentError);
    expect((err as ArchiveContentError).received).toBe('a damaged file');
    expect(await listing()).toEqual([]);
  });

  it('verifies an image by decoding it into its thumbnail, once, before the final name', async () => {
    serveImage();
    const thumb = path.join(`${dir}-thumbs`, 'a.webp');
    const file = await download('/a.png', 'image', { thumbnail: thumb });
    expect(file.path).toBe(path.join(dir, '0.png'));
    const webp = await readFile(thumb);
    expect(webp.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect([file.width, file.height]).not.toContain(null);
  });

  it('refuses a damaged image when verifying through the thumbnail, leaving neither file', async () => {
    const damaged = Buffer.from(png);
    const middle = Math.floor(damaged.length / 2);
    for (let i = middle; i < middle + 64; i++) damaged.writeUInt8(damaged.readUInt8(i) ^ 0x5a, i);
    cdn.serve('/a.png', { body: damaged, contentType: 'image/png' });
    const thumb = path.join(`${dir}-thumbs`, 'a.webp');
    const err = await download('/a.png', 'image', { thumbnail: thumb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveContentError);
    expect((err as ArchiveContentError).received).toBe('a damaged file');
    expect(await listing()).toEqual([]);
    await expect(stat(thumb)).rejects.toThrow();
  });

  it('refuses a video cut short at the source', async () => {
    cdn.serve('/v.mp4', { body: mp4.subarray(0, Math.floor(mp4.length / 2)) });
    const err = await download('/v.mp4', 'video').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveContentError);
    expect((err as ArchiveContentError).message).toMatch(
      /^The CDN sent a damaged file instead of the video \(video\/mp4: /,
    );
    expect(await listing()).toEqual([]);
  });

  it.each([403, 404, 410])('reports HTTP %i as CdnGoneError without retrying', async (status) => {
    serveImage({ faults: [{ type: 'status', status, body: 'AccessDenied' }] });
    const err = await download('/a.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CdnGoneError);
    expect((err as CdnGoneError).status).toBe(status);
    expect(cdn.requests).toHaveLength(1);
    expect(await listing()).toEqual([]);
  });

  it('reports HTTP 500 as a retryable ApiError carrying Retry-After', async () => {
    serveImage({
      faults: [{ type: 'status', status: 500, body: 'upstream exploded', headers: { 'retry-after': '7' } }],
    });
    const err = await download('/a.png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 500,
      retryable: true,
      retryAfterMs: 7000,
      apiMessage: 'upstream exploded',
    });
    expect(cdn.requests).toHaveLength(1);
    expect(await listing()).toEqual([]);
  });

  it('reports HTTP 429 as a retryable ApiError', async () => {
    serveImage({ faults: [{ type: 'status', status: 429 }] });
    const err = await download('/a.png').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, retryable: true, kind: 'unavailable' });
  });

  it('rejects a file name that would leave the folder, before any request', async () => {
    serveImage();
    const err = await downloadVerified(
      { ...target('/a.png'), baseName: '../escape' },
      { dispatcher: agent },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).field).toBe('baseName');
    const badUrl = await downloadVerified({ ...target('/a.png'), url: 'ftp://127.0.0.1/a.png' }).catch(
      (e: unknown) => e,
    );
    expect(badUrl).toBeInstanceOf(InvalidInputError);
    expect(cdn.requests).toHaveLength(0);
  });
});

describe('removeStrayTempFiles', () => {
  it('deletes temp files a crash left and nothing else', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, '.0.0123456789ab.part'), 'partial');
    await writeFile(path.join(dir, '0.png'), png);
    await writeFile(path.join(dir, 'job.json'), '{}');
    expect(await removeStrayTempFiles(dir)).toBe(1);
    expect(await listing()).toEqual(['0.png', 'job.json']);
    expect(await removeStrayTempFiles(path.join(dir, 'missing'))).toBe(0);
  });
});
