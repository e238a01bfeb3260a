/**
 * Benchmark 3 — thumbnails per second: `makeThumbnail` on the archiver benchmark's PNGs and
 * `videoPoster` on its MP4s, one at a time and two at a time (the machine has two cores).
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { makeThumbnail, videoPoster } from '../../src/main/core/archive';
import type { MediaFixtures } from '../archive/fixtures';
import type { Metric, Section } from '../lib/report';
import { msSince, runPool } from '../lib/stats';

export interface ThumbnailBenchOptions {
  workDir: string;
  fixtures: MediaFixtures;
  quick: boolean;
}

async function rate(
  count: number,
  concurrency: number,
  make: (i: number) => Promise<unknown>,
): Promise<number> {
  const start = process.hrtime.bigint();
  await runPool(
    Array.from({ length: count }, (_, i) => () => make(i)),
    concurrency,
  );
  return count / (msSince(start) / 1000);
}

function perSecond(name: string, value: number): Metric {
  return { name, value: `${value.toFixed(1)} /s`, target: '—', verdict: 'info' };
}

export async function runThumbnailBench(opts: ThumbnailBenchOptions): Promise<Section> {
  const started = process.hrtime.bigint();
  const { images, videos } = opts.fixtures;
  const posters = opts.quick ? 4 : 12;
  const threads = sharp.concurrency();
  const dir = path.join(opts.workDir, 'thumbnails');
  mkdirSync(dir, { recursive: true });
  const thumb = (i: number, run: string): Promise<unknown> =>
    makeThumbnail(images[i % images.length]!.path, path.join(dir, `${run}-${i}.webp`));
  const poster = (i: number, run: string): Promise<unknown> =>
    videoPoster(videos[i % videos.length]!.path, path.join(dir, `${run}-${i}.webp`));
  try {
    // Warm-up: libvips and ffmpeg start-up costs are paid once per process, not per thumbnail.
    await thumb(0, 'warm');
    await poster(0, 'warm-video');
    const metrics = [
      perSecond(
        `Image thumbnails, sequential (${images.length} PNGs)`,
        await rate(images.length, 1, (i) => thumb(i, 'seq')),
      ),
      perSecond('Image thumbnails, 2 at a time', await rate(images.length, 2, (i) => thumb(i, 'par'))),
      perSecond(
        `Video posters, sequential (${posters} posters)`,
        await rate(posters, 1, (i) => poster(i, 'vseq')),
      ),
      perSecond('Video posters, 2 at a time', await rate(posters, 2, (i) => poster(i, 'vpar'))),
    ];
    return {
      id: 'thumbnails',
      title: 'Thumbnails and video posters',
      method:
        `makeThumbnail (sharp: decode, auto-orient, resize to 480 px, WebP q80, atomic write) on the ` +
        `${images.length} PNGs of the archiver benchmark (2–4 MB, 896–1216 px), and videoPoster (ffmpeg probe, ` +
        `frame at 10 %, then the same WebP thumbnail) on its 5-second 832×464 H.264 MP4s; rates are files ` +
        'finished per second of wall time, after one warm-up of each.',
      metrics,
      notes: [
        `sharp uses ${threads} libvips thread${threads === 1 ? '' : 's'} per image here (its default on glibc ` +
          'without jemalloc is 1), so two at a time is how a 2-core machine gets both cores working.',
        'Issue #2 sets no target for these rates; they are reported to compare runs.',
      ],
      elapsedMs: msSince(started),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
