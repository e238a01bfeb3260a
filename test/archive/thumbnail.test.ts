import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MediaDecodeError } from '../../src/main/core/archive/errors';
import { probeVideo } from '../../src/main/core/archive/media';
import { makeThumbnail, videoPoster } from '../../src/main/core/archive/thumbnail';
import { makeTempDir, noiseImage, testClip } from './fixtures';

let media: { dir: string; cleanup: () => Promise<void> };
let mp4Path: string;
let webmPath: string;

beforeAll(async () => {
  media = await makeTempDir('thumb-media');
  mp4Path = path.join(media.dir, 'clip.mp4');
  webmPath = path.join(media.dir, 'clip.webm');
  await Promise.all([testClip(media.dir, 'mp4'), testClip(media.dir, 'webm')]);
});
afterAll(() => media.cleanup());

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir('thumbs');
});
afterEach(() => tmp.cleanup());

async function source(name: string, data: Buffer): Promise<string> {
  const file = path.join(tmp.dir, name);
  await writeFile(file, data);
  return file;
}

describe('makeThumbnail', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('makes a decodable 480 px WebP from a %s', async (format) => {
    const src = await source(`big.${format}`, await noiseImage(1200, 800, format));
    const dest = path.join(tmp.dir, 'thumbs', 'job-1', '0.webp');
    expect(await makeThumbnail(src, dest)).toEqual({ width: 480, height: 320 });
    const meta = await sharp(dest).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 320]);
    expect(await readdir(path.dirname(dest))).toEqual(['0.webp']);
  });

  it('fits the longest side of a portrait image to the requested size', async () => {
    const src = await source('tall.png', await noiseImage(600, 900, 'png'));
    const dest = path.join(tmp.dir, 'tall.webp');
    expect(await makeThumbnail(src, dest, { size: 128 })).toEqual({ width: 85, height: 128 });
    const meta = await sharp(dest).metadata();
    expect([meta.width, meta.height]).toEqual([85, 128]);
  });

  it('never enlarges a small image', async () => {
    const src = await source('small.png', await noiseImage(100, 50, 'png'));
    expect(await makeThumbnail(src, path.join(tmp.dir, 'small.webp'))).toEqual({ width: 100, height: 50 });
  });

  it('applies EXIF orientation, so a phone photo is not shown sideways', async () => {
    const rotated = await sharp(await noiseImage(300, 200, 'jpeg'))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const src = await source('phone.jpg', rotated);
    expect(await makeThumbnail(src, path.join(tmp.dir, 'phone.webp'))).toEqual({ width: 200, height: 300 });
  });

  it('replaces an existing thumbnail whole', async () => {
    const src = await source('a.png', await noiseImage(640, 640, 'png'));
    const dest = path.join(tmp.dir, 'a.webp');
    await writeFile(dest, 'old thumbnail');
    await makeThumbnail(src, dest);
    expect((await sharp(dest).metadata()).width).toBe(480);
    expect((await readdir(tmp.dir)).sort()).toEqual(['a.png', 'a.webp']);
  });

  it('refuses a file that is not an image and writes nothing', async () => {
    const src = await source('page.png', Buffer.from('<html><body>Not found</body></html>'));
    const outDir = path.join(tmp.dir, 'out');
    const err = await makeThumbnail(src, path.join(outDir, 'x.webp')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaDecodeError);
    expect((await readdir(tmp.dir)).sort()).toEqual(['page.png']);
  });
});

describe('videoPoster', () => {
  it('makes a WebP poster of an MP4 and reports the video duration', async () => {
    const dest = path.join(tmp.dir, 'thumbs', '0.webp');
    expect(await videoPoster(mp4Path, dest)).toEqual({ width: 160, height: 120, durationMs: 1000 });
    const meta = await sharp(dest).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 160, 120]);
    // The test pattern is colourful: a blank or failed frame would have no spread in any channel.
    const stats = await sharp(dest).stats();
    expect(Math.max(...stats.channels.map((c) => c.stdev))).toBeGreaterThan(10);
    expect(await readdir(path.dirname(dest))).toEqual(['0.webp']);
  });

  it('scales the poster of a WebM to the requested size', async () => {
    const dest = path.join(tmp.dir, 'w.webp');
    expect(await videoPoster(webmPath, dest, { size: 80 })).toEqual({
      width: 80,
      height: 60,
      durationMs: 1000,
    });
  });

  it('refuses a file that is not a video', async () => {
    const src = await source('still.mp4', await noiseImage(64, 64, 'png'));
    const err = await videoPoster(src, path.join(tmp.dir, 'p.webp')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaDecodeError);
    expect((await readdir(tmp.dir)).sort()).toEqual(['still.mp4']);
  });

  it('rejects with the abort reason when aborted before or while ffmpeg runs', async () => {
    const before = new AbortController();
    before.abort();
    const early = await probeVideo(mp4Path, before.signal).catch((e: unknown) => e);
    expect((early as Error).name).toBe('AbortError');
    const during = new AbortController();
    const running = probeVideo(mp4Path, during.signal).catch((e: unknown) => e);
    setImmediate(() => during.abort());
    expect(((await running) as Error).name).toBe('AbortError');
  });
});
